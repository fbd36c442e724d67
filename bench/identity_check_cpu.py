"""The action server's identity check alone, in one process, on the real Redis: CPU and Redis round trips per check
(issue 22).

    nice -n 10 .venv/bin/python bench/identity_check_cpu.py                      # this tree's checks, 6 rounds
    nice -n 10 .venv/bin/python bench/identity_check_cpu.py --compare 55c194d    # alternated with that commit's
                                                                                  # helpdesk/orders/attempts.py

What the action server does when a customer gives the e-mail for an order (helpdesk/orders/attempts.py
`IdentityChecks.check`, the limiters on Redis as with REDIS_URL): the slots reserved in the conversation's,
the order's, the client's and the signed-in customer's counts, the demo shop's order read, then the slots given
back (a right answer) or the counts read (a wrong one). Each round does `--checks` right answers then as many
wrong ones, every check by a conversation, client and customer of its own (the limits set high, so none is
refused). CPU is this process's (time.process_time); round trips are the commands or pipelines redis-py sends.
With `--compare REV`, REV's attempts.py is loaded beside this tree's (the rest of helpdesk/ is this tree's) and
the rounds alternate between the two, each first in half of them.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from common import finish_variants, machine_info, module_at, spread
from redis.asyncio.connection import AbstractConnection

from helpdesk.clients.redis import command_connection
from helpdesk.limits.redis_window import RedisLimiter
from helpdesk.orders import attempts
from helpdesk.orders.demo import DemoOrderSystem

STARTED = time.monotonic()
REDIS_URL = "redis://127.0.0.1:6379/0"
ORDER, EMAIL, WRONG = "100234", "ann.lee@example.com", "someone.else@example.com"
LIMITS = attempts.AttemptLimits(per_conversation=10**6, per_client=10**6, per_order=10**6)


async def round_of(module: ModuleType, shop: DemoOrderSystem, checks: int) -> dict[str, float]:
    redis = command_connection(REDIS_URL, "identity-check-bench")
    prefix = f"identity-bench-{secrets.token_hex(4)}"
    identity = module.IdentityChecks(
        LIMITS, lambda name, limit, window: RedisLimiter(redis, prefix, name, limit, window)
    )
    sent = [0]
    original = AbstractConnection.send_packed_command

    async def counted(self: AbstractConnection, command: Any, check_health: bool = True) -> None:
        sent[0] += 1
        await original(self, command, check_health)

    def asker(n: int) -> attempts.Asker:
        return attempts.Asker(f"bench-c{n}", f"10.0.{n // 250}.{n % 250}", f"cust-{n}")

    figures: dict[str, float] = {}
    try:
        await identity.check(shop, asker(-1), ORDER, email=EMAIL)  # connected, scripts loaded, shop warm
        await identity.check(shop, asker(-2), ORDER, email=WRONG)
        AbstractConnection.send_packed_command = counted  # type: ignore[method-assign]
        for kind, email in (("right", EMAIL), ("wrong", WRONG)):
            sent[0] = 0
            started = time.process_time()
            for n in range(checks):
                await identity.check(shop, asker(n if kind == "right" else checks + n), ORDER, email=email)
            figures[f"cpu_ms_per_{kind}_check"] = round((time.process_time() - started) * 1000 / checks, 3)
            figures[f"round_trips_per_{kind}_check"] = sent[0] / checks
    finally:
        AbstractConnection.send_packed_command = original  # type: ignore[method-assign]
        keys = [key async for key in redis.scan_iter(f"{prefix}:*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()
    return figures


async def run(args: argparse.Namespace) -> dict[str, Any]:
    variants: list[tuple[str, ModuleType]] = [("this tree", attempts)]
    if args.compare:
        variants = [(args.compare, module_at(args.compare, "helpdesk/orders/attempts.py")), *variants]
    rounds: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        shop = DemoOrderSystem(str(Path(folder) / "shop.db"))
        try:
            for index in range(args.rounds):
                for name, module in variants if index % 2 == 0 else variants[::-1]:
                    rounds.append({"variant": name, "round": index, **await round_of(module, shop, args.checks)})
        finally:
            await shop.aclose()
    by_variant: dict[str, Any] = {}
    for name, _ in variants:
        mine = [r for r in rounds if r["variant"] == name]
        by_variant[name] = {}
        for kind in ("right", "wrong"):
            costs = [r[f"cpu_ms_per_{kind}_check"] for r in mine]
            by_variant[name][kind] = {**spread(costs), "round_trips": mine[0][f"round_trips_per_{kind}_check"]}
    return {"machine": machine_info(), "checks": args.checks, "rounds": rounds, "by_variant": by_variant}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=200, help="right answers, then as many wrong ones, a round")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--compare", metavar="REV", help="alternate with REV's helpdesk/orders/attempts.py")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    return finish_variants(asyncio.run(run(args)), args.out, STARTED)


if __name__ == "__main__":
    raise SystemExit(main())
