"""Sliding-window limits: at most `limit` hits per key in the last `window` seconds (requests per client
address, messages per conversation, failed logins per account name). The interface is general on purpose:
anything counted per key across conversations and processes (failed identity checks per order, say) fits.

`hit(key)` reserves a slot and checks the limit in one atomic step: two concurrent callers can never both
take the last slot. A refused hit takes no slot and says when one frees (`retry_after`, seconds). A failure
counter reserves before it checks (`hit` before trying the password), keeps the hit when the attempt fails
and gives it back with `release` when it succeeds.

`MemoryLimiter` counts in this process; `helpdesk.limits.redis_window.RedisLimiter` counts in Redis for every
helpdesk process sharing it (chosen by helpdesk/scaleout.py).
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Hit:
    allowed: bool
    retry_after: int = 0  # seconds until a slot frees (refused hits); 0 when allowed
    token: str = ""  # the reserved slot, for release()


class Limiter(Protocol):
    limit: int
    window: float

    async def hit(self, key: str) -> Hit:
        """Reserve a slot for `key` if fewer than `limit` were taken in the window; else refuse (taking none)."""
        ...

    async def hit_then(self, key: str, then: Limiter, then_key: str) -> tuple[Hit, Hit | None]:
        """`hit(key)`, then, only if that was allowed, `then.hit(then_key)` (None when it was not asked): one step
        when both count in the same place (RedisLimiter: one round trip)."""
        ...

    async def hit_all(self, counts: Sequence[tuple[Limiter, str]]) -> list[Hit]:
        """Each of `counts` (this limiter's first) hit in order while they are allowed: the hits up to the first
        refused one, which is last; the slots taken before a refusal are given back. One step when every limiter
        counts where this one does (RedisLimiter: one round trip instead of one per count)."""
        ...

    async def count(self, key: str) -> int:
        """Slots `key` holds in the window now."""
        ...

    async def count_all(self, counts: Sequence[tuple[Limiter, str]]) -> list[int]:
        """The slots each of `counts` (this limiter's first) holds now: one step when all count where this one
        does."""
        ...

    async def release(self, key: str, hit: Hit) -> None:
        """Give back the slot `hit` reserved (an attempt that turned out fine)."""
        ...

    async def release_all(self, taken: Sequence[tuple[Limiter, str, Hit]]) -> None:
        """Give back each slot of `taken` (this limiter's first): one step when all count where this one does."""
        ...

    async def reset(self, key: str) -> None:
        """Forget every slot of `key`."""
        ...


def retry_after_seconds(window: float, age_of_oldest: float) -> int:
    """Whole seconds (at least 1) until the oldest slot leaves the window."""
    return max(1, int(window - age_of_oldest) + 1)


async def hits_in_turn(first: Limiter, key: str, then: Limiter, then_key: str) -> tuple[Hit, Hit | None]:
    """`Limiter.hit_then` as two steps: `first.hit(key)`, then `then.hit(then_key)` only if that was allowed."""
    hit = await first.hit(key)
    return hit, (await then.hit(then_key) if hit.allowed else None)


async def hit_all(counts: Sequence[tuple[Limiter, str]]) -> list[Hit]:
    """`Limiter.hit_all` of `counts` (none: no hit)."""
    return await counts[0][0].hit_all(counts) if counts else []


async def count_all(counts: Sequence[tuple[Limiter, str]]) -> list[int]:
    """`Limiter.count_all` of `counts`."""
    return await counts[0][0].count_all(counts) if counts else []


async def release_all(taken: Sequence[tuple[Limiter, str, Hit]]) -> None:
    """`Limiter.release_all` of `taken`."""
    if taken:
        await taken[0][0].release_all(taken)


async def hits_in_order(counts: Sequence[tuple[Limiter, str]]) -> list[Hit]:
    """`Limiter.hit_all` one count after the other."""
    hits: list[Hit] = []
    for limiter, key in counts:
        hit = await limiter.hit(key)
        hits.append(hit)
        if not hit.allowed:
            await releases_in_turn([(lim, k, h) for (lim, k), h in zip(counts, hits[:-1], strict=False)])
            break
    return hits


async def counts_in_turn(counts: Sequence[tuple[Limiter, str]]) -> list[int]:
    """`Limiter.count_all` one count after the other."""
    return [await limiter.count(key) for limiter, key in counts]


async def releases_in_turn(taken: Sequence[tuple[Limiter, str, Hit]]) -> None:
    """`Limiter.release_all` one slot after the other."""
    for limiter, key, hit in taken:
        await limiter.release(key, hit)


class MemoryLimiter:
    """In this process only (the default without REDIS_URL). At most `max_keys` keys are tracked: past that,
    keys whose slots all left the window are dropped."""

    def __init__(self, limit: int, window: float = 60.0, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._slots: dict[str, deque[tuple[float, str]]] = {}

    def _recent(self, key: str, now: float) -> deque[tuple[float, str]] | None:
        slots = self._slots.get(key)
        while slots and now - slots[0][0] >= self.window:
            slots.popleft()
        return slots

    async def hit(self, key: str) -> Hit:
        return self.hit_now(key, time.monotonic())

    def hit_now(self, key: str, now: float) -> Hit:
        slots = self._recent(key, now)
        if slots is None:
            if len(self._slots) >= self.max_keys:
                self._evict(now)
            slots = self._slots[key] = deque()
        if len(slots) >= self.limit:
            return Hit(False, retry_after_seconds(self.window, now - slots[0][0]))
        token = secrets.token_hex(8)
        slots.append((now, token))
        return Hit(True, token=token)

    async def hit_then(self, key: str, then: Limiter, then_key: str) -> tuple[Hit, Hit | None]:
        return await hits_in_turn(self, key, then, then_key)

    async def hit_all(self, counts: Sequence[tuple[Limiter, str]]) -> list[Hit]:
        return await hits_in_order(counts)

    async def count(self, key: str) -> int:
        return len(self._recent(key, time.monotonic()) or ())

    async def count_all(self, counts: Sequence[tuple[Limiter, str]]) -> list[int]:
        return await counts_in_turn(counts)

    async def release_all(self, taken: Sequence[tuple[Limiter, str, Hit]]) -> None:
        await releases_in_turn(taken)

    async def release(self, key: str, hit: Hit) -> None:
        slots = self._slots.get(key)
        if slots and hit.token:
            self._slots[key] = deque(slot for slot in slots if slot[1] != hit.token)

    async def reset(self, key: str) -> None:
        self._slots.pop(key, None)

    def _evict(self, now: float) -> None:
        for stale in [k for k, slots in self._slots.items() if not slots or now - slots[-1][0] >= self.window]:
            del self._slots[stale]
