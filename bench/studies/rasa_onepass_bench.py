"""NLU design study, step 4: the prototype component inside Rasa: training time, parse latency and CPU, RSS,
and what a handbook edit costs the parse that notices it.

    /tmp/nlu-study-venv/bin/python bench/studies/rasa_onepass_bench.py   # → var/nlu-study/rasa_onepass.json

Trains bench/studies/config_onepass.yml on data/nlu (`rasa train nlu`, in this process) against a copy of the
handbook in /tmp/nlu-study-handbook, loads the model into a fresh process the way `rasa run` would (Agent.load),
parses the team's routing set and the Chinese probe one message at a time, then edits one handbook file in
the copy and times the next parses. Today's model (models/larkspur.tar.gz) is parsed the same way just before,
in its own fresh process, so both run under the same load.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("LOG_LEVEL", "WARNING")
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "var" / "nlu-study"
HANDBOOK = Path("/tmp/nlu-study-handbook")
MODEL_DIR = OUT / "onepass-model"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def quiet() -> None:
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)


def train() -> dict[str, Any]:
    from rasa.model_training import train_nlu

    quiet()
    if HANDBOOK.exists():
        shutil.rmtree(HANDBOOK)
    shutil.copytree(ROOT / "knowledge" / "faq", HANDBOOK)
    start = time.perf_counter()
    model = train_nlu(
        config=str(HERE / "config_onepass.yml"),
        nlu_data=str(ROOT / "data" / "nlu"),
        output=str(MODEL_DIR),
        fixed_model_name="onepass",
    )
    return {
        "train_s": round(time.perf_counter() - start, 1),
        "model": model,
        "model_mb": round(Path(model).stat().st_size / 2**20, 1),
    }


def serve(model: str, edit_handbook: bool) -> dict[str, Any]:
    from rasa.core.agent import Agent

    quiet()
    sets = json.loads((OUT / "sets.json").read_text(encoding="utf-8"))
    rss_start = rss_mb()
    start = time.perf_counter()
    agent = Agent.load(model)
    load_s = time.perf_counter() - start
    rss_loaded = rss_mb()
    en = [r["text"] for r in sets["eval"]["team_routing_en"]["rows"]]
    zh = [r["text"] for r in sets["eval"]["study_zh_probe"]["rows"]]
    groups = {
        "en short (≤ 8 words)": [t for t in en if len(t.split()) <= 8],
        "en long (≥ 20 words)": [t for t in en if len(t.split()) >= 20],
        "zh probe": zh,
    }

    async def run() -> dict[str, Any]:
        await agent.parse_message("warm-up message")
        await agent.parse_message("热身")
        out: dict[str, Any] = {}
        for name, texts in groups.items():
            walls, cpus = [], []
            for text in texts:
                w, c = time.perf_counter(), time.process_time()
                await agent.parse_message(text)
                walls.append((time.perf_counter() - w) * 1000)
                cpus.append((time.process_time() - c) * 1000)
            out[name] = {
                "n": len(texts),
                "p50_ms": round(sorted(walls)[len(walls) // 2], 2),
                "p99_ms": round(sorted(walls)[min(len(walls) - 1, int(len(walls) * 0.99))], 2),
                "cpu_ms_mean": round(sum(cpus) / len(cpus), 2),
            }
        if not edit_handbook:
            return out
        sample = await agent.parse_message("what's your refund policy")
        out["sample parse"] = {k: sample[k] for k in ("intent", "route") if k in sample}
        # a handbook edit: the next parse after watch_interval re-indexes (only the new text is embedded)
        target = HANDBOOK / "returns" / "refund-policy.md"
        text = target.read_text(encoding="utf-8")
        target.write_text(
            text.replace("questions:\n", "questions:\n  - Is my money given back if I send things back?\n", 1),
            encoding="utf-8",
        )
        await asyncio.sleep(2.1)
        w, c = time.perf_counter(), time.process_time()
        edited = await agent.parse_message("is my money given back if I send things back")
        out["parse that re-indexed the handbook after one edit"] = {
            "wall_ms": round((time.perf_counter() - w) * 1000, 1),
            "cpu_ms": round((time.process_time() - c) * 1000, 1),
            "route": edited.get("route", {}).get("destination"),
        }
        return out

    parses = asyncio.run(run())
    return {
        "load_s": round(load_s, 2),
        "rss_mb_before_load": rss_start,
        "rss_mb_loaded": rss_loaded,
        "rss_mb_after": rss_mb(),
        **parses,
    }


def main(argv: list[str]) -> int:
    sys.path[:0] = [str(ROOT), str(HERE)]
    if argv[:1] == ["serve"]:
        print(json.dumps(serve(argv[1], edit_handbook=argv[2:] == ["edit"])))
        return 0
    trained = train()
    # today's model first, then the prototype, each in a fresh process, back to back (same load on the machine)
    today = subprocess.run(
        [sys.executable, __file__, "serve", str(ROOT / "models" / "larkspur.tar.gz")],
        capture_output=True,
        text=True,
        check=True,
    )
    done = subprocess.run(
        [sys.executable, __file__, "serve", trained["model"], "edit"], capture_output=True, text=True, check=True
    )
    result = {
        **trained,
        **json.loads(done.stdout.strip().splitlines()[-1]),
        "today's model, same texts, same window": json.loads(today.stdout.strip().splitlines()[-1]),
        "load_average_after": list(os.getloadavg()),
    }
    (OUT / "rasa_onepass.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
