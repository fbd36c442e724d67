"""Issue 22: the CPU two Redis choices of the helpdesk cost, measured in one process with the two ways alternating
(so both see the same machine), against the real Redis on 127.0.0.1:6379.

    nice -n 10 .venv/bin/python bench/redis_reply_cpu.py --out results/redis_reply_cpu

1. A command's reply read by redis-py's hiredis parser (what the helpdesk's connections use when the `hiredis`
   package is installed) or by its pure-Python RESP3 parser: `--commands` SET + GET pairs on a command connection
   (helpdesk/clients/redis.py `command_connection`), CPU µs per pair.
2. A bot turn's six events (the customer's message and two replies, each for the widget and the consoles) published
   by one real-time hub and delivered by another subscribed hub to a local subscriber, as one Redis message
   (`publish_all`, `batched`) or as one PUBLISH each in one pipeline (before batching): CPU µs per turn, both hubs in
   this process (as in one helpdesk process, which reads its own events back).

CPU is the process's (user + system) per unit, the minimum and median over `--rounds` rounds of each way.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from common import end_stamp, machine_head, machine_info, write_report
from redis.asyncio.connection import _AsyncHiredisParser, _AsyncRESP3Parser

from helpdesk.clients.redis import command_connection
from helpdesk.realtime.redis_hub import RedisHub

REDIS_URL = "redis://127.0.0.1:6379/0"
EVENT = {"type": "message", "message": {"id": 1, "sender": "bot", "text": "Delivery takes 3-5 working days."}}


async def cpu_per_unit(work: Callable[[], Awaitable[None]], units: int) -> float:
    before = time.process_time()
    await work()
    return 1e6 * (time.process_time() - before) / units


async def parsers(commands: int, rounds: int) -> dict[str, list[float]]:
    channel = f"replycpu{secrets.token_hex(4)}"
    clients = {}
    for name, parser in (("hiredis", _AsyncHiredisParser), ("python RESP3", _AsyncRESP3Parser)):
        client = command_connection(REDIS_URL, channel)
        client.connection_pool.connection_kwargs["parser_class"] = parser
        await client.ping()
        connection = await client.connection_pool.get_connection()
        assert isinstance(connection._parser, parser), type(connection._parser)
        await client.connection_pool.release(connection)
        clients[name] = client
    key = f"{channel}:k"
    results: dict[str, list[float]] = {name: [] for name in clients}
    try:
        for _ in range(rounds):
            for name, client in clients.items():

                async def pairs(client: Any = client) -> None:
                    for i in range(commands):
                        await client.set(key, f"token-{i}", px=30_000)
                        await client.get(key)

                results[name].append(round(await cpu_per_unit(pairs, commands), 2))
    finally:
        for client in clients.values():
            await client.delete(key)
            await client.aclose()
    return results


async def fan_out(turns: int, rounds: int) -> dict[str, list[float]]:
    channel = f"replycpu{secrets.token_hex(4)}:events"
    here, there = RedisHub(REDIS_URL, channel), RedisHub(REDIS_URL, channel)
    await here.start()
    await there.start()
    events = [(f"conversation:c{i % 2}", EVENT) if i % 2 else ("console", EVENT) for i in range(6)]

    async def one_each() -> None:  # before batching: a PUBLISH per event, in one pipeline
        data = [json.dumps({"channel": c, "event": e}, separators=(",", ":")) for c, e in events]
        async with here._redis.pipeline(transaction=False) as pipe:
            for one in data:
                pipe.publish(channel, one)
            await pipe.execute()

    async def batched() -> None:
        await here.publish_all(events)

    results: dict[str, list[float]] = {"one message (batched)": [], "a PUBLISH per event": []}
    try:
        async with there.subscribe("console", "conversation:c1") as subscription:

            async def turns_of(publish: Callable[[], Awaitable[None]]) -> None:
                for _ in range(turns):
                    await publish()
                    for _ in range(6):
                        await asyncio.wait_for(subscription.get(), 5)

            for _ in range(rounds):
                for name, publish in (("one message (batched)", batched), ("a PUBLISH per event", one_each)):
                    results[name].append(round(await cpu_per_unit(lambda p=publish: turns_of(p), turns), 1))
    finally:
        await here.close()
        await there.close()
    return results


def summary(results: dict[str, list[float]]) -> dict[str, dict[str, Any]]:
    return {
        name: {"min": min(values), "median": round(statistics.median(values), 2), "rounds": values}
        for name, values in results.items()
    }


def render(result: dict[str, Any]) -> str:
    lines = [
        "# The helpdesk's Redis: CPU per reply read and per turn's events (issue 22)",
        "",
        f"Machine: {machine_head(result['machine'])}; load average at start {result['load_start']}, at end "
        f"{result['load_end']}. Run {result['finished_at']}: `bench/redis_reply_cpu.py {' '.join(result['argv'])}`; "
        "the two ways alternate within each round.",
        "",
        "| what | way | CPU min | median | each round |",
        "|---|---|---|---|---|",
    ]
    for what, unit in (("parsers", "µs per SET + GET"), ("fan_out", "µs per turn's 6 events")):
        for way, figures in result[what].items():
            lines.append(
                f"| {unit} | {way} | {figures['min']} | {figures['median']} "
                f"| {', '.join(str(v) for v in figures['rounds'])} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=2000, help="SET + GET pairs per round (2000)")
    parser.add_argument("--turns", type=int, default=300, help="turns of 6 events per round (300)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("results") / "redis_reply_cpu")
    args = parser.parse_args(argv)
    load_start = " ".join(f"{v:.2f}" for v in os.getloadavg())

    async def run() -> tuple[dict[str, list[float]], dict[str, list[float]]]:
        return await parsers(args.commands, args.rounds), await fan_out(args.turns, args.rounds)

    parsed, fanned = asyncio.run(run())
    result = {
        "machine": machine_info(),
        "argv": argv,
        "parsers": summary(parsed),
        "fan_out": summary(fanned),
        "load_start": load_start,
        **end_stamp(),
    }
    return write_report(args.out, result, render)


if __name__ == "__main__":
    raise SystemExit(main())
