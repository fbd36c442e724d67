"""What a queue card or a chat card in the console says about a conversation at a glance: the customer's name (as
the bot or the customer's left message knew it), the customer's first real question — the first thing they
typed that says what they want, not a button press and not a bare "Talk to a person" or "hello" — and their latest
real line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.db.batches import in_batches
from helpdesk.db.models import Conversation, ConversationLabel, Label, Message
from helpdesk.vocabulary import SENDER_BOT, SENDER_CUSTOMER

QUESTION_CHARS = 140
# turns that only open, close or steer the chat, or only give the details the bot asked for (an order number, an
# e-mail address: "inform"): skipped when they are short (a long one may carry the question)
STEERING_INTENTS = frozenset(
    {
        "request_human",
        "greet",
        "goodbye",
        "thank",
        "affirm",
        "deny",
        "bot_challenge",
        "chitchat",
        "vague_opener",
        "inform",
    }
)
STEERING_WORDS = 6
# the latest line steers with more words: "I want to talk to a real person please" after the question says nothing
# new about it (a longer line asking for a person may: it is quoted)
LATEST_STEERING_WORDS = 12
CJK_STEERING_CHARS = 10  # Chinese has no spaces: a short line is a steering one
LATEST_LOOKBACK = 50  # customer messages read back for the latest real line of one conversation


def is_steering(text: str, intent: str | None, most_words: int = STEERING_WORDS) -> bool:
    if intent not in STEERING_INTENTS:
        return False
    words = text.split()
    if len(words) <= 1 and any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return len(text.strip()) <= CJK_STEERING_CHARS
    return len(words) <= most_words


def typed(text: str | None, payload: str | None) -> bool:
    """Whether a customer message is a line they typed (not a button press, not empty)."""
    return not (payload or "").startswith("/") and bool((text or "").strip())


def intent_of(nlu: object) -> str | None:
    """The intent the bot read in a customer message (None: not seen by the bot, e.g. written to an agent)."""
    read = nlu.get("intent") if isinstance(nlu, dict) else None
    return read if isinstance(read, str) else None


async def latest_real_message(session: AsyncSession, conversation_id: str) -> Message | None:
    """The customer's latest real line as a message, whole (what an agent's suggested replies answer: not a bare
    "a person please" after the question, as :class:`TypedLines`' latest), else their latest typed line."""
    rows = await session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.sender == SENDER_CUSTOMER)
        .order_by(Message.id.desc())
        .limit(LATEST_LOOKBACK)
    )
    lines = [m for m in rows if typed(m.text, m.payload)]
    real = (m for m in lines if not is_steering(m.text, intent_of(m.nlu), LATEST_STEERING_WORDS))
    return next(real, lines[0] if lines else None)


async def bot_answered_from(session: AsyncSession, message: Message) -> dict[str, Any] | None:
    """The handbook entry ({"id", "score", …}) the bot answered the customer's ``message`` from, if it did: the bot's
    replies to it (before the customer's next message) that carry one. The bot may answer from a rule (damage words,
    say) where a plain handbook search of the same text ranks other entries first."""
    replies = await session.scalars(
        select(Message)
        .where(Message.conversation_id == message.conversation_id, Message.id > message.id)
        .order_by(Message.id)
        .limit(LATEST_LOOKBACK)
    )
    for reply in replies:
        if reply.sender == SENDER_CUSTOMER:
            return None
        if reply.sender == SENDER_BOT and isinstance(reply.faq, dict) and isinstance(reply.faq.get("id"), str):
            return reply.faq
    return None


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
    return {k: lines.first for k, lines in (await typed_lines(session, conversation_ids)).items()}


@dataclass(frozen=True)
class TypedLines:
    """What a card quotes of the customer: their first real question and their latest real line (each falling back
    to the last typed line when every turn was steering). A queue card shows the latest, as Chatwoot's and
    Intercom's inboxes do: what the customer added while waiting ("also the lamp is broken", "hello?? anyone") is
    what the agent picks the chat up with; a bare "talk to a person" after the question is not."""

    first: str
    latest: str


async def typed_lines(session: AsyncSession, conversation_ids: Iterable[str]) -> dict[str, TypedLines]:
    """Per conversation, :class:`TypedLines`; conversations where the customer typed nothing are left out."""
    ids = list(dict.fromkeys(conversation_ids))
    first: dict[str, str] = {}
    latest: dict[str, str] = {}
    last_typed: dict[str, str] = {}
    for batch in in_batches(ids):
        rows = await session.execute(
            select(Message.conversation_id, Message.text, Message.payload, Message.nlu)
            .where(Message.conversation_id.in_(batch), Message.sender == SENDER_CUSTOMER)
            .order_by(Message.id)
        )
        for conversation_id, text, payload, nlu in rows.all():
            if not typed(text, payload):
                continue
            last_typed[conversation_id] = text
            intent = intent_of(nlu)
            if not is_steering(text, intent):
                first.setdefault(conversation_id, text)
            if not is_steering(text, intent, LATEST_STEERING_WORDS):
                latest[conversation_id] = text
    found: dict[str, TypedLines] = {}
    for k, fallback in last_typed.items():
        found[k] = TypedLines(
            first.get(k, fallback).strip()[:QUESTION_CHARS], latest.get(k, fallback).strip()[:QUESTION_CHARS]
        )
    return found


async def labels_of(session: AsyncSession, conversation_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Per conversation, its labels (by name)."""
    ids = list(dict.fromkeys(conversation_ids))
    found: dict[str, list[dict[str, Any]]] = {}
    for batch in in_batches(ids):
        rows = await session.execute(
            select(ConversationLabel.conversation_id, Label)
            .join(Label, Label.id == ConversationLabel.label_id)
            .where(ConversationLabel.conversation_id.in_(batch))
            .order_by(Label.name)
        )
        for conversation_id, label in rows.all():
            found.setdefault(conversation_id, []).append(label.to_json())
    return found
