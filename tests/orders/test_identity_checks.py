"""Wrong answers to the identity check, counted per conversation, client, signed-in customer and order
(helpdesk/orders/attempts.py), in this process and through the real Redis (127.0.0.1:6379), where two
`IdentityChecks` on connections of their own play two action-server processes. The orders are the demo shop's."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio.connection import AbstractConnection

from helpdesk.clients.redis import command_connection
from helpdesk.limits.redis_window import RedisLimiter
from helpdesk.limits.window import MemoryLimiter
from helpdesk.orders import Asker, AttemptLimits, IdentityChecks, Verdict
from helpdesk.orders.config import OrdersConfigError, parse_orders_config
from helpdesk.orders.demo import DemoOrderSystem

pytestmark = pytest.mark.anyio
REDIS_URL = "redis://127.0.0.1:6379/0"
LIMITS = AttemptLimits(per_conversation=3, per_client=5, per_order=5)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def shop(tmp_path: Path) -> AsyncIterator[DemoOrderSystem]:
    system = DemoOrderSystem(str(tmp_path / "shop.db"))
    yield system
    await system.aclose()


def in_process() -> IdentityChecks:
    return IdentityChecks(LIMITS, lambda name, limit, window: MemoryLimiter(limit, window))


def asker(conversation: str, client: str | None = "203.0.113.7", customer: str | None = None) -> Asker:
    return Asker(conversation, client, customer)


async def test_the_third_wrong_answer_in_a_conversation_hands_off(shop: DemoOrderSystem) -> None:
    checks = in_process()
    first = await checks.check(shop, asker("c1"), "100234", postcode="1111 AA")
    second = await checks.check(shop, asker("c1"), "100234", email="marco.rossi@example.org")
    third = await checks.check(shop, asker("c1"), "100234", postcode="2511 AC")
    assert [(a.verdict, a.remaining) for a in (first, second, third)] == [
        (Verdict.RETRY, 2),
        (Verdict.RETRY, 1),
        (Verdict.HAND_OFF, 0),
    ]
    late = await checks.check(shop, asker("c1"), "100234", postcode="2511 AB")  # right, but too late here
    assert late.verdict is Verdict.HAND_OFF and late.order is None


async def test_wrong_answers_from_one_client_count_across_conversations(shop: DemoOrderSystem) -> None:
    checks = in_process()
    verdicts = [
        (await checks.check(shop, asker(f"c{n // 2}"), number, postcode="9999 ZZ")).verdict
        for n, number in enumerate(["100234", "100212", "100247", "100128", "100199"])
    ]
    assert verdicts == [Verdict.RETRY] * 4 + [Verdict.LOCKED]
    right = await checks.check(shop, asker("c9"), "100234", postcode="2511 AB")
    assert right.verdict is Verdict.LOCKED and right.order is None
    elsewhere = await checks.check(shop, asker("c10", client="198.51.100.4"), "100234", postcode="2511 AB")
    assert elsewhere.verdict is Verdict.VERIFIED and elsewhere.order is not None


async def test_a_signed_in_customer_counts_as_one_client_from_any_address(shop: DemoOrderSystem) -> None:
    checks = in_process()
    for n in range(5):
        await checks.check(shop, asker(f"c{n}", client=f"192.0.2.{n}", customer="C1002"), "100234", postcode="1")
    locked = await checks.check(shop, asker("c9", client="192.0.2.99", customer="C1002"), "100212", postcode="2511AB")
    assert locked.verdict is Verdict.LOCKED


async def test_wrong_answers_about_one_order_count_whoever_asks(shop: DemoOrderSystem) -> None:
    checks = in_process()
    for n in range(5):
        await checks.check(shop, asker(f"c{n}", client=f"192.0.2.{n}"), "100212", postcode=f"{1000 + n} AA")
    owner = await checks.check(shop, asker("c9", client="198.51.100.9"), "100212", email="ann.lee@example.com")
    assert owner.verdict is Verdict.LOCKED
    other_order = await checks.check(shop, asker("c9", client="198.51.100.9"), "100234", email="ann.lee@example.com")
    assert other_order.verdict is Verdict.VERIFIED


async def test_right_answers_and_a_shop_outage_count_nothing(shop: DemoOrderSystem, tmp_path: Path) -> None:
    checks = in_process()
    for _ in range(8):
        assert (await checks.check(shop, asker("c1"), "100234", postcode="2511ab")).verdict is Verdict.VERIFIED
    (tmp_path / "broken").mkdir()
    broken = DemoOrderSystem(str(tmp_path / "broken"))  # a directory, not a database: every query fails
    try:
        for _ in range(6):
            with pytest.raises(Exception, match="demo shop database"):
                await checks.check(broken, asker("c1"), "100234", postcode="1111 AA")
    finally:
        await broken.aclose()
    first_wrong = await checks.check(shop, asker("c1"), "100234", postcode="1111 AA")
    assert (first_wrong.verdict, first_wrong.remaining) == (Verdict.RETRY, 2)


async def test_two_processes_share_the_counts_through_redis(shop: DemoOrderSystem) -> None:
    prefix = f"helpdesk-test-{secrets.token_hex(4)}"
    connections = [command_connection(REDIS_URL, "helpdesk-test") for _ in range(2)]

    def process(n: int) -> IdentityChecks:
        redis = connections[n]
        return IdentityChecks(LIMITS, lambda name, limit, window: RedisLimiter(redis, prefix, name, limit, window))

    first, second = process(0), process(1)
    try:
        client = "203.0.113.50"
        for n in range(4):  # four wrong answers, alternating between the processes and conversations
            attempt = await (first if n % 2 else second).check(shop, asker(f"r{n}", client), "100234", postcode="1111")
            assert attempt.verdict is Verdict.RETRY
        # a burst of 20 concurrent guesses from the same client on both processes: only one more is checked
        burst = await asyncio.gather(
            *(
                (first if n % 2 else second).check(shop, asker(f"b{n}", client), "100212", postcode=f"{n:04d} ZZ")
                for n in range(20)
            )
        )
        assert sum(1 for a in burst if a.verdict is Verdict.LOCKED) == 20  # the fifth counted one locks, too
        assert await first.client.count(client) == 5
        right = await second.check(shop, asker("r9", client), "100234", postcode="2511 AB")
        assert right.verdict is Verdict.LOCKED
    finally:
        keys = [key async for key in connections[0].scan_iter(f"{prefix}:*")]
        if keys:
            await connections[0].delete(*keys)
        for connection in connections:
            await connection.aclose()


async def test_a_check_through_redis_is_two_round_trips_whatever_it_counts(
    shop: DemoOrderSystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22: the reservations in every count (conversation, order, client, customer) are one round trip, their
    return after a right answer one, a wrong answer's counts one: the action server made one round trip per count
    each (8 for a right answer with three counts, 6 for a wrong one), every e-mail check turn."""
    prefix = f"helpdesk-test-{secrets.token_hex(4)}"
    redis = command_connection(REDIS_URL, "helpdesk-test")
    checks = IdentityChecks(LIMITS, lambda name, limit, window: RedisLimiter(redis, prefix, name, limit, window))
    sent = 0
    original = AbstractConnection.send_packed_command

    async def counted(self: AbstractConnection, command: object, check_health: bool = True) -> None:
        nonlocal sent
        sent += 1
        await original(self, command, check_health)  # type: ignore[arg-type]

    try:
        warm = await checks.check(shop, asker("w1", "203.0.113.60"), "100234", postcode="1111")  # scripts loaded
        assert warm.verdict is Verdict.RETRY
        await checks.check(shop, asker("w2", "203.0.113.60"), "100234", postcode="2511 AB")
        monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
        right = await checks.check(shop, asker("c1", "203.0.113.61", "cust-7"), "100234", postcode="2511 AB")
        assert right.verdict is Verdict.VERIFIED and sent == 2
        assert [
            await limiter.count(key) for limiter, key in checks._counts(asker("c1", "203.0.113.61", "cust-7"), "100234")
        ] == [0, 1, 0, 0]
        sent = 0
        wrong = await checks.check(shop, asker("c2", "203.0.113.62"), "100234", postcode="1111 AA")
        assert (wrong.verdict, wrong.remaining, sent) == (Verdict.RETRY, 2, 2)
        sent = 0
        refused = [await checks.check(shop, asker("c3", "203.0.113.63"), "100212", postcode="0000") for _ in range(4)]
        assert [a.verdict for a in refused] == [Verdict.RETRY, Verdict.RETRY, Verdict.HAND_OFF, Verdict.HAND_OFF]
        assert sent == 2 + 2 + 2 + 1  # the fourth refused by the conversation's count: one round trip, nothing kept
        assert await checks.order.count("100212") == 3 and await checks.client.count("203.0.113.63") == 3
    finally:
        monkeypatch.undo()
        keys = [key async for key in redis.scan_iter(f"{prefix}:*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


def test_the_limits_come_from_the_orders_configuration() -> None:
    config = parse_orders_config({"identity_checks": {"per_client": 8, "order_window_minutes": 60}})
    assert (config.identity_checks.per_client, config.identity_checks.per_order) == (8, 5)
    with pytest.raises(OrdersConfigError, match=r"identity_checks.per_order must be a positive whole number"):
        parse_orders_config({"identity_checks": {"per_order": 0}})
    with pytest.raises(OrdersConfigError, match=r"identity_checks: unknown key\(s\) per_ip"):
        parse_orders_config({"identity_checks": {"per_ip": 3}})
