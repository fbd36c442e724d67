"""Sliding-window limits shared by the helpdesk processes through Redis (REDIS_URL set); the interface and its
meaning: helpdesk/limits/window.py.

Each key is a sorted set ``<prefix>:limit:<name>:<key>`` of reserved slots (member: a random token, score: the
Redis server's clock in milliseconds, so every process counts on one clock). One Lua script drops the slots
older than the window, counts the rest and adds the new slot only if the count is under the limit: the check
and the reservation are one atomic step, whatever the number of processes. `hit_then` does two keys' hits (a
chat message's client address, then its conversation) in one script: one round trip a message, not two. The set
expires a window after its last slot.

If Redis cannot be reached, this process counts alone (`MemoryLimiter`) and logs a warning once; the shared
counts are used again as soon as Redis answers.
"""

from __future__ import annotations

import logging
import math
import secrets
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from helpdesk.limits.window import Hit, Limiter, MemoryLimiter, hits_in_turn, retry_after_seconds

log = logging.getLogger(__name__)

# One key's hit at the Redis server's time `now` (ms): {1, 0} when the slot is taken, else {0, age of the oldest slot
# in ms}.
HIT_FUNCTION = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function hit(key, limit, window, token)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) < limit then
    redis.call('ZADD', key, now, token)
    redis.call('PEXPIRE', key, window)
    return {1, 0}
  end
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return {0, now - tonumber(oldest[2])}
end
"""
# KEYS[1] the key; ARGV: limit, window (ms), token.
HIT = HIT_FUNCTION + "return hit(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3])"
# KEYS[1], KEYS[2]; ARGV: limit, window (ms), token of each. The second key is hit only when the first was allowed:
# {first's two values, second's two values} ({-1, 0} for a second not asked).
HIT_THEN = (
    HIT_FUNCTION
    + """
local first = hit(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3])
if first[1] == 0 then
  return {first[1], first[2], -1, 0}
end
local second = hit(KEYS[2], tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6])
return {first[1], first[2], second[1], second[2]}
"""
)
# KEYS[1] the key; ARGV: window (ms). The slots in the window.
COUNT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
return redis.call('ZCARD', KEYS[1])
"""


class RedisLimiter:
    def __init__(self, redis: Redis, prefix: str, name: str, limit: int, window: float = 60.0) -> None:
        self.redis = redis
        self.prefix = f"{prefix}:limit:{name}"
        self.name = name
        self.limit = limit
        self.window = window
        self.local = MemoryLimiter(limit, window)  # while Redis cannot be reached
        self._window_ms = max(1, math.ceil(window * 1000))
        self._hit = redis.register_script(HIT)
        self._hit_then = redis.register_script(HIT_THEN)
        self._count = redis.register_script(COUNT)
        self._failing = False

    def _key(self, key: str) -> str:
        return f"{self.prefix}:{key}"

    def _unreachable(self, exc: Exception) -> None:
        if not self._failing:
            self._failing = True
            log.warning("Redis limits unavailable (%s): %s is counted in this process only", exc, self.name)

    def _reachable(self) -> None:
        if self._failing:
            self._failing = False
            log.info("Redis limits available again: %s is shared", self.name)

    async def hit(self, key: str) -> Hit:
        token = secrets.token_hex(8)
        try:
            taken, age_ms = await self._hit(keys=[self._key(key)], args=[self.limit, self._window_ms, token])
        except (RedisError, OSError) as exc:
            self._unreachable(exc)
            return await self.local.hit(key)
        self._reachable()
        return self._hit_of(taken, age_ms, token)

    def _hit_of(self, taken: object, age_ms: object, token: str) -> Hit:
        if int(str(taken)):
            return Hit(True, token=token)
        return Hit(False, retry_after_seconds(self.window, int(str(age_ms)) / 1000))

    async def hit_then(self, key: str, then: Limiter, then_key: str) -> tuple[Hit, Hit | None]:
        if not isinstance(then, RedisLimiter) or then.redis is not self.redis:
            return await hits_in_turn(self, key, then, then_key)
        token, then_token = secrets.token_hex(8), secrets.token_hex(8)
        try:
            found = await self._hit_then(
                keys=[self._key(key), then._key(then_key)],
                args=[self.limit, self._window_ms, token, then.limit, then._window_ms, then_token],
            )
        except (RedisError, OSError) as exc:
            self._unreachable(exc)
            return await hits_in_turn(self.local, key, then, then_key)
        self._reachable()
        taken, age_ms, then_taken, then_age_ms = found
        first = self._hit_of(taken, age_ms, token)
        return first, (then._hit_of(then_taken, then_age_ms, then_token) if first.allowed else None)

    async def count(self, key: str) -> int:
        try:
            found: Any = await self._count(keys=[self._key(key)], args=[self._window_ms])
        except (RedisError, OSError) as exc:
            self._unreachable(exc)
            return await self.local.count(key)
        return int(found)

    async def release(self, key: str, hit: Hit) -> None:
        if not hit.token:
            return
        try:
            await self.redis.zrem(self._key(key), hit.token)
        except (RedisError, OSError) as exc:
            self._unreachable(exc)
        await self.local.release(key, hit)

    async def reset(self, key: str) -> None:
        try:
            await self.redis.delete(self._key(key))
        except (RedisError, OSError) as exc:
            self._unreachable(exc)
        await self.local.reset(key)
