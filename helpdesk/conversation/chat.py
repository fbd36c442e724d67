"""Customer chat: store every message first, then route it to the bot or, during a handoff, to agents."""

from __future__ import annotations

import asyncio
import functools
import logging
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Integer, Select, TextualSelect, and_, bindparam, func, insert, inspect, select, text
from sqlalchemy import column as column_of
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import ReturningInsert

from helpdesk.background import Background
from helpdesk.clients.rasa import BotBusy, BotTurn, BotUnavailable, RasaClient
from helpdesk.conversation import burst, feedback, followups, lifecycle, script
from helpdesk.conversation.business_hours import BusinessHours, OpeningStatus
from helpdesk.conversation.context import ContextService
from helpdesk.conversation.notices import away_text, left_text, offer_wait_text, too_many_handoffs
from helpdesk.conversation.pending import PendingTurns
from helpdesk.conversation.queue import QueueNotifier, position_of, queued_ids
from helpdesk.db.engine import statements_on_their_own
from helpdesk.db.models import Agent, Assignment, Conversation, Message, PublicAuthor, Rating, aware, utcnow
from helpdesk.errors import Conflict, NotFound, Unavailable
from helpdesk.i18n import LANGUAGES, payload_in_language
from helpdesk.limits.locks import ConversationLocks
from helpdesk.limits.window import Limiter
from helpdesk.mail.order_list import OrderListRequests
from helpdesk.realtime.events import Events
from helpdesk.vocabulary import (
    END_RESOLVED,
    HANDOFF_LEFT_MESSAGE,
    HANDOFF_UNSPECIFIED,
    MODE_AGENT,
    MODE_BOT,
    MODE_CLOSED,
    MODE_QUEUED,
    SENDER_BOT,
    SENDER_CUSTOMER,
    WIDGET_PAYLOADS,
    WIDGET_PAYLOADS_ZH,
)
from nlu_addons.language import language_after, language_of, says_no_language

log = logging.getLogger(__name__)

PENDING_INTERVAL = 2.0  # seconds between checks whether the bot is back for the messages that wait for it
DOWN_TEXT = (
    "one moment: the assistant is unavailable right now; your message is saved and will be answered here as soon as "
    "it is back"
)
BUSY_TEXT = "one moment: many customers are writing right now; your message is saved and will be answered here shortly"


class ConversationNotFound(NotFound):
    def __init__(self, message: str = "unknown conversation_id") -> None:
        super().__init__(message)


class RatingRefused(Conflict):
    """Nothing to rate: the conversation was not resolved by an agent, or it is rated already."""

    def __init__(self) -> None:
        super().__init__("there is no resolved chat to rate here (or it is rated already)")


class MessageRefused(Conflict):
    """A message for the team cannot be left here: an agent is already in the chat."""

    def __init__(self) -> None:
        super().__init__("a member of our team is in this chat: just send your message")


@dataclass(frozen=True)
class LeftMessage:
    """What a customer leaves for the team out of business hours (the contact fields are optional)."""

    text: str
    name: str | None = None
    email: str | None = None

    def contact(self) -> dict[str, str]:
        return {k: v for k, v in (("name", self.name), ("email", self.email)) if v}


@dataclass
class ChatResult:
    conversation_id: str
    mode: str
    replies: list[dict[str, Any]] = field(default_factory=list)  # the stored bot messages, as the widget shows them
    nlu: dict[str, Any] | None = None
    faq: dict[str, Any] | None = None
    handoff: dict[str, Any] | None = None
    message: dict[str, Any] | None = None  # the customer's message as stored (its id and time)
    # the bot offered a person as a choice (no handoff yet): {"reason"}
    offer_person: dict[str, Any] | None = None
    message_language: str | None = None  # the customer's message's language as stored (language_after)
    # the script of the conversation's Chinese (True traditional, False simplified, None not shown) once read
    # (`script_read`): the bot's turn reads it for its replies, `ChatService.handle` otherwise
    traditional: bool | None = None
    script_read: bool = False

    def language(self) -> str | None:
        """The language of the customer message just handled (docs/design.md contract 7): the NLU's reading, else
        the stored text's script (a message the bot did not read: held, queued, or left for the team)."""
        text = str((self.message or {}).get("text") or "")
        if self.message_language in LANGUAGES and says_no_language(text):
            # "ann.lee@example.com", "100160" in a Chinese conversation: the conversation's language, in which the bot
            # answers it (the script alone says English, and the widget's own words turned English mid-chat)
            return self.message_language
        for entity in (self.nlu or {}).get("entities") or []:
            if entity.get("entity") == "language" and entity.get("value") in LANGUAGES:
                return str(entity["value"])
        return language_of(text) if text else None

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
            "message": self.message,
            "offer_person": self.offer_person,
            "language": self.language(),
            # additive to DESIGN.md contract 7: "Hant" | "Hans" for a Chinese message (None: English, or no message
            # of the customer shows a script yet)
            "script": script.script_name(self.traditional) if self.language() == "zh" else None,
        }


class BotDown(Unavailable):
    """The bot could not answer; the customer's message is stored (in `conversation_id`, told to the widget) and
    waits for the bot (`pending`): it is answered in the chat as soon as the bot is back (PendingTurns), or, when
    the bot was only busy (`busy`: no room for the turn, helpdesk/clients/rasa.py), as soon as it has room."""

    def __init__(self, conversation_id: str, reason: str, busy: bool = False) -> None:
        super().__init__(
            BUSY_TEXT if busy else DOWN_TEXT,
            conversation_id=conversation_id,
            pending=True,
            **({"busy": True} if busy else {}),
        )
        self.conversation_id = conversation_id
        self.reason = reason


def new_conversation_id() -> str:
    """Unguessable: the id is the customer's only credential for their conversation. Never starting with "-": a
    spreadsheet would read the exported id as a formula and a command line as an option."""
    while (conversation_id := secrets.token_urlsafe(18)).startswith("-"):
        pass
    return conversation_id


@functools.cache
def _last_bot_message_statement() -> Select[Message]:
    """`_offered_button_title`'s read (the bot's latest message), built once with the conversation as a parameter:
    built anew for each button pressed, its cache key was generated again on every execution (issue 22)."""
    return (
        select(Message)
        .where(
            Message.conversation_id == bindparam("conversation_id", type_=Message.__table__.c.conversation_id.type),
            Message.sender == SENDER_BOT,
        )
        .order_by(Message.id.desc())
        .limit(1)
    )


async def _offered_button_title(session: AsyncSession, conversation_id: str, payload: str) -> str | None:
    """The title of `payload` if the bot's latest message offered it as a button."""
    last_bot = await session.scalar(_last_bot_message_statement(), {"conversation_id": conversation_id})
    for button in (last_bot.buttons or []) if last_bot else []:
        if button.get("payload") == payload:
            return str(button.get("title") or payload)
    return None


