"""The agents' context of a handed-off conversation (helpdesk/conversation/context.py), with a constant number of
database statements (issue 22): the FAQ candidates of every earlier customer turn are written after one read of
those messages (it was one read per message), the bot's slots with them; a message sent during the handoff gets its
candidates in one read and one UPDATE, no transaction around either. What is stored, and what the console hears, is
unchanged. Real PostgreSQL on 127.0.0.1:5432."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, select
from support.helpdesks import postgres_database

from helpdesk.clients.action_server import ActionServerClient
from helpdesk.clients.rasa import RasaClient
from helpdesk.conversation.context import SKIPPED, ContextService
from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.db.models import TIER_VIP, Conversation, Message
from helpdesk.realtime.events import Events
from helpdesk.realtime.hub import CONSOLE, Event, MemoryHub
from helpdesk.vocabulary import MODE_QUEUED, SENDER_BOT, SENDER_CUSTOMER


@pytest.fixture()
def database_url() -> Iterator[str]:
    with postgres_database("context_statements") as url:
        migrate(url)
        yield url


class Searches(ActionServerClient):
    """The FAQ engine's answer for each text: its candidates name the text searched (no action server here)."""

    def __init__(self) -> None:
        super().__init__("http://127.0.0.1:9", 1.0)
        self.asked: list[str] = []

    async def search(self, question: str) -> dict[str, Any]:
        self.asked.append(question)
        return {"decision": "suggest", "candidates": [{"id": "delivery-time", "title": question, "score": 0.5}]}


class Heard(MemoryHub):
    """What is published, kept in order (channel, event)."""

    def __init__(self) -> None:
        super().__init__()
        self.heard: list[tuple[str, Event]] = []

    async def publish(self, channel: str, event: Event) -> None:
        self.heard.append((channel, event))


class Slots(RasaClient):
    async def slots(self, conversation_id: str) -> dict[str, Any]:
        return {"order_id": "100234", "customer_tier": TIER_VIP}


def enriched(database_url: str, turns: int) -> tuple[list[str], list[Any], dict[str, Any] | None, str, bool]:
    """A queued conversation with `turns` customer messages (the last one a button) and the bot's replies, enriched:
    the statements sent (their first word), each customer message's candidates, the slots, the tier, whether the
    tier changed."""

    async def scenario() -> tuple[list[str], list[Any], dict[str, Any] | None, str, bool]:
        engine = create_engine(database_url)
        sessions = session_factory(engine)
        try:
            async with sessions() as session:
                session.add(Conversation(id="c1", mode=MODE_QUEUED, language="en"))
                for number in range(turns):
                    payload = "/request_human" if number == turns - 1 else None
                    session.add(
                        Message(conversation_id="c1", sender=SENDER_CUSTOMER, text=f"q{number}", payload=payload)
                    )
                    session.add(Message(conversation_id="c1", sender=SENDER_BOT, text="an answer"))
                await session.commit()
            actions = Searches()
            context = ContextService(
                sessions, Slots("http://127.0.0.1:9", "t", 1.0, actions), actions, Events(MemoryHub())
            )
            sent: list[str] = []
            record = lambda *args: sent.append(args[2].split()[0])  # noqa: E731 - (conn, cursor, statement, …)
            event.listen(engine.sync_engine, "before_cursor_execute", record)
            changed = await context.ensure("c1")
            event.remove(engine.sync_engine, "before_cursor_execute", record)
            async with sessions() as session:
                found = await session.scalars(
                    select(Message.faq_candidates).where(Message.sender == SENDER_CUSTOMER).order_by(Message.id)
                )
                candidates = list(found)
                conversation = await session.get(Conversation, "c1")
                assert conversation is not None
                return sent, candidates, conversation.slots, conversation.customer_tier, changed
        finally:
            await engine.dispose()

    return asyncio.run(scenario())


@pytest.mark.postgres
def test_a_handoffs_context_is_written_in_the_same_statements_however_many_turns_came_before(database_url: str) -> None:
    few = enriched(database_url, 2)
    with postgres_database("context_statements_many") as other:
        migrate(other)
        many = enriched(other, 9)
    for (statements, candidates, slots, tier, changed), turns in ((few, 2), (many, 9)):
        searched = [
            {"decision": "suggest", "candidates": [{"id": "delivery-time", "title": f"q{n}", "score": 0.5}]}
            for n in range(turns - 1)
        ]
        assert candidates == [*searched, SKIPPED]  # each turn its own search; the button press: nothing to search
        assert slots == {"order_id": "100234", "customer_tier": TIER_VIP} and tier == TIER_VIP and changed
        # before the searches: the conversation, the turns to fill; after: the conversation, the turns found (one
        # read for all of them), then the slots and every turn's candidates written at the commit (the messages'
        # UPDATE one statement for all the rows)
        assert statements[:4] == ["SELECT", "SELECT", "SELECT", "SELECT"], statements
        assert statements[4:] == ["UPDATE", "UPDATE"], statements
    assert len(few[0]) == len(many[0])  # was 2 statements more for each turn


@pytest.mark.postgres
def test_a_message_during_the_handoff_gets_its_candidates_in_one_read_and_one_update(database_url: str) -> None:
    async def scenario() -> tuple[list[str], Any, list[tuple[str, Event]], list[str]]:
        engine = create_engine(database_url)
        sessions = session_factory(engine)
        try:
            async with sessions() as session:
                session.add(Conversation(id="c1", mode=MODE_QUEUED, language="en"))
                asked = Message(conversation_id="c1", sender=SENDER_CUSTOMER, text="my lamp arrived broken")
                session.add(asked)
                await session.commit()
            hub = Heard()
            actions = Searches()
            context = ContextService(sessions, Slots("http://127.0.0.1:9", "t", 1.0, actions), actions, Events(hub))
            sent: list[str] = []
            record = lambda *args: sent.append(args[2].split()[0])  # noqa: E731
            event.listen(engine.sync_engine, "before_cursor_execute", record)
            await context.fill_turn("c1", asked.id, 7)
            await context.fill_turn("c1", asked.id + 1000, 7)  # no such message: nothing searched, nothing heard
            event.remove(engine.sync_engine, "before_cursor_execute", record)
            async with sessions() as session:
                stored = await session.scalar(select(Message.faq_candidates).where(Message.id == asked.id))
            return sent, stored, hub.heard, actions.asked
        finally:
            await engine.dispose()

    statements, stored, heard, asked = asyncio.run(scenario())
    expected = {
        "decision": "suggest",
        "candidates": [{"id": "delivery-time", "title": "my lamp arrived broken", "score": 0.5}],
    }
    assert stored == expected and asked == ["my lamp arrived broken"]
    assert [(channel, e["type"], e["assignee"], e["faq_candidates"]) for channel, e in heard] == [
        (CONSOLE, "context", 7, expected)
    ]
    assert statements == ["SELECT", "UPDATE", "SELECT"]  # was BEGIN, SELECT, ROLLBACK, BEGIN, SELECT, UPDATE, COMMIT
