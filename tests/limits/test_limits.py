"""The limits several helpdesk processes share (helpdesk/limits/): sliding-window limiters, per-conversation
locks and once-only claims, in this process and through the real Redis (127.0.0.1:6379). Two `RedisLimiter` /
`RedisLocks` / `RedisOnce` objects on their own connections play two helpdesk processes; every test uses a key
prefix of its own."""

from __future__ import annotations

import asyncio
import logging
import secrets
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
from redis.asyncio import Redis

from helpdesk.clients.redis import command_connection
from helpdesk.errors import Unavailable
from helpdesk.limits.locks import ConversationLocks, MemoryLocks
from helpdesk.limits.once import MemoryOnce, Once
from helpdesk.limits.redis_locks import RedisLocks
from helpdesk.limits.redis_once import RedisOnce
from helpdesk.limits.redis_window import RedisLimiter
from helpdesk.limits.window import Limiter, MemoryLimiter, count_all, hit_all, release_all
from helpdesk.stack import free_port

REDIS_URL = "redis://127.0.0.1:6379/0"


def new_prefix() -> str:
    return f"helpdesk-test-{secrets.token_hex(4)}"


@asynccontextmanager
async def processes(count: int = 2, url: str = REDIS_URL) -> AsyncIterator[list[Redis]]:
    """`count` connections, as `count` helpdesk processes would hold; the test's keys are deleted after."""
    connections = [command_connection(url, "helpdesk-test") for _ in range(count)]
    try:
        yield connections
    finally:
        for connection in connections:
            await connection.aclose()


async def forget(prefix: str) -> None:
    async with processes(1) as (redis,):
        keys = [key async for key in redis.scan_iter(f"{prefix}:*")]
        if keys:
            await redis.delete(*keys)


def run(scenario: Callable[[str], Awaitable[None]], cleanup: bool = True) -> None:
    """Run `scenario` with a prefix of its own; then delete what it left in Redis."""
    prefix = new_prefix()

    async def main() -> None:
        try:
            await scenario(prefix)
        finally:
            if cleanup:
                await forget(prefix)

    asyncio.run(main())


async def check_limiter(first: Limiter, second: Limiter) -> None:
    """`first` and `second` count the same keys (one object, or two processes sharing Redis)."""
    hits = [await first.hit("ann"), await second.hit("ann"), await first.hit("ann")]
    assert [h.allowed for h in hits] == [True, True, True]
    refused = await second.hit("ann")
    assert not refused.allowed and 1 <= refused.retry_after <= 61
    assert await first.count("ann") == await second.count("ann") == 3
    assert (await first.hit("bob")).allowed  # other keys have their own slots
    await second.release("ann", hits[0])  # an attempt that turned out fine gives its slot back
    assert await first.count("ann") == 2
    assert (await first.hit("ann")).allowed
    assert not (await first.hit("ann")).allowed
    await first.reset("ann")
    assert await second.count("ann") == 0 and (await second.hit("ann")).allowed


def test_a_memory_limiter_counts_per_key_and_gives_slots_back() -> None:
    limiter = MemoryLimiter(3, window=60)
    asyncio.run(check_limiter(limiter, limiter))


def test_a_memory_limiter_frees_slots_as_they_leave_the_window() -> None:
    limiter = MemoryLimiter(2, window=10)
    assert limiter.hit_now("ann", 100.0).allowed and limiter.hit_now("ann", 104.0).allowed
    refused = limiter.hit_now("ann", 105.0)
    assert not refused.allowed and refused.retry_after == 6  # the first slot leaves at 110
    assert limiter.hit_now("ann", 110.0).allowed


def test_two_processes_share_a_limit_through_redis() -> None:
    async def scenario(prefix: str) -> None:
        async with processes() as (one, two):
            await check_limiter(RedisLimiter(one, prefix, "login", 3), RedisLimiter(two, prefix, "login", 3))

    run(scenario)