PAGE_SCRIPT = "page_script"  # in a message's metadata: "Hant" when the widget's page is in traditional characters
MAIL = "mail"  # in a message's metadata: "on" when this helpdesk sends e-mail (actions/no_order_number.py)


def bot_metadata(
    customer_token: str | None, client_address: str | None, page_traditional: bool = False, mail_on: bool = False
) -> dict[str, str] | None:
    """What the bot's actions learn about the message besides its text (helpdesk/orders/attempts.py reads them), the
    page's script when it is traditional (`_writes_traditional`: the replies' script when no message shows one), and
    whether e-mail goes out (the list of a customer's orders may be offered by e-mail)."""
    metadata = {
        "customer_token": customer_token,
        "client_address": client_address,
        PAGE_SCRIPT: script.script_name(True) if page_traditional else None,
        MAIL: "on" if mail_on else None,
    }
    return {key: value for key, value in metadata.items() if value} or None


def never_a_command(text: str) -> str:
    """`text` as the bot may read it: never a Rasa command.

    Rasa strips a message (str.strip) and reads one that then starts with "/" as an intent at confidence 1.0, with
    any entities in braces ("/inform{...}"), or as a command ("/restart" wipes the conversation's memory). Every
    leading slash goes, with the whitespace and invisible characters around them ("/ /x", "// /x", "/\t/x",
    "/\u00a0/x", "\u200b/x"); what is left is read as words. A message of nothing but slashes becomes "?".
    """
    start = 0
    while start < len(text) and (
        text[start] == "/" or text[start].isspace() or unicodedata.category(text[start]) == "Cf"
    ):
        start += 1
    return text[start:] or "?"


async def _customer_text(
    session: AsyncSession,
    conversation_id: str,
    text: str,
    topics: Sequence[dict[str, str]] = (),
    page_language: str = "en",
    page_traditional: bool = False,
) -> tuple[str, str]:
    """(text shown and stored, text sent to the bot).

    A button payload ("/intent{...}") passes as it is only when the bot offered it (in its latest message, or among
    the greeting's `topics`, which the widget offers before the first message), or it is one of the widget's own
    payloads; any other text reaches the bot as words (`never_a_command`), so customers cannot inject intents,
    entities or commands by typing them. The widget's own payloads and the greeting's topics are shown in the page's
    script (`page_traditional`: "轉人工客服" on a zh-TW page), as the widget showed them; the bot's buttons are stored
    in the customer's already.
    """
    if text in WIDGET_PAYLOADS:
        shown = (WIDGET_PAYLOADS_ZH if page_language == "zh" else WIDGET_PAYLOADS)[text]
        return script.in_script(shown, page_traditional), text
    if text.startswith("/"):
        title = await _offered_button_title(session, conversation_id, text)
        if title is None:
            topic = next((t["title"] or text for t in topics if t["payload"] == text), None)
            title = script.in_script(topic, page_traditional) if topic is not None else None
        if title is not None:
            return title, text
    return text, never_a_command(text)


async def public_authors(session: AsyncSession, agent_ids: Iterable[int]) -> dict[int, PublicAuthor]:
    """Agents as customers see them on their messages (name and avatar), by id."""
    ids = set(agent_ids)
    if not ids:
        return {}
    return {a.id: PublicAuthor.of(a) for a in await session.scalars(select(Agent).where(Agent.id.in_(ids)))}


@dataclass
class ChatStatus:
    """What the widget needs besides the transcript."""

    mode: str
    queue_position: int | None = None
    estimated_wait_seconds: int | None = None  # None out of business hours: no wait is promised
    rating_pending: bool = False
    business_hours: OpeningStatus | None = None
    left_message_at: datetime | None = None  # the customer left a message for the team (this handoff)

    def to_json(self) -> dict[str, Any]:
        queue = None
        if self.queue_position is not None:
            queue = {"position": self.queue_position, "estimated_wait_seconds": self.estimated_wait_seconds}
        return {
            "mode": self.mode,
            "queue": queue,
            "rating_pending": self.rating_pending,
            "business_hours": self.business_hours.to_json() if self.business_hours is not None else None,
            "left_message_at": aware(self.left_message_at).isoformat() if self.left_message_at else None,
        }


async def resolved_assignment(session: AsyncSession, conversation: Conversation) -> Assignment | None:
    """The agent's stint that closed this conversation, if it was closed by an agent and is not rated yet."""
    if conversation.mode != MODE_CLOSED:
        return None
    assignment = await session.scalar(
        select(Assignment).where(Assignment.conversation_id == conversation.id).order_by(Assignment.id.desc()).limit(1)
    )
    if assignment is None or assignment.end_reason != END_RESOLVED:
        return None
    rated = await session.scalar(select(Rating.id).where(Rating.assignment_id == assignment.id))
    return None if rated is not None else assignment


@dataclass(frozen=True)
class StoredTurn:
    """What a bot turn answered besides its replies: the conversation's mode after it, the NLU, FAQ and handoff."""

    mode: str
    nlu: dict[str, Any] | None
    faq: dict[str, Any] | None
    handoff: dict[str, Any] | None
    offer: dict[str, Any] | None = None  # a person offered as a choice: {"reason"}
    traditional: bool | None = None  # the script its replies are written in (`_writes_traditional`)


@functools.cache
def _unanswered_statement() -> Select[Conversation, Message]:
    """`unanswered`'s statement, built once with the conversation's id as a parameter: a statement built anew for
    each turn had its cache key generated again on every execution, half of the statement's CPU (issue 22)."""
    conversation_id = bindparam("conversation_id", type_=Conversation.__table__.c.id.type)
    last_other = (
        select(func.coalesce(func.max(Message.id), 0))
        .where(Message.conversation_id == conversation_id, Message.sender != SENDER_CUSTOMER)
        .scalar_subquery()
    )
    waiting = and_(Message.conversation_id == Conversation.id, Message.id > last_other)
    return (
        select(Conversation, Message)
        .outerjoin(Message, waiting)
        .where(Conversation.id == conversation_id)
        .order_by(Message.id)
    )


async def unanswered(session: AsyncSession, conversation_id: str) -> tuple[Conversation | None, list[Message]]:
    """The conversation, and the customer's messages after the last message of anyone else (the bot's answer, an
    agent, a notice): what still waits for an answer, oldest first. One statement (one round trip): the conversation
    with each waiting message joined to it, or alone when none waits; (None, []) for an unknown conversation."""
    rows = (await session.execute(_unanswered_statement(), {"conversation_id": conversation_id})).all()
    conversation = rows[0][0] if rows else None
    return conversation, [message for _, message in rows if message is not None]


REPLY_COLUMNS = ("conversation_id", "sender", "text", "buttons", "faq", "asks_feedback", "offered_person", "created_at")


