"""Chats held by an agent whose console is closed go back to the queue after a grace period.

An agent who closes the console's tab (or whose laptop sleeps, or whose network drops) without going Away keeps
their chats: the customers wait with nobody there, and nothing assigns those chats again (automatic assignment and
transfers only look at agents with a console open). Zendesk's omnichannel routing and Intercom do the same thing
here: a teammate who goes offline has their live conversations reassigned. So: once an agent holding chats has had
no console open (presence: helpdesk/realtime/presence.py, shared through Redis between processes) for
CLOSED_CONSOLE_GRACE_SECONDS (default 120: a reload or a short network drop is not a closed console), every chat
they hold goes back to the queue in its old place (Desk.return_to_queue): the customer reads that a colleague takes
over, in their language; the colleague who takes it finds an internal note saying why; supervisors see it in the
queue (with its SLA warning) like any waiting chat. Their status stays what they chose: a console opened again gets
new chats as before.

Every helpdesk process sweeps every few seconds; each counts the grace from when it first saw the agent without a
console (from its own start at the latest), and the conversation lock settles a chat that two processes return at
once.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.conversation.desk import Desk
from helpdesk.db.models import Agent, Conversation
from helpdesk.realtime.presence import Presence
from helpdesk.vocabulary import MODE_AGENT

log = logging.getLogger(__name__)

SWEEP_SECONDS = 10.0  # at most: a shorter grace sweeps more often


def closed_note(name: str, grace_seconds: float) -> str:
    """The internal note on a chat that came back from a closed console (agents read it, never the customer)."""
    if grace_seconds >= 60:
        minutes = math.floor(grace_seconds / 60)
        waited = "a minute" if minutes == 1 else f"{minutes} minutes"
    else:
        waited = f"{math.ceil(grace_seconds)} seconds"
    return (
        f"Back in the queue: {name}'s console was closed for over {waited} while this chat was theirs. "
        "The customer was told a colleague takes over."
    )


class ClosedConsoles:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        presence: Presence,
        desk: Desk,
        grace_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sessions = sessions
        self.presence = presence
        self.desk = desk
        self.grace = grace_seconds
        self.clock = clock
        self._absent_since: dict[int, float] = {}  # agent id -> when this process first saw them hold chats unseen

    async def sweep(self) -> list[str]:
        """One look: the chats returned to the queue now."""
        async with self.sessions() as session:
            held_by = await session.scalars(
                select(Conversation.assigned_agent_id)
                .where(Conversation.mode == MODE_AGENT, Conversation.assigned_agent_id.is_not(None))
                .distinct()
            )
            holders = {agent_id for agent_id in held_by if agent_id is not None}
        now = self.clock()
        due = []
        for agent_id in list(self._absent_since):
            if agent_id not in holders or self.presence.is_online(agent_id):
                del self._absent_since[agent_id]
        for agent_id in holders:
            if self.presence.is_online(agent_id):
                continue
            since = self._absent_since.setdefault(agent_id, now)
            if now - since >= self.grace:
                due.append(agent_id)
        returned: list[str] = []
        for agent_id in due:
            async with self.sessions() as session:
                agent = await session.get(Agent, agent_id)
            if agent is None or self.presence.is_online(agent_id):
                continue
            released = await self.desk.return_to_queue(
                agent, answered_too=True, note=closed_note(agent.display_name, self.grace)
            )
            if released:
                log.info(
                    "agent %s has had no console open for %.0f s: %s back to the queue", agent_id, self.grace, released
                )
            self._absent_since.pop(agent_id, None)
            returned.extend(released)
        return returned

    async def forever(self) -> None:
        interval = min(SWEEP_SECONDS, max(0.5, self.grace / 4))
        while True:
            try:
                await self.sweep()
            except asyncio.CancelledError:
                raise
            except Exception:  # the next sweep tries again
                log.exception("could not return closed consoles' chats to the queue")
            await asyncio.sleep(interval)
