"""The customer's presence touch alone (helpdesk/mail/presence.py `CustomerPresence.seen`), in one process, on a
throw-away PostgreSQL database: CPU, Python function calls and statements per touch (issue 22).

    nice -n 10 .venv/bin/python bench/presence_touch_cpu.py                      # this tree's touch, 6 rounds
    nice -n 10 .venv/bin/python bench/presence_touch_cpu.py --compare 1747790    # alternated with that commit's
                                                                                  # helpdesk/mail/presence.py

Every POST /api/chat and transcript poll touches the conversation at most once per heartbeat (20 s by default) per
process, and an open widget socket every heartbeat: one UPDATE of `conversations.customer_seen_at`. Each round
touches `--touches` times over 20 conversations (`force`: the heartbeat's throttle is not what is measured). CPU is
this process's (user + system, from the OS) per touch, the median over `--rounds` rounds; with `--compare REV`,
REV's presence.py is loaded beside this tree's (the rest of helpdesk/ is this tree's) and the rounds alternate
between the two, each first in half of them. Calls per touch (cProfile, one extra round) and statements per touch
(SQLAlchemy's, and asyncpg's BEGIN/COMMIT/ROLLBACK) do not move with the machine's load.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import statistics
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from common import end_stamp, machine_head, machine_info, module_at, write_report
from helpdesk_turn_cpu import counting
from scale_bench import postgres_database

from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.db.models import Conversation
from helpdesk.mail import presence as current_presence
from helpdesk.vocabulary import MODE_BOT

CONVERSATIONS = 20


async def rounds(url: str, versions: dict[str, ModuleType], touches: int, count: int) -> dict[str, Any]:
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        async with sessions() as session:
            session.add_all([Conversation(id=f"c{i}", mode=MODE_BOT) for i in range(CONVERSATIONS)])
            await session.commit()
        touching = {name: module.CustomerPresence(sessions, 20.0) for name, module in versions.items()}

        async def run(name: str, n: int) -> None:
            for i in range(n):
                await touching[name].seen(f"c{i % CONVERSATIONS}", force=True)

        for name in versions:  # warm: connections, prepared statements, compiled forms
            await run(name, 50)
        cpu: dict[str, list[float]] = {name: [] for name in versions}
        for i in range(count):
            for name in versions if i % 2 == 0 else reversed(versions):
                before = os.times()
                await run(name, touches)
                after = os.times()
                cpu[name].append(round(1e6 * ((after.user - before.user) + (after.system - before.system)) / touches))
        figures: dict[str, Any] = {}
        for name in versions:
            with counting(engine) as counts:
                await run(name, 100)
            profile = cProfile.Profile()
            profile.enable()
            await run(name, 100)
            profile.disable()
            figures[name] = {
                "cpu_us_per_touch": cpu[name],
                "cpu_us_median": statistics.median(cpu[name]),
                "calls_per_touch": round(pstats.Stats(profile).total_calls / 100),  # type: ignore[attr-defined]
                "statements_per_touch": counts["statements"] / 100,
            }
        return figures
    finally:
        await engine.dispose()


def render(result: dict[str, Any]) -> str:
    lines = [
        "# The customer's presence touch alone (issue 22)",
        "",
        f"Machine: {machine_head(result['machine'])}; load average at start {result['load_start']}, at end "
        f"{result['load_end']} (other jobs share the cores).",
        "",
        f"Run {result['finished_at']}: `bench/presence_touch_cpu.py {' '.join(result['argv'])}`; "
        f"{result['touches']} touches per round, {result['rounds']} rounds, alternating.",
        "",
        "| version | CPU µs per touch, median | each round | Python calls per touch | statements per touch |",
        "|---|---|---|---|---|",
    ]
    for name, f in result["versions"].items():
        lines.append(
            f"| {name} | {f['cpu_us_median']:.0f} | {', '.join(str(v) for v in f['cpu_us_per_touch'])} "
            f"| {f['calls_per_touch']} | {f['statements_per_touch']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touches", type=int, default=400, help="touches per round (400)")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--compare", help="also measure helpdesk/mail/presence.py as at this commit")
    parser.add_argument("--out", type=Path, help="write the figures here (.json and .md)")
    args = parser.parse_args(argv)
    versions: dict[str, ModuleType] = {}
    if args.compare:
        versions[f"presence.py at {args.compare}"] = module_at(args.compare, "helpdesk/mail/presence.py")
    versions["this tree"] = current_presence
    load_start = " ".join(f"{v:.2f}" for v in os.getloadavg())
    with postgres_database("presence_cpu") as url:
        migrate(url)
        figures = asyncio.run(rounds(url, versions, args.touches, args.rounds))
    result = {
        "machine": machine_info(),
        "argv": argv,
        "touches": args.touches,
        "rounds": args.rounds,
        "versions": figures,
        "load_start": load_start,
        **end_stamp(),
    }
    return write_report(args.out, result, render)


if __name__ == "__main__":
    raise SystemExit(main())
