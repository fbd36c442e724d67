"""Issue 22, the helpdesk's share alone: the CPU and the Python function calls one customer turn costs the helpdesk's
chat service, with Rasa's answer from a mock transport (no Rasa or action server process: their CPU, and their load
on this shared machine, stay out of it), real PostgreSQL (a throw-away database) and real Redis (locks and events, as
in the scale-out setup).

    nice -n 10 .venv/bin/python bench/helpdesk_turn_cpu.py --out results/helpdesk_turn_cpu_<name>
    nice -n 10 .venv/bin/python bench/helpdesk_turn_cpu.py --compare <commit> --out ...   # that commit's chat.py too

Each run: 20 conversations greeted once (connections made, statements prepared), then `--turns` turns over them
("how long is delivery N", each with its own client id, as the widget sends), one at a time. CPU is the process's
(user + system, from the OS) per turn, the minimum and median over `--rounds` rounds; with `--compare`, the rounds of
the two versions alternate, so both see the same machine. Function calls per turn (cProfile, one extra round) do not
move with the machine's load, nor do the counts beside them: statements sent to PostgreSQL (SQLAlchemy's, and
the BEGIN, COMMIT and ROLLBACK asyncpg sends) and Redis round trips (commands or pipelines sent) per turn, from
another extra round. What the turn does not include: the HTTP request (sanic), the rate limits, and the
customer's presence touch (helpdesk/web/widget.py).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import secrets
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from asyncpg.transaction import Transaction
from common import end_stamp, git_state, machine_head, machine_info, module_at, write_report
from redis.asyncio.connection import AbstractConnection
from scale_bench import POSTGRES_ADMIN_URL, REDIS_URL, postgres_database

from helpdesk.background import Background
from helpdesk.clients.action_server import ActionServerClient
from helpdesk.clients.pooled_http import Answer
from helpdesk.clients.rasa import RasaClient
from helpdesk.clients.redis import command_connection
from helpdesk.config import PROJECT_ROOT
from helpdesk.conversation import chat as current_chat
from helpdesk.conversation.context import ContextService
from helpdesk.conversation.queue import QueueNotifier
from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.db.models import Conversation
from helpdesk.limits.redis_locks import RedisLocks
from helpdesk.realtime.events import Events
from helpdesk.realtime.redis_hub import RedisHub
from helpdesk.vocabulary import MODE_BOT

ANSWER = {
    "messages": [{"text": "Delivery takes 3-5 working days."}, {"text": "Anything else?"}],
    "nlu": {"intent": {"name": "faq", "confidence": 0.93}, "intent_ranking": [], "entities": []},
}
CONVERSATIONS = 20
_ = POSTGRES_ADMIN_URL  # the same server as scale_bench.py's


class AnsweringRasa:
    """In place of RasaClient's connections: every request answered ANSWER (the rest_nlu channel's JSON)."""

    def __init__(self) -> None:
        self.body = json.dumps(ANSWER).encode()

    async def request(self, method: str, base_url: str, path: str, **options: Any) -> Answer:
        return Answer(200, self.body)

    async def close(self) -> None:
        pass


@contextmanager
def counting(engine: Any) -> Iterator[dict[str, int]]:
    """Statements sent to PostgreSQL (SQLAlchemy's through `engine`, and asyncpg's BEGIN, COMMIT and ROLLBACK) and
    Redis round trips (each command or pipeline redis-py sends), while the block runs."""
    counts = {"statements": 0, "redis_round_trips": 0}
    originals: dict[tuple[Any, str], Any] = {
        (Transaction, "start"): Transaction.start,
        (Transaction, "commit"): Transaction.commit,
        (Transaction, "rollback"): Transaction.rollback,
        (AbstractConnection, "send_packed_command"): AbstractConnection.send_packed_command,
    }

    def counted(original: Any, what: str) -> Any:
        async def call(*args: Any, **kwargs: Any) -> Any:
            counts[what] += 1
            return await original(*args, **kwargs)

        return call

    def statement(*_: Any) -> None:
        counts["statements"] += 1

    for (owner, name), original in originals.items():
        setattr(owner, name, counted(original, "redis_round_trips" if owner is AbstractConnection else "statements"))
    sa.event.listen(engine.sync_engine, "before_cursor_execute", statement)
    try:
        yield counts
    finally:
        sa.event.remove(engine.sync_engine, "before_cursor_execute", statement)
        for (owner, name), original in originals.items():
            setattr(owner, name, original)


async def rounds(database_url: str, versions: dict[str, ModuleType], turns: int, count: int) -> dict[str, Any]:
    """For each version: CPU ms per turn of each round (alternating between versions), and calls per turn."""
    channel = f"turncpu{secrets.token_hex(4)}:events"
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    commands = command_connection(REDIS_URL, channel)
    hub = RedisHub(REDIS_URL, channel)
    await hub.start()
    try:
        events = Events(hub)
        actions = ActionServerClient("http://127.0.0.1:9", 1.0)
        bot = RasaClient("http://127.0.0.1:9", "token", 1.0, actions)
        bot._http = AnsweringRasa()  # type: ignore[assignment]
        queue = QueueNotifier(sessions, events, lambda: 0, 60)
        context = ContextService(sessions, bot, actions, events)
        locks = RedisLocks(commands, channel.split(":")[0])
        services = {
            name: module.ChatService(sessions, bot, events, queue, context, locks, Background())
            for name, module in versions.items()
        }
        ids = {name: [f"{name}-{i}" for i in range(CONVERSATIONS)] for name in versions}
        async with sessions() as session:
            session.add_all([Conversation(id=c, mode=MODE_BOT, language="en") for group in ids.values() for c in group])
            await session.commit()
        sent = [0]

        async def run(name: str, n: int) -> None:
            for _ in range(n):
                sent[0] += 1
                conversation = ids[name][sent[0] % CONVERSATIONS]
                await services[name].handle(conversation, f"how long is delivery {sent[0]}", client_id=f"m{sent[0]}")

        for name in versions:  # warm: connections, prepared statements, compiled forms
            for conversation in ids[name]:
                await services[name].handle(conversation, "hello")
            await run(name, 40)
        cpu: dict[str, list[float]] = {name: [] for name in versions}
        for _ in range(count):
            for name in versions:
                before = os.times()
                await run(name, turns)
                after = os.times()
                spent = (after.user - before.user) + (after.system - before.system)
                cpu[name].append(round(1000 * spent / turns, 3))
        counted: dict[str, dict[str, float]] = {}
        for name in versions:
            with counting(engine) as counts:
                await run(name, turns)
            counted[name] = {what: round(n / turns, 2) for what, n in counts.items()}
        calls = {}
        for name in versions:
            profile = cProfile.Profile()
            profile.enable()
            await run(name, turns)
            profile.disable()
            calls[name] = round(pstats.Stats(profile).total_calls / turns)  # type: ignore[attr-defined]
        return {
            name: {
                "cpu_ms_per_turn": cpu[name],
                "cpu_ms_min": min(cpu[name]),
                "cpu_ms_median": round(statistics.median(cpu[name]), 3),
                "calls_per_turn": calls[name],
                "statements_per_turn": counted[name]["statements"],
                "redis_round_trips_per_turn": counted[name]["redis_round_trips"],
            }
            for name in versions
        }
    finally:
        await hub.close()
        await commands.aclose()
        await engine.dispose()


def render(result: dict[str, Any]) -> str:
    lines = [
        "# The helpdesk's CPU per customer turn, alone (issue 22)",
        "",
        f"Machine: {machine_head(result['machine'])}; load average at start {result['load_start']}, at end "
        f"{result['load_end']} (other jobs share the cores).",
        "",
        f"Run {result['finished_at']}, commit `{result['commit']}`{' (with local changes)' if result['dirty'] else ''}"
        f": `bench/helpdesk_turn_cpu.py {' '.join(result['argv'])}`. The chat service's `handle` for one customer "
        "message at a time in a bot conversation (the message stored, Rasa's answer from a mock transport, the two "
        "replies stored, the events published), on PostgreSQL + Redis; "
        f"{result['turns']} turns per round, {result['rounds']} rounds"
        + (", the versions' rounds alternating" if len(result["versions"]) > 1 else "")
        + ". CPU: the process's user + system time per turn. Calls: Python function calls per turn (cProfile), "
        "which do not move with the machine's load.",
        "",
        "| version | CPU ms per turn, min | median | each round | Python function calls per turn "
        "| PostgreSQL statements per turn | Redis round trips per turn |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, figures in result["versions"].items():
        lines.append(
            f"| {name} | {figures['cpu_ms_min']:.2f} | {figures['cpu_ms_median']:.2f} "
            f"| {', '.join(f'{v:.2f}' for v in figures['cpu_ms_per_turn'])} | {figures['calls_per_turn']} "
            f"| {figures['statements_per_turn']} | {figures['redis_round_trips_per_turn']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=300, help="turns per round (300)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--compare", help="also measure helpdesk/conversation/chat.py as at this commit")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "helpdesk_turn_cpu")
    args = parser.parse_args(argv)
    versions: dict[str, ModuleType] = {}
    if args.compare:
        versions[f"chat.py at {args.compare}"] = module_at(args.compare, "helpdesk/conversation/chat.py")
    versions["this tree"] = current_chat
    load_start = " ".join(f"{v:.2f}" for v in os.getloadavg())
    with postgres_database("turn_cpu") as url:
        migrate(url)
        figures = asyncio.run(rounds(url, versions, args.turns, args.rounds))
    commit, changed = git_state("helpdesk")
    result = {
        "machine": machine_info(),
        "commit": commit,
        "dirty": bool(changed),
        "argv": argv,
        "turns": args.turns,
        "rounds": args.rounds,
        "versions": figures,
        "load_start": load_start,
        **end_stamp(),
    }
    return write_report(args.out, result, render)


if __name__ == "__main__":
    raise SystemExit(main())
