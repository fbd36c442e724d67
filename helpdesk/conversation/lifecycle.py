"""Every change of a conversation's mode, in one place (the modes: helpdesk/vocabulary.py).

    bot ──hand_off──▶ queued ──claim──▶ agent ──resolve──▶ closed ──reopen (the customer writes again)──▶ bot
                        ▲                 │ ──hand_back──▶ bot
                        │                 │ ──transfer_to_agent──▶ agent (another agent)
                        └─────────────────┘ ──transfer_to_team──▶ queued (keeps its place in the queue)
    queued ──discard (a supervisor closes junk)──▶ closed

A handoff (the bot's, or a message left out of business hours) opens a fresh queue entry: a Handoff row with
its reason, the queue time now, nobody assigned, no team, the bot's slots gathered again, no message left yet.
An agent's stint on the conversation is an Assignment row: claim and transfer open one; resolve, hand back and
transfer end it with their reason.

Each function changes rows in the caller's session; the caller holds the conversation's lock, adds its notice
("Alice has joined the chat."), commits, and then announces the returned `ModeChange`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.db.models import Agent, Assignment, Conversation, Handoff, utcnow
from helpdesk.errors import Conflict
from helpdesk.realtime.events import Events
from helpdesk.vocabulary import (
    END_HANDED_BACK,
    END_RESOLVED,
    END_TRANSFERRED,
    HANDOFF_REASON_CHARS,
    MODE_AGENT,
    MODE_BOT,
    MODE_CLOSED,
    MODE_QUEUED,
)

NOT_WAITING = "this conversation is not waiting in the queue (someone may have claimed it)"


@dataclass(frozen=True)
class ModeChange:
    """A committed change of mode, to tell the customer's widget and the consoles."""

    conversation_id: str
    mode: str
    assignee: int | None
    previous_assignee: int | None = None
    rating_pending: bool = False  # resolved by an agent: the widget asks for a rating

    async def announce(self, events: Events) -> None:
        await events.mode(
            self.conversation_id, self.mode, self.assignee, self.previous_assignee, rating_pending=self.rating_pending
        )


def reopen(conversation: Conversation) -> None:
    """The customer writes after an agent closed the chat: a new bot episode starts (nothing to announce)."""
    if conversation.mode == MODE_CLOSED:
        conversation.mode = MODE_BOT


def hand_off(session: AsyncSession, conversation: Conversation, reason: str) -> ModeChange:
    """Into the agents' queue with a fresh entry (see the module docstring), for `reason`."""
    conversation.mode = MODE_QUEUED
    conversation.queued_at = utcnow()
    conversation.assigned_agent_id = None
    conversation.team = None
    conversation.slots = None  # gathered afresh for this handoff
    conversation.left_message_at = None  # a message left for an earlier handoff is answered
    session.add(Handoff(conversation_id=conversation.id, reason=reason[:HANDOFF_REASON_CHARS]))
    return ModeChange(conversation.id, MODE_QUEUED, None)


async def claim(session: AsyncSession, conversation: Conversation, agent: Agent) -> ModeChange:
    """The agent takes the conversation from the queue. Settled in the database: of two agents (in any helpdesk
    process) claiming at once, the conditional UPDATE lets one through and the other gets Conflict."""
    claimed = await session.execute(
        update(Conversation)
        .where(Conversation.id == conversation.id, Conversation.mode == MODE_QUEUED)
        .values(mode=MODE_AGENT, assigned_agent_id=agent.id, team=None, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise Conflict(NOT_WAITING)
    session.add(Assignment(conversation_id=conversation.id, agent_id=agent.id))
    await session.refresh(conversation)
    return ModeChange(conversation.id, MODE_AGENT, agent.id)


async def transfer_to_agent(session: AsyncSession, conversation: Conversation, target: Agent) -> ModeChange:
    previous = conversation.assigned_agent_id
    await _end_stint(session, conversation.id, END_TRANSFERRED)
    session.add(Assignment(conversation_id=conversation.id, agent_id=target.id))
    conversation.assigned_agent_id = target.id
    return ModeChange(conversation.id, MODE_AGENT, target.id, previous)


async def transfer_to_team(session: AsyncSession, conversation: Conversation, team: str) -> ModeChange:
    previous = conversation.assigned_agent_id
    await _end_stint(session, conversation.id, END_TRANSFERRED)
    conversation.mode = MODE_QUEUED
    conversation.assigned_agent_id = None
    conversation.team = team
    conversation.queued_at = conversation.queued_at or utcnow()  # keeps its place in the queue
    return ModeChange(conversation.id, MODE_QUEUED, None, previous)


async def requeue(session: AsyncSession, conversation: Conversation) -> ModeChange:
    """Back to the queue from an agent who went away before answering: it keeps its place (and its team)."""
    previous = conversation.assigned_agent_id
    await _end_stint(session, conversation.id, END_TRANSFERRED)
    conversation.mode = MODE_QUEUED
    conversation.assigned_agent_id = None
    conversation.queued_at = conversation.queued_at or utcnow()
    return ModeChange(conversation.id, MODE_QUEUED, None, previous)


async def hand_back(session: AsyncSession, conversation: Conversation) -> ModeChange:
    """Back to the bot, without a resolution (a follow-up is opened: helpdesk/conversation/followups.py)."""
    previous = conversation.assigned_agent_id
    await _end_stint(session, conversation.id, END_HANDED_BACK)
    conversation.mode = MODE_BOT
    conversation.assigned_agent_id = None
    return ModeChange(conversation.id, MODE_BOT, None, previous)


async def resolve(session: AsyncSession, conversation: Conversation) -> ModeChange:
    previous = conversation.assigned_agent_id
    await _end_stint(session, conversation.id, END_RESOLVED)
    conversation.mode = MODE_CLOSED
    conversation.closed_at = utcnow()
    conversation.assigned_agent_id = None
    return ModeChange(conversation.id, MODE_CLOSED, None, previous, rating_pending=True)


def discard(conversation: Conversation) -> ModeChange:
    """A queued chat closed without an agent (a supervisor clearing junk): nothing to rate, nobody assigned."""
    if conversation.mode != MODE_QUEUED:
        raise Conflict(NOT_WAITING)
    conversation.mode = MODE_CLOSED
    conversation.closed_at = utcnow()
    conversation.assigned_agent_id = None
    conversation.team = None
    return ModeChange(conversation.id, MODE_CLOSED, None)


async def open_stint(session: AsyncSession, conversation_id: str) -> Assignment | None:
    """The agent's stint going on now, if any."""
    return await session.scalar(
        select(Assignment)
        .where(Assignment.conversation_id == conversation_id, Assignment.ended_at.is_(None))
        .order_by(Assignment.id.desc())
        .limit(1)
    )


async def _end_stint(session: AsyncSession, conversation_id: str, reason: str) -> None:
    stint = await open_stint(session, conversation_id)
    if stint is not None:
        stint.ended_at = utcnow()
        stint.end_reason = reason
