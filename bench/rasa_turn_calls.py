"""Issue 22, Rasa's share alone: the Python function calls and the CPU one message costs Rasa's message handling
in-process, with this tree's runtime fixes (nlu_addons/rasa_main.py) or those of another commit.

    .venv-rasa/bin/python bench/rasa_turn_calls.py                       # this tree's rasa_main.py
    .venv-rasa/bin/python bench/rasa_turn_calls.py --compare 1cd8512     # alternated with rasa_main.py at 1cd8512

One process per measurement (the fixes patch Rasa's classes for the whole process): it loads the trained model
(models/larkspur.tar.gz) with Rasa's Agent and the fixes, handles load_bench.py's scripted customer messages in
conversations of 9 (45 to warm up, `--turns` counted), with no action server (a custom action fails at once, the
rest of the turn is Rasa's and the project's), and reports the Python function calls per message (cProfile, one
extra pass: they do not move with the machine's load) and the CPU per message (the process's clock) of each of
`--rounds` rounds. With `--compare`, the two versions' processes alternate `--pairs` times, so both see the same
machine; the calls are the figure to compare on a loaded machine, the CPU is what they cost there.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import logging
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TEXTS = (  # load_bench.py's scripts, as its customers type them
    "hi there",
    "how long does delivery take to the netherlands?",
    "and what does shipping cost",
    "thanks, bye",
    "Where is my order 100234?",
    "ann.lee@example.com",
    "thank you",
    "what is your refund policy?",
    "can I pay with paypal",
)


def measure(revision: str | None, turns: int, rounds: int) -> dict[str, Any]:
    """In this process: rasa_main's fixes (this tree's, or `revision`'s) installed, then the model's messages."""
    sys.path.insert(0, str(ROOT))
    logging.disable(logging.WARNING)
    if revision is None:
        from nlu_addons import rasa_main
    else:
        sys.path.insert(0, str(ROOT / "bench"))
        from common import module_at

        rasa_main = module_at(revision, "nlu_addons/rasa_main.py")
    rasa_main.one_math_thread()
    rasa_main.install()
    from rasa.core.agent import Agent

    agent = Agent.load(str(ROOT / "models" / "larkspur.tar.gz"))

    async def handle(prefix: str, count: int) -> None:
        for i in range(count):
            await agent.handle_text(TEXTS[i % len(TEXTS)], sender_id=f"{prefix}{i // len(TEXTS)}")

    async def run() -> dict[str, Any]:
        await handle("warm", 45)
        profile = cProfile.Profile()
        profile.enable()
        await handle("counted", turns)
        profile.disable()
        cpu = []
        for r in range(rounds):
            started = time.process_time()
            await handle(f"round{r}-", turns)
            cpu.append(round((time.process_time() - started) / turns * 1000, 3))
        calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
        return {"calls_per_message": round(calls / turns), "cpu_ms_per_message": cpu}

    return asyncio.run(run())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at", help="rasa_main.py as at this commit (one measurement, in this process)")
    parser.add_argument("--compare", help="alternate this tree with rasa_main.py as at this commit")
    parser.add_argument("--pairs", type=int, default=2, help="with --compare: alternations (2)")
    parser.add_argument("--turns", type=int, default=90, help="messages per round (90)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, help="write the JSON here")
    args = parser.parse_args(argv)
    if not args.compare:
        result = {"version": args.at or "this tree", **measure(args.at, args.turns, args.rounds)}
        print(json.dumps(result))
        return 0
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false"}
    common = ["--turns", str(args.turns), "--rounds", str(args.rounds)]
    runs = []
    for _ in range(args.pairs):
        for at in ([], ["--at", args.compare]):
            done = subprocess.run(
                [sys.executable, __file__, *at, *common], cwd=ROOT, env=env, capture_output=True, text=True, check=True
            )
            runs.append({**json.loads(done.stdout.strip().splitlines()[-1]), "load": os.getloadavg()})
            print(json.dumps(runs[-1]), flush=True)
    if args.out:
        args.out.write_text(json.dumps({"compare": args.compare, "argv": sys.argv[1:], "runs": runs}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
