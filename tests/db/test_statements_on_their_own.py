"""Reads and one-statement writes run without a transaction around them (helpdesk/db/engine.py
`statements_on_their_own`): the customer's presence touch (helpdesk/mail/presence.py) is one UPDATE round trip, not
BEGIN, UPDATE and COMMIT, and still stores the time; a later session on the same pooled connection is back in a
transaction; the widget's reads (transcript, status, a burst's later line) give the same answers without a BEGIN.
Real PostgreSQL on 127.0.0.1:5432."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine, Iterator
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.cache_key import HasCacheKey
from support.helpdesks import postgres_database
from support.rasa import AnsweringRasa

from helpdesk.background import Background
from helpdesk.clients.action_server import ActionServerClient
from helpdesk.clients.rasa import RasaClient
from helpdesk.conversation.chat import ChatService, ConversationNotFound, _offered_button_title
from helpdesk.conversation.context import ContextService
from helpdesk.conversation.queue import QueueNotifier
from helpdesk.db.engine import create_engine, migrate, session_factory, statements_on_their_own
from helpdesk.db.models import Conversation, Message
from helpdesk.limits.locks import MemoryLocks
from helpdesk.mail.presence import CustomerPresence
from helpdesk.realtime.events import Events
from helpdesk.realtime.hub import MemoryHub
from helpdesk.vocabulary import MODE_AGENT, MODE_BOT, MODE_QUEUED, SENDER_BOT, SENDER_CUSTOMER


@pytest.fixture()
def database_url() -> Iterator[str]:
    with postgres_database("own_statements") as url:
        migrate(url)
        yield url


@contextlib.asynccontextmanager
async def one_connection(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on an engine of one pooled connection (the one whose BEGINs a test counts), disposed afterwards."""
    engine = create_engine(database_url, pool_size=1, pool_overflow=0)
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


def counting_transactions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every BEGIN the asyncpg driver sends, counted (each still goes to the server)."""
    begun: list[int] = []
    original: Any = AsyncAdapt_asyncpg_connection._start_transaction

    async def start(self: Any) -> None:
        await original(self)
        if self._transaction is not None:  # the driver skips BEGIN for an AUTOCOMMIT connection
            begun.append(1)

    monkeypatch.setattr(AsyncAdapt_asyncpg_connection, "_start_transaction", start)
    return begun


@pytest.mark.postgres
def test_the_presence_touch_is_one_statement_and_is_stored(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario() -> tuple[int, int, bool, bool]:
        async with one_connection(database_url) as sessions:
            async with sessions() as session:
                session.add(Conversation(id="c1", mode=MODE_BOT))
                await session.commit()
            begun = counting_transactions(monkeypatch)
            await CustomerPresence(sessions, heartbeat=60.0).seen("c1")
            touch = len(begun)
            async with sessions() as session:
                seen = await session.scalar(select(Conversation.customer_seen_at).where(Conversation.id == "c1"))
                await session.rollback()
            after_touch = len(begun)  # the same pooled connection, handed back: a transaction again
            async with sessions() as session:
                await statements_on_their_own(session)
                mode = await session.scalar(select(Conversation.mode).where(Conversation.id == "c1"))
            return touch, after_touch, seen is not None, mode == MODE_BOT

    touch, after_touch, stored, read = asyncio.run(scenario())
    assert stored and read
    assert touch == 0  # no BEGIN (nor COMMIT) around the UPDATE
    assert after_touch == 1  # the next session's reads began a transaction, as sessions do by default


@pytest.mark.postgres
def test_a_presence_touch_builds_no_session_and_its_statement_once(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22: after the first touch, a touch (of any conversation) opens no ORM session and generates no
    statement cache key (its UPDATE is built once); each touch still stores its own time, in its own conversation."""

    async def scenario() -> tuple[list[str], list[str], list[bool], bool]:
        async with one_connection(database_url) as sessions:
            async with sessions() as session:
                session.add_all([Conversation(id="c1", mode=MODE_BOT), Conversation(id="c2", mode=MODE_BOT)])
                await session.commit()
            presence = CustomerPresence(sessions, heartbeat=60.0)
            await presence.seen("c1")
            opened: list[str] = []
            keys: list[str] = []
            original_init: Any = AsyncSession.__init__
            original_key: Any = HasCacheKey._generate_cache_key

            def init(self: AsyncSession, *args: Any, **kwargs: Any) -> None:
                opened.append("session")
                original_init(self, *args, **kwargs)

            def key(self: Any) -> Any:
                keys.append(type(self).__name__)
                return original_key(self)

            stamps = []
            for conversation_id in ("c2", "c1"):
                monkeypatch.setattr(AsyncSession, "__init__", init)
                monkeypatch.setattr(HasCacheKey, "_generate_cache_key", key)
                await presence.seen(conversation_id, force=True)  # only the touch is counted
                monkeypatch.undo()
                stamps.append(await seen_at(sessions, conversation_id))
            return opened, keys, [stamp is not None for stamp in stamps], stamps[1] >= stamps[0]

    async def seen_at(sessions: async_sessionmaker[AsyncSession], conversation_id: str) -> Any:
        async with sessions() as session:
            await statements_on_their_own(session)
            return await session.scalar(select(Conversation.customer_seen_at).where(Conversation.id == conversation_id))

    opened, keys, stored, in_order = asyncio.run(scenario())
    assert stored == [True, True] and in_order
    assert keys == []  # main: the UPDATE's key generated again on every touch
    assert opened == []  # main: an ORM session for each touch