@functools.cache
def _store_statement(rows: int) -> TextualSelect:
    """`_store_replies_at_once`'s SQL for `rows` replies. Written as text, typed, and made once per number of rows:
    SQLAlchemy compiles a multi-row INSERT, or an ORM select with DML CTEs, again on every execution (their
    statements have no cache key), which cost more CPU than the two round trips it saves."""
    messages, conversations = Message.__table__, Conversation.__table__
    values = ", ".join("(" + ", ".join(f":{column}_{i}" for column in REPLY_COLUMNS) + ")" for i in range(rows))
    sql = (
        f"WITH noted AS (UPDATE {Message.__tablename__} SET nlu = :nlu WHERE id = :message_id), "
        f"stored AS (INSERT INTO {Message.__tablename__} ({', '.join(REPLY_COLUMNS)}) VALUES {values} RETURNING id) "
        f"SELECT stored.id AS stored_id, {', '.join(f'c.{column.name}' for column in conversations.columns)} "
        f"FROM {Conversation.__tablename__} c JOIN stored ON true WHERE c.id = :conversation_id"
    )
    binds = [
        bindparam("nlu", type_=messages.c.nlu.type),
        bindparam("message_id", type_=messages.c.id.type),
        bindparam("conversation_id", type_=conversations.c.id.type),
        *(bindparam(f"{column}_{i}", type_=messages.c[column].type) for i in range(rows) for column in REPLY_COLUMNS),
    ]
    read_back = [
        column_of("stored_id", messages.c.id.type),
        *(column_of(c.name, c.type) for c in conversations.columns),
    ]
    return text(sql).bindparams(*binds).columns(*read_back)


@functools.cache
def _conversation_columns() -> tuple[tuple[str, str], ...]:
    """(attribute, column name) of each of the conversation's columns, read from its mapping once (issue 22)."""
    return tuple((attribute.key, attribute.columns[0].name) for attribute in inspect(Conversation).column_attrs)


def _set_as_read(conversation: Conversation, row: RowMapping) -> None:
    """The conversation's columns as a statement read them back (as the ORM's refresh sets them: nothing to write)."""
    for key, column in _conversation_columns():
        set_committed_value(conversation, key, row[column])


async def _store_replies_at_once(
    session: AsyncSession,
    conversation: Conversation,
    customer_message: Message,
    nlu: dict[str, Any] | None,
    replies: list[Message],
) -> None:
    """A bot turn without a handoff stored in one PostgreSQL statement (one round trip, all or nothing): the NLU's
    reading of the customer's message (an UPDATE), the replies (one INSERT of every row) and the conversation read
    back as it is now (an agent may not act in bot mode, but be exact), where the ORM's flush sent three statements
    and built a unit of work for them (issue 22). `replies` get their ids (a multi-row INSERT takes the sequence's
    values in row order) and are not added to the session; the customer's message gets its `nlu` as stored, the
    conversation its columns as read (as the ORM's refresh would)."""
    params: dict[str, Any] = {"nlu": nlu, "message_id": customer_message.id, "conversation_id": conversation.id}
    for i, reply in enumerate(replies):
        params.update({f"{column}_{i}": getattr(reply, column) for column in REPLY_COLUMNS})
    rows = (await session.execute(_store_statement(len(replies)), params)).mappings().all()
    if len(rows) != len(replies):  # the conversation is gone (its rows could not be inserted either)
        raise ConversationNotFound()
    _set_as_read(conversation, rows[0])
    for reply, message_id in zip(replies, sorted(row["stored_id"] for row in rows), strict=True):
        reply.id = message_id
    set_committed_value(customer_message, "nlu", nlu)


@functools.cache
def _with_client_message_statement() -> Select[Conversation, Message]:
    """The conversation with the message stored under the sender's own id, if any (`ChatService._conversation`),
    built once with both as parameters (its cache key is not generated again for each message)."""
    messages = Message.__table__
    same_client = and_(
        Message.conversation_id == Conversation.id,
        Message.client_id == bindparam("client_id", type_=messages.c.client_id.type),
    )
    conversation_id = bindparam("conversation_id", type_=Conversation.__table__.c.id.type)
    return select(Conversation, Message).outerjoin(Message, same_client).where(Conversation.id == conversation_id)


@functools.cache
def _conversation_statement() -> Select[Conversation]:
    """A conversation by its id, built once with the id as a parameter (`_polled_conversation`)."""
    return select(Conversation).where(
        Conversation.id == bindparam("conversation_id", type_=Conversation.__table__.c.id.type)
    )


async def _polled_conversation(session: AsyncSession, conversation_id: str) -> Conversation | None:
    """The conversation, read as `session.get` reads it into a fresh session, for the widget's poll (`history` and
    `status`, every 2 s while a widget polls): `session.get` builds its SELECT, and generates its cache key, anew on
    every call (issue 22)."""
    return await session.scalar(_conversation_statement(), {"conversation_id": conversation_id})


@functools.cache
def _history_statement() -> Select[Message]:
    """`ChatService.history`'s read (the conversation's messages after a given one), built once (issue 22)."""
    messages = Message.__table__
    return (
        select(Message)
        .where(
            Message.conversation_id == bindparam("conversation_id", type_=messages.c.conversation_id.type),
            Message.id > bindparam("after", type_=messages.c.id.type),
        )
        .order_by(Message.id)
    )


@functools.cache
def _later_line_statement() -> Select[int]:
    """`ChatService._later_line`'s read (a customer message after the given one), built once with both as
    parameters: built anew for each held line, its cache key was generated again on every execution (issue 22)."""
    messages = Message.__table__
    return (
        select(Message.id)
        .where(
            Message.conversation_id == bindparam("conversation_id", type_=messages.c.conversation_id.type),
            Message.sender == SENDER_CUSTOMER,
            Message.id > bindparam("message_id", type_=messages.c.id.type),
        )
        .limit(1)
    )


CUSTOMER_COLUMNS = (
    "conversation_id", "sender", "text", "payload", "client_id", "language", "created_at", "asks_feedback"
)  # fmt: skip


@functools.cache
def _customer_insert() -> ReturningInsert[int]:
    """The INSERT of a customer's message (`_insert_customer_message`), built once: a Core statement on the table,
    so each execution finds its compiled form in SQLAlchemy's cache and no ORM unit of work is built for it."""
    messages = Message.metadata.tables[Message.__tablename__]
    return insert(messages).returning(messages.c.id)


async def _insert_customer_message(session: AsyncSession, message: Message) -> int:
    """`message` (a customer's, not in the session) stored in one INSERT statement: its new id. Its columns are the
    ones the ORM's flush wrote for it (those it sets, its `created_at` and `asks_feedback`); the others are NULL."""
    params = {column: getattr(message, column) for column in CUSTOMER_COLUMNS}
    return (await session.execute(_customer_insert(), params)).scalar_one()


