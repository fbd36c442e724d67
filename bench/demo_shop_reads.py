"""The demo shop's reads of the e-mail check turn, alone, in one process: CPU and statements per read (issue 22).

    nice -n 10 .venv/bin/python bench/demo_shop_reads.py                      # this tree's reads, 6 rounds
    nice -n 10 .venv/bin/python bench/demo_shop_reads.py --compare f40c831    # alternated with that commit's
                                                                               # helpdesk/orders/demo.py

What the action server asks the demo shop when a customer gives the e-mail for order 100234: the order (the identity
check), the customer and their recent orders (the verified customer's context), the order again (the status
action). Each round repeats that `--turns` times on a fresh copy of the seeded shop (SQLite through aiosqlite, as the
action server reads it); CPU is this process's (time.process_time, aiosqlite's thread included), statements are
SQLAlchemy's cursor executions and rollbacks aiosqlite's. With `--compare REV`, REV's helpdesk/orders/demo.py is
loaded beside this tree's (as the module `demo_at_REV`; the rest of helpdesk/ is this tree's) and the rounds
alternate between the two, each first in half of them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiosqlite
from common import finish_variants, machine_info, module_at, spread
from sqlalchemy import event

from helpdesk.config import PROJECT_ROOT
from helpdesk.orders.demo import DemoOrderSystem

sys.path.insert(0, str(PROJECT_ROOT))  # the actions package lives at the project root
from actions.identity import load_context  # noqa: E402

STARTED = time.monotonic()
ORDER, EMAIL = "100234", "ann.lee@example.com"  # the bench's order_status script (bench/load_bench.py)


async def email_turn(shop: DemoOrderSystem) -> None:
    order = await shop.get_order(ORDER)
    assert order.email == EMAIL
    await load_context(shop, order.customer_id)
    await shop.get_order(ORDER)


async def round_of(system: type[DemoOrderSystem], path: Path, turns: int) -> dict[str, float]:
    shop = system(str(path))
    statements: list[str] = []
    rollbacks: list[int] = []
    rollback = aiosqlite.Connection.rollback

    async def counted(self: aiosqlite.Connection) -> None:
        rollbacks.append(1)
        await rollback(self)

    try:
        await email_turn(shop)  # seeded, connected, warm
        event.listen(shop._engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        aiosqlite.Connection.rollback = counted  # type: ignore[method-assign]
        started = time.process_time()
        for _ in range(turns):
            await email_turn(shop)
        cpu_ms = (time.process_time() - started) * 1000 / turns
    finally:
        aiosqlite.Connection.rollback = rollback  # type: ignore[method-assign]
        await shop.aclose()
    return {
        "cpu_ms_per_turn": round(cpu_ms, 3),
        "statements_per_turn": len(statements) / turns,
        "rollbacks_per_turn": len(rollbacks) / turns,
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    variants: list[tuple[str, type[DemoOrderSystem]]] = [("this tree", DemoOrderSystem)]
    if args.compare:
        variants = [(args.compare, module_at(args.compare, "helpdesk/orders/demo.py").DemoOrderSystem), *variants]
    rounds: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        for index in range(args.rounds):
            for number, (name, system) in enumerate(variants if index % 2 == 0 else variants[::-1]):
                found = await round_of(system, Path(folder) / f"shop-{index}-{number}.db", args.turns)
                rounds.append({"variant": name, "round": index, **found})
    by_variant: dict[str, Any] = {}
    for name, _ in variants:
        mine = [r for r in rounds if r["variant"] == name]
        costs = [r["cpu_ms_per_turn"] for r in mine]
        by_variant[name] = {
            **spread(costs, "cpu_ms_per_turn_"),
            "statements_per_turn": mine[0]["statements_per_turn"],
            "rollbacks_per_turn": mine[0]["rollbacks_per_turn"],
        }
    return {"machine": machine_info(), "turns": args.turns, "rounds": rounds, "by_variant": by_variant}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=200, help="e-mail check turns a round (200)")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--compare", metavar="REV", help="alternate with REV's helpdesk/orders/demo.py")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    return finish_variants(asyncio.run(run(args)), args.out, STARTED)


if __name__ == "__main__":
    raise SystemExit(main())
