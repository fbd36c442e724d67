"""Agent presence shared by the helpdesk processes through Redis (REDIS_URL set).

`Presence` (helpdesk.realtime.presence) counts the agent consoles connected to one process. `RedisPresence` counts
them too and shares them: every process writes the agents connected to it as a JSON list under
``<prefix>:presence:<process id>`` (the id is random per start; the entry expires after TTL seconds) and
lists its id in the set ``<prefix>:presence``; the prefix is REDIS_CHANNEL, so deployments sharing a Redis
stay apart. Every HEARTBEAT seconds, and at once after an agent's first console connects here or their last
one disconnects, a process rewrites its entry and reads everyone else's. The reads the rest of the code makes
(`online`, `is_online`) stay synchronous: they answer from the other processes' entries as last read plus
this process's own connections, so a change here shows here at once.

After such a change the process also publishes a small event through the hub (channel ``presence``) and
the others read again on it, so they learn within a round trip rather than at their next heartbeat.

A process that dies stops rewriting its entry: it expires after TTL, and whichever process next finds it
gone takes the id out of the set (a process stalled for longer than TTL is therefore missing until its next
heartbeat). A clean stop deletes the entry at once. When Redis cannot be reached, a warning is logged and
presence is answered from the last read plus this process's connections: websockets and chats go on.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets

from redis.exceptions import RedisError

from helpdesk.clients.redis import TIMEOUT, connect
from helpdesk.realtime.hub import Hub
from helpdesk.realtime.presence import Presence

log = logging.getLogger(__name__)

PRESENCE = "presence"  # the hub channel saying "presence changed in some process: read again"
TTL = 15.0  # seconds an entry outlives its last heartbeat
HEARTBEAT = 5.0  # seconds between rewrites (and reads) of the entries


class RedisPresence(Presence):
    def __init__(
        self, url: str, prefix: str, hub: Hub | None = None, ttl: float = TTL, heartbeat: float = HEARTBEAT
    ) -> None:
        super().__init__()
        self.process_id = secrets.token_hex(8)
        self.registry = f"{prefix}:presence"
        self.key = self._entry(self.process_id)
        self.ttl_ms = max(1, round(ttl * 1000))
        self.heartbeat = heartbeat
        self._hub = hub
        self._redis = connect(
            url, "presence", prefix, decode_responses=True, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT
        )
        self._elsewhere: frozenset[int] = frozenset()  # agents connected to other processes, as last read
        self._wake = asyncio.Event()
        self._changed = False  # this process's agents changed since the last write: tell the others
        self._failing = False
        self._stopping = False
        self._tasks: list[asyncio.Task[None]] = []

    def _entry(self, process_id: str) -> str:
        return f"{self.registry}:{process_id}"

    # ---- the synchronous interface (Presence) -------------------------------------------------
    def connected(self, agent_id: int) -> None:
        new = not super().is_online(agent_id)
        super().connected(agent_id)
        if new:
            self._touch()

    def disconnected(self, agent_id: int) -> None:
        super().disconnected(agent_id)
        if not super().is_online(agent_id):
            self._touch()

    def online(self) -> int:
        return len(self._elsewhere | self.here())

    def is_online(self, agent_id: int) -> bool:
        return super().is_online(agent_id) or agent_id in self._elsewhere

    def _touch(self) -> None:
        self._changed = True
        self._wake.set()

    # ---- life cycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        """Read the others' entries once (a failure is only logged), then keep the heartbeat going."""
        if self._hub is not None:
            self._tasks.append(asyncio.create_task(self._listen(self._hub)))
        await self.refresh()
        self._tasks.append(asyncio.create_task(self._beat()))

    async def stop(self) -> None:
        """Stop the heartbeat and leave this process's entry to expire (as when a process dies)."""
        # redis-py may swallow a cancellation that lands inside a command (redis/redis-py#2028, #2551):
        # the loops also check this flag, so they end after that command instead of running on
        self._stopping = True
        self._wake.set()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    async def close(self) -> None:
        """Stop, and delete this process's entry so the others drop its agents at once."""
        await self.stop()
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.delete(self.key)
                pipe.srem(self.registry, self.process_id)
                await pipe.execute()
            await self._announce()
        except (RedisError, OSError) as exc:
            log.warning("cannot remove this process's presence from Redis (%s): it expires by itself", exc)
        await self._redis.aclose()

    # ---- background work ----------------------------------------------------------------------
    async def _beat(self) -> None:
        while True:  # until stop() sets _stopping (and wakes this loop)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.heartbeat):
                    await self._wake.wait()
            if self._stopping:
                return
            try:
                await self.refresh()
            except Exception:  # a bug here must not stop the heartbeat (Redis errors are handled in refresh)
                log.exception("presence heartbeat failed")

    async def _listen(self, hub: Hub) -> None:
        """Read again when another process says its agents changed (or when events may have been missed)."""
        while not self._stopping:
            async with hub.subscribe(PRESENCE) as subscription:
                while (event := await subscription.get()) is not None:
                    if event.get("process") != self.process_id:
                        self._wake.set()
            self._wake.set()  # the subscription was cut: what it missed is read now

    async def refresh(self) -> None:
        """Write this process's entry, tell the others if it changed, and read theirs."""
        changed, self._changed = self._changed, False
        self._wake.clear()
        try:
            await self._write()
            if changed:
                await self._announce()
            self._elsewhere = await self._read()
        except (RedisError, OSError) as exc:
            self._changed = self._changed or changed  # announce it once Redis is back
            if not self._failing:
                self._failing = True
                log.warning("Redis presence unavailable (%s): agents connected to other processes as last seen", exc)
            return
        if self._failing:
            self._failing = False
            log.info("Redis presence available again")

    async def _write(self) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self.key, json.dumps(sorted(self.here())), px=self.ttl_ms)
            pipe.sadd(self.registry, self.process_id)
            pipe.pexpire(self.registry, self.ttl_ms)  # the set goes too once every process is gone
            await pipe.execute()

    async def _announce(self) -> None:
        if self._hub is not None:
            await self._hub.publish(PRESENCE, {"type": "presence", "process": self.process_id})

    async def _read(self) -> frozenset[int]:
        others = sorted(str(p) for p in await self._redis.smembers(self.registry) if p != self.process_id)
        if not others:
            return frozenset()
        entries = await self._redis.mget([self._entry(p) for p in others])
        gone = [p for p, entry in zip(others, entries, strict=True) if entry is None]
        if gone:  # expired: that process stopped without cleaning up
            await self._redis.srem(self.registry, *gone)
        agents: set[int] = set()
        for process_id, entry in zip(others, entries, strict=True):
            if entry is None:
                continue
            try:
                agents.update(int(agent_id) for agent_id in json.loads(entry))
            except (ValueError, TypeError):
                log.warning("ignoring a malformed presence entry from process %s", process_id)
        return frozenset(agents)
