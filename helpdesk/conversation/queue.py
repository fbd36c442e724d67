"""The agent queue: priority order (VIP tier first, then longest waiting), positions and wait estimates."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.conversation.business_hours import BusinessHours
from helpdesk.db.batches import in_batches
from helpdesk.db.models import (
    ROLE_EDITOR,
    STATUS_ONLINE,
    TIER_VIP,
    Agent,
    Assignment,
    Conversation,
    Handoff,
    Message,
    aware,
    utcnow,
)
from helpdesk.realtime.events import Events
from helpdesk.staff.accounts import display_names
from helpdesk.vocabulary import END_TRANSFERRED, MODE_AGENT, MODE_QUEUED, SENDER_CUSTOMER

PREVIEW_CHARS = 140
RETELL_SECONDS = 60.0  # a waiting customer's unchanged place is told again after this long


def customer_wrote() -> ColumnElement[bool]:
    """Whether the customer typed anything in the conversation (pressing the widget's or the bot's buttons is not
    writing: such messages keep the button's payload, which starts with "/"). A handoff without a word from the
    customer is cheap to discard: it waits behind those who wrote, opens no follow-up when abandoned, and
    supervisors close such chats in bulk (helpdesk/conversation/queue_cleanup.py)."""
    return (
        select(Message.id)
        .where(
            Message.conversation_id == Conversation.id,
            Message.sender == SENDER_CUSTOMER,
            or_(Message.payload.is_(None), ~Message.payload.startswith("/")),
        )
        .exists()
    )


def priority_order() -> tuple[Any, ...]:
    """VIP first, then the customers who wrote something before those who only pressed buttons, then the longest
    waiting."""
    return (
        case((Conversation.customer_tier == TIER_VIP, 0), else_=1),
        case((customer_wrote(), 0), else_=1),
        Conversation.queued_at,
        Conversation.id,
    )


def visible_to(agent: Agent) -> ColumnElement[bool]:
    """Agents see the general queue and their own team's transfers; supervisors and admins see everything."""
    if agent.can_supervise:
        return Conversation.id.is_not(None)
    if agent.team:
        return or_(Conversation.team.is_(None), Conversation.team == agent.team)
    return Conversation.team.is_(None)


def _latest_reason() -> Any:
    return (
        select(Handoff.reason)
        .where(Handoff.conversation_id == Conversation.id)
        .order_by(Handoff.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _latest_customer_text() -> Any:
    return (
        select(Message.text)
        .where(Message.conversation_id == Conversation.id, Message.sender == SENDER_CUSTOMER)
        .order_by(Message.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def waited_seconds(since: datetime | None, now: datetime | None = None) -> int:
    if since is None:
        return 0
    return max(0, int(((now or utcnow()) - aware(since)).total_seconds()))


def estimate_wait(position: int, agents_online: int, seconds_per_chat: int) -> int:
    """Rough: the conversations ahead (and this one) shared by the agents online, each taking about
    `seconds_per_chat`."""
    return math.ceil(position / max(1, agents_online)) * seconds_per_chat


async def queue_for(session: AsyncSession, agent: Agent) -> list[dict[str, Any]]:
    """The queued conversations this agent may claim, in priority order, with what they wait for and why."""
    rows = await session.execute(
        select(Conversation, _latest_reason(), _latest_customer_text(), customer_wrote())
        .where(Conversation.mode == MODE_QUEUED, visible_to(agent))
        .order_by(*priority_order())
    )
    now = utcnow()
    found = rows.all()
    was_with = await back_from(session, [conversation.id for conversation, *_ in found])
    entries = []
    for position, (conversation, reason, preview, wrote) in enumerate(found, start=1):
        entries.append(
            {
                "conversation_id": conversation.id,
                "position": position,
                "customer_tier": conversation.customer_tier,
                "team": conversation.team,
                "handoff_reason": reason,
                "queued_at": aware(conversation.queued_at).isoformat() if conversation.queued_at else None,
                "waiting_seconds": waited_seconds(conversation.queued_at, now),
                "preview": (preview or "")[:PREVIEW_CHARS],
                "customer_wrote": bool(wrote),  # False: only buttons pressed (helpdesk/conversation/queue_cleanup.py)
                "offline_message": offline_message(conversation),
                # back in the queue from an agent (transferred to a team, or they went away or closed the console):
                # who had it, so the colleague who takes it knows it was started
                "was_with": was_with.get(conversation.id),
            }
        )
    return entries


async def back_from(session: AsyncSession, conversation_ids: list[str]) -> dict[str, str]:
    """For the queued conversations among `conversation_ids` that an agent passed back to the queue (their latest
    stint ended so: a transfer to a team, or helpdesk/conversation/desk.py `return_to_queue`), that agent's name."""
    latest: dict[str, tuple[int, int, str | None]] = {}
    for batch in in_batches(conversation_ids):
        stints = await session.execute(
            select(Assignment.conversation_id, Assignment.id, Assignment.agent_id, Assignment.end_reason).where(
                Assignment.conversation_id.in_(list(batch))
            )
        )
        for conversation_id, stint_id, agent_id, end_reason in stints.all():
            if conversation_id not in latest or stint_id > latest[conversation_id][0]:
                latest[conversation_id] = (stint_id, agent_id, end_reason)
    passed = {c: agent_id for c, (_, agent_id, end) in latest.items() if end == END_TRANSFERRED}
    names = await display_names(session, passed.values())
    return {c: names[agent_id] for c, agent_id in passed.items() if agent_id in names}


def offline_message(conversation: Conversation) -> dict[str, Any] | None:
    """The message the customer left out of business hours, if they left one: when, and their contact."""
    if conversation.left_message_at is None:
        return None
    return {
        "left_at": aware(conversation.left_message_at).isoformat(),
        "contact": dict(conversation.offline_contact or {}),
    }


async def queued_ids(session: AsyncSession) -> list[str]:
    query = select(Conversation.id).where(Conversation.mode == MODE_QUEUED).order_by(*priority_order())
    return list(await session.scalars(query))


async def position_of(session: AsyncSession, conversation_id: str) -> int | None:
    ids = await queued_ids(session)
    return ids.index(conversation_id) + 1 if conversation_id in ids else None


async def active_chats(session: AsyncSession, agent_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Conversation)
            .where(Conversation.mode == MODE_AGENT, Conversation.assigned_agent_id == agent_id)
        )
        or 0
    )


class QueueNotifier:
    """Run after anything that changes the queue: consoles refresh it, waiting customers get their place."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        events: Events,
        agents_online: Callable[[], int],
        seconds_per_chat: int,
        hours: BusinessHours | None = None,
        is_present: Callable[[int], bool] | None = None,
    ) -> None:
        self.sessions = sessions
        self.events = events
        self.agents_online = agents_online
        self.seconds_per_chat = seconds_per_chat
        self.hours = hours or BusinessHours.always()
        self._broadcasting = False
        self._again = False
        self._told: dict[str, tuple[str, float]] = {}  # conversation id → (what it was told, when)
        self.kick: Callable[[], None] = lambda: None  # automatic assignment's (helpdesk/conversation/assignment.py)
        self.is_present = is_present
        self._on_duty: frozenset[int] | None = None  # agents whose status is online (refresh_staffing)

    async def refresh_staffing(self, session: AsyncSession | None = None) -> None:
        """Read who is on duty (status online, helpdesk/conversation/agent_status.py): wait estimates count only
        those with a console open, not the away or offline ones. In `session` when given."""
        if session is None:
            async with self.sessions() as own:
                return await self.refresh_staffing(own)
        ids = await session.scalars(
            select(Agent.id).where(Agent.active.is_(True), Agent.status == STATUS_ONLINE, Agent.role != ROLE_EDITOR)
        )
        self._on_duty = frozenset(ids)

    def agents_available(self) -> int:
        if self._on_duty is None or self.is_present is None:
            return self.agents_online()
        present = self.is_present
        return sum(1 for agent_id in self._on_duty if present(agent_id))

    def estimate(self, position: int, team_in: bool = True) -> int | None:
        """The estimated wait at `position`; None out of business hours (no wait is promised then)."""
        if not team_in:
            return None
        return estimate_wait(position, self.agents_available(), self.seconds_per_chat)

    async def estimate_now(self, session: AsyncSession, position: int, team_in: bool = True) -> int | None:
        """:meth:`estimate` after reading who is on duty again (in `session`): an agent who went Away or came back
        through another helpdesk process changed it in the database, and only that process broadcast the new wait (a
        customer's HTTP read here kept the old one until this process's next broadcast)."""
        if not team_in:
            return None
        await self.refresh_staffing(session)
        return self.estimate(position)

    async def changed(self) -> None:
        self.kick()
        await self.announce()

    async def announce(self) -> None:
        """The consoles refresh the queue; every waiting customer hears their place."""
        await self.events.queue_changed()
        await self.broadcast_positions()

    async def broadcast_positions(self) -> None:
        """Tell every waiting customer their place in the queue and the estimated wait (or, out of business hours,
        when the team is back).

        Not O(queue²) under a burst of handoffs: calls made while a broadcast runs fold into one more run after it,
        and a customer is only told what changed since this process last told them (a place, the wait, the hours;
        told again after RETELL_SECONDS anyway, as another helpdesk process may have told them since).
        """
        if self._broadcasting:
            self._again = True
            return
        self._broadcasting = True
        try:
            self._again = True
            while self._again:
                self._again = False
                await self._broadcast_once()
        finally:
            self._broadcasting = False

    async def _broadcast_once(self) -> None:
        hours = self.hours.status()
        await self.refresh_staffing()
        async with self.sessions() as session:
            ids = await queued_ids(session)
        now = time.monotonic()
        told: dict[str, tuple[str, float]] = {}
        for position, conversation_id in enumerate(ids, start=1):
            estimate = self.estimate(position, hours.open)
            what = json.dumps([position, estimate, hours.to_json()], sort_keys=True, default=str)
            before = self._told.get(conversation_id)
            if before is not None and before[0] == what and now - before[1] < RETELL_SECONDS:
                told[conversation_id] = before
                continue
            await self.events.queue_position(conversation_id, position, estimate, hours.to_json())
            told[conversation_id] = (what, now)
        self._told = told
