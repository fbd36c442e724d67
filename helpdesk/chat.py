"""Customer chat: store every message first, then route it to the bot or, during a handoff, to agents."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.models import (
    MODE_AGENT,
    MODE_BOT,
    MODE_CLOSED,
    MODE_QUEUED,
    Conversation,
    Handoff,
    Message,
)
from helpdesk.rasa_client import BotTurn, BotUnavailable, RasaClient

log = logging.getLogger(__name__)

# payloads the widget may always send, with the text the customer saw on the control
WIDGET_PAYLOADS = {"/request_human": "Talk to a person"}


class ConversationNotFound(Exception):
    pass


@dataclass
class ChatResult:
    conversation_id: str
    mode: str
    replies: list[dict[str, Any]] = field(default_factory=list)
    nlu: dict[str, Any] | None = None
    faq: dict[str, Any] | None = None
    handoff: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        nlu = None
        if self.nlu is not None:
            nlu = {k: self.nlu[k] for k in ("intent", "confidence", "ranking", "entities") if k in self.nlu}
        return {
            "conversation_id": self.conversation_id,
            "mode": self.mode,
            "replies": self.replies,
            "nlu": nlu,
            "faq": self.faq,
            "handoff": self.handoff,
        }


class BotDown(Exception):
    """The bot could not answer; the customer's message is stored."""

    def __init__(self, conversation_id: str, reason: str) -> None:
        super().__init__(reason)
        self.conversation_id = conversation_id


def new_conversation_id() -> str:
    """Unguessable: the id is the customer's only credential for their conversation."""
    return secrets.token_urlsafe(18)


async def _offered_button_title(session: AsyncSession, conversation_id: str, payload: str) -> str | None:
    """The title of `payload` if the bot's latest message offered it as a button."""
    last_bot = await session.scalar(
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.sender == "bot")
        .order_by(Message.id.desc())
        .limit(1)
    )
    for button in (last_bot.buttons or []) if last_bot else []:
        if button.get("payload") == payload:
            return str(button.get("title") or payload)
    return None


async def _customer_text(session: AsyncSession, conversation_id: str, text: str) -> tuple[str, str]:
    """(text shown and stored, text sent to the bot).

    A button payload ("/intent{...}") is honoured only when the bot offered it; any other leading
    slash is dropped so customers cannot inject intents or entities by typing them.
    """
    if not text.startswith("/"):
        return text, text
    if text in WIDGET_PAYLOADS:
        return WIDGET_PAYLOADS[text], text
    title = await _offered_button_title(session, conversation_id, text)
    if title is not None:
        return title, text
    plain = text.lstrip("/").strip() or text
    return text, plain


class ChatService:
    def __init__(self, sessions: async_sessionmaker, bot: RasaClient) -> None:
        self.sessions = sessions
        self.bot = bot

    async def _conversation(self, session: AsyncSession, conversation_id: str | None) -> Conversation:
        if conversation_id is None:
            conversation = Conversation(id=new_conversation_id(), mode=MODE_BOT)
            session.add(conversation)
            return conversation
        conversation = await session.get(Conversation, conversation_id)
        if conversation is None:
            raise ConversationNotFound(conversation_id)
        return conversation

    async def handle(self, conversation_id: str | None, text: str, client_id: str | None = None) -> ChatResult:
        async with self.sessions() as session:
            conversation = await self._conversation(session, conversation_id)
            if conversation.mode == MODE_CLOSED:
                conversation.mode = MODE_BOT  # a new message after closing starts a new bot episode
            shown, to_bot = await _customer_text(session, conversation.id, text)
            customer_message = await self._stored_once(session, conversation.id, client_id)
            if customer_message is None:
                customer_message = Message(
                    conversation_id=conversation.id,
                    sender="customer",
                    text=shown,
                    payload=to_bot if to_bot != shown else None,
                    client_id=client_id,
                )
                session.add(customer_message)
            await session.commit()  # stored before it is answered
            if conversation.mode in (MODE_QUEUED, MODE_AGENT):
                return ChatResult(conversation.id, conversation.mode)

            try:
                turn = await self.bot.send(conversation.id, to_bot)
            except BotUnavailable as exc:
                log.error("conversation %s: bot unavailable: %s", conversation.id, exc)
                raise BotDown(conversation.id, str(exc)) from exc
            await self._store_turn(session, conversation, customer_message, turn)
            return ChatResult(conversation.id, conversation.mode, turn.replies, turn.nlu, turn.faq, turn.handoff)

    @staticmethod
    async def _stored_once(session: AsyncSession, conversation_id: str, client_id: str | None) -> Message | None:
        """The message already stored under this client id (a retry after a failure), if any."""
        if client_id is None:
            return None
        return await session.scalar(
            select(Message).where(Message.conversation_id == conversation_id, Message.client_id == client_id)
        )

    async def _store_turn(
        self, session: AsyncSession, conversation: Conversation, customer_message: Message, turn: BotTurn
    ) -> None:
        customer_message.nlu = turn.nlu
        for index, reply in enumerate(turn.replies):
            session.add(
                Message(
                    conversation_id=conversation.id,
                    sender="bot",
                    text=reply["text"],
                    buttons=reply["buttons"] or None,
                    faq=turn.faq if index == 0 else None,
                )
            )
        if turn.handoff is not None:
            reason = str(turn.handoff.get("reason") or "unspecified")[:32]
            conversation.mode = MODE_QUEUED
            session.add(Handoff(conversation_id=conversation.id, reason=reason))
        await session.commit()

    async def history(self, conversation_id: str, after: int = 0) -> tuple[str, list[dict[str, Any]]]:
        async with self.sessions() as session:
            conversation = await session.get(Conversation, conversation_id)
            if conversation is None:
                raise ConversationNotFound(conversation_id)
            rows = await session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id, Message.id > after)
                .order_by(Message.id)
            )
            return conversation.mode, [m.to_public() for m in rows]