def test_concurrent_hits_never_pass_the_limit() -> None:
    """The check and the reservation are one step: 60 hits at once from two processes, 10 allowed."""

    async def scenario(prefix: str) -> None:
        async with processes() as (one, two):
            limiters = [RedisLimiter(one, prefix, "burst", 10), RedisLimiter(two, prefix, "burst", 10)]
            hits = await asyncio.gather(*(limiters[i % 2].hit("order-100234") for i in range(60)))
            assert sum(h.allowed for h in hits) == 10
            assert await limiters[0].count("order-100234") == 10

    run(scenario)


def test_redis_slots_leave_the_window() -> None:
    async def scenario(prefix: str) -> None:
        async with processes(1) as (redis,):
            limiter = RedisLimiter(redis, prefix, "short", 1, window=0.3)
            assert (await limiter.hit("ann")).allowed
            assert not (await limiter.hit("ann")).allowed
            await asyncio.sleep(0.35)
            assert (await limiter.hit("ann")).allowed
            assert 0 < await redis.pttl(f"{prefix}:limit:short:ann") <= 300  # the key goes with its last slot

    run(scenario)


def test_limits_are_counted_in_the_process_while_redis_is_unreachable(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario(prefix: str) -> None:
        async with processes(1, url=f"redis://127.0.0.1:{free_port()}/0") as (redis,):
            limiter = RedisLimiter(redis, prefix, "login", 2)
            assert [(await limiter.hit("ann")).allowed for _ in range(3)] == [True, True, False]
            assert await limiter.count("ann") == 2

    with caplog.at_level(logging.WARNING, logger="helpdesk.limits.redis_window"):
        run(scenario, cleanup=False)
    assert len([r for r in caplog.records if "limits unavailable" in r.getMessage()]) == 1  # said once


async def check_locks(take: ConversationLocks, other: ConversationLocks) -> None:
    """What `take` holds, `other` waits for; what each does under the lock never interleaves."""
    order: list[str] = []

    async def writer(locks: ConversationLocks, name: str) -> None:
        async with locks("conversation-1"):
            order.append(f"{name} in")
            await asyncio.sleep(0.05)
            order.append(f"{name} out")

    await asyncio.gather(*(writer(take if i % 2 else other, f"w{i}") for i in range(6)))
    assert all(order[i].endswith("in") and order[i + 1] == order[i].replace("in", "out") for i in range(0, 12, 2))
    async with take("conversation-1"), other("conversation-2"):
        pass  # other keys are not blocked


def test_memory_locks_serialise_one_key() -> None:
    locks = MemoryLocks()
    asyncio.run(check_locks(locks, locks))


def test_two_processes_take_turns_on_a_conversation_through_redis() -> None:
    async def scenario(prefix: str) -> None:
        async with processes() as (one, two):
            await check_locks(RedisLocks(one, prefix), RedisLocks(two, prefix))
            assert await one.exists(f"{prefix}:lock:conversation-1") == 0  # released

    run(scenario)


def test_a_redis_lock_takes_no_uuid1_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 22: redis-py's default token, uuid1, was ~20 µs of the helpdesk's CPU a lock, two locks a bot turn;
    the token comes from `secrets` instead, and the locks still serialise a conversation across processes."""

    def no_uuid1(*_args: object, **_kwargs: object) -> uuid.UUID:
        raise AssertionError("uuid1 called for a lock token")

    monkeypatch.setattr(uuid, "uuid1", no_uuid1)

    async def scenario(prefix: str) -> None:
        async with processes() as (one, two):
            await check_locks(RedisLocks(one, prefix), RedisLocks(two, prefix))
            assert await one.exists(f"{prefix}:lock:conversation-1") == 0  # released

    run(scenario)


def test_a_lock_left_by_a_dead_process_expires_and_waiting_too_long_is_unavailable() -> None:
    async def scenario(prefix: str) -> None:
        async with processes() as (one, two):
            # a process died holding the lock: it set it and never released it
            await one.set(f"{prefix}:lock:conversation-1", "dead-process-token", px=400)
            impatient = RedisLocks(two, prefix, wait=0.1)
            with pytest.raises(Unavailable):
                async with impatient("conversation-1"):
                    pass
            patient = RedisLocks(two, prefix, wait=2.0)
            async with patient("conversation-1"):  # once it expires
                assert await two.get(f"{prefix}:lock:conversation-1") not in (None, "dead-process-token")

    run(scenario)


def test_locks_hold_in_the_process_while_redis_is_unreachable(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario(prefix: str) -> None:
        async with processes(1, url=f"redis://127.0.0.1:{free_port()}/0") as (redis,):
            locks = RedisLocks(redis, prefix)
            await check_locks(locks, locks)

    with caplog.at_level(logging.WARNING, logger="helpdesk.limits.redis_locks"):
        run(scenario, cleanup=False)
    assert len([r for r in caplog.records if "locks unavailable" in r.getMessage()]) == 1


async def check_once(first: Once, second: Once) -> None:
    """Of callers racing for a key, exactly one wins; the key is free again once its time is up."""
    won = await asyncio.gather(*(once.first("sla-warning:7:queue_wait", 0.5) for once in [first, second] * 5))
    assert won.count(True) == 1
    assert await second.first("sla-warning:8:queue_wait", 0.5)  # another key: its own claim
    await asyncio.sleep(1.1)  # Redis keeps a key whole seconds (EX)
    assert await second.first("sla-warning:7:queue_wait", 0.5)
    assert not await first.first("sla-warning:7:queue_wait", 0.5)


def test_memory_once_claims_a_key_once_per_ttl() -> None:
    once = MemoryOnce()
    asyncio.run(check_once(once, once))


def test_two_processes_claim_a_key_once_through_redis() -> None:
    async def scenario(prefix: str) -> None:
        async with processes(2) as (one, two):
            await check_once(RedisOnce(one, prefix), RedisOnce(two, prefix))

    run(scenario)


def test_once_is_decided_in_the_process_while_redis_is_unreachable(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario(prefix: str) -> None:
        async with processes(1, url=f"redis://127.0.0.1:{free_port()}/0") as (redis,):
            once = RedisOnce(redis, prefix)
            assert [await once.first("k", 30) for _ in range(3)] == [True, False, False]

    with caplog.at_level(logging.WARNING, logger="helpdesk.limits.redis_once"):
        run(scenario, cleanup=False)
    assert len([r for r in caplog.records if "once-only" in r.getMessage()]) == 1  # said once


async def check_hit_then(address: Limiter, conversation: Limiter) -> None:
    """A message's two limits in one step: the conversation's slot is taken only when the address passed; a refused
    conversation keeps the address's slot taken (as two hits one after the other)."""
    first, second = await address.hit_then("1.2.3.4", conversation, "c1")
    assert first.allowed and second is not None and second.allowed and second.token
    await address.hit_then("1.2.3.4", conversation, "c1")
    refused, later = await address.hit_then("1.2.3.4", conversation, "c1")  # the conversation's limit is 2
    assert refused.allowed and later is not None and not later.allowed and 1 <= later.retry_after <= 61
    assert await address.count("1.2.3.4") == 3 and await conversation.count("c1") == 2
    over, never = await address.hit_then("1.2.3.4", conversation, "c2")  # the address's limit is 3
    assert not over.allowed and 1 <= over.retry_after <= 61 and never is None
    assert await conversation.count("c2") == 0


def test_a_memory_limiter_hits_two_keys_in_turn() -> None:
    asyncio.run(check_hit_then(MemoryLimiter(3), MemoryLimiter(2)))


def test_two_redis_limits_are_hit_in_one_step() -> None:
    async def scenario(prefix: str) -> None:
        async with processes(1) as (redis,):
            address, conversation = RedisLimiter(redis, prefix, "address", 3), RedisLimiter(redis, prefix, "chat", 2)
            await address.hit_then("warm-up", conversation, "warm-up")  # the scripts loaded into Redis: from now on
            await address.count("warm-up")  # each call is one EVALSHA
            calls = 0
            original = redis.evalsha

            async def counted(*args: object) -> object:
                nonlocal calls
                calls += 1
                return await original(*args)  # type: ignore[arg-type]

            redis.evalsha = counted  # type: ignore[method-assign]
            await check_hit_then(address, conversation)
            assert calls == 4 + 3  # one script call per message (4), and the three counts

    run(scenario)


async def check_hit_all(one: Limiter, two: Limiter, three: Limiter) -> None:
    """Several keys' limits in one step (an identity check's counts): hit in order while allowed; at the first
    refused one the slots taken before it are given back; the counts and their return likewise in one step."""
    counts: list[tuple[Limiter, str]] = [(one, "c1"), (two, "order-7"), (three, "1.2.3.4")]
    first = await hit_all(counts)
    assert [h.allowed for h in first] == [True, True, True] and all(h.token for h in first)
    assert await count_all(counts) == [1, 1, 1]
    await release_all([(limiter, key, hit) for (limiter, key), hit in zip(counts, first, strict=True)])
    assert await count_all(counts) == [0, 0, 0]
    await hit_all(counts)  # two's limit is 2: the second hit of its key takes its last slot
    refused = await hit_all([(one, "c2"), (two, "order-7"), (three, "1.2.3.4")])
    assert [h.allowed for h in refused] == [True, True, True]
    over = await hit_all([(one, "c3"), (two, "order-7"), (three, "1.2.3.4")])
    assert [h.allowed for h in over] == [True, False] and 1 <= over[-1].retry_after <= 61
    assert await count_all([(one, "c3"), (two, "order-7"), (three, "1.2.3.4")]) == [0, 2, 2]  # c3's slot given back
    assert await hit_all([]) == [] and await count_all([]) == []


def test_a_memory_limiter_hits_several_keys_in_order() -> None:
    asyncio.run(check_hit_all(MemoryLimiter(3), MemoryLimiter(2), MemoryLimiter(5)))


def test_several_redis_limits_are_hit_counted_and_given_back_in_one_round_trip_each() -> None:
    async def scenario(prefix: str) -> None:
        async with processes(1) as (redis,):
            one, two, three = (RedisLimiter(redis, prefix, n, limit) for n, limit in (("a", 3), ("b", 2), ("c", 5)))
            await hit_all([(one, "warm-up")])  # the scripts loaded into Redis: from now on each call is one EVALSHA
            await count_all([(one, "warm-up")])
            sent = 0
            original = redis.connection_pool.get_connection

            async def counted(*args: object, **kwargs: object) -> object:
                nonlocal sent
                sent += 1  # one connection taken from the pool per command or pipeline: one round trip
                return await original(*args, **kwargs)  # type: ignore[no-untyped-call]

            redis.connection_pool.get_connection = counted  # type: ignore[method-assign]
            await check_hit_all(one, two, three)
            assert sent == 8  # check_hit_all's eight calls over three keys each (the empty ones send nothing)

    run(scenario)


def test_limits_of_different_places_are_hit_in_order_and_given_back() -> None:
    async def scenario(prefix: str) -> None:
        async with processes(1) as (redis,):
            await check_hit_all(
                RedisLimiter(redis, prefix, "a", 3), MemoryLimiter(2), RedisLimiter(redis, prefix, "c", 5)
            )

    run(scenario)


def test_several_keys_are_counted_in_the_process_while_redis_is_unreachable() -> None:
    async def scenario(prefix: str) -> None:
        async with processes(1, url=f"redis://127.0.0.1:{free_port()}/0") as (redis,):
            limiters = (RedisLimiter(redis, prefix, n, limit) for n, limit in (("a", 3), ("b", 2), ("c", 5)))
            await check_hit_all(*limiters)

    run(scenario, cleanup=False)
