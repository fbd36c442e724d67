"""Real-time fan-out: a hub of named channels, and the events the widget and the console receive.

`MemoryHub` serves one process. The `Hub` protocol is what the rest of the code uses: with REDIS_URL
set, `helpdesk.realtime.redis_hub.RedisHub` carries every event through Redis pub/sub to every helpdesk
process sharing the database, each handing it to its own subscriptions (chosen in `helpdesk.web.app`).
What is published is in `helpdesk.realtime.events`; which agents are online in `helpdesk.realtime.presence`.

Channels: `conversation:<id>` carries what that customer may see (their messages, mode changes,
agent typing, queue position); `console` carries what agents see (every event names its
conversation and assignee, and each console connection keeps what its agent may see).
Message events carry the message id: a client that reconnects with `after=<last id>` gets the
rest from the database, in order, and the socket handlers skip anything already sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

log = logging.getLogger(__name__)

CONSOLE = "console"
Event = dict[str, Any]


def conversation_channel(conversation_id: str) -> str:
    return f"conversation:{conversation_id}"


class Subscription:
    """Events for one connection, bounded: a client that falls too far behind is cut off and must
    reconnect with `after=` (it then loses nothing)."""

    def __init__(self, channels: tuple[str, ...], max_pending: int) -> None:
        self.channels = channels
        self._queue: asyncio.Queue[Event | None] = asyncio.Queue(max_pending)
        self.overflowed = False

    def deliver(self, event: Event) -> None:
        if self.overflowed:
            return
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self.cut()

    def cut(self) -> None:
        """End the subscription as if it overflowed: its client must reconnect with `after=` (used when
        events may have been missed, e.g. the fan-out lost its connection for a while)."""
        if self.overflowed:
            return
        self.overflowed = True
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(None)

    async def get(self) -> Event | None:
        """The next event; None when the subscription overflowed."""
        return await self._queue.get()


class Hub(Protocol):
    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def publish(self, channel: str, event: Event) -> None: ...

    async def publish_all(self, events: Sequence[tuple[str, Event]]) -> None:
        """Several (channel, event) pairs, in this order, in one go (one round trip to a shared hub)."""
        ...

    def subscribe(self, *channels: str) -> AbstractAsyncContextManager[Subscription]: ...


class MemoryHub:
    """In-process fan-out (the single-process default)."""

    def __init__(self, max_pending: int = 1000) -> None:
        self.max_pending = max_pending
        self._subscribers: dict[str, set[Subscription]] = {}

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        pass

    def cut_all(self) -> None:
        """Cut every subscription: their clients reconnect with `after=` and replay from the database."""
        for subscription in {s for subscribers in self._subscribers.values() for s in subscribers}:
            subscription.cut()

    async def publish(self, channel: str, event: Event) -> None:
        for subscription in tuple(self._subscribers.get(channel, ())):
            subscription.deliver(event)

    async def publish_all(self, events: Sequence[tuple[str, Event]]) -> None:
        for channel, event in events:
            await self.publish(channel, event)

    @asynccontextmanager
    async def subscribe(self, *channels: str) -> AsyncIterator[Subscription]:
        subscription = Subscription(channels, self.max_pending)
        for channel in channels:
            self._subscribers.setdefault(channel, set()).add(subscription)
        try:
            yield subscription
        finally:
            for channel in channels:
                subscribers = self._subscribers.get(channel)
                if subscribers is not None:
                    subscribers.discard(subscription)
                    if not subscribers:
                        del self._subscribers[channel]