@functools.cache
def _read_and_insert_statement() -> TextualSelect:
    """`_conversation_with_new_message`'s SQL, written as text once (as `_store_statement`): the conversation read,
    the message stored under the sender's own id looked for, and the customer's message inserted unless it is
    stored already or changes the conversation's language, in one statement. Its row: the conversation's columns,
    the id of the message stored before under that client id (a retry) and the id of the message inserted now
    (None when it was not)."""
    messages, conversations = Message.__table__, Conversation.__table__
    languages = ", ".join(f"'{language}'" for language in LANGUAGES)
    # the message's language is the conversation's when it says no language (language_after) or its script is
    # the conversation's language; otherwise nothing is inserted (the conversation's language changes with it)
    same_language = f"((:no_language AND c.language IN ({languages})) OR c.language = :script)"
    sql = (
        f"WITH c AS (SELECT * FROM {Conversation.__tablename__} WHERE id = :conversation_id), "
        f"prior AS (SELECT id FROM {Message.__tablename__} WHERE conversation_id = :conversation_id "
        f"AND client_id = :client_id ORDER BY id LIMIT 1), "
        f"stored AS (INSERT INTO {Message.__tablename__} ({', '.join(CUSTOMER_COLUMNS)}) "
        f"SELECT c.id, :sender, :text, :payload, :client_id, c.language, :created_at, false FROM c "
        f"WHERE NOT EXISTS (SELECT 1 FROM prior) AND {same_language} RETURNING id) "
        f"SELECT {', '.join(f'c.{column.name}' for column in conversations.columns)}, "
        f"(SELECT id FROM prior) AS prior_id, (SELECT id FROM stored) AS stored_id FROM c"
    )
    binds = [
        bindparam("conversation_id", type_=conversations.c.id.type),
        bindparam("client_id", type_=messages.c.client_id.type),
        bindparam("no_language", type_=Boolean()),
        bindparam("script", type_=conversations.c.language.type),
        bindparam("sender", type_=messages.c.sender.type),
        bindparam("text", type_=messages.c.text.type),
        bindparam("payload", type_=messages.c.payload.type),
        bindparam("created_at", type_=messages.c.created_at.type),
    ]
    read_back = [
        *(column_of(c.name, c.type) for c in conversations.columns),
        column_of("prior_id", Integer()),
        column_of("stored_id", Integer()),
    ]
    return text(sql).bindparams(*binds).columns(*read_back)


@dataclass(frozen=True)
class ReadAndStored:
    """What `_conversation_with_new_message` found and wrote: the conversation (in the session, as read), and the
    customer's message when it was stored now (None: not stored, because it is a retry of a message stored before,
    `retry`, or because it changes the conversation's language)."""

    conversation: Conversation
    message: Message | None
    retry: bool


async def _conversation_with_new_message(
    session: AsyncSession, conversation_id: str, text: str, payload: str | None, client_id: str | None
) -> ReadAndStored | None:
    """A customer's message in a stored PostgreSQL conversation, read and written in one statement (one round trip
    where the ORM read the conversation, then inserted the message: issue 22): the conversation as read (put in the
    session as `session.get` would) and the message as stored (not in the session, as `_insert_customer_message`
    leaves it). None for an unknown conversation. `text` is what the customer wrote (no button), `payload` what
    the bot reads when it differs (`never_a_command`)."""
    now = utcnow()
    params = {
        "conversation_id": conversation_id,
        "client_id": client_id,
        "no_language": says_no_language(text),
        "script": language_of(text),
        "sender": SENDER_CUSTOMER,
        "text": text,
        "payload": payload,
        "created_at": now,
    }
    row = (await session.execute(_read_and_insert_statement(), params)).mappings().first()
    if row is None:
        return None
    conversation = Conversation()
    _set_as_read(conversation, row)
    make_transient_to_detached(conversation)  # as loaded by a query: persistent once added, nothing to write
    session.add(conversation)
    if row["stored_id"] is None:
        return ReadAndStored(conversation, None, row["prior_id"] is not None)
    message = Message(
        conversation_id=conversation_id,
        sender=SENDER_CUSTOMER,
        text=text,
        payload=payload,
        client_id=client_id,
        language=conversation.language,
        created_at=now,
        asks_feedback=False,
    )
    message.id = row["stored_id"]
    return ReadAndStored(conversation, message, False)


async def _replies_to(session: AsyncSession, message: Message) -> list[dict[str, Any]] | None:
    """The bot's stored answer to `message` (the bot messages after it, up to the customer's next one); None when
    nothing answered it yet."""
    rows = await session.scalars(
        select(Message)
        .where(Message.conversation_id == message.conversation_id, Message.id > message.id)
        .order_by(Message.id)
    )
    replies: list[dict[str, Any]] = []
    for row in rows:
        if row.sender == SENDER_CUSTOMER:
            break
        replies.append(row.to_public())
    return replies or None


def _words_alone(session: AsyncSession, text: str) -> bool:
    """Whether `text` is stored as the customer wrote it (no button payload, no widget payload: `_customer_text`
    reads nothing for it) in a PostgreSQL database: `_conversation_with_new_message` can then store it."""
    return not text.startswith("/") and text not in WIDGET_PAYLOADS and session.get_bind().dialect.name == "postgresql"


async def _writes_traditional(
    session: AsyncSession, conversation: Conversation, message: Message, page_traditional: bool = False
) -> bool | None:
    """The customer writes traditional Chinese characters (True) or simplified ones (False): their message shows it,
    or, for a message that shows no script ("好的", an e-mail address) in a Chinese conversation, their earlier
    messages do (helpdesk/conversation/script.py); when none does, the widget's page may (`page_traditional`: True);
    else None."""
    found = script.writes_traditional(message.text or "")
    if found is not None or conversation.language != "zh":
        return found
    found = await script.customer_script(session, conversation.id)
    return True if found is None and page_traditional else found


