"""Which agents are online, defined once:

- **online**: the agent has a console open (a console websocket connected to any helpdesk process). The
  customer's wait estimate shares the queue between these agents, and the transfer list marks them.
- **active** (the dashboard's "agents online"): online, or used the console's API in the last
  AGENT_ONLINE_MINUTES in this process (a console whose socket dropped for a moment still counts).

`Presence` counts the consoles connected to this process; `helpdesk.realtime.redis_presence` shares them
between processes.
"""

from __future__ import annotations

import time
from collections import Counter


class Presence:
    """Which agents have a console connected to this process (for the customer's wait estimate, the
    dashboard and the transfer list). With REDIS_URL set, `helpdesk.realtime.redis_presence.RedisPresence` answers
    for every helpdesk process sharing the database (chosen in `helpdesk.web.app`)."""

    def __init__(self) -> None:
        self._connections: Counter[int] = Counter()
        self._seen: dict[int, float] = {}  # agent id → when they last used the console's API (monotonic)

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

    def seen(self, agent_id: int, now: float | None = None) -> None:
        """The agent used the console's API just now (this process)."""
        self._seen[agent_id] = time.monotonic() if now is None else now

    def active(self, agent_id: int, within_seconds: float, now: float | None = None) -> bool:
        """Online, or seen using the console's API in the last `within_seconds` (the dashboard's count)."""
        if self.is_online(agent_id):
            return True
        now = time.monotonic() if now is None else now
        for stale in [a for a, at in self._seen.items() if now - at > within_seconds]:
            del self._seen[stale]
        return agent_id in self._seen
