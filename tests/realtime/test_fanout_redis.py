"""Redis fan-out: two helpdesk processes on one PostgreSQL database and Redis (127.0.0.1:6379). What happens
through one process reaches websockets connected to the other, and when a process loses its Redis connection
its clients are told to reconnect and resume from the database, losing nothing. Agents whose console is
connected to either process count for both (wait estimate, online flag), and so do failed logins."""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import pytest
import redis
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import Console, hand_off, history, receive_until, say, wait_for, ws_url
from support.helpdesks import extra_helpdesk, postgres_database
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from helpdesk.stack import Stack

pytestmark = pytest.mark.postgres

REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class Pair:
    one: str  # base URLs of the two processes
    two: str
    agent: AgentLogin
    other: AgentLogin  # a second agent
    channel: str  # this test's own Redis channel


@pytest.fixture(scope="module")
def pair(stack: Stack) -> Iterator[Pair]:
    channel = f"helpdesk-test-{secrets.token_hex(4)}"
    with postgres_database("helpdesk_fanout") as dsn:
        agents = add_agent_accounts(dsn, (("rita", "agent", None, 10), ("omar", "agent", None, 10)))
        env = {"DATABASE_URL": dsn, "REDIS_URL": REDIS_URL, "REDIS_CHANNEL": channel}
        with extra_helpdesk(stack, "redis-1", env) as one, extra_helpdesk(stack, "redis-2", env) as two:
            yield Pair(one, two, agents["rita"], agents["omar"], channel)


@pytest.fixture()
def console(pair: Pair) -> Iterator[Console]:
    """The agent, logged in on process two."""
    agent = Console(pair.two)
    assert agent.login(pair.agent.username, pair.agent.password).status_code == 200
    yield agent
    agent.close()


@pytest.fixture()
def customer(pair: Pair) -> Iterator[httpx.Client]:
    """The customer's widget API, on process one."""
    with httpx.Client(base_url=pair.one, timeout=60) as http:
        yield http


def console_socket(base_url: str, console: Console, after: int = 0):  # noqa: ANN201 - a websocket
    return connect(
        ws_url(base_url, f"/api/agent/ws?after={after}"),
        additional_headers={"Cookie": f"helpdesk_agent={console.session_cookie}"},
    )


def is_agent_message(event: dict) -> bool:
    return event["type"] == "message" and event["message"]["sender"] == "agent"


def test_an_agent_on_one_process_reaches_the_customer_on_the_other(
    pair: Pair, customer: httpx.Client, console: Console
) -> None:
    conversation = hand_off(customer, "hello")
    with connect(ws_url(pair.one, f"/api/chat/{conversation}/ws")) as ws:
        receive_until(ws, lambda e: e["type"] == "state")
        assert console.post(f"/conversations/{conversation}/claim").status_code == 200
        joined = receive_until(ws, lambda e: e["type"] == "mode")
        assert joined[-1]["mode"] == "agent"
        assert [e["message"]["text"] for e in joined if e["type"] == "message"] == ["Rita Tester has joined the chat."]

        console.post(f"/conversations/{conversation}/typing", {"typing": True})
        typing = receive_until(ws, lambda e: e["type"] == "typing")[-1]
        assert typing == {"type": "typing", "who": "agent", "name": "Rita Tester", "typing": True}

        sent = console.post(f"/conversations/{conversation}/messages", {"text": "Hello from process two"})
        assert sent.status_code == 201
        got = receive_until(ws, is_agent_message)[-1]["message"]
        assert (got["id"], got["text"]) == (sent.json()["id"], "Hello from process two")
    console.post(f"/conversations/{conversation}/resolve")


