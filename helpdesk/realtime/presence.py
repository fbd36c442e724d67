"""Which agents are online, defined once:

- **online**: the agent has a console open (a console websocket connected to any helpdesk process). With the
  status the agent chose (helpdesk/conversation/agent_status.py) it says who takes chats now: status online and a
  console open. The customer's wait estimate shares the queue between these agents, the dashboard's "agents online"
  and the console's team count count them, and a chat is transferred only to a colleague with a console open.

`Presence` counts the consoles connected to this process; `helpdesk.realtime.redis_presence` shares them
between processes.
"""

from __future__ import annotations

from collections import Counter


class Presence:
    """Which agents have a console connected to this process (for the customer's wait estimate, the
    dashboard and the transfer list). With REDIS_URL set, `helpdesk.realtime.redis_presence.RedisPresence` answers
    for every helpdesk process sharing the database (chosen in `helpdesk.web.app`)."""

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
