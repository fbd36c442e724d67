"""Once across every helpdesk process sharing a Redis (REDIS_URL set): the first `SET key NX EX ttl` wins.

If Redis cannot be reached, this process decides alone (a warning is logged once): the action may then happen
once per process, as it would without Redis, rather than never.
"""

from __future__ import annotations

import logging
import math
import os

from redis.asyncio import Redis
from redis.exceptions import RedisError

from helpdesk.limits.once import MemoryOnce

log = logging.getLogger(__name__)


class RedisOnce:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = f"{prefix}:once"
        self.local = MemoryOnce()
        self._failing = False

    async def first(self, key: str, ttl: float) -> bool:
        try:
            taken = await self.redis.set(f"{self.prefix}:{key}", str(os.getpid()), nx=True, ex=max(1, math.ceil(ttl)))
        except (RedisError, OSError) as exc:
            if not self._failing:
                self._failing = True
                log.warning("Redis unavailable for once-only actions (%s): this process decides alone", exc)
            return await self.local.first(key, ttl)
        if self._failing:
            self._failing = False
            log.info("Redis available again for once-only actions")
        return bool(taken)
