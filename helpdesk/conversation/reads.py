"""What an agent has read in the console: the chat cards' unread counts, as Chatwoot keeps them.

An agent's read of a conversation is the highest message id they have seen there (`ConversationRead`); opening the
conversation reads it to the end, and a console showing it reads each new message as it arrives. A card's count is
the customer's messages after that read, from the moment the conversation's current agent got it (a chat just
assigned counts what the customer wrote since; what they told the bot before is not "new" to anyone). Kept in the
database: a reload, another of the agent's consoles and another helpdesk process see the same counts.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.db.batches import in_batches
from helpdesk.db.models import Assignment, ConversationRead, Message, utcnow
from helpdesk.vocabulary import SENDER_CUSTOMER


async def mark_seen(session: AsyncSession, agent_id: int, conversation_id: str, message_id: int) -> bool:
    """The agent has seen the conversation up to `message_id` (never moves back). Commits. True when it moved."""
    read = await session.get(ConversationRead, (agent_id, conversation_id))
    if read is not None and read.seen_message_id >= message_id:
        return False
    if read is None:
        session.add(
            ConversationRead(
                agent_id=agent_id, conversation_id=conversation_id, seen_message_id=message_id, seen_at=utcnow()
            )
        )
        try:
            await session.commit()
            return True
        except IntegrityError:  # the agent's other console wrote it first: move that one on
            await session.rollback()
            read = await session.get(ConversationRead, (agent_id, conversation_id))
            if read is None or read.seen_message_id >= message_id:
                return False
    read.seen_message_id = message_id
    read.seen_at = utcnow()
    await session.commit()
    return True


async def unread_counts(session: AsyncSession, agent_id: int, conversation_ids: Iterable[str]) -> dict[str, int]:
    """Per conversation, the customer's messages the agent has not seen since its current agent got it (absent:
    none)."""
    ids = list(dict.fromkeys(conversation_ids))
    if not ids:
        return {}
    stint_start = (
        select(func.max(Assignment.assigned_at))
        .where(Assignment.conversation_id == Message.conversation_id, Assignment.ended_at.is_(None))
        .correlate(Message)
        .scalar_subquery()
    )
    seen = (
        select(ConversationRead.seen_message_id)
        .where(ConversationRead.agent_id == agent_id, ConversationRead.conversation_id == Message.conversation_id)
        .correlate(Message)
        .scalar_subquery()
    )
    counts: dict[str, int] = {}
    for batch in in_batches(ids):
        rows = await session.execute(
            select(Message.conversation_id, func.count())
            .where(
                Message.conversation_id.in_(batch),
                Message.sender == SENDER_CUSTOMER,
                Message.created_at >= stint_start,
                Message.id > func.coalesce(seen, 0),
            )
            .group_by(Message.conversation_id)
        )
        counts.update({conversation_id: int(n) for conversation_id, n in rows.all()})
    return counts