def chat_service(sessions: async_sessionmaker[AsyncSession], background: Background | None = None) -> ChatService:
    """The chat service with what its reads and a message to an agent need (no bot is ever called)."""
    actions = ActionServerClient("http://127.0.0.1:9", 1.0)
    bot = RasaClient("http://127.0.0.1:9", "token", 1.0, actions)
    events = Events(MemoryHub())
    queue = QueueNotifier(sessions, events, lambda: 0, 60)
    context = ContextService(sessions, bot, actions, events)
    return ChatService(
        sessions, bot, events, queue, context, MemoryLocks(), background or Background(), burst_seconds=1.5
    )


@pytest.mark.postgres
def test_the_widgets_reads_begin_no_transaction(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The transcript, the chat's status and the check for a later line of a burst: the same answers, no BEGIN."""

    async def scenario() -> tuple[int, str, list[str], str, bool, bool]:
        async with one_connection(database_url) as sessions:
            async with sessions() as session:
                session.add(Conversation(id="c1", mode=MODE_QUEUED))
                await session.flush()
                first = Message(conversation_id="c1", sender=SENDER_CUSTOMER, text="hi")
                session.add(first)
                await session.flush()
                session.add(Message(conversation_id="c1", sender=SENDER_CUSTOMER, text="my order"))
                await session.commit()
            chat = chat_service(sessions)
            begun = counting_transactions(monkeypatch)
            mode, messages = await chat.history("c1")
            status = await chat.status("c1")
            later = await chat._later_line("c1", first.id)
            none_later = await chat._later_line("c1", first.id + 1)
            return len(begun), mode, [m["text"] for m in messages], status.mode, later, none_later

    begun, mode, texts, status_mode, later, none_later = asyncio.run(scenario())
    assert (mode, texts, status_mode) == (MODE_QUEUED, ["hi", "my order"], MODE_QUEUED)
    assert later and not none_later
    assert begun == 0


@pytest.mark.postgres
def test_the_check_for_a_bursts_later_line_builds_its_statement_once(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22: after the first check, the check for a later line of a burst (once per held short line) generates
    no statement cache key; it still answers for its own conversation and message."""

    async def scenario() -> tuple[list[bool], list[str]]:
        async with one_connection(database_url) as sessions:
            async with sessions() as session:
                session.add_all([Conversation(id="c1", mode=MODE_BOT), Conversation(id="c2", mode=MODE_BOT)])
                await session.flush()
                first = Message(conversation_id="c1", sender=SENDER_CUSTOMER, text="hi")
                session.add(first)
                await session.flush()
                session.add(Message(conversation_id="c1", sender=SENDER_BOT, text="Hello!"))
                session.add(Message(conversation_id="c2", sender=SENDER_CUSTOMER, text="my order"))
                await session.flush()
                second = Message(conversation_id="c1", sender=SENDER_CUSTOMER, text="my parcel")
                session.add(second)
                await session.commit()
            chat = chat_service(sessions)
            await chat._later_line("c2", 0)
            keys: list[str] = []
            original_key: Any = HasCacheKey._generate_cache_key

            def key(self: Any) -> Any:
                keys.append(type(self).__name__)
                return original_key(self)

            monkeypatch.setattr(HasCacheKey, "_generate_cache_key", key)
            answers = [
                await chat._later_line("c1", first.id),  # "my parcel" came after "hi"
                await chat._later_line("c1", second.id),  # nothing after it (c2's line is another conversation's)
                await chat._later_line("c2", 0),
            ]
            monkeypatch.undo()
            return answers, keys

    answers, keys = asyncio.run(scenario())
    assert answers == [True, False, True]
    assert keys == []  # main: the read's key generated again on every check


@pytest.mark.postgres
def test_the_read_of_a_pressed_buttons_title_builds_its_statement_once(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22: after the first button pressed, reading the title of a pressed button (the bot's latest message's
    buttons) generates no statement cache key; it still reads the conversation's own latest bot message."""

    async def scenario() -> tuple[list[str | None], list[str]]:
        async with one_connection(database_url) as sessions:
            async with sessions() as session:
                session.add_all([Conversation(id="c1", mode=MODE_BOT), Conversation(id="c2", mode=MODE_BOT)])
                await session.flush()
                older = [{"title": "Track an order", "payload": "/order_status"}]
                latest = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
                session.add(Message(conversation_id="c1", sender=SENDER_BOT, text="Hi", buttons=older))
                await session.flush()
                session.add(Message(conversation_id="c1", sender=SENDER_BOT, text="Sure?", buttons=latest))
                session.add(Message(conversation_id="c2", sender=SENDER_BOT, text="Hi", buttons=older))
                await session.commit()
            async with sessions() as session:
                await _offered_button_title(session, "c2", "/order_status")
                keys: list[str] = []
                original_key: Any = HasCacheKey._generate_cache_key

                def key(self: Any) -> Any:
                    keys.append(type(self).__name__)
                    return original_key(self)

                monkeypatch.setattr(HasCacheKey, "_generate_cache_key", key)
                titles = [
                    await _offered_button_title(session, "c1", "/deny"),
                    await _offered_button_title(session, "c1", "/order_status"),  # an older message's button
                    await _offered_button_title(session, "c2", "/order_status"),
                ]
                monkeypatch.undo()
            return titles, keys

    titles, keys = asyncio.run(scenario())
    assert titles == ["No", None, "Track an order"]
    assert keys == []  # main: the read's key generated again on every button pressed


@pytest.mark.postgres
def test_a_widgets_poll_builds_no_statement_after_the_first(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 22: the widget's poll (GET /api/chat/<id>/messages: the transcript after a message, and the chat's
    status; every 2 s while a widget polls) of a bot conversation generates no statement cache key after the first
    poll; the same answers, per conversation and per `after`, and an unknown conversation is still not found. (A
    queued one's status also reads the queue: those reads are helpdesk/conversation/queue.py's, not counted here.)"""

    async def scenario() -> tuple[list[tuple[str, list[str]]], list[str], list[str], bool]:
        async with one_connection(database_url) as sessions:
            async with sessions() as session:
                session.add_all([Conversation(id="c1", mode=MODE_BOT), Conversation(id="c2", mode=MODE_BOT)])
                await session.flush()
                first = Message(conversation_id="c1", sender=SENDER_CUSTOMER, text="hi")
                session.add(first)
                await session.flush()
                session.add(Message(conversation_id="c1", sender=SENDER_BOT, text="Hello!"))
                session.add(Message(conversation_id="c2", sender=SENDER_CUSTOMER, text="a person please"))
                await session.commit()
            chat = chat_service(sessions)
            await chat.history("c2")
            await chat.status("c2")
            keys: list[str] = []
            original_key: Any = HasCacheKey._generate_cache_key

            def key(self: Any) -> Any:
                keys.append(type(self).__name__)
                return original_key(self)

            monkeypatch.setattr(HasCacheKey, "_generate_cache_key", key)
            polled = []
            for conversation_id, after in (("c1", 0), ("c1", first.id), ("c2", 0)):
                mode, messages = await chat.history(conversation_id, after)
                polled.append((mode, [m["text"] for m in messages]))
            modes = [(await chat.status(c)).mode for c in ("c1", "c2")]
            monkeypatch.undo()
            unknown = False
            try:
                await chat.history("nope")
            except ConversationNotFound:
                unknown = True
            return polled, modes, keys, unknown

    polled, modes, keys, unknown = asyncio.run(scenario())
    assert polled == [(MODE_BOT, ["hi", "Hello!"]), (MODE_BOT, ["Hello!"]), (MODE_BOT, ["a person please"])]
    assert modes == [MODE_BOT, MODE_BOT] and unknown
    assert keys == []  # main: two for each transcript read (session.get and the select), one for each status


@pytest.mark.postgres
def test_a_conversation_started_before_its_first_line_is_one_statement(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """POST /api/chat/start (the widget, before every conversation's first line): one INSERT, not BEGIN, INSERT and
    COMMIT (issue 22); the conversation is stored, the bot's, with its creation time."""

    async def scenario() -> tuple[int, list[int], tuple[str, bool] | None]:
        async with one_connection(database_url) as sessions:
            chat = chat_service(sessions)
            async with sessions() as session:  # the pool's connection made (its first use sets the dialect up)
                await session.execute(select(1))
                engine = session.get_bind()
                await session.rollback()
            begun = counting_transactions(monkeypatch)
            statements: list[int] = []
            event.listen(engine, "before_cursor_execute", lambda *_: statements.append(1))
            started = await chat.start()
            begun_at_start, sent = len(begun), list(statements)
            async with sessions() as session:
                stored = await session.get(Conversation, started)
                found = (stored.mode, stored.created_at is not None) if stored is not None else None
                await session.rollback()
            return begun_at_start, sent, found

    begun, statements, found = asyncio.run(scenario())
    assert begun == 0 and statements == [1]  # the INSERT alone
    assert found == (MODE_BOT, True)


class Later(Background):
    """The chat's background work (FAQ candidates for the agent) kept aside, so only the message's own statements
    are counted; it is run (and its BEGINs ignored) before the engine closes."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: list[Coroutine[Any, Any, Any]] = []

    def spawn(self, work: Coroutine[Any, Any, Any], what: str) -> None:
        self.kept.append(work)


async def agent_chat(sessions: async_sessionmaker[AsyncSession], later: Later) -> ChatService:
    """The chat service, with a conversation "c1" an agent has (the customer's messages go to them, not the bot)."""
    async with sessions() as session:
        session.add(Conversation(id="c1", mode=MODE_AGENT, language="en"))
        await session.commit()
    return chat_service(sessions, later)


@pytest.mark.postgres
def test_a_customer_message_is_one_statement_unless_the_conversation_changes_language(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A message to an agent in the conversation's language, or one that says no language (an e-mail address, an
    order number: the conversation's language): no BEGIN, one statement (the conversation read and the message
    inserted together). A message in another language: one transaction stores it and the conversation's language."""
    texts = (
        "my parcel has not come",
        "still nothing today",
        "包裹还没到",
        "ann.lee@example.com",
        "100234",
        "ok thanks",
    )

    async def scenario() -> tuple[list[int], list[tuple[str, str]], str | None]:
        later = Later()
        async with one_connection(database_url) as sessions:
            chat = await agent_chat(sessions, later)
            begun = counting_transactions(monkeypatch)
            engine = sessions.kw["bind"].sync_engine
            sent: list[str] = []
            record = lambda *args: sent.append(args[2].split()[0])  # noqa: E731 - (conn, cursor, statement, …)
            counts = []
            for text in texts:
                before = len(begun)
                event.listen(engine, "before_cursor_execute", record)
                await chat.handle("c1", text)
                event.remove(engine, "before_cursor_execute", record)
                counts.append(len(begun) - before)
                statements.append(list(sent))
                sent.clear()
            for work in later.kept:
                work.close()
            async with sessions() as session:
                rows = await session.execute(
                    select(Message.text, Message.language).where(Message.conversation_id == "c1").order_by(Message.id)
                )
                stored = [(row.text, str(row.language)) for row in rows]
                language = await session.scalar(select(Conversation.language).where(Conversation.id == "c1"))
            return counts, stored, language

    statements: list[list[str]] = []
    counts, stored, language = asyncio.run(scenario())
    assert stored == list(zip(texts, ["en", "en", "zh", "zh", "zh", "en"], strict=True))
    assert language == "en"
    assert counts == [0, 0, 1, 0, 0, 1]
    # one statement for a message in the conversation's language; a change of language is found by it (nothing
    # inserted) and stored as before, in one transaction: the conversation's language and the message
    once, changed = ["WITH"], ["WITH", "UPDATE", "INSERT"]
    assert statements == [once, once, changed, once, once, changed]


def rasa_answering(
    sessions: async_sessionmaker[AsyncSession], answer: dict[str, Any], later: Later
) -> tuple[ChatService, list[int]]:
    """The chat service whose Rasa client gets `answer` back from the rest_nlu channel for every turn (the
    channel's JSON, read by RasaClient as from the running Rasa); its background work kept aside in `later`, and
    the queue's news after a handoff (the consoles' refresh, the waiting customers' places) counted, not sent."""
    chat = chat_service(sessions, later)
    queue_news: list[int] = []

    async def queue_changed() -> None:
        queue_news.append(1)

    chat.queue.changed = queue_changed  # type: ignore[method-assign]
    chat.bot._http = AnsweringRasa(answer)
    return chat, queue_news


NLU = {"intent": {"name": "faq", "confidence": 0.93}, "intent_ranking": [], "entities": []}


@pytest.mark.postgres
@pytest.mark.parametrize("handoff", [False, True])
def test_a_bot_turn_is_stored_without_a_transaction_unless_it_hands_off(
    database_url: str, monkeypatch: pytest.MonkeyPatch, handoff: bool
) -> None:
    """The bot's two replies and the NLU's reading of the customer's message are stored without BEGIN, in one
    statement (the conversation read back, one UPDATE, one INSERT of both rows); a turn that hands the conversation
    to a person still changes the conversation and stores its replies in one transaction."""
    messages: list[dict[str, Any]] = [{"text": "Delivery takes 3-5 working days."}, {"text": "Anything else?"}]
    if handoff:
        messages[-1]["custom"] = {"handoff": {"reason": "customer_request"}}

    async def scenario() -> tuple[int, list[str], list[tuple[str, str]], dict[str, Any] | None, str, str]:
        async with one_connection(database_url) as sessions:
            async with sessions() as session:
                session.add(Conversation(id="c1", mode=MODE_BOT, language="en"))
                await session.flush()
                asked = Message(conversation_id="c1", sender=SENDER_CUSTOMER, text="how long is delivery")
                session.add(asked)
                await session.commit()
            later = Later()
            chat, queue_news = rasa_answering(sessions, {"messages": messages, "nlu": NLU}, later)
            begun = counting_transactions(monkeypatch)
            statements: list[str] = []
            engine = sessions.kw["bind"].sync_engine
            record = lambda *args: statements.append(args[2].split()[0])  # noqa: E731 - (conn, cursor, statement, …)
            event.listen(engine, "before_cursor_execute", record)
            replies, turn = await chat.answer_waiting("c1", {asked.id: None})
            event.remove(engine, "before_cursor_execute", record)
            assert turn is not None and [reply["text"] for reply in replies] == [m["text"] for m in messages]
            turn_begun = len(begun)
            async with sessions() as session:  # the replies as the widget gets them carry their stored ids
                stored_ids = list(await session.scalars(select(Message.id).where(Message.id > asked.id)))
            assert [reply["id"] for reply in replies] == sorted(stored_ids)
            for work in later.kept:  # the handoff's context for the agents: not the turn's
                work.close()
            assert len(queue_news) == (1 if handoff else 0)
            async with sessions() as session:
                rows = await session.execute(
                    select(Message.sender, Message.text).where(Message.conversation_id == "c1").order_by(Message.id)
                )
                stored = [(row.sender, row.text) for row in rows]
                nlu = await session.scalar(select(Message.nlu).where(Message.id == asked.id))
                mode = await session.scalar(select(Conversation.mode).where(Conversation.id == "c1"))
            return turn_begun, statements, stored, nlu, mode, turn.mode

    begun, statements, stored, nlu, mode, turn_mode = asyncio.run(scenario())
    assert stored == [
        (SENDER_CUSTOMER, "how long is delivery"),
        (SENDER_BOT, "Delivery takes 3-5 working days."),
        (SENDER_BOT, "Anything else?"),
    ]
    assert nlu is not None and nlu["intent"] == "faq" and nlu["confidence"] == 0.93
    assert (mode, turn_mode) == ((MODE_QUEUED, MODE_QUEUED) if handoff else (MODE_BOT, MODE_BOT))
    assert begun == (1 if handoff else 0)
    if not handoff:  # what waits (the conversation with its unanswered messages), then the store: one statement
        # (the message's UPDATE, the replies' INSERT, the conversation read back: chat._store_replies_at_once)
        assert statements == ["SELECT", "WITH"]


@pytest.mark.postgres
def test_a_widget_message_with_its_client_id_is_one_statement_and_a_retry_is_stored_once(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The widget sends each message with its own id (a retry after a lost connection is the same message): the
    conversation read, any message already stored under that id looked for and the message inserted are one
    statement (chat._conversation_with_new_message); the retry finds it (nothing written) and the conversation holds
    it once."""

    async def scenario() -> tuple[list[list[str]], list[int], list[str]]:
        later = Later()
        async with one_connection(database_url) as sessions:
            chat = await agent_chat(sessions, later)
            engine = sessions.kw["bind"].sync_engine
            sent: list[str] = []
            record = lambda *args: sent.append(args[2].split()[0])  # noqa: E731 - (conn, cursor, statement, …)
            statements: list[list[str]] = []
            ids = []
            for client_id in ("w-1", "w-1", "w-2"):
                event.listen(engine, "before_cursor_execute", record)
                result = await chat.handle("c1", "my parcel has not come", client_id)
                event.remove(engine, "before_cursor_execute", record)
                statements.append(list(sent))
                sent.clear()
                ids.append(int((result.message or {})["id"]))
            for work in later.kept:
                work.close()
            async with sessions() as session:
                rows = await session.scalars(
                    select(Message.client_id).where(Message.conversation_id == "c1").order_by(Message.id)
                )
                stored = [str(client_id) for client_id in rows]
            return statements, ids, stored

    statements, ids, stored = asyncio.run(scenario())
    assert stored == ["w-1", "w-2"]
    assert ids[0] == ids[1] < ids[2]  # the retry is the message stored the first time
    # was SELECT, INSERT for a message (the conversation with the client id's message, then the message); the retry
    # (rare) then reads the conversation with its stored message, and what answered it
    assert statements == [["WITH"], ["WITH", "SELECT", "SELECT"], ["WITH"]]