class ChatService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        bot: RasaClient,
        events: Events,
        queue: QueueNotifier,
        context: ContextService,
        locks: ConversationLocks,
        background: Background,
        hours: BusinessHours | None = None,
        handoffs: Limiter | None = None,
        burst_seconds: float = 0.0,
        reply_seconds: float = 10.0,
    ) -> None:
        self.sessions = sessions
        self.burst_seconds = burst_seconds  # short lines within this are read together (conversation/burst.py)
        # how long a customer's request waits for the bot's turn; the turn itself goes on (`_bot_turn`)
        self.reply_seconds = reply_seconds
        self._turns: dict[str, set[asyncio.Task[tuple[list[dict[str, Any]], StoredTurn | None]]]] = {}
        self.handoffs = handoffs  # handoffs per client address (queue flooding); None: unlimited
        self.bot = bot
        self.events = events
        self.queue = queue
        self.context = context
        self.locks = locks
        self.background = background
        self.hours = hours or BusinessHours.always()
        self.pending = PendingTurns()
        # the lists of orders customers ask for by e-mail; None while mail is off (helpdesk/mail/service.py sets it)
        self.order_lists: OrderListRequests | None = None

    @property
    def mail_on(self) -> bool:
        """This helpdesk sends e-mail: the bot may offer what goes by e-mail (the list of a customer's orders)."""
        return self.order_lists is not None

    async def answer_pending_forever(self, interval: float = PENDING_INTERVAL) -> None:
        """Answer the messages that waited for the bot once Rasa and the action server are both back (every
        `interval` seconds while any wait); the replies reach the widget like any other (live, or its poll)."""
        while True:
            await asyncio.sleep(interval)
            if not self.pending or not (await self.bot.ready() and await self.bot.actions.ready()):
                continue
            for conversation_id in self.pending:
                if conversation_id in self._turns:
                    continue  # its turn still runs (Rasa was slow, not down): its answer is on the way
                try:
                    replies, _ = await self._start_turn(conversation_id, self.pending.metadata(conversation_id))
                except BotBusy:
                    break  # no room for a turn now: every waiting message keeps its place (not a failed attempt)
                except Exception as exc:  # BotUnavailable, or one broken conversation: the others go on
                    log.warning("conversation %s: its waiting messages are not answered yet: %s", conversation_id, exc)
                    if self.pending.failed(conversation_id):
                        log.error("conversation %s: gave up answering its waiting messages", conversation_id)
                    continue
                self.pending.done(conversation_id)
                if replies:
                    log.info("conversation %s: answered after the outage (%d replies)", conversation_id, len(replies))

    async def _conversation(
        self, session: AsyncSession, conversation_id: str | None, new_id: str, client_id: str | None
    ) -> tuple[Conversation, Message | None]:
        """The conversation (a new one when `conversation_id` is None), and the message already stored under
        `client_id` (a retry after a failure), if any: one statement (the conversation with that message joined),
        not one for each; none for a new conversation, which has no message yet."""
        if conversation_id is None:
            conversation = Conversation(id=new_id, mode=MODE_BOT)
            session.add(conversation)
            return conversation, None
        if client_id is None:
            found, stored = await session.get(Conversation, conversation_id), None
        else:
            params = {"conversation_id": conversation_id, "client_id": client_id}
            row = (await session.execute(_with_client_message_statement(), params)).first()
            found, stored = (row[0], row[1]) if row is not None else (None, None)
        if found is None:
            raise ConversationNotFound("unknown conversation_id; send null to start a new conversation")
        return found, stored

    @staticmethod
    async def _store_customer_message(
        session: AsyncSession, conversation: Conversation, shown: str, payload: str | None, client_id: str | None
    ) -> Message:
        """The customer's message, stored or added to the session, with the conversation's language after it.

        In a stored conversation whose language stays (nearly every message), the message is the one write: one
        INSERT of its row, returning its id, without the ORM's unit of work (`_insert_customer_message`); the
        returned message is not in the session. When the language of a stored conversation changes, the message
        and the conversation's new language are written in one transaction: the session's reads so far end first (a
        session running statements on their own begins one at its next write); a new conversation's first message
        is written with it. Both of these are added to the session, written at its commit."""
        language = language_after(shown, conversation.language)
        message = Message(
            conversation_id=conversation.id,
            sender=SENDER_CUSTOMER,
            text=shown,
            payload=payload,
            client_id=client_id,
            language=language,
            created_at=utcnow(),
            asks_feedback=False,
        )
        if conversation not in session.new and language == conversation.language:
            message.id = await _insert_customer_message(session, message)
            return message
        if conversation not in session.new:
            await session.commit()  # nothing written yet: ends the reads only
        session.add(message)
        conversation.language = language
        return message

    async def handle(
        self,
        conversation_id: str | None,
        text: str,
        client_id: str | None = None,
        customer_token: str | None = None,
        client_address: str | None = None,
        page_language: str = "en",
        page_traditional: bool = False,
    ) -> ChatResult:
        """`_handle`, with the script of a Chinese conversation for the answer (the chat API's `script`) when the
        bot's turn did not read it (a message to the agents, a retry): the message's own script, else the page's when
        it is traditional, else none (`null`: the widget keeps the script it is in). Nothing more is read: a message
        to an agent stays one statement (tests/db/test_statements_on_their_own.py)."""
        result = await self._handle(
            conversation_id, text, client_id, customer_token, client_address, page_language, page_traditional
        )
        if not result.script_read and result.language() == "zh":
            text_shown = str((result.message or {}).get("text") or "")
            result.traditional = script.writes_traditional(text_shown)
            if result.traditional is None and page_traditional:
                result.traditional = True
            result.script_read = True
        return result

    async def _handle(
        self,
        conversation_id: str | None,
        text: str,
        client_id: str | None,
        customer_token: str | None,
        client_address: str | None,
        page_language: str,
        page_traditional: bool,
    ) -> ChatResult:
        """Store the customer's message, then let the bot answer it (or, during a handoff, the agents).

        The bot gets the shop's signed customer token and the client's address as the message's metadata: the
        order flows count failed identity checks per client across conversations (helpdesk/orders/attempts.py).
        """
        async with self.sessions() as session:
            lock_id = conversation_id or new_conversation_id()
            async with self.locks(lock_id):
                if conversation_id is not None:
                    # the reads, then usually one write (the message: `_store_customer_message`) without BEGIN
                    # and COMMIT round trips; the conversation is only read (a new one is written with its message)
                    await statements_on_their_own(session)
                found = None
                if conversation_id is not None and _words_alone(session, text):
                    # PostgreSQL: the conversation read and the message stored in one statement (a retry, or a
                    # message that changes the conversation's language, goes on below as before)
                    to_bot = never_a_command(text)
                    payload = to_bot if to_bot != text else None
                    found = await _conversation_with_new_message(session, conversation_id, text, payload, client_id)
                if found is not None and not found.retry:
                    conversation, customer_message, fresh = found.conversation, found.message, True
                else:
                    conversation, customer_message = await self._conversation(
                        session, conversation_id, lock_id, client_id
                    )
                    fresh = customer_message is None
                topics = await self.bot.greeting_buttons(page_language) if text.startswith("/") else []
                shown, to_bot = await _customer_text(
                    session, conversation.id, text, topics, page_language, page_traditional
                )
                if customer_message is None:
                    customer_message = await self._store_customer_message(
                        session, conversation, shown, to_bot if to_bot != shown else None, client_id
                    )
                await session.commit()  # stored before it is answered
                not_reopened = await self._reopen(session, conversation) if conversation.mode == MODE_CLOSED else None
                # the message as the widget shows it, built once: published to the hub and answered to the sender
                shown_form = await self.events.message(conversation, customer_message) if fresh else None
                if not_reopened is not None:
                    metadata = bot_metadata(customer_token, client_address, page_traditional, self.mail_on)
                    self.pending.wait(conversation.id, customer_message.id, metadata)
                    raise not_reopened
            stored = shown_form if shown_form is not None else customer_message.to_public()
            spoken = customer_message.language  # the conversation's for a message that says no language
            if conversation.mode in (MODE_QUEUED, MODE_AGENT):
                if fresh and conversation.mode == MODE_QUEUED:
                    await self.events.queue_changed()  # the consoles' queue shows the latest words
                if fresh:
                    self.background.spawn(
                        self.context.fill_turn(conversation.id, customer_message.id, conversation.assigned_agent_id),
                        f"FAQ candidates for message {customer_message.id}",
                    )
                    return ChatResult(conversation.id, conversation.mode, message=stored, message_language=spoken)
                # a retry of a message the bot answered meanwhile with a handoff (the helpdesk answered it once the bot
                # was back, before the widget retried): that stored answer, as for any answered retry
                bot = [r for r in await _replies_to(session, customer_message) or [] if r["sender"] == SENDER_BOT]
                return ChatResult(conversation.id, conversation.mode, bot, message=stored, message_language=spoken)

            metadata = bot_metadata(customer_token, client_address, page_traditional, self.mail_on)
            if not fresh and (answered := await _replies_to(session, customer_message)) is not None:
                # a retry of a message the bot has answered already (the answer came while the customer's
                # connection failed, or after an outage): the stored answer, never a second turn
                return ChatResult(conversation.id, conversation.mode, answered, message=stored, message_language=spoken)
        if fresh and conversation_id is not None and self._held(customer_message):
            # a short line in a conversation the customer has (the widget starts one before its first line, `start`,
            # so that line too; a client that sends null for a new one has its first line answered at once): the
            # customer may be typing the rest of it. If another line comes meanwhile, that line's turn reads this one
            # with it (answer_waiting); this request has nothing to answer
            await asyncio.sleep(self.burst_seconds)
            if await self._later_line(conversation.id, customer_message.id):
                return ChatResult(conversation.id, conversation.mode, [], message=stored, message_language=spoken)
        try:
            waiting = {**self.pending.metadata(conversation.id), customer_message.id: metadata}
            replies, turn = await self._bot_turn(conversation.id, waiting)
        except BotUnavailable as exc:
            busy = isinstance(exc, BotBusy)  # overload, not a fault: said once per refused turn, not as an error
            (log.info if busy else log.error)(
                "conversation %s: the message waits for the bot: %s", conversation.id, exc
            )
            self.pending.wait(conversation.id, customer_message.id, metadata)
            raise BotDown(conversation.id, str(exc), busy=busy) from exc
        self.pending.done(conversation.id)
        if turn is None:  # answered meanwhile (a retry racing the pending answer), or no longer the bot's
            async with self.sessions() as session:
                conversation = await session.get(Conversation, conversation.id) or conversation
                answered = await _replies_to(session, customer_message) or []
            return ChatResult(conversation.id, conversation.mode, answered, message=stored, message_language=spoken)
        return ChatResult(
            conversation.id,
            turn.mode,
            replies,
            turn.nlu,
            turn.faq,
            turn.handoff,
            stored,
            offer_person=turn.offer,
            message_language=spoken,
            traditional=turn.traditional,
            script_read=True,
        )

    async def start(self) -> str:
        """A new conversation, before its first message: the widget starts one as the customer sends their first
        line, so that line is held for the rest of a burst like every later one ("hi" / "i have a question" /
        "about my order 100234" read together from the first line on). Its id, the customer's key to it."""
        async with self.sessions() as session:
            await statements_on_their_own(session)  # one INSERT: no BEGIN and COMMIT round trips around it
            conversation = Conversation(id=new_conversation_id(), mode=MODE_BOT)
            session.add(conversation)
            await session.commit()
            return conversation.id

    async def _bot_turn(
        self, conversation_id: str, metadata: dict[int, dict[str, str] | None]
    ) -> tuple[list[dict[str, Any]], StoredTurn | None]:
        """`answer_waiting`, awaited at most `reply_seconds`. Past that the customer is told the answer will come
        (BotUnavailable: the message waits, 503 `pending`) while the turn goes on in its task, holding the
        conversation's bot-turn lock: Rasa's answer is stored and reaches the widget live or on its poll when Rasa
        finishes. The message is never sent to Rasa a second time meanwhile (the pending loop skips a conversation
        whose turn runs; a retry waits for the lock and finds the message answered), so a slow Rasa is not given
        the same work twice."""
        turn = self._start_turn(conversation_id, metadata)
        try:
            return await asyncio.wait_for(asyncio.shield(turn), self.reply_seconds)
        except TimeoutError as exc:
            raise BotUnavailable(f"the bot did not answer within {self.reply_seconds:g} s; its turn goes on") from exc

    def _start_turn(
        self, conversation_id: str, metadata: dict[int, dict[str, str] | None]
    ) -> asyncio.Task[tuple[list[dict[str, Any]], StoredTurn | None]]:
        """`answer_waiting` in a task of its own, known as running for the conversation until it ends."""
        task = asyncio.create_task(self.answer_waiting(conversation_id, metadata))
        self._turns.setdefault(conversation_id, set()).add(task)

        def finished(done: asyncio.Task[tuple[list[dict[str, Any]], StoredTurn | None]]) -> None:
            running = self._turns.get(conversation_id, set())
            running.discard(done)
            if not running:
                self._turns.pop(conversation_id, None)
            failure = None if done.cancelled() else done.exception()
            if failure is not None and not isinstance(failure, BotUnavailable):
                log.error("conversation %s: the bot's turn failed", conversation_id, exc_info=failure)

        task.add_done_callback(finished)
        return task

    def _held(self, message: Message) -> bool:
        """Whether `message` is a short line to hold for the rest of a burst (never a button, never what looks like
        an answer to the bot's question)."""
        return (
            self.burst_seconds > 0
            and message.payload is None
            and burst.is_short(message.text)
            and not burst.looks_like_an_answer(message.text)
        )

    async def _later_line(self, conversation_id: str, message_id: int) -> bool:
        """The customer wrote again after `message_id` (in any process: the database is shared)."""
        async with self.sessions() as session:
            await statements_on_their_own(session)  # one read: no BEGIN and ROLLBACK round trips
            later = await session.scalar(
                _later_line_statement(), {"conversation_id": conversation_id, "message_id": message_id}
            )
        return later is not None

    def _with_held_lines(self, held: list[Message], message: Message) -> str | None:
        """The text for the bot when `message` ends a burst: the held short lines right before it, then it; None
        when there are none (or `message` is a button)."""
        if message.payload is not None:
            return None
        lines: list[Message] = []
        later = aware(message.created_at)
        for line in reversed(held):
            if not burst.in_burst(aware(line.created_at), later, self.burst_seconds):
                break
            lines.insert(0, line)
            later = aware(line.created_at)
        return burst.joined([*(line.text for line in lines), message.text]) if lines else None

    async def answer_waiting(
        self, conversation_id: str, metadata: dict[int, dict[str, str] | None] | None = None
    ) -> tuple[list[dict[str, Any]], StoredTurn | None]:
        """Let the bot answer the customer messages `metadata` names that have no answer yet, oldest first
        (normally just the one that came in; after an outage, all the customer wrote meanwhile), storing each
        turn. Returns the stored replies (as the widget shows them) and the last turn (None: nothing waited).

        One turn at a time per conversation (a lock across processes), so a retry and the pending answer never
        both reach the bot. `metadata` by message id: the messages that may go to the bot, and what each one's
        turn gets (PendingTurns keeps it while the bot is down). Raises BotUnavailable when the bot cannot answer:
        the rest keeps waiting.
        """
        replies: list[dict[str, Any]] = []
        last: StoredTurn | None = None
        metadata = metadata or {}
        async with self.locks(f"bot-turn:{conversation_id}"), self.sessions() as session:
            # what waits is read outside a transaction, in one statement (the conversation and its waiting messages);
            # the one write before the turn (`_reopen`) is one statement. The turn's replies are stored without a
            # transaction unless the turn hands off (`_store_turn`)
            await statements_on_their_own(session)
            conversation, messages = await unanswered(session, conversation_id)
            reopen = conversation is not None and conversation.mode == MODE_CLOSED and conversation_id in self.pending
            if reopen and conversation is not None and (not_reopened := await self._reopen(session, conversation)):
                raise BotUnavailable(not_reopened.reason)  # a message to a closed chat waited for the restart
            if conversation is None or conversation.mode != MODE_BOT:
                return replies, None
            held: list[Message] = []  # short lines another request holds (or held) for a burst: read with the next
            last_waiting = max((m.id for m in messages if m.id in metadata), default=None)
            for message in messages:
                if message.id not in metadata:
                    # not waiting for the bot (given up, or from before a restart): never sent again on its own;
                    # a short line of a burst is read with the line that follows it
                    short = self.burst_seconds > 0 and message.payload is None and burst.is_short(message.text)
                    held = [*held, message] if short else []
                    continue
                to_bot = message.text
                if message.payload is not None:  # a button: the bot answers in the language of its title
                    to_bot = payload_in_language(message.payload, message.language or conversation.language)
                to_bot = self._with_held_lines(held, message) or to_bot
                held = []
                # no connection is held while Rasa works (a pool of a few serves hundreds of customers)
                await session.commit()
                turn = await self.bot.send(conversation_id, to_bot, metadata.get(message.id))
                client_address = (metadata.get(message.id) or {}).get("client_address")
                if turn.handoff is not None and not await self._handoff_allowed(client_address):
                    turn.handoff = None
                    turn.replies = [{"text": too_many_handoffs(conversation.language), "buttons": [], "notice": True}]
                if turn.handoff is None:
                    # the turn's reads and writes each run on their own (`_store_turn`): no BEGIN and COMMIT
                    await statements_on_their_own(session)
                hours = self.hours.status()
                if turn.offer is not None and turn.handoff is None:
                    # "Shall I get a person?": the wait the customer would have, or when the team is back
                    waiting = len(await queued_ids(session)) + 1
                    wait = offer_wait_text(
                        hours,
                        await self.queue.estimate_now(session, waiting, hours.open),
                        conversation.language,
                        email_known=turn.offer_email_known,
                    )
                    turn.offer["text"] = f"{turn.offer['text']}{'' if conversation.language == 'zh' else ' '}{wait}"
                reason = (turn.handoff or {}).get("reason")
                if turn.handoff is not None and not hours.open and reason != HANDOFF_LEFT_MESSAGE:
                    turn.replies.append(
                        {"text": away_text(hours, conversation.language), "buttons": []}
                    )  # stored with the turn
                # the replies' script: the customer's (their messages'), else their page's
                page_traditional = (metadata.get(message.id) or {}).get(PAGE_SCRIPT) == script.script_name(True)
                traditional = await _writes_traditional(session, conversation, message, page_traditional)
                async with self.locks(conversation_id):
                    stored = await self._store_turn(session, conversation, message, turn, bool(traditional))
                    if message.id == last_waiting or conversation.mode != MODE_BOT:
                        self.locks.release_too(f"bot-turn:{conversation_id}")  # no turn left: one round trip for both
                replies.extend(stored)
                if turn.order_list_email and self.order_lists is not None:
                    # "I lost my order number", then the address ordered with: the list goes there, never into the chat
                    try:
                        await self.order_lists.requested(
                            conversation_id, turn.order_list_email, conversation.language, client_address
                        )
                    except Exception:  # the turn is answered and stored: a list that could not be queued is logged
                        log.exception("conversation %s: the list of orders could not be queued", conversation_id)
                offer = {"reason": turn.offer_reason} if turn.offer is not None and turn.handoff is None else None
                last = StoredTurn(conversation.mode, turn.nlu, turn.faq, turn.handoff, offer, traditional)
                if turn.handoff is not None:
                    await self.queue.changed()
                    self.background.spawn(self._after_handoff(conversation_id), f"context of {conversation_id}")
                if conversation.mode != MODE_BOT:
                    break  # handed off: what follows goes to the agents
        return replies, last

    async def _handoff_allowed(self, client_address: str | None) -> bool:
        """Whether this client may join the queue once more (HANDOFFS_PER_ADDRESS per hour)."""
        if self.handoffs is None or not client_address:
            return True
        return (await self.handoffs.hit(client_address)).allowed

    async def _reopen(self, session: AsyncSession, conversation: Conversation) -> BotDown | None:
        """The customer writes in a chat an agent closed: the bot starts afresh (no slots from before, such as an
        old order number), then the conversation is the bot's again. If Rasa cannot restart it, the chat stays
        closed (the message is stored) and the next message tries again: the error to raise is returned."""
        try:
            await self.bot.restart(conversation.id)
        except BotUnavailable as exc:
            log.error("conversation %s: the bot could not start afresh: %s", conversation.id, exc)
            return BotDown(conversation.id, str(exc))
        lifecycle.reopen(conversation)
        await session.commit()
        return None

    async def _after_handoff(self, conversation_id: str) -> None:
        if await self.context.ensure(conversation_id):
            await self.queue.changed()  # the customer turned out to be VIP: the order moved

    async def _store_turn(
        self,
        session: AsyncSession,
        conversation: Conversation,
        customer_message: Message,
        turn: BotTurn,
        in_traditional: bool = False,
    ) -> list[dict[str, Any]]:
        """The bot's replies to `customer_message` and what the NLU understood of it, stored; a handoff changes the
        conversation with them, in one transaction. Without a handoff (`answer_waiting` then runs the session's
        statements on their own) it is three round trips instead of five: the conversation read, the customer message's
        `nlu` (one UPDATE) and the replies (one INSERT of every row), without BEGIN and COMMIT. Stored in that order,
        a turn cut short after the UPDATE leaves the message unanswered (`unanswered` reads the replies), to be
        answered again; the INSERT is one statement, so the replies are stored all or none. On PostgreSQL the three
        are one statement (`_store_replies_at_once`). The replies are written in traditional characters when
        `in_traditional` (the customer's script: `_writes_traditional`). Returns the replies as the widget shows
        them (as published: `Events.messages`)."""
        replies = []
        intent = (turn.nlu or {}).get("intent")
        asking = feedback.answer_index(turn.replies, turn.handoff is not None, intent)
        for index, reply in enumerate(turn.replies):
            replies.append(
                Message(
                    conversation_id=conversation.id,
                    sender=SENDER_BOT,
                    text=script.in_script(reply["text"], in_traditional),
                    buttons=script.buttons_in_script(reply["buttons"], in_traditional) or None,
                    faq=script.answer_source_in_script(reply.get("faq"), in_traditional),
                    asks_feedback=index == asking,
                    offered_person=turn.offer_reason if reply is turn.offer and turn.handoff is None else None,
                    created_at=utcnow(),
                )
            )
        if turn.handoff is None and replies and session.get_bind().dialect.name == "postgresql":
            await _store_replies_at_once(session, conversation, customer_message, turn.nlu, replies)
            return await self.events.messages(conversation, replies)
        await session.refresh(conversation)  # an agent may not act in bot mode, but be exact
        customer_message.nlu = turn.nlu
        session.add_all(replies)
        change = None
        if turn.handoff is not None:
            change = lifecycle.hand_off(session, conversation, str(turn.handoff.get("reason") or HANDOFF_UNSPECIFIED))
            contact = turn.handoff.get("contact")
            if turn.handoff.get("reason") == HANDOFF_LEFT_MESSAGE and isinstance(contact, dict):
                # the customer answered the offer of a person with their e-mail address: an answer by e-mail
                conversation.left_message_at = utcnow()
                email = str(contact.get("email") or "")[:254]
                conversation.offline_contact = {**(conversation.offline_contact or {}), "email": email}
        await session.commit()
        shown = await self.events.messages(conversation, replies)
        if change is not None:
            await change.announce(self.events)
        return shown

    async def leave_message(self, conversation_id: str, left: LeftMessage) -> tuple[str, list[dict[str, Any]]]:
        """Store a message for the team (out of business hours): the conversation is, or becomes, queued and
        is marked with when the message was left and how to reach the customer. Returns the mode and the
        stored messages (the customer's, then the confirmation) as the widget shows them."""
        hours = self.hours.status()
        async with self.sessions() as session:
            async with self.locks(conversation_id):
                conversation = await session.get(Conversation, conversation_id)
                if conversation is None:
                    raise ConversationNotFound()
                if conversation.mode == MODE_AGENT:
                    raise MessageRefused()
                change = None
                if conversation.mode != MODE_QUEUED:
                    change = lifecycle.hand_off(session, conversation, HANDOFF_LEFT_MESSAGE)
                if conversation.left_message_at is None:
                    conversation.left_message_at = utcnow()
                contact = {**(conversation.offline_contact or {}), **left.contact()}
                conversation.offline_contact = contact or None
                customer = Message(
                    conversation_id=conversation.id,
                    sender=SENDER_CUSTOMER,
                    text=left.text,
                    language=language_after(left.text, conversation.language),
                )
                conversation.language = customer.language
                session.add(customer)
                await session.flush()
                confirmation = Message(
                    conversation_id=conversation.id,
                    sender=SENDER_BOT,
                    text=await script.in_conversation_script(
                        session, conversation, left_text(hours, contact, conversation.language)
                    ),
                )
                session.add(confirmation)
                await session.commit()
                for message in (customer, confirmation):
                    await self.events.message(conversation, message)
            if change is not None:
                await change.announce(self.events)
            await self.queue.changed()
            self.background.spawn(
                self.context.fill_turn(conversation.id, customer.id, None), f"FAQ candidates for message {customer.id}"
            )
            if change is not None:
                self.background.spawn(self._after_handoff(conversation.id), f"context of {conversation.id}")
            return conversation.mode, [customer.to_public(), confirmation.to_public()]

    async def history(self, conversation_id: str, after: int = 0) -> tuple[str, list[dict[str, Any]]]:
        async with self.sessions() as session:
            await statements_on_their_own(session)  # reads only: no BEGIN and ROLLBACK round trips
            conversation = await _polled_conversation(session, conversation_id)
            if conversation is None:
                raise ConversationNotFound()
            rows = await session.scalars(_history_statement(), {"conversation_id": conversation_id, "after": after})
            messages = list(rows)
            authors = await public_authors(session, {m.agent_id for m in messages if m.agent_id is not None})
            return conversation.mode, [m.to_public(authors.get(m.agent_id or 0)) for m in messages]

    async def status(self, conversation_id: str) -> ChatStatus:
        async with self.sessions() as session:
            await statements_on_their_own(session)  # reads only: no BEGIN and ROLLBACK round trips
            conversation = await _polled_conversation(session, conversation_id)
            if conversation is None:
                raise ConversationNotFound()
            hours = self.hours.status()
            status = ChatStatus(conversation.mode, business_hours=hours, left_message_at=conversation.left_message_at)
            if conversation.mode == MODE_QUEUED:
                status.queue_position = await position_of(session, conversation_id)
                if status.queue_position is not None:
                    status.estimated_wait_seconds = await self.queue.estimate_now(
                        session, status.queue_position, hours.open
                    )
            status.rating_pending = await resolved_assignment(session, conversation) is not None
            return status

    async def feedback(self, conversation_id: str, message_id: int, helpful: bool) -> dict[str, Any]:
        """The customer's "Did this help?" on a bot answer in their conversation: stored with the message, once."""
        async with self.sessions() as session:
            if await session.get(Conversation, conversation_id) is None:
                raise ConversationNotFound()
            message = await feedback.record(session, conversation_id, message_id, helpful)
            await session.commit()
            return message.to_public()

    async def rate(self, conversation_id: str, score: int, comment: str | None) -> tuple[Rating, bool]:
        """The rating, and whether it opened a follow-up (a low one does: the customer is told so)."""
        async with self.sessions() as session, self.locks(conversation_id):
            conversation = await session.get(Conversation, conversation_id)
            if conversation is None:
                raise ConversationNotFound()
            assignment = await resolved_assignment(session, conversation)
            if assignment is None:
                raise RatingRefused()
            rating = Rating(
                conversation_id=conversation_id,
                assignment_id=assignment.id,
                agent_id=assignment.agent_id,
                score=score,
                comment=comment,
            )
            session.add(rating)
            follow_up = await followups.after_rating(session, rating)  # a 1-2 rating opens a follow-up
            await session.commit()
        await self.events.rating(conversation_id, pending=False)
        await followups.announce(self.events.hub, follow_up)
        return rating, follow_up is not None
