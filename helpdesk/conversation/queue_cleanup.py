"""Clearing junk from the queue: a supervisor closes, in one go, queued chats in which the customer never wrote a
word (only pressed buttons, such as "Talk to a person" on a brand-new conversation: what a queue flood is made of),
or the queued chats they picked. Each closed chat is told so (its widget shows the chat closed; a customer who
writes again starts afresh with the bot); the consoles get the new queue once."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.conversation import lifecycle
from helpdesk.conversation.queue import QueueNotifier, customer_wrote
from helpdesk.db.models import Agent, Conversation
from helpdesk.errors import Forbidden
from helpdesk.limits.locks import ConversationLocks
from helpdesk.realtime.events import Events
from helpdesk.vocabulary import MODE_QUEUED

MAX_AT_ONCE = 1000


async def close_queued(
    sessions: async_sessionmaker[AsyncSession],
    locks: ConversationLocks,
    events: Events,
    queue: QueueNotifier,
    supervisor: Agent,
    conversation_ids: Sequence[str] | None,
) -> list[str]:
    """Close the queued chats `conversation_ids` (None: every queued chat without a word from the customer, at most
    MAX_AT_ONCE); the ones closed. Supervisors and admins only (Forbidden)."""
    if not supervisor.can_supervise:
        raise Forbidden("only supervisors and admins close queued chats in bulk")
    async with sessions() as session:
        query = select(Conversation.id).where(Conversation.mode == MODE_QUEUED)
        if conversation_ids is None:
            query = query.where(~customer_wrote())
        else:
            query = query.where(Conversation.id.in_(list(conversation_ids)))
        candidates = list(await session.scalars(query.order_by(Conversation.queued_at).limit(MAX_AT_ONCE)))
    closed = []
    for conversation_id in candidates:
        async with sessions() as session, locks(conversation_id):
            conversation = await session.get(Conversation, conversation_id)
            if conversation is None or conversation.mode != MODE_QUEUED:
                continue  # claimed meanwhile
            change = lifecycle.discard(conversation)
            await session.commit()
        await change.announce(events)
        closed.append(conversation_id)
    if closed:
        await queue.changed()
    return closed
