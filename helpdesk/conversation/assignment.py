"""Automatic assignment: a queued conversation goes to an online agent with room for it, without anyone claiming.

Who gets what (AUTO_ASSIGN, on by default):
- the conversations in queue order (VIP first, then longest waiting: helpdesk/conversation/queue.py);
- to agents (role agent; supervisors and admins still claim by hand) who are active, whose status is *online*
  (the console header: away and offline get nothing new) and who have a console open in any helpdesk process
  (presence), of the conversation's team when it was passed to one;
- an agent who works in the customer's language first (their console language, the staff member's setting: a
  Chinese customer's chat goes to an agent working in Chinese while one has room, else to anyone, rather than wait);
- then the one with the fewest open chats under their cap (`max_concurrent`), round robin among equals (who was
  given a chat longest ago goes first).

Several processes may assign at once; the database settles it. In one transaction: the agent's row is updated
first (`last_assigned_at`, only while they are still online) — PostgreSQL holds that row until the commit, so
assignments to one agent queue up, and SQLite has one writer anyway — then their open chats are counted afresh
(under the cap, or nothing), then the conversation is taken with the same conditional UPDATE a claim uses (still
queued, or nothing). A conversation is never assigned twice and no agent goes over their cap.

Manual claim and transfer work as before. Each process runs a round when told something changed here (`kick`:
a handoff, a chat ended, an agent came online) and every AUTO_ASSIGN_SECONDS for what changed elsewhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.conversation import lifecycle, script
from helpdesk.conversation.notices import system_notice
from helpdesk.conversation.queue import active_chats, priority_order
from helpdesk.db.models import ROLE_AGENT, STATUS_ONLINE, Agent, Conversation, Message, utcnow
from helpdesk.errors import Conflict
from helpdesk.limits.locks import ConversationLocks
from helpdesk.realtime.events import Events
from helpdesk.realtime.presence import Presence
from helpdesk.vocabulary import MODE_QUEUED, SENDER_SYSTEM

log = logging.getLogger(__name__)


@dataclass
class Candidate:
    id: int
    team: str | None
    cap: int
    load: int
    last_assigned: float  # seconds since the epoch; 0 when never
    language: str = "en"  # the language they work in (their console's)

    def order(self, language: str | None) -> tuple[bool, int, float, int]:
        """Who is chosen first for a conversation in ``language``: its language's agents, then by load, then who
        was given a chat longest ago."""
        return (language is not None and self.language != language, self.load, self.last_assigned, self.id)


@dataclass(frozen=True)
class Assigned:
    conversation_id: str
    agent_id: int


class AutoAssigner:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        events: Events,
        locks: ConversationLocks,
        presence: Presence,
        enabled: bool,
        interval: float,
        on_assigned: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.sessions = sessions
        self.events = events
        self.locks = locks
        self.presence = presence
        self.enabled = enabled
        self.interval = interval
        self.on_assigned = on_assigned  # the queue moved: consoles and waiting customers hear of it
        self._kicked = asyncio.Event()
        self._round = asyncio.Lock()

    def kick(self) -> None:
        """Something changed here (a handoff, a freed chat, an agent online): run a round soon."""
        self._kicked.set()

    async def forever(self) -> None:
        """Rounds on every kick and every `interval` seconds, until cancelled."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._kicked.wait(), timeout=self.interval)
            self._kicked.clear()
            try:
                if await self.run() and self.on_assigned is not None:
                    await self.on_assigned()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("automatic assignment failed this round; trying again")

    async def _candidates(self) -> list[Candidate]:
        async with self.sessions() as session:
            agents = list(
                await session.scalars(
                    select(Agent).where(Agent.active.is_(True), Agent.role == ROLE_AGENT, Agent.status == STATUS_ONLINE)
                )
            )
            found = []
            for agent in agents:
                if not self.presence.is_online(agent.id):
                    continue
                load = await active_chats(session, agent.id)
                last = agent.last_assigned_at.timestamp() if agent.last_assigned_at is not None else 0.0
                if load < agent.max_concurrent:
                    found.append(Candidate(agent.id, agent.team, agent.max_concurrent, load, last, agent.language))
            return found

    async def run(self) -> list[Assigned]:
        """One round: assign what can be assigned now; what was assigned."""
        if not self.enabled:
            return []
        async with self._round:
            candidates = await self._candidates()
            if not candidates:
                return []
            async with self.sessions() as session:
                queued = (
                    await session.execute(
                        select(Conversation.id, Conversation.team, Conversation.language)
                        .where(Conversation.mode == MODE_QUEUED)
                        .order_by(*priority_order())
                    )
                ).all()
            done: list[Assigned] = []
            for conversation_id, team, language in queued:
                while True:
                    fitting = [c for c in candidates if c.load < c.cap and (team is None or c.team == team)]
                    if not fitting:
                        break
                    chosen = min(fitting, key=lambda c: c.order(language))
                    outcome = await self._assign(conversation_id, chosen)
                    if outcome == "assigned":
                        chosen.load += 1
                        chosen.last_assigned = utcnow().timestamp()
                        done.append(Assigned(conversation_id, chosen.id))
                        break
                    if outcome == "agent_full":  # another process gave them a chat meanwhile
                        candidates.remove(chosen)
                        continue
                    break  # the conversation was taken (claimed, or assigned by another process)
            return done

    async def _assign(self, conversation_id: str, candidate: Candidate) -> str:
        """Give the conversation to the agent, settled in the database: "assigned", "agent_full" (over the cap,
        gone away or offline meanwhile) or "taken" (no longer queued)."""
        async with self.locks(f"agent:{candidate.id}"), self.locks(conversation_id), self.sessions() as session:
            held = await session.execute(
                update(Agent)
                .where(Agent.id == candidate.id, Agent.status == STATUS_ONLINE, Agent.active.is_(True))
                .values(last_assigned_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            if getattr(held, "rowcount", 0) != 1:
                await session.rollback()
                return "agent_full"
            agent = await session.get(Agent, candidate.id)
            assert agent is not None
            if await active_chats(session, agent.id) >= agent.max_concurrent:
                await session.rollback()
                return "agent_full"
            conversation = await session.get(Conversation, conversation_id)
            if conversation is None or conversation.mode != MODE_QUEUED:
                await session.rollback()
                return "taken"
            try:
                change = await lifecycle.claim(session, conversation, agent)
            except Conflict:
                await session.rollback()
                return "taken"
            text = await script.in_conversation_script(
                session, conversation, system_notice("joined", conversation.language, name=agent.display_name)
            )
            message = Message(conversation_id=conversation_id, sender=SENDER_SYSTEM, text=text)
            session.add(message)
            await session.commit()
            log.info("conversation %s assigned to agent %s", conversation_id, agent.id)
            await self.events.message(conversation, message)
            await change.announce(self.events)
        return "assigned"