def test_the_console_on_one_process_sees_what_customers_do_on_the_other(
    pair: Pair, customer: httpx.Client, console: Console
) -> None:
    with console_socket(pair.two, console) as ws:
        receive_until(ws, lambda e: e["type"] == "ready")
        conversation = hand_off(customer)
        queued = receive_until(
            ws, lambda e: e["type"] == "queue" and conversation in [c["conversation_id"] for c in e["conversations"]]
        )[-1]
        entry = next(c for c in queued["conversations"] if c["conversation_id"] == conversation)
        assert entry["handoff_reason"] == "requested"
        assert console.post(f"/conversations/{conversation}/claim").status_code == 200
        say(customer, "Is anyone there?", conversation)
        got = receive_until(ws, lambda e: e["type"] == "message" and e["message"]["text"] == "Is anyone there?")
        assert got[-1]["conversation_id"] == conversation and got[-1]["message"]["sender"] == "customer"
    console.post(f"/conversations/{conversation}/resolve")


def test_a_bot_turn_reaches_the_widget_on_the_other_process_in_order_and_once(
    pair: Pair, customer: httpx.Client
) -> None:
    """The customer's message and the bot's replies go out together (one Redis pipeline per stored batch): a widget
    connected to the other process gets each of them once, in the order they were stored."""
    conversation = say(customer, "hello")["conversation_id"]
    with connect(ws_url(pair.two, f"/api/chat/{conversation}/ws")) as ws:
        receive_until(ws, lambda e: e["type"] == "state")
        body = say(customer, "which payment methods do you accept?", conversation)
        stored = [body["message"]["id"], *(reply["id"] for reply in body["replies"])]
        assert len(stored) >= 2
        got = receive_until(ws, lambda e: e["type"] == "message" and e["message"]["id"] == stored[-1])
    seen = [e["message"]["id"] for e in got if e["type"] == "message"]
    assert seen[-len(stored) :] == stored and len(set(seen)) == len(seen)
    assert [e["message"]["text"] for e in got if e["type"] == "message"][-1] == body["replies"][-1]["text"]


