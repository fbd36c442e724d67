"""Connections to Redis (REDIS_URL), the one shared by the helpdesk processes: the real-time fan-out, presence,
the locks and the limits each hold their own, named so CLIENT LIST shows which process holds which."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.connection import AbstractConnection, Connection, SSLConnection, UnixDomainSocketConnection
from redis.exceptions import TimeoutError as RedisTimeoutError

TIMEOUT = 5.0  # seconds for one command, or to connect: a hung Redis must not stall a request for long


def redis_client_name(role: str, channel: str) -> str:
    """The name a helpdesk connection shows in Redis's CLIENT LIST: its role, process and channel."""
    return f"helpdesk-{role}-{os.getpid()}-{re.sub(r'[^A-Za-z0-9_.:-]', '_', channel)}"


class WritesInPlace(AbstractConnection):
    """redis-py's connection, writing a command in the task that sends it.

    With a socket timeout, redis-py writes each command under `asyncio.wait_for`, which on Python 3.11 wraps the write
    in a task of its own: a task made, scheduled and finished, and the sender woken by the event loop, for every
    command and pipeline (~25 µs of CPU each on the 2-core AMD EPYC; a bot turn sends about seven: issue 22). Here the
    same write runs under `asyncio.timeout` in the sender's own task: the same bytes, the same time limit, and on a
    write that outlasts it the same outcome (the connection dropped, redis-py's TimeoutError raised)."""

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        limit = self.socket_timeout
        if not limit:
            return await super().send_packed_command(command, check_health)
        self.socket_timeout = None  # redis-py's write without wait_for; one command at a time holds a connection
        try:
            async with asyncio.timeout(limit):
                await super().send_packed_command(command, check_health)
        except TimeoutError:  # redis-py dropped the connection on the cancelled write, as on its own timeout
            raise RedisTimeoutError("Timeout writing to socket") from None
        finally:
            self.socket_timeout = limit


class _TcpWritesInPlace(WritesInPlace, Connection):
    pass


class _TlsWritesInPlace(WritesInPlace, SSLConnection):
    pass


class _UnixWritesInPlace(WritesInPlace, UnixDomainSocketConnection):
    pass


# redis-py's connection classes (the URL's scheme chooses one: redis://, rediss://, unix://) and theirs that write
# in place
WRITING_IN_PLACE: dict[type[AbstractConnection], type[AbstractConnection]] = {
    Connection: _TcpWritesInPlace,
    SSLConnection: _TlsWritesInPlace,
    UnixDomainSocketConnection: _UnixWritesInPlace,
}


def connect(url: str, role: str, channel: str, **options: Any) -> Redis:
    """A client (and its connection pool) for `role` ("fanout", "presence", "commands"); it connects lazily, and its
    connections write each command in place (`WritesInPlace`)."""
    client = Redis.from_url(url, client_name=redis_client_name(role, channel), **options)
    pool = client.connection_pool
    pool.connection_class = WRITING_IN_PLACE.get(pool.connection_class, pool.connection_class)
    return client


def command_connection(url: str, channel: str) -> Redis:
    """The connection for short commands (locks, limits): strings back, and a timeout on every call."""
    return connect(
        url, "commands", channel, decode_responses=True, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT
    )


def batched(data: Sequence[str]) -> str:
    """Several fan-out events (each the JSON of an object, helpdesk/realtime/redis_hub.py) as one Redis message,
    `{"batch":[event, …]}`, in their order; one event as it is. One PUBLISH for a turn's events instead of one each
    (issue 22): each message costs its PUBLISH, and every subscribed helpdesk process a read and a JSON parse of it.
    The events are joined as they are (each one valid JSON already), not encoded again."""
    return data[0] if len(data) == 1 else '{"batch":[' + ",".join(data) + "]}"


@dataclass
class Outbox:
    """The PUBLISH commands a task makes while it holds a Redis lock (helpdesk/limits/redis_locks.py): they go to Redis
    with the lock's release, in one pipeline (one round trip instead of one for the events and one for the release),
    as one message per channel (`messages`), in the order they were made and before the release, so they reach every
    process before another holder of the lock can publish. A turn's stored messages are announced this way (issue 22:
    each round trip is a socket write and an event-loop wake-up of its own). `local` delivers them in this process
    alone when Redis fails (the hub's fallback). Only the task that holds the lock publishes through its outbox: a
    task it starts (which inherits the context) may outlive the lock, so it publishes at once."""

    task: asyncio.Task[Any] | None
    publishes: list[tuple[str, str]] = field(default_factory=list)  # (Redis channel, data)
    local: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    open: bool = True

    def add(self, channel: str, data: Sequence[str], local: Callable[[], Awaitable[None]]) -> None:
        self.publishes.extend((channel, one) for one in data)
        self.local.append(local)

    def messages(self) -> list[tuple[str, str]]:
        """What to PUBLISH, in order: the events for one Redis channel that follow each other as one message
        (`batched`)."""
        runs: list[tuple[str, list[str]]] = []
        for channel, data in self.publishes:
            if runs and runs[-1][0] == channel:
                runs[-1][1].append(data)
            else:
                runs.append((channel, [data]))
        return [(channel, batched(data)) for channel, data in runs]

    async def deliver_locally(self) -> None:
        """Redis failed: what was to be published reaches this process's clients only."""
        for deliver in self.local:
            await deliver()


_OUTBOX: ContextVar[Outbox | None] = ContextVar("redis_outbox", default=None)


def current_outbox() -> Outbox | None:
    """The outbox of the Redis lock this task holds (the innermost), if any."""
    outbox = _OUTBOX.get()
    if outbox is None or not outbox.open or outbox.task is not asyncio.current_task():
        return None
    return outbox


def open_outbox() -> tuple[Outbox, Token[Outbox | None]]:
    """A new outbox for this task (until `close_outbox`)."""
    outbox = Outbox(asyncio.current_task())
    return outbox, _OUTBOX.set(outbox)


def close_outbox(outbox: Outbox, token: Token[Outbox | None]) -> None:
    outbox.open = False
    _OUTBOX.reset(token)
