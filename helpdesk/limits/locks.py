"""Per-conversation locks: a conversation's messages are stored, and announced, one at a time, so their ids reach
every listener in order; an agent's chats are counted under one too (claims and transfers to them).

`locks(key)` is an async context manager. `MemoryLocks` serialises within this process;
`helpdesk.limits.redis_locks.RedisLocks` across every helpdesk process sharing a Redis (chosen by
helpdesk/scaleout.py).
"""

from __future__ import annotations

import asyncio
import weakref
from contextlib import AbstractAsyncContextManager
from typing import Protocol


class ConversationLocks(Protocol):
    def __call__(self, key: str) -> AbstractAsyncContextManager[object]:
        """The lock for `key` (a conversation id, or "agent:<id>"), to hold with `async with`."""
        ...

    def release_too(self, key: str) -> None:
        """The lock on `key` this task holds around the innermost one it holds may go with the innermost's release
        (in its round trip: RedisLocks), instead of at the end of its own block, which has nothing left to do."""
        ...


class MemoryLocks:
    """One asyncio lock per key, forgotten once nobody holds or awaits it."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def __call__(self, key: str) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock

    def release_too(self, key: str) -> None:
        """Nothing to save in this process: the lock is released at the end of its block."""
