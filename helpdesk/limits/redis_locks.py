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

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

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
            try:
                yield
            finally:
                if outbox is not None and token is not None:
                    close_outbox(outbox, token)
                if held:
                    await self._release(lock, key, outbox)

    async def _acquire(self, lock: Lock, key: str) -> bool:
        try:
            acquired = await lock.acquire()
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

    async def _release(self, lock: Lock, key: str, outbox: Outbox | None = None) -> None:
        """The lock's release, after what the block published (`outbox`): both in one pipeline, one round trip."""
        try:
            if outbox is None or not outbox.publishes:
                await lock.release()
            elif not await self._publish_and_release(lock, outbox):
                raise LockNotOwnedError("Cannot release a lock that's no longer owned")
        except LockNotOwnedError:
            log.warning("the Redis lock on %s expired before it was released (held over %.0f s)", key, self.ttl)
        except (RedisError, OSError) as exc:
            if outbox is not None and outbox.publishes:
                log.error("Redis PUBLISH failed (%s): the events reach this process's clients only", exc)
                await outbox.deliver_locally()
            log.warning("cannot release the Redis lock on %s (%s): it expires by itself", key, exc)

    async def _publish_and_release(self, lock: Lock, outbox: Outbox) -> bool:
        """PUBLISH each of `outbox`'s events, then the compare-and-delete of the lock's token (redis-py's release
        script), pipelined: whether the lock was still this process's to release."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for channel, data in outbox.publishes:
                pipe.publish(channel, data)
            pipe.eval(Lock.LUA_RELEASE_SCRIPT, 1, lock.name, lock.local.token)
            answers = await pipe.execute()
        lock.local.token = None
        return bool(answers[-1])
