"""Sliding-window limits shared by the helpdesk processes through Redis (REDIS_URL set); the interface and its
meaning: helpdesk/limits/window.py.

Each key is a sorted set ``<prefix>:limit:<name>:<key>`` of reserved slots (member: a random token, score: the
Redis server's clock in milliseconds, so every process counts on one clock). One Lua script drops the slots
older than the window, counts the rest and adds the new slot only if the count is under the limit: the check
and the reservation are one atomic step, whatever the number of processes. `hit_then` does two keys' hits (a
chat message's client address, then its conversation) in one script: one round trip a message, not two;
`hit_all`, `count_all` and `release_all` do any number of keys in one round trip (an identity check's counts:
helpdesk/orders/attempts.py). The set expires a window after its last slot.

If Redis cannot be reached, this process counts alone (`MemoryLimiter`) and logs a warning once; the shared
counts are used again as soon as Redis answers.
"""

from __future__ import annotations

import logging
import math
import secrets
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from helpdesk.limits.window import (
    Hit,
    Limiter,
    MemoryLimiter,
    counts_in_turn,
    hits_in_order,
    hits_in_turn,
    releases_in_turn,
    retry_after_seconds,
)

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
# KEYS[1..n]; ARGV: limit, window (ms), token of each. The keys hit in order while allowed; at the first refused one
# the slots taken before it are given back (ZREM) and the script ends: each key's two values, up to that one.
HIT_ALL = (
    HIT_FUNCTION
    + """
local found = {}
for i = 1, #KEYS do
  local one = hit(KEYS[i], tonumber(ARGV[3 * i - 2]), tonumber(ARGV[3 * i - 1]), ARGV[3 * i])
  found[#found + 1] = one[1]
  found[#found + 1] = one[2]
  if one[1] == 0 then
    for j = 1, i - 1 do
      redis.call('ZREM', KEYS[j], ARGV[3 * j])
    end
    return found
  end
end
return found
"""
)
# KEYS[1..n]; ARGV: the window (ms) of each. The slots each key holds in its window.
COUNT_ALL = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local found = {}
for i = 1, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - tonumber(ARGV[i]))
  found[i] = redis.call('ZCARD', KEYS[i])
end
return found
"""
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
        self._hit_all = redis.register_script(HIT_ALL)
        self._count_all = redis.register_script(COUNT_ALL)
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

    def _together(self, limiters: Sequence[Limiter]) -> list[RedisLimiter] | None:
        """`limiters` when every one counts in this limiter's Redis (then one script does them all), else None."""
        same = [one for one in limiters if isinstance(one, RedisLimiter) and one.redis is self.redis]
        return same if len(same) == len(limiters) else None

    async def hit_all(self, counts: Sequence[tuple[Limiter, str]]) -> list[Hit]:
        limiters = self._together([limiter for limiter, _ in counts])
        if limiters is None:
            return await hits_in_order(counts)
        tokens = [secrets.token_hex(8) for _ in counts]
        args: list[Any] = []
        for limiter, token in zip(limiters, tokens, strict=True):
            args += [limiter.limit, limiter._window_ms, token]
        try:
            found = await self._hit_all(
                keys=[lim._key(key) for lim, (_, key) in zip(limiters, counts, strict=True)], args=args
            )
        except (RedisError, OSError) as exc:
            self._unreachable(exc)
            return await hits_in_order(counts)  # each limiter falls back to this process's count on its own
        self._reachable()
        return [
            limiter._hit_of(found[2 * n], found[2 * n + 1], tokens[n])
            for n, limiter in enumerate(limiters[: len(found) // 2])
        ]

    async def count(self, key: str) -> int:
        try:
            found: Any = await self._count(keys=[self._key(key)], args=[self._window_ms])
        except (RedisError, OSError) as exc:
            self._unreachable(exc)
            return await self.local.count(key)
        return int(found)

    async def count_all(self, counts: Sequence[tuple[Limiter, str]]) -> list[int]:
        limiters = self._together([limiter for limiter, _ in counts])
        if limiters is None:
            return await counts_in_turn(counts)
        keys = [limiter._key(key) for limiter, (_, key) in zip(limiters, counts, strict=True)]
        try:
            found: Any = await self._count_all(keys=keys, args=[limiter._window_ms for limiter in limiters])
        except (RedisError, OSError) as exc:
            self._unreachable(exc)
            return await counts_in_turn(counts)
        return [int(n) for n in found]

    async def release_all(self, taken: Sequence[tuple[Limiter, str, Hit]]) -> None:
        limiters = self._together([limiter for limiter, _, _ in taken])
        if limiters is None:
            await releases_in_turn(taken)
            return
        slots = [(lim, key, hit) for lim, (_, key, hit) in zip(limiters, taken, strict=True) if hit.token]
        if not slots:
            return
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for limiter, key, hit in slots:
                    pipe.zrem(limiter._key(key), hit.token)
                await pipe.execute()
        except (RedisError, OSError) as exc:
            self._unreachable(exc)
        for limiter, key, hit in slots:
            await limiter.local.release(key, hit)

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
