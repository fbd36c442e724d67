"""What a queue card or a chat card in the console says about a conversation at a glance: the customer's name (as
the bot or the customer's left message knew it), and the customer's first real question — the first thing they
typed that says what they want, not a button press and not a bare "Talk to a person" or "hello"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.db.models import Conversation, ConversationLabel, Label, Message
from helpdesk.vocabulary import SENDER_CUSTOMER

QUESTION_CHARS = 140
# turns that only open, close or steer the chat: skipped when they are short (a long one may carry the question)
STEERING_INTENTS = frozenset(
    {"request_human", "greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "chitchat", "vague_opener"}
)
STEERING_WORDS = 6
CJK_STEERING_CHARS = 10  # Chinese has no spaces: a short line is a steering one


def is_steering(text: str, intent: str | None) -> bool:
    if intent not in STEERING_INTENTS:
        return False
    words = text.split()
    if len(words) <= 1 and any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return len(text.strip()) <= CJK_STEERING_CHARS
    return len(words) <= STEERING_WORDS


def customer_name(conversation: Conversation) -> str | None:
    """The name the bot verified, or the one the customer gave with a left message."""
    slots: Mapping[str, Any] = conversation.slots or {}
    for value in (slots.get("customer_name"), (conversation.offline_contact or {}).get("name")):
        if isinstance(value, str) and value.strip():
            return value.strip()[:100]
    return None


def customer_email(conversation: Conversation) -> str | None:
    slots: Mapping[str, Any] = conversation.slots or {}
    for value in (slots.get("customer_email"), slots.get("email"), (conversation.offline_contact or {}).get("email")):
        if isinstance(value, str) and "@" in value:
            return value.strip()[:254]
    return None


async def first_questions(session: AsyncSession, conversation_ids: Iterable[str]) -> dict[str, str]:
    """Per conversation, the customer's first real question (or, when every turn was steering, their last typed
    line); conversations where the customer typed nothing are left out."""
    ids = list(dict.fromkeys(conversation_ids))
    found: dict[str, str] = {}
    fallback: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        rows = await session.execute(
            select(Message.conversation_id, Message.text, Message.payload, Message.nlu)
            .where(Message.conversation_id.in_(ids[start : start + 500]), Message.sender == SENDER_CUSTOMER)
            .order_by(Message.id)
        )
        for conversation_id, text, payload, nlu in rows.all():
            if conversation_id in found or (payload or "").startswith("/") or not (text or "").strip():
                continue
            intent = (nlu or {}).get("intent") if isinstance(nlu, dict) else None
            if is_steering(text, intent if isinstance(intent, str) else None):
                fallback[conversation_id] = text
                continue
            found[conversation_id] = text
    for conversation_id, text in fallback.items():
        found.setdefault(conversation_id, text)
    return {k: v.strip()[:QUESTION_CHARS] for k, v in found.items()}


async def labels_of(session: AsyncSession, conversation_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Per conversation, its labels (by name)."""
    ids = list(dict.fromkeys(conversation_ids))
    found: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(ids), 500):
        rows = await session.execute(
            select(ConversationLabel.conversation_id, Label)
            .join(Label, Label.id == ConversationLabel.label_id)
            .where(ConversationLabel.conversation_id.in_(ids[start : start + 500]))
            .order_by(Label.name)
        )
        for conversation_id, label in rows.all():
            found.setdefault(conversation_id, []).append(label.to_json())
    return found
