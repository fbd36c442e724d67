"""What a locked block publishes goes to Redis with the lock's release, in one round trip (helpdesk/clients/redis.py
`Outbox`, issue 22): a customer's turn through the chat service (real PostgreSQL on 127.0.0.1:5432, real Redis on
6379, Rasa's answer from a mock transport) reaches another helpdesk process's widget and console in order and once,
in five Redis round trips instead of eight; a lock's next holder publishes after the previous holder's events; a task
started under the lock that publishes after the lock is gone is still heard; and when Redis goes away while the lock
is held, the block's events still reach this process's clients."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio.connection import AbstractConnection
from support.helpdesks import postgres_database
from support.own_redis import OwnRedis
from support.rasa import AnsweringRasa

from helpdesk.background import Background
from helpdesk.clients.action_server import ActionServerClient
from helpdesk.clients.rasa import RasaClient
from helpdesk.clients.redis import command_connection
from helpdesk.conversation.chat import ChatService
from helpdesk.conversation.context import ContextService
from helpdesk.conversation.queue import QueueNotifier
from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.db.models import Conversation
from helpdesk.limits.redis_locks import RedisLocks
from helpdesk.realtime.events import Events
from helpdesk.realtime.hub import CONSOLE, Event, Subscription, conversation_channel
from helpdesk.realtime.redis_hub import RedisHub
from helpdesk.vocabulary import MODE_BOT

REDIS_URL = "redis://127.0.0.1:6379/0"
ANSWER = {
    "messages": [{"text": "Delivery takes 3-5 working days."}, {"text": "Anything else?"}],
    "nlu": {"intent": {"name": "faq", "confidence": 0.93}, "intent_ranking": [], "entities": []},
}


@pytest.fixture()
def database_url() -> Iterator[str]:
    with postgres_database("redis_round_trips") as url:
        migrate(url)
        yield url


@asynccontextmanager
async def hubs(channel: str, url: str = REDIS_URL, count: int = 2) -> AsyncIterator[list[RedisHub]]:
    """`count` real-time hubs on one Redis channel, as `count` helpdesk processes hold them."""
    started = [RedisHub(url, channel) for _ in range(count)]
    for hub in started:
        await hub.start()
    try:
        yield started
    finally:
        for hub in started:
            await hub.close()


def counting_round_trips(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every command (or pipeline) redis-py sends, as one socket write each."""
    sent: list[int] = []
    original: Any = AbstractConnection.send_packed_command

    async def send(self: Any, command: Any, check_health: bool = True) -> None:
        sent.append(1)
        await original(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", send)
    return sent


async def received(subscription: Subscription, count: int, conversation: str | None = None) -> list[Event]:
    """The next ``count`` events (of ``conversation`` only, on the consoles' channel: the warm-up turn's events can
    still be on their way to the other process when the test subscribes, under load)."""
    events: list[Event] = []
    while len(events) < count:
        event = await asyncio.wait_for(subscription.get(), 5) or {}
        if conversation is None or event.get("conversation_id") == conversation:
            events.append(event)
    return events


@pytest.mark.postgres
def test_a_turn_reaches_the_other_process_in_order_in_five_redis_round_trips(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = f"helpdesk-test-{secrets.token_hex(4)}:events"

    async def scenario() -> tuple[list[Event], list[Event], int]:
        engine = create_engine(database_url)
        sessions = session_factory(engine)
        commands = command_connection(REDIS_URL, channel)
        try:
            async with hubs(channel) as (here, other):
                events = Events(here)
                actions = ActionServerClient("http://127.0.0.1:9", 1.0)
                bot = RasaClient("http://127.0.0.1:9", "token", 1.0, actions)
                bot._http = AnsweringRasa(ANSWER)
                queue = QueueNotifier(sessions, events, lambda: 0, 60)
                locks = RedisLocks(commands, channel.split(":")[0])
                chat = ChatService(
                    sessions, bot, events, queue, ContextService(sessions, bot, actions, events), locks, Background()
                )
                async with sessions() as session:
                    session.add_all([Conversation(id=c, mode=MODE_BOT, language="en") for c in ("c0", "c1")])
                    await session.commit()
                await chat.handle("c0", "hello")  # every connection made and script loaded before counting
                async with other.subscribe(conversation_channel("c1")) as widget, other.subscribe(CONSOLE) as console:
                    sent = counting_round_trips(monkeypatch)
                    result = await chat.handle("c1", "how long is delivery")
                    round_trips = len(sent)
                    monkeypatch.undo()
                    # both the conversation's locks are free again: the next turn is not held up
                    assert await commands.keys(f"{channel.split(':')[0]}:lock:*") == []
                    again = await asyncio.wait_for(chat.handle("c1", "and to Scotland?"), 5)
                    assert [reply["text"] for reply in again.replies] == [m["text"] for m in ANSWER["messages"]]
                    assert [reply["text"] for reply in result.replies] == [m["text"] for m in ANSWER["messages"]]
                    return await received(widget, 3), await received(console, 3, "c1"), round_trips
        finally:
            await commands.aclose()
            await engine.dispose()

    widget, console, round_trips = asyncio.run(scenario())
    texts = ["how long is delivery", "Delivery takes 3-5 working days.", "Anything else?"]
    assert [event["message"]["text"] for event in widget] == texts
    assert [event["message"]["text"] for event in console] == texts
    ids = [event["message"]["id"] for event in widget]
    assert ids == sorted(ids) and len(set(ids)) == 3
    # the conversation lock (taken, then released with the customer's message), the bot-turn lock, the conversation
    # lock again (taken, then released with the replies and with the bot-turn lock): 5 (was 8: a PUBLISH each, the
    # bot-turn lock's release on its own)
    assert round_trips == 5


def test_the_next_holder_publishes_after_the_previous_holders_events() -> None:
    channel = f"helpdesk-test-{secrets.token_hex(4)}:events"

    async def scenario() -> list[Event]:
        one, two = command_connection(REDIS_URL, channel), command_connection(REDIS_URL, channel)
        try:
            async with hubs(channel, count=3) as (first, second, listener):
                locks = [RedisLocks(one, channel.split(":")[0]), RedisLocks(two, channel.split(":")[0])]

                async def holder(index: int) -> None:
                    hub = first if index % 2 else second
                    async with locks[index % 2]("c1"):
                        await hub.publish("c1-room", {"n": index, "part": "a"})
                        await asyncio.sleep(0.01)
                        await hub.publish_all([("c1-room", {"n": index, "part": "b"})] * 2)

                async with listener.subscribe("c1-room") as room:
                    await asyncio.gather(*(holder(index) for index in range(6)))
                    return await received(room, 18)
        finally:
            await one.aclose()
            await two.aclose()

    events = asyncio.run(scenario())
    holders = [event["n"] for event in events]
    # each holder's three events together, "a" first: no holder's events interleave with another's
    assert [holders[i : i + 3] for i in range(0, 18, 3)] == [[n, n, n] for n in holders[::3]]
    assert sorted(holders[::3]) == list(range(6))
    assert [event["part"] for event in events] == ["a", "b", "b"] * 6


def test_a_task_started_under_the_lock_publishes_after_the_lock_is_gone() -> None:
    channel = f"helpdesk-test-{secrets.token_hex(4)}:events"

    async def scenario() -> list[Event]:
        commands = command_connection(REDIS_URL, channel)
        try:
            async with hubs(channel) as (here, other):
                locks = RedisLocks(commands, channel.split(":")[0])
                go_on = asyncio.Event()

                async def later() -> None:  # inherits the lock holder's context, outlives the lock
                    await go_on.wait()
                    await here.publish("room", {"what": "later"})

                async with other.subscribe("room") as room:
                    async with locks("c1"):
                        task = asyncio.create_task(later())
                        await here.publish("room", {"what": "under the lock"})
                    go_on.set()
                    await task
                    return await received(room, 2)
        finally:
            await commands.aclose()

    assert [event["what"] for event in asyncio.run(scenario())] == ["under the lock", "later"]


def test_the_blocks_events_reach_this_process_when_redis_goes_away_under_the_lock(tmp_path: Path) -> None:
    channel = f"helpdesk-test-{secrets.token_hex(4)}:events"
    redis = OwnRedis(tmp_path)
    redis.start()

    async def scenario() -> list[Event]:
        commands = command_connection(redis.url, channel)
        try:
            async with hubs(channel, url=redis.url, count=1) as (here,):
                locks = RedisLocks(commands, "own")
                async with here.subscribe("room") as room:
                    async with locks("c1"):
                        redis.stop()
                        await here.publish_all([("room", {"n": 1}), ("room", {"n": 2})])
                    return await received(room, 2)
        finally:
            await commands.aclose()

    try:
        assert [event["n"] for event in asyncio.run(scenario())] == [1, 2]
    finally:
        redis.stop()


def test_a_lock_released_with_the_inner_ones_release_is_free_at_once_and_its_events_keep_their_order() -> None:
    channel = f"helpdesk-test-{secrets.token_hex(4)}:events"

    async def scenario() -> tuple[list[Event], bool, bool]:
        one, two = command_connection(REDIS_URL, channel), command_connection(REDIS_URL, channel)
        prefix = channel.split(":")[0]
        try:
            async with hubs(channel) as (here, other):
                locks, elsewhere = RedisLocks(one, prefix), RedisLocks(two, prefix, wait=0.5)
                async with other.subscribe("room") as room:
                    async with locks("outer"):
                        await here.publish("room", {"n": 1})  # under the outer lock only
                        async with locks("inner"):
                            await here.publish("room", {"n": 2})
                            locks.release_too("outer")
                        # another process takes the outer lock at once (it went with the inner's release)
                        async with elsewhere("outer"):
                            taken_meanwhile = True
                        await here.publish("room", {"n": 3})  # published at once: the outer lock is gone
                    keys_left = await one.keys(f"{prefix}:lock:*")
                    return await received(room, 3), taken_meanwhile, keys_left == []
        finally:
            await one.aclose()
            await two.aclose()

    events, taken_meanwhile, none_left = asyncio.run(scenario())
    assert [event["n"] for event in events] == [1, 2, 3]
    assert taken_meanwhile and none_left


@pytest.mark.postgres
def test_a_turns_six_events_travel_in_two_redis_messages(database_url: str) -> None:
    """The customer's message (for the widget and the consoles) and the bot's two replies (each for both): six
    events, published as two Redis messages (one per lock release: `batched`) instead of six, which every helpdesk
    process on the channel reads and parses; the other process still hands each event to its widget and console in
    order."""
    channel = f"helpdesk-test-{secrets.token_hex(4)}:events"

    async def scenario() -> tuple[list[dict[str, Any]], list[Event], list[Event]]:
        engine = create_engine(database_url)
        sessions = session_factory(engine)
        commands = command_connection(REDIS_URL, channel)
        listener = command_connection(REDIS_URL, channel).pubsub()
        try:
            async with hubs(channel) as (here, other):
                events = Events(here)
                actions = ActionServerClient("http://127.0.0.1:9", 1.0)
                bot = RasaClient("http://127.0.0.1:9", "token", 1.0, actions)
                bot._http = AnsweringRasa(ANSWER)
                queue = QueueNotifier(sessions, events, lambda: 0, 60)
                locks = RedisLocks(commands, channel.split(":")[0])
                chat = ChatService(
                    sessions, bot, events, queue, ContextService(sessions, bot, actions, events), locks, Background()
                )
                async with sessions() as session:
                    session.add(Conversation(id="c1", mode=MODE_BOT, language="en"))
                    await session.commit()
                await listener.subscribe(channel)
                await listener.get_message(timeout=2.0)  # the subscription's confirmation
                async with other.subscribe(conversation_channel("c1")) as widget, other.subscribe(CONSOLE) as console:
                    await chat.handle("c1", "how long is delivery")
                    in_widget, in_console = await received(widget, 3), await received(console, 3, "c1")
                messages = []
                while (message := await listener.get_message(ignore_subscribe_messages=True, timeout=0.5)) is not None:
                    messages.append(json.loads(message["data"]))
                return messages, in_widget, in_console
        finally:
            await listener.aclose()
            await commands.aclose()
            await engine.dispose()

    messages, in_widget, in_console = asyncio.run(scenario())
    assert len(messages) == 2, f"{len(messages)} Redis messages for the turn's 6 events"
    assert [len(message["batch"]) for message in messages] == [2, 4]
    texts = ["how long is delivery", "Delivery takes 3-5 working days.", "Anything else?"]
    assert [event["message"]["text"] for event in in_widget] == texts
    assert [event["message"]["text"] for event in in_console] == texts
