"""What the bot knew, kept for the agent: the FAQ engine's candidates for each customer turn and the bot's
slots (order number, e-mail, customer tier) at handoff.

The candidates come from the action server's `/kb/search` (the one process that holds the model);
they are stored on the message rows when a conversation is handed off, and for each later customer
message, so the console shows them without asking again.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.clients.action_server import ActionServerClient, ActionServerUnavailable
from helpdesk.clients.rasa import BotUnavailable, RasaClient
from helpdesk.db.engine import statements_on_their_own
from helpdesk.db.models import TIER_STANDARD, TIER_VIP, Conversation, Message
from helpdesk.realtime.events import Events
from helpdesk.vocabulary import SENDER_CUSTOMER

log = logging.getLogger(__name__)

SKIPPED = {"decision": "skipped", "candidates": []}  # a button press: nothing to search for
TURNS_TO_FILL = 30


def tier_from_slots(slots: dict[str, Any]) -> str | None:
    tier = str(slots.get("customer_tier") or slots.get("tier") or "").lower()
    return tier if tier in (TIER_STANDARD, TIER_VIP) else None


class ContextService:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], rasa: RasaClient, actions: ActionServerClient, events: Events
    ) -> None:
        self.sessions = sessions
        self.rasa = rasa
        self.actions = actions
        self.events = events
        self._running: dict[str, asyncio.Task[bool]] = {}

    async def _search(self, text: str, payload: str | None) -> dict[str, Any] | None:
        """The FAQ candidates for a customer's text; None when the engine cannot answer now (tried again later)."""
        if payload:
            return SKIPPED
        try:
            return await self.actions.search(text)
        except ActionServerUnavailable:
            return None

    async def _enrich(self, conversation_id: str) -> bool:
        """Fill in what is missing; True when the customer's tier changed (the queue order moves).

        The searches run with no database transaction open; the results are written in one go: one read of the
        messages to fill, whatever their number (issue 22: one read each before)."""
        async with self.sessions() as session:
            await statements_on_their_own(session)  # two reads: no BEGIN and ROLLBACK round trips
            conversation = await session.get(Conversation, conversation_id)
            if conversation is None:
                return False
            need_slots = conversation.slots is None
            turns = (
                await session.execute(
                    select(Message.id, Message.text, Message.payload)
                    .where(
                        Message.conversation_id == conversation_id,
                        Message.sender == SENDER_CUSTOMER,
                        Message.faq_candidates.is_(None),
                    )
                    .order_by(Message.id.desc())
                    .limit(TURNS_TO_FILL)
                )
            ).all()
        found = {message_id: await self._search(text, payload) for message_id, text, payload in turns}
        slots = await self._slots(conversation_id) if need_slots else None
        async with self.sessions() as session:
            # the reads first, then every write at the commit (the messages' UPDATEs in one go)
            conversation = await session.get(Conversation, conversation_id)
            filled = [message_id for message_id, candidates in found.items() if candidates is not None]
            messages = list(await session.scalars(select(Message).where(Message.id.in_(filled)))) if filled else []
            for message in messages:
                if message.faq_candidates is None:
                    message.faq_candidates = found[message.id]
            tier_changed = False
            if conversation is not None and slots is not None and conversation.slots is None:
                conversation.slots = slots
                tier = tier_from_slots(slots)
                if tier is not None and tier != conversation.customer_tier:
                    conversation.customer_tier = tier
                    tier_changed = True
            await session.commit()
            return tier_changed

    async def _slots(self, conversation_id: str) -> dict[str, Any] | None:
        try:
            return await self.rasa.slots(conversation_id)
        except BotUnavailable:
            return None

    async def ensure(self, conversation_id: str) -> bool:
        """Enrich the conversation (once at a time per conversation); True when the tier changed."""
        task = self._running.get(conversation_id)
        if task is None:
            task = asyncio.create_task(self._enrich(conversation_id))
            self._running[conversation_id] = task
            task.add_done_callback(lambda _t: self._running.pop(conversation_id, None))
        try:
            return await asyncio.shield(task)
        except Exception:
            log.exception("conversation %s: could not gather the bot's context", conversation_id)
            return False

    async def fill_turn(self, conversation_id: str, message_id: int, assignee: int | None) -> None:
        """The candidates for one customer message sent during a handoff; the console hears of them. One read and
        one UPDATE, each on its own (issue 22: was BEGIN, a read, another read of the message, UPDATE, COMMIT)."""
        async with self.sessions() as session:
            await statements_on_their_own(session)
            message = await session.get(Message, message_id)
            if message is None or message.faq_candidates is not None:
                return
            text, payload = message.text, message.payload
        candidates = await self._search(text, payload)
        if candidates is None:
            return
        async with self.sessions() as session:
            await statements_on_their_own(session)  # one statement: no BEGIN and COMMIT
            written = await session.execute(
                update(Message)
                .where(Message.id == message_id)
                .values(faq_candidates=candidates)
                .execution_options(synchronize_session=False)
            )
            if getattr(written, "rowcount", 0) == 0:  # the message is gone
                return
        await self.events.context(conversation_id, assignee, message_id, candidates)
