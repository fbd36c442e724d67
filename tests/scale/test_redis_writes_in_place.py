"""The helpdesk's Redis connections write each command in the task that sends it (helpdesk/clients/redis.py
`WritesInPlace`, issue 22): redis-py wraps every write of a connection with a socket timeout in `asyncio.wait_for`,
a task of its own per command on Python 3.11. Against the real Redis on 127.0.0.1:6379: a conversation lock taken
and released, with an event published under it, and a rate limit counted make no task; a write that outlasts the
socket timeout still drops the connection and raises redis-py's TimeoutError, and the client works again after it;
and a TLS or Unix-socket URL keeps its kind of connection."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import pytest
from redis.asyncio.connection import SSLConnection, UnixDomainSocketConnection
from redis.exceptions import TimeoutError as RedisTimeoutError

from helpdesk.clients.redis import WritesInPlace, command_connection, connect
from helpdesk.limits.redis_locks import RedisLocks
from helpdesk.limits.redis_window import RedisLimiter

REDIS_URL = "redis://127.0.0.1:6379/0"


async def tasks_made(work: Callable[[], Awaitable[None]]) -> int:
    """How many asyncio tasks `work` makes (the event loop's task factory counts them)."""
    loop = asyncio.get_running_loop()
    made = 0

    def factory(
        loop: asyncio.AbstractEventLoop, coroutine: Coroutine[Any, Any, Any], **options: Any
    ) -> asyncio.Task[Any]:
        nonlocal made
        made += 1
        return asyncio.Task(coroutine, loop=loop, **options)

    loop.set_task_factory(factory)  # type: ignore[arg-type]
    try:
        await work()
    finally:
        loop.set_task_factory(None)
    return made


def test_locks_and_limits_make_no_task_per_command() -> None:
    async def main() -> int:
        prefix = f"inplace{secrets.token_hex(4)}"
        redis = command_connection(REDIS_URL, f"{prefix}:events")
        locks = RedisLocks(redis, prefix)
        limiter = RedisLimiter(redis, prefix, "requests", 100, 60.0)
        await redis.ping()  # connected before counting (opening a connection is not what is measured)

        async def locked_turn() -> None:
            for _ in range(5):
                async with locks("conversation-1"):
                    await redis.publish(f"{prefix}:events", "a customer's message")
                await limiter.hit("203.0.113.7")

        try:
            return await tasks_made(locked_turn)
        finally:
            await redis.aclose()

    made = asyncio.run(main())
    assert made == 0, f"{made} asyncio tasks for 5 locked turns (redis-py's wait_for makes one per command)"


def test_a_write_past_the_timeout_drops_the_connection_and_raises() -> None:
    async def main() -> tuple[bool, str | None]:
        redis = connect(REDIS_URL, "commands", f"inplace{secrets.token_hex(4)}:events", socket_timeout=0.2)
        try:
            await redis.ping()
            connection = await redis.connection_pool.get_connection()
            assert isinstance(connection, WritesInPlace)
            stuck = asyncio.Event()

            async def drain_never() -> None:  # a Redis that reads nothing: the socket's buffer stays full
                await stuck.wait()

            connection._writer.drain = drain_never  # type: ignore[union-attr,method-assign]
            with pytest.raises(RedisTimeoutError, match="Timeout writing to socket"):
                await connection.send_command("PING")
            dropped = not connection.is_connected
            await redis.connection_pool.release(connection)
            await redis.set("inplace:probe", "back", px=1000)
            return dropped, await redis.get("inplace:probe")
        finally:
            await redis.aclose()

    dropped, value = asyncio.run(main())
    assert dropped, "the connection whose write timed out was kept"
    assert value in ("back", b"back"), "the client did not work again after the timeout"


@pytest.mark.parametrize(
    ("url", "kind"),
    [("rediss://127.0.0.1:6380/0", SSLConnection), ("unix:///tmp/no-such-redis.sock", UnixDomainSocketConnection)],
)
def test_tls_and_unix_urls_keep_their_kind_of_connection(url: str, kind: type) -> None:
    client = connect(url, "commands", "inplace:events", socket_timeout=1.0)
    made = client.connection_pool.connection_class
    assert issubclass(made, kind) and issubclass(made, WritesInPlace)
