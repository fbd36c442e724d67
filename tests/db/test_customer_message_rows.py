"""A customer's message in a conversation whose language stays is stored as one INSERT without the ORM's unit of
work (helpdesk/conversation/chat.py `_insert_customer_message`, issue 22: the helpdesk's per-turn database work):
the row is the same, column for column, as the ORM wrote before (and still writes for a new conversation's first
message and for a message that changes the conversation's language), the widget gets the id and time stored, and a
whole bot turn stores the same rows. Real PostgreSQL on 127.0.0.1:5432, and SQLite."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from support.helpdesks import postgres_database
from support.rasa import AnsweringRasa

from helpdesk.background import Background
from helpdesk.clients.action_server import ActionServerClient
from helpdesk.clients.rasa import RasaClient
from helpdesk.conversation.chat import ChatResult, ChatService
from helpdesk.conversation.context import ContextService
from helpdesk.conversation.queue import QueueNotifier
from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.db.models import Conversation, Message
from helpdesk.limits.locks import MemoryLocks
from helpdesk.realtime.events import Events
from helpdesk.realtime.hub import MemoryHub

ANSWER = {
    "messages": [{"text": "Delivery takes 3-5 working days."}, {"text": "Anything else?"}],
    "nlu": {"intent": {"name": "faq", "confidence": 0.93}, "intent_ranking": [], "entities": []},
}
# every column of a stored message but the ones that differ from one message to the next by nature
COMPARED = [c.name for c in Message.__table__.columns if c.name not in ("id", "created_at", "client_id")]


@pytest.fixture(params=["postgres", "sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'helpdesk.db'}"
        migrate(url)
        yield url
        return
    with postgres_database("customer_rows") as url:
        migrate(url)
        yield url


@contextlib.asynccontextmanager
async def chat_service(database_url: str) -> AsyncIterator[tuple[ChatService, async_sessionmaker[AsyncSession]]]:
    """The chat service on the database, Rasa answering ANSWER from a mock transport (no Rasa process here)."""
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    actions = ActionServerClient("http://127.0.0.1:9", 1.0)
    bot = RasaClient("http://127.0.0.1:9", "token", 1.0, actions)
    bot._http = AnsweringRasa(ANSWER)
    events = Events(MemoryHub())
    queue = QueueNotifier(sessions, events, lambda: 0, 60)
    context = ContextService(sessions, bot, actions, events)
    try:
        yield ChatService(sessions, bot, events, queue, context, MemoryLocks(), Background()), sessions
    finally:
        await engine.dispose()


def counting_flushes() -> tuple[list[int], Any]:
    """Every ORM flush (unit of work) of any session, counted; the listener to remove."""
    flushes: list[int] = []

    def flushed(*_: Any) -> None:
        flushes.append(1)

    event.listen(Session, "before_flush", flushed)
    return flushes, flushed


async def rows(sessions: async_sessionmaker[AsyncSession], conversation_id: str) -> list[dict[str, Any]]:
    async with sessions() as session:
        found = await session.execute(
            select(Message.__table__).where(Message.conversation_id == conversation_id).order_by(Message.id)
        )
        return [dict(row._mapping) for row in found]


def test_a_customer_message_is_stored_as_the_orm_stored_it_without_a_flush(database_url: str) -> None:
    async def scenario() -> tuple[list[ChatResult], list[int], list[dict[str, Any]], list[dict[str, Any]], str]:
        async with chat_service(database_url) as (chat, sessions):
            # a new conversation's first message: written by the ORM with the conversation (as always)
            first = await chat.handle(None, "how long is delivery", client_id="w-1")
            conversation_id = first.conversation_id
            flushes, listener = counting_flushes()
            results, counted = [], []
            try:
                # the same text (stays English), then one in Chinese (the language changes: the ORM writes the
                # message with the conversation's new language), then Chinese again (stays)
                for text, client_id in (
                    ("how long is delivery", "w-2"),
                    ("运费多少", "w-3"),
                    ("运费多少", "w-4"),
                ):
                    before = len(flushes)
                    results.append(await chat.handle(conversation_id, text, client_id=client_id))
                    counted.append(len(flushes) - before)
            finally:
                event.remove(Session, "before_flush", listener)
            _, transcript = await chat.history(conversation_id)
            async with sessions() as session:
                language = await session.scalar(select(Conversation.language).where(Conversation.id == conversation_id))
            return [first, *results], counted, await rows(sessions, conversation_id), transcript, str(language)

    results, flushes, stored, transcript, language = asyncio.run(scenario())
    customer = [row for row in stored if row["sender"] == "customer"]
    assert [(row["text"], row["client_id"], row["language"]) for row in customer] == [
        ("how long is delivery", "w-1", "en"),
        ("how long is delivery", "w-2", "en"),
        ("运费多少", "w-3", "zh"),
        ("运费多少", "w-4", "zh"),
    ]
    # the rows written without the ORM are the ORM's rows, column for column (payload, nlu, asks_feedback, ...):
    # the bot's reading of each is the same answer's
    assert [customer[1][c] for c in COMPARED] == [customer[0][c] for c in COMPARED]
    assert [customer[3][c] for c in COMPARED] == [customer[2][c] for c in COMPARED]
    assert customer[0]["asks_feedback"] is False
    assert (customer[0]["nlu"]["intent"], customer[0]["nlu"]["confidence"]) == ("faq", 0.93)
    # each message answered with the bot's two replies, as before
    assert [row["sender"] for row in stored] == ["customer", "bot", "bot"] * 4
    assert language == "zh"
    # a message in the conversation's language: no unit of work (was 1 flush for it); a change of language: 1
    # (the message with the conversation's new language, in one transaction); the turn's replies: none on
    # PostgreSQL (one statement), the ORM's on SQLite
    on_sqlite = database_url.startswith("sqlite")
    assert flushes == ([1, 2, 1] if on_sqlite else [0, 1, 0])
    # what the widget got for each message is what the transcript shows (the stored id and time)
    shown = {message["id"]: message for message in transcript}
    for result in results:
        assert result.message is not None and shown[result.message["id"]] == result.message
