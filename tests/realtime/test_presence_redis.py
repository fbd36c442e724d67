"""Agent presence shared through Redis (127.0.0.1:6379): two `RedisPresence` objects play two helpdesk
processes. An agent connected to one is online in the other, a process that dies drops out after the TTL, a
clean stop at once, deployments with another prefix stay apart, and without Redis presence is local."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager

import pytest
from redis.asyncio import Redis

from helpdesk.realtime.redis_hub import RedisHub
from helpdesk.realtime.redis_presence import RedisPresence
from helpdesk.stack import free_port

REDIS_URL = "redis://127.0.0.1:6379/0"
FAST = {"ttl": 1.0, "heartbeat": 0.2}


def new_prefix() -> str:
    return f"helpdesk-test-{secrets.token_hex(4)}"


async def eventually(check: Callable[[], bool], timeout: float = 3.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


@asynccontextmanager
async def running(prefix: str, **options: float) -> AsyncIterator[RedisPresence]:
    presence = RedisPresence(REDIS_URL, prefix, **options)
    await presence.start()
    try:
        yield presence
    finally:
        await presence.close()


def test_an_agent_connected_to_one_process_is_online_in_the_other() -> None:
    async def scenario() -> None:
        prefix = new_prefix()
        async with running(prefix, **FAST) as one, running(prefix, **FAST) as two:
            one.connected(7)
            assert one.is_online(7) and one.online() == 1  # its own change shows here at once
            await eventually(lambda: two.is_online(7))
            assert two.online() == 1 and not two.is_online(8)

            two.connected(7)  # the same agent on both processes counts once
            two.connected(8)
            assert two.online() == 2
            await eventually(lambda: one.is_online(8))
            assert one.online() == 2

            one.connected(9)
            await eventually(lambda: two.online() == 3)
            one.disconnected(9)
            assert not one.is_online(9) and one.online() == 2
            await eventually(lambda: not two.is_online(9))
            assert two.online() == 2

            one.disconnected(7)  # still connected to two
            await one.refresh()
            assert one.is_online(7) and two.is_online(7)

    asyncio.run(scenario())


def test_a_change_reaches_the_other_process_through_the_hub_before_the_heartbeat() -> None:
    async def scenario() -> None:
        prefix = new_prefix()
        slow = {"ttl": 60.0, "heartbeat": 30.0}
        async with AsyncExitStack() as stack:
            presences = []
            for _ in range(2):
                hub = RedisHub(REDIS_URL, prefix)
                await hub.start()
                stack.push_async_callback(hub.close)
                presence = RedisPresence(REDIS_URL, prefix, hub, **slow)
                await presence.start()
                stack.push_async_callback(presence.close)
                presences.append(presence)
            one, two = presences
            one.connected(7)
            await eventually(lambda: two.is_online(7))
            one.disconnected(7)
            await eventually(lambda: not two.is_online(7))

    asyncio.run(scenario())


def test_a_process_that_dies_drops_out_after_the_ttl() -> None:
    async def scenario() -> None:
        prefix = new_prefix()
        async with running(prefix, **FAST) as survivor:
            dying = RedisPresence(REDIS_URL, prefix, **FAST)
            await dying.start()
            try:
                dying.connected(5)
                await eventually(lambda: survivor.is_online(5))
                await dying.stop()  # no more heartbeats, and no clean-up
                await survivor.refresh()
                assert survivor.is_online(5)  # until its entry expires
                await eventually(lambda: not survivor.is_online(5), timeout=5.0)
                assert survivor.online() == 0
                async with Redis.from_url(REDIS_URL, decode_responses=True) as redis:
                    assert not await redis.exists(dying.key)
                    assert dying.process_id not in await redis.smembers(survivor.registry)
            finally:
                await dying.close()

    asyncio.run(scenario())


def test_a_clean_close_removes_the_entry_at_once() -> None:
    async def scenario() -> None:
        prefix = new_prefix()
        long_lived = {"ttl": 60.0, "heartbeat": 0.2}  # dropping out must not wait for the TTL
        async with running(prefix, **long_lived) as staying, Redis.from_url(REDIS_URL, decode_responses=True) as redis:
            leaving = RedisPresence(REDIS_URL, prefix, **long_lived)
            await leaving.start()
            leaving.connected(5)
            await eventually(lambda: staying.is_online(5))
            assert await redis.exists(leaving.key)
            await leaving.close()
            assert not await redis.exists(leaving.key)
            assert await redis.smembers(staying.registry) == {staying.process_id}
            await eventually(lambda: not staying.is_online(5))

    asyncio.run(scenario())


def test_another_prefix_does_not_see_the_agents() -> None:
    async def scenario() -> None:
        prefix = new_prefix()
        async with running(prefix, **FAST) as one, running(prefix, **FAST) as two, running(new_prefix()) as other:
            one.connected(5)
            await eventually(lambda: two.is_online(5))
            await other.refresh()
            assert not other.is_online(5) and other.online() == 0
            other.connected(6)
            await other.refresh()
            await two.refresh()
            assert not two.is_online(6) and two.online() == 1

    asyncio.run(scenario())


def test_a_redis_failure_keeps_the_last_snapshot_and_local_connections() -> None:
    async def scenario() -> None:
        prefix = new_prefix()
        async with running(prefix, **FAST) as one, running(prefix, **FAST) as two:
            one.connected(5)
            await eventually(lambda: two.is_online(5))
            reachable = two._redis
            two._redis = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0")  # Redis goes away
            try:
                two.connected(6)
                await two.refresh()
                assert two.is_online(5) and two.is_online(6) and two.online() == 2
            finally:
                await two._redis.aclose()
                two._redis = reachable
            await eventually(lambda: one.is_online(6))  # once Redis is back, the change is written

    asyncio.run(scenario())


def test_presence_is_local_when_redis_is_unreachable(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        presence = RedisPresence(f"redis://127.0.0.1:{free_port()}/0", new_prefix(), ttl=1.0, heartbeat=0.05)
        await presence.start()
        presence.connected(3)
        presence.connected(3)
        presence.connected(4)
        assert presence.is_online(3) and presence.online() == 2
        await asyncio.sleep(0.3)  # several failed heartbeats
        presence.disconnected(3)
        assert presence.is_online(3)  # one of its consoles is still connected
        presence.disconnected(3)
        assert not presence.is_online(3) and presence.online() == 1
        await presence.close()

    with caplog.at_level(logging.WARNING, logger="helpdesk.realtime.redis_presence"):
        asyncio.run(scenario())
    unavailable = [r for r in caplog.records if "presence unavailable" in r.getMessage()]
    assert len(unavailable) == 1  # said once, not at every heartbeat
