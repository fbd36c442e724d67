"""Real-time fan-out across helpdesk processes through Redis pub/sub (REDIS_URL set).

Every process publishes each event to one Redis channel (REDIS_CHANNEL, default "helpdesk:events") as
``{"channel": <hub channel>, "event": {...}}`` and reads that channel on one connection of its own,
handing each event to the websockets connected to it (a `MemoryHub`). One channel for everything keeps
the per-process cost at one Redis connection whatever the number of websockets, and keeps each
publisher's events in the order it sent them; every process sees every event and drops those none of
its clients listen to, which is cheap for the handful of processes one database serves. Events published together
(a turn's messages, for the widget and for the consoles) travel as one message ``{"batch":[<event>, …]}``
(helpdesk/clients/redis.py `batched`); a process of a version before batches drops such a message as malformed, so
every helpdesk process on one channel runs the same version.

The subscription is made before the server takes clients. If the Redis connection drops, events may
have been missed meanwhile: once it is subscribed again, every local subscription is cut (the socket
closes with 4000, "reconnect with after=") so each client replays what it missed from the database,
nothing lost and nothing twice. A failed PUBLISH is logged and delivered in this process only. What a task
publishes while it holds a Redis lock goes with the lock's release, in one round trip (helpdesk/clients/redis.py
`Outbox`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from helpdesk.clients.redis import batched, connect, current_outbox
from helpdesk.realtime.hub import Event, MemoryHub, Subscription

log = logging.getLogger(__name__)

DEFAULT_CHANNEL = "helpdesk:events"
START_TIMEOUT = 10.0  # seconds to reach Redis at start-up
MAX_BACKOFF = 10.0


class RedisHub:
    def __init__(self, url: str, channel: str = DEFAULT_CHANNEL, max_pending: int = 1000) -> None:
        self.channel = channel
        self.local = MemoryHub(max_pending)
        self._redis = connect(url, "fanout", channel)
        self._reader: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()
        self.reconnects = 0

    async def start(self) -> None:
        """Subscribe before any client connects; fails (with the reason) if Redis cannot be reached."""
        self._reader = asyncio.create_task(self._read_forever())
        try:
            await asyncio.wait_for(self._subscribed.wait(), START_TIMEOUT)
        except TimeoutError as exc:
            await self.close()
            raise RuntimeError(f"cannot subscribe to Redis channel {self.channel!r} (REDIS_URL)") from exc

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None
        await self._redis.aclose()

    async def publish(self, channel: str, event: Event) -> None:
        data = json.dumps({"channel": channel, "event": event}, separators=(",", ":"))
        if (outbox := current_outbox()) is not None:  # goes with the lock's release (clients/redis.py Outbox)
            outbox.add(self.channel, [data], lambda: self.local.publish(channel, event))
            return
        try:
            await self._publish(data)
        except (RedisError, OSError) as exc:
            log.error("Redis PUBLISH failed (%s): the event reaches this process's clients only", exc)
            await self.local.publish(channel, event)

    async def publish_all(self, events: Sequence[tuple[str, Event]]) -> None:
        """The events in one PUBLISH (`batched`: one round trip, one message; the subscribers get them in this
        order)."""
        if len(events) == 1:
            await self.publish(*events[0])
            return
        data = [json.dumps({"channel": channel, "event": event}, separators=(",", ":")) for channel, event in events]
        if (outbox := current_outbox()) is not None:
            outbox.add(self.channel, data, lambda: self.local.publish_all(events))
            return
        try:
            await self._publish(batched(data))
        except (RedisError, OSError) as exc:
            log.error("Redis PUBLISH failed (%s): the events reach this process's clients only", exc)
            await self.local.publish_all(events)

    async def _publish(self, data: str) -> None:
        try:
            await self._redis.publish(self.channel, data)
        except RedisConnectionError:
            # after a Redis restart the first command on a pooled connection finds it closed: once more, on a fresh
            # one, or the other processes' clients (resumed already) would never see this event
            await self._redis.publish(self.channel, data)

    def subscribe(self, *channels: str) -> AbstractAsyncContextManager[Subscription]:
        return self.local.subscribe(*channels)

    async def _dispatch(self, data: bytes | str) -> None:
        """One Redis message: an event, or several in order (`{"batch":[…]}`, helpdesk/clients/redis.py `batched`)."""
        try:
            envelope = json.loads(data)
            events = [(one["channel"], one["event"]) for one in envelope.get("batch") or [envelope]]
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("ignoring a malformed event on Redis channel %s", self.channel)
            return
        await self.local.publish_all(events)

    async def _read_forever(self) -> None:
        backoff = 0.5
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.subscribe(self.channel)
                while True:
                    message = await pubsub.get_message(timeout=None)
                    if message is None:
                        continue
                    if message["type"] == "subscribe":
                        if self._subscribed.is_set():
                            # (re)subscribed after a drop: what was published meanwhile never came
                            self.reconnects += 1
                            log.warning("Redis fan-out reconnected: clients resume from the database")
                            self.local.cut_all()
                        self._subscribed.set()
                        backoff = 0.5
                    elif message["type"] == "message":
                        await self._dispatch(message["data"])
            except (RedisError, OSError) as exc:
                log.warning("Redis fan-out connection lost (%s); retrying in %.1f s", exc, backoff)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py leaves it unannotated
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)