def kill_fanout_connections(channel: str) -> int:
    """Drop the Redis subscriptions of this test's helpdesk processes, as a network failure would."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        ours = [c for c in client.client_list() if c["name"].endswith(channel) and "P" in c["flags"]]
        for connection in ours:
            client.client_kill_filter(_id=connection["id"])
        return len(ours)
    finally:
        client.close()


def test_a_lost_redis_connection_makes_clients_resume_from_the_database(
    pair: Pair, customer: httpx.Client, console: Console
) -> None:
    conversation = hand_off(customer)
    console.post(f"/conversations/{conversation}/claim")
    first = console.post(f"/conversations/{conversation}/messages", {"text": "before the drop"}).json()
    with connect(ws_url(pair.one, f"/api/chat/{conversation}/ws?after={first['id']}")) as ws:
        receive_until(ws, lambda e: e["type"] == "state")
        assert kill_fanout_connections(pair.channel) == 2  # one subscription per process
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                ws.recv(timeout=20)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4000  # reconnect with after=

    second = console.post(f"/conversations/{conversation}/messages", {"text": "after the drop"}).json()
    with connect(ws_url(pair.one, f"/api/chat/{conversation}/ws?after={first['id']}")) as ws:
        replay = receive_until(ws, lambda e: e["type"] == "state")
        assert [e["message"]["id"] for e in replay if e["type"] == "message"] == [second["id"]]
        live = console.post(f"/conversations/{conversation}/messages", {"text": "live again"}).json()
        assert receive_until(ws, is_agent_message)[-1]["message"]["id"] == live["id"]
    console.post(f"/conversations/{conversation}/resolve")


@contextmanager
def both_on_duty_with_two_queued(pair: Pair, customer: httpx.Client, console: Console) -> Iterator[list[str]]:
    """Rita's console connected to process two and Omar's to process one, both online there, and two chats handed off
    through process one (the customer's): yields those chats, whose wait process one tells as two agents' (checked).
    Afterwards the consoles are closed (both offline again), the chats claimed and resolved."""
    omar = Console(pair.one)
    assert omar.login(pair.other.username, pair.other.password).status_code == 200

    def online_on_one() -> set[str]:
        return {a["username"] for a in omar.get("/agents").json()["agents"] if a["online"]}

    conversations: list[str] = []
    try:
        with console_socket(pair.two, console) as rita_ws, console_socket(pair.one, omar) as omar_ws:
            receive_until(rita_ws, lambda e: e["type"] == "ready")
            receive_until(omar_ws, lambda e: e["type"] == "ready")
            wait_for(lambda: online_on_one() >= {"rita", "omar"}, timeout=10)
            conversations += [hand_off(customer), hand_off(customer)]
            queue = history(customer, conversations[-1])["queue"]
            assert queue["position"] >= 2  # from 2 on, one agent and two give different waits
            assert queue["estimated_wait_seconds"] == math.ceil(queue["position"] / 2) * 120  # QUEUE_SECONDS_PER_CHAT
            yield conversations
        wait_for(lambda: not online_on_one() & {"rita", "omar"}, timeout=10)  # both consoles closed
    finally:
        console.post("/status", {"status": "online"})
        for conversation in conversations:
            console.post(f"/conversations/{conversation}/claim")
            console.post(f"/conversations/{conversation}/resolve")
        omar.close()


def test_agents_connected_to_either_process_count_in_both(pair: Pair, customer: httpx.Client, console: Console) -> None:
    """Rita's console is connected to process two and Omar's to process one: process one, where the customer
    is, lists both as online and shares the queue between two agents in the wait it promises."""
    with both_on_duty_with_two_queued(pair, customer, console):
        pass


def test_an_agent_going_away_on_one_process_changes_the_wait_the_other_tells_over_http(
    pair: Pair, customer: httpx.Client, console: Console
) -> None:
    """Rita (console and status on process two) goes Away: the customer asking process one for their place hears the
    wait of one agent, not of two. Before, process one kept the agents on duty it had read at its own last broadcast
    and answered with the old, shorter wait (only process two's websocket broadcast carried the new one)."""
    with both_on_duty_with_two_queued(pair, customer, console) as conversations:
        assert console.post("/status", {"status": "away"}).json()["status"] == "away"
        queue = history(customer, conversations[-1])["queue"]
        assert queue["estimated_wait_seconds"] == queue["position"] * 120  # Omar alone
        assert console.post("/status", {"status": "online"}).json()["status"] == "online"
        queue = history(customer, conversations[-1])["queue"]
        assert queue["estimated_wait_seconds"] == math.ceil(queue["position"] / 2) * 120  # both again


def test_a_chats_unread_count_is_the_same_on_either_process(
    pair: Pair, customer: httpx.Client, console: Console
) -> None:
    """Rita's consoles on both processes (PostgreSQL): the customer's two new lines count 2 on each, and reading them
    through one clears the count on the other (it lived in each page before)."""
    elsewhere = Console(pair.one)
    assert elsewhere.login(pair.agent.username, pair.agent.password).status_code == 200
    conversation = hand_off(customer)
    try:
        assert console.post(f"/conversations/{conversation}/claim").status_code == 200

        def unread(at: Console) -> int:
            chats = at.get("/chats").json()["conversations"]
            return next(c["unread"] for c in chats if c["conversation_id"] == conversation)

        assert unread(console) == 0 and unread(elsewhere) == 0
        say(customer, "the lamp is the brass one", conversation)
        last = say(customer, "hello?", conversation)["message"]["id"]
        assert unread(console) == 2 and unread(elsewhere) == 2
        assert elsewhere.post(f"/conversations/{conversation}/seen", {"message_id": last}).status_code == 200
        assert unread(console) == 0 and unread(elsewhere) == 0
    finally:
        console.post(f"/conversations/{conversation}/resolve")
        elsewhere.close()


def test_failed_logins_on_either_process_count_for_both(pair: Pair) -> None:
    """LOGIN_FAILURES_PER_USER (5) wrong passwords for one account name, spread over the two processes: the next
    try is refused (429) by both, as one process alone would."""
    name = f"ghost-{secrets.token_hex(3)}"
    one, two = Console(pair.one), Console(pair.two)
    try:
        assert [one.login(name, f"wrong-{i}").status_code for i in range(3)] == [401] * 3
        assert [two.login(name, f"wrong-{i}").status_code for i in range(2)] == [401] * 2
        for console in (one, two):
            refused = console.login(name, "wrong-again")
            assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    finally:
        one.close()
        two.close()
