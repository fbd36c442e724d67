"""A customer's bot turn builds each message's public form (`Message.to_public`: what the widget shows) once (issue
22): the form published to the customer's widget is the one the chat API answers with, and the consoles' form
(`to_agent`) is built on it, where the turn built it three times for each message (for the widget, again inside the
consoles' form, again for the answer). What the widget, the consoles and the sender receive stays the same. The
chat service on SQLite and on real PostgreSQL (127.0.0.1:5432), Rasa's answer from a mock transport."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.helpdesks import postgres_database
from support.rasa import AnsweringRasa

from helpdesk.background import Background
from helpdesk.clients.action_server import ActionServerClient
from helpdesk.clients.rasa import RasaClient
from helpdesk.conversation.chat import ChatService
from helpdesk.conversation.context import ContextService
from helpdesk.conversation.queue import QueueNotifier
from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.db.models import Conversation, Message
from helpdesk.limits.locks import MemoryLocks
from helpdesk.realtime.events import Events
from helpdesk.realtime.hub import CONSOLE, Event, MemoryHub, conversation_channel
from helpdesk.vocabulary import MODE_BOT, SENDER_BOT, SENDER_CUSTOMER

ANSWER = {
    "messages": [
        {"text": "Delivery takes 3-5 working days."},
        {"text": "Anything else?", "buttons": [{"title": "No, thanks", "payload": "/goodbye"}]},
    ],
    "nlu": {"intent": {"name": "faq", "confidence": 0.93}, "intent_ranking": [], "entities": []},
}
AGENT_FIELDS = ("payload", "nlu", "faq", "faq_candidates", "language", "agent_id", "author")


@pytest.fixture(params=["postgres", "sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'helpdesk.db'}"
        migrate(url)
        yield url
        return
    with postgres_database("public_forms") as url:
        migrate(url)
        yield url


def test_a_turn_builds_each_message_public_form_once(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    original = Message.to_public

    def to_public(self: Message, *args: Any, **kwargs: Any) -> dict[str, Any]:
        built.append(self.sender)
        return original(self, *args, **kwargs)

    async def scenario() -> tuple[dict[str, Any], list[Event], list[Event]]:
        engine = create_engine(database_url)
        sessions = session_factory(engine)
        hub = MemoryHub()
        try:
            events = Events(hub)
            actions = ActionServerClient("http://127.0.0.1:9", 1.0)
            bot = RasaClient("http://127.0.0.1:9", "token", 1.0, actions)
            bot._http = AnsweringRasa(ANSWER)
            chat = ChatService(
                sessions,
                bot,
                events,
                QueueNotifier(sessions, events, lambda: 0, 60),
                ContextService(sessions, bot, actions, events),
                MemoryLocks(),
                Background(),
            )
            async with sessions() as session:
                session.add(Conversation(id="c1", mode=MODE_BOT, language="en"))
                await session.commit()
            await chat.handle("c1", "hello")  # statements compiled, connections made
            async with hub.subscribe(conversation_channel("c1")) as widget, hub.subscribe(CONSOLE) as console:
                monkeypatch.setattr(Message, "to_public", to_public)
                result = (await chat.handle("c1", "how long is delivery", client_id="m1")).to_json()
                monkeypatch.undo()
                shown = [await asyncio.wait_for(widget.get(), 5) or {} for _ in range(3)]
                consoles = [await asyncio.wait_for(console.get(), 5) or {} for _ in range(3)]
            return result, shown, consoles
        finally:
            await engine.dispose()

    result, shown, consoles = asyncio.run(scenario())
    # once each: the customer's message and the two replies (main: 9, three for each)
    assert built == [SENDER_CUSTOMER, SENDER_BOT, SENDER_BOT]
    # what the sender is answered is what the widget was sent
    assert [event["message"] for event in shown] == [result["message"], *result["replies"]]
    assert result["message"]["text"] == "how long is delivery"
    assert [reply["text"] for reply in result["replies"]] == ["Delivery takes 3-5 working days.", "Anything else?"]
    assert result["replies"][1]["buttons"] == [{"title": "No, thanks", "payload": "/goodbye"}]
    # the consoles' form: the widget's, and what the bot understood and who wrote it
    for event, public in zip(consoles, shown, strict=True):
        agent_form = event["message"]
        assert {key: agent_form[key] for key in public["message"]} == public["message"]
        assert set(agent_form) == set(public["message"]) | set(AGENT_FIELDS)
    assert [event["message"]["sender"] for event in consoles] == [SENDER_CUSTOMER, SENDER_BOT, SENDER_BOT]
    assert consoles[0]["message"]["language"] == "en" and consoles[0]["message"]["author"] is None
