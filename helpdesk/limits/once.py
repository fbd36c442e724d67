"""Doing a thing once across the helpdesk processes: `await once.first(key, ttl)` is True for the first caller of
`key` within `ttl` seconds and False for every later one, in any process that shares the implementation.

`MemoryOnce` decides within this process (the single-process default); `helpdesk.limits.redis_once.RedisOnce`
across every helpdesk process sharing a Redis (SET NX EX; chosen by helpdesk/scaleout.py). Used where a repeated
action would reach people twice, e.g. an SLA warning published on the shared console channel
(helpdesk/conversation/sla.py).
"""

from __future__ import annotations

import time
from typing import Protocol


class Once(Protocol):
    async def first(self, key: str, ttl: float) -> bool:
        """True if nobody took `key` in the last `ttl` seconds (and it is now taken), else False."""
        ...


class MemoryOnce:
    """Keys taken in this process, each forgotten `ttl` seconds after it was taken."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    async def first(self, key: str, ttl: float) -> bool:
        now = time.monotonic()
        if len(self._until) > 1000:  # forget the expired ones now and then
            self._until = {k: until for k, until in self._until.items() if until > now}
        until = self._until.get(key)
        if until is not None and until > now:
            return False
        self._until[key] = now + ttl
        return True
