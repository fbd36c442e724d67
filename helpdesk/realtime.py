"""Real-time fan-out: a hub of named channels, and the events the widget and the console receive.

`MemoryHub` serves one process. The `Hub` protocol is what the rest of the code uses: with REDIS_URL
set, `helpdesk.fanout_redis.RedisHub` carries every event through Redis pub/sub to every helpdesk
process sharing the database, each handing it to its own subscriptions (chosen in `helpdesk.app`).
`Presence` likewise counts the agent consoles connected to one process; `helpdesk.presence_redis`
shares it between processes.

Channels: `conversation:<id>` carries what that customer may see (their messages, mode changes,
agent typing, queue position); `console` carries what agents see (every event names its
conversation and assignee, and each console connection keeps what its agent may see).
Message events carry the message id: a client that reconnects with `after=<last id>` gets the
rest from the database, in order, and the socket handlers skip anything already sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator
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

    def subscriber_count(self, channel: str) -> int:
        return len(self._subscribers.get(channel, ()))


class Presence:
    """Which agents have a console connected to this process (for the customer's wait estimate, the
    dashboard and the transfer list). With REDIS_URL set, `helpdesk.presence_redis.RedisPresence` answers
    for every helpdesk process sharing the database (chosen in `helpdesk.app`)."""

    def __init__(self) -> None:
        self._connections: Counter[int] = Counter()

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        pass

    def connected(self, agent_id: int) -> None:
        self._connections[agent_id] += 1

    def disconnected(self, agent_id: int) -> None:
        self._connections[agent_id] -= 1
        if self._connections[agent_id] <= 0:
            del self._connections[agent_id]

    def online(self) -> int:
        return len(self._connections)

    def is_online(self, agent_id: int) -> bool:
        return agent_id in self._connections

    def here(self) -> frozenset[int]:
        """The agents with a console connected to this process."""
        return frozenset(self._connections)


class Events:
    """What happened, published to the channels that should hear of it."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    async def message(
        self, conversation_id: str, assignee: int | None, mode: str, public: Event, for_agents: Event
    ) -> None:
        await self.hub.publish(conversation_channel(conversation_id), {"type": "message", "message": public})
        await self.hub.publish(
            CONSOLE,
            {
                "type": "message",
                "conversation_id": conversation_id,
                "assignee": assignee,
                "mode": mode,
                "message": for_agents,
            },
        )

    async def mode(
        self,
        conversation_id: str,
        mode: str,
        assignee: int | None,
        previous: int | None = None,
        rating_pending: bool = False,
    ) -> None:
        await self.hub.publish(
            conversation_channel(conversation_id), {"type": "mode", "mode": mode, "rating_pending": rating_pending}
        )
        await self.hub.publish(
            CONSOLE,
            {
                "type": "conversation",
                "conversation_id": conversation_id,
                "mode": mode,
                "assignee": assignee,
                "previous_assignee": previous,
            },
        )

    async def rating(self, conversation_id: str, pending: bool) -> None:
        """The conversation is closed; `pending`: the customer is asked to rate the agent's help."""
        await self.hub.publish(
            conversation_channel(conversation_id), {"type": "mode", "mode": "closed", "rating_pending": pending}
        )

    async def agent_typing(self, conversation_id: str, name: str, typing: bool) -> None:
        await self.hub.publish(
            conversation_channel(conversation_id), {"type": "typing", "who": "agent", "name": name, "typing": typing}
        )

    async def customer_typing(self, conversation_id: str, assignee: int | None, typing: bool) -> None:
        await self.hub.publish(
            CONSOLE,
            {
                "type": "typing",
                "who": "customer",
                "conversation_id": conversation_id,
                "assignee": assignee,
                "typing": typing,
            },
        )

    async def note(self, conversation_id: str, assignee: int | None, note: Event) -> None:
        await self.hub.publish(
            CONSOLE, {"type": "note", "conversation_id": conversation_id, "assignee": assignee, "note": note}
        )

    async def context(self, conversation_id: str, assignee: int | None, message_id: int, candidates: Event) -> None:
        await self.hub.publish(
            CONSOLE,
            {
                "type": "context",
                "conversation_id": conversation_id,
                "assignee": assignee,
                "message_id": message_id,
                "faq_candidates": candidates,
            },
        )

    async def queue_changed(self) -> None:
        await self.hub.publish(CONSOLE, {"type": "queue_changed"})

    async def queue_position(
        self, conversation_id: str, position: int, estimated_wait_seconds: int | None, business_hours: Event
    ) -> None:
        """The customer's place in the queue; out of business hours no wait is promised (None) and
        `business_hours` says when the team is back."""
        await self.hub.publish(
            conversation_channel(conversation_id),
            {
                "type": "queue",
                "position": position,
                "estimated_wait_seconds": estimated_wait_seconds,
                "business_hours": business_hours,
            },
        )
