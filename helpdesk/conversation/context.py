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
from urllib.parse import quote

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from helpdesk.db.models import TIER_STANDARD, TIER_VIP, Conversation, Message
from helpdesk.realtime.events import Events
from helpdesk.vocabulary import SENDER_CUSTOMER

log = logging.getLogger(__name__)

SKIPPED = {"decision": "skipped", "candidates": []}  # a button press: nothing to search for
INTERNAL_SLOTS = frozenset({"requested_slot", "session_started_metadata"})
TURNS_TO_FILL = 30


class KnowledgeClient:
    """The action server's FAQ search and the Rasa tracker's slots."""

    def __init__(self, actions_url: str, rasa_url: str, rasa_token: str, timeout: float = 10.0) -> None:
        self.actions_url = actions_url.rstrip("/")
        self.rasa_url = rasa_url.rstrip("/")
        self.rasa_token = rasa_token
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=2.0))

    async def close(self) -> None:
        await self._http.aclose()

    async def search(self, question: str) -> dict[str, Any] | None:
        """{"decision", "candidates": [{id, title, score}]}, or None when the engine cannot answer now."""
        try:
            response = await self._http.get(f"{self.actions_url}/kb/search", params={"q": question[:2000]})
            if response.status_code != 200:
                return None
            body = response.json()
        except (httpx.HTTPError, ValueError):
            return None
        return {"decision": body.get("decision"), "candidates": body.get("candidates") or []}

    async def cluster(self, texts: list[str], timeout: float = 120.0) -> list[dict[str, Any]] | None:
        """Questions grouped by meaning ([{"members": [index, ...], "closest": {id, title, score, tags} | None}],
        biggest first), or None when the engine cannot answer now."""
        try:
            response = await self._http.post(f"{self.actions_url}/kb/cluster", json={"texts": texts}, timeout=timeout)
            if response.status_code != 200:
                return None
            clusters = response.json().get("clusters")
        except (httpx.HTTPError, ValueError):
            return None
        return clusters if isinstance(clusters, list) else None

    async def entry(self, faq_id: str) -> dict[str, Any] | None:
        try:
            response = await self._http.get(f"{self.actions_url}/kb/entries/{quote(faq_id, safe='')}")
            return response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError):
            return None

    async def slots(self, conversation_id: str) -> dict[str, Any] | None:
        params = {"include_events": "NONE", **({"token": self.rasa_token} if self.rasa_token else {})}
        try:
            response = await self._http.get(
                f"{self.rasa_url}/conversations/{quote(conversation_id, safe='')}/tracker", params=params
            )
            if response.status_code != 200:
                return None
            slots = response.json().get("slots") or {}
        except (httpx.HTTPError, ValueError):
            return None
        return {k: v for k, v in slots.items() if v is not None and k not in INTERNAL_SLOTS}


def tier_from_slots(slots: dict[str, Any]) -> str | None:
    tier = str(slots.get("customer_tier") or slots.get("tier") or "").lower()
    return tier if tier in (TIER_STANDARD, TIER_VIP) else None


class ContextService:
    def __init__(self, sessions: async_sessionmaker, client: KnowledgeClient, events: Events) -> None:
        self.sessions = sessions
        self.client = client
        self.events = events
        self._running: dict[str, asyncio.Task[bool]] = {}

    async def _search(self, text: str, payload: str | None) -> dict[str, Any] | None:
        if payload:
            return SKIPPED
        return await self.client.search(text)

    async def _enrich(self, conversation_id: str) -> bool:
        """Fill in what is missing; True when the customer's tier changed (the queue order moves).

        The searches run with no database transaction open; the results are written in one go."""
        async with self.sessions() as session:
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
        slots = await self.client.slots(conversation_id) if need_slots else None
        async with self.sessions() as session:
            for message_id, candidates in found.items():
                message = await session.get(Message, message_id)
                if message is not None and candidates is not None and message.faq_candidates is None:
                    message.faq_candidates = candidates
            tier_changed = False
            conversation = await session.get(Conversation, conversation_id)
            if conversation is not None and slots is not None and conversation.slots is None:
                conversation.slots = slots
                tier = tier_from_slots(slots)
                if tier is not None and tier != conversation.customer_tier:
                    conversation.customer_tier = tier
                    tier_changed = True
            await session.commit()
            return tier_changed

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
        """The candidates for one customer message sent during a handoff; the console hears of them."""
        async with self.sessions() as session:
            message = await session.get(Message, message_id)
            if message is None or message.faq_candidates is not None:
                return
            text, payload = message.text, message.payload
        candidates = await self._search(text, payload)
        if candidates is None:
            return
        async with self.sessions() as session:
            message = await session.get(Message, message_id)
            if message is None:
                return
            message.faq_candidates = candidates
            await session.commit()
        await self.events.context(conversation_id, assignee, message_id, candidates)
