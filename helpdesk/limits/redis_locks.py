"""Per-conversation locks shared by the helpdesk processes through Redis (REDIS_URL set).

Each key is a Redis lock (redis-py's `Lock`: SET NX PX with a random token, released by a compare-and-delete
script, so a process only ever releases its own) behind an in-process lock, so a process's own waiters queue
locally and only one of them polls Redis. A lock expires after `ttl` seconds: a process that dies holding one
blocks the conversation that long at most. Waiting longer than `wait` seconds answers Unavailable (503).

What the holder publishes meanwhile (the real-time hub's events) goes to Redis with the release, in one pipeline
(helpdesk/clients/redis.py `Outbox`): one round trip instead of two, and still before the next holder's.

If Redis cannot be reached the in-process lock alone is held (a warning is logged): chats go on, ordered within
each process; the database still settles races between processes (claims are conditional updates).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError, LockNotOwnedError, RedisError

from helpdesk.clients.redis import Outbox, close_outbox, open_outbox
from helpdesk.errors import Unavailable
from helpdesk.limits.locks import MemoryLocks

log = logging.getLogger(__name__)

TTL = 30.0  # seconds a lock outlives a process that died holding it
WAIT = 15.0  # seconds to wait for another process's lock before giving up
POLL = 0.01  # seconds between tries while another process holds it


@dataclass
class _Held:
    """A Redis lock this task holds: its key, redis-py's lock, the outbox of what is published under it; the locks
    released with its release (`also`, RedisLocks.release_too), and whether it went with another's (`gone`)."""

    key: str
    lock: Lock
    outbox: Outbox | None
    also: list[_Held] = field(default_factory=list)
    gone: bool = False
    task: asyncio.Task[Any] | None = field(default_factory=asyncio.current_task)


_HELD: ContextVar[tuple[_Held, ...]] = ContextVar("redis_locks_held", default=())


def _held_here() -> tuple[_Held, ...]:
    """The Redis locks the current task holds, outermost first (a task started under them inherits none)."""
    task = asyncio.current_task()
    return tuple(held for held in _HELD.get() if held.task is task)


class RedisLocks:
    def __init__(self, redis: Redis, prefix: str, ttl: float = TTL, wait: float = WAIT) -> None:
        self.redis = redis
        self.prefix = f"{prefix}:lock"
        self.ttl = ttl
        self.wait = wait
        self.local = MemoryLocks()
        self._failing = False

    @asynccontextmanager
    async def __call__(self, key: str) -> AsyncIterator[None]:
        async with self.local(key):
            lock = Lock(
                self.redis,
                f"{self.prefix}:{key}",
                timeout=self.ttl,
                sleep=POLL,
                blocking_timeout=self.wait,
                thread_local=False,
            )
            held = await self._acquire(lock, key)
            outbox, token = open_outbox() if held else (None, None)
            holding = _Held(key, lock, outbox) if outbox is not None else None
            stack = _HELD.set((*_held_here(), holding)) if holding is not None else None
            try:
                yield
            finally:
                if outbox is not None and token is not None:
                    close_outbox(outbox, token)
                if stack is not None:
                    _HELD.reset(stack)
                if held and holding is not None and not holding.gone:
                    await self._release(lock, key, outbox, holding.also)

    def release_too(self, key: str) -> None:
        """The lock on `key` this task holds (outside the innermost it holds) is released with the innermost's release,
        in its round trip, instead of at the end of its own block: for a block that has nothing left to do under it.
        What it published so far goes first; what this task publishes later is published at once."""
        held = _held_here()
        outer = next((h for h in held[:-1] if h.key == key and not h.gone), None)
        if outer is None or outer.outbox is None:
            return
        outer.gone = True
        outer.outbox.open = False
        held[-1].also.append(outer)

    async def _acquire(self, lock: Lock, key: str) -> bool:
        try:
            # the lock's token from `secrets` (2 µs): redis-py's default, uuid1, took ~20 µs a call on the 2-core AMD
            # EPYC, twice a bot turn (issue 22); any value unique to this holder serves the compare-and-delete
            acquired = await lock.acquire(token=secrets.token_hex(16).encode())
        except LockError as exc:
            raise Unavailable(f"{key} is busy in another helpdesk process; try again") from exc
        except (RedisError, OSError) as exc:
            if not self._failing:
                self._failing = True
                log.warning("Redis locks unavailable (%s): conversations are ordered within each process only", exc)
            return False
        if not acquired:
            raise Unavailable(f"{key} is busy in another helpdesk process; try again")
        if self._failing:
            self._failing = False
            log.info("Redis locks available again")
        return True

    async def _release(self, lock: Lock, key: str, outbox: Outbox | None = None, also: Sequence[_Held] = ()) -> None:
        """The lock's release, after what the block published (`outbox`), with the locks released `also`
        (`release_too`): all in one pipeline, one round trip."""
        try:
            if not also and (outbox is None or not outbox.publishes):
                await lock.release()
            elif not await self._publish_and_release(lock, outbox, also):
                raise LockNotOwnedError("Cannot release a lock that's no longer owned")
        except LockNotOwnedError:
            log.warning("the Redis lock on %s expired before it was released (held over %.0f s)", key, self.ttl)
        except (RedisError, OSError) as exc:
            boxes = [box for box in (*(h.outbox for h in also), outbox) if box is not None and box.publishes]
            if boxes:
                log.error("Redis PUBLISH failed (%s): the events reach this process's clients only", exc)
            for box in boxes:
                await box.deliver_locally()
            log.warning("cannot release the Redis lock on %s (%s): it expires by itself", key, exc)

    async def _publish_and_release(self, lock: Lock, outbox: Outbox | None, also: Sequence[_Held]) -> bool:
        """PUBLISH the events of the locks released `also` (published before this block's), then of `outbox` (each
        outbox's as one message per channel: `Outbox.messages`), then
        the compare-and-delete of each lock's token (redis-py's release script), pipelined: whether this block's lock
        was still this process's to release (a lock released `also` that expired meanwhile is only logged)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for box in [*(h.outbox for h in also), outbox]:
                for channel, data in box.messages() if box is not None else ():
                    pipe.publish(channel, data)
            for one in (*(h.lock for h in also), lock):
                pipe.eval(Lock.LUA_RELEASE_SCRIPT, 1, one.name, one.local.token)
            answers = await pipe.execute()
        for held, released in zip(also, answers[-1 - len(also) : -1], strict=True):
            held.lock.local.token = None
            if not released:
                log.warning(
                    "the Redis lock on %s expired before it was released (held over %.0f s)", held.key, self.ttl
                )
        lock.local.token = None
        return bool(answers[-1])
