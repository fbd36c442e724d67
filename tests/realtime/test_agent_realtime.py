"""WebSockets through the running stack: live delivery both ways, typing, queue position, and replay with after=."""

from __future__ import annotations

import math
from collections.abc import Iterator

import httpx
import pytest
from support.accounts import AgentLogin
from support.agent import Console, hand_off, history, receive, receive_until, say, ws_url
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from helpdesk.stack import Stack


@pytest.fixture()
def ava(helpdesk_url: str, agent_accounts: dict[str, AgentLogin]) -> Iterator[Console]:
    console = Console(helpdesk_url)
    assert console.login("ava", agent_accounts["ava"].password).status_code == 200
    yield console
    console.close()


def console_socket(helpdesk_url: str, console: Console, after: int = 0):  # noqa: ANN201 - a websocket
    return connect(
        ws_url(helpdesk_url, f"/api/agent/ws?after={after}"),
        additional_headers={"Cookie": f"helpdesk_agent={console.session_cookie}"},
    )


def message_ids(events: list[dict]) -> list[int]:
    return [e["message"]["id"] for e in events if e["type"] == "message"]


def test_widget_socket_replays_what_was_missed_then_streams_live(
    helpdesk_url: str, client: httpx.Client, ava: Console
) -> None:
    conversation = hand_off(client, "hello")
    transcript = history(client, conversation)["messages"]
    assert len(transcript) == 4
    seen = transcript[1]["id"]  # the widget had shown the greeting and its answer

    with connect(ws_url(helpdesk_url, f"/api/chat/{conversation}/ws?after={seen}")) as ws:
        replay = receive_until(ws, lambda e: e["type"] == "state")
        assert message_ids(replay) == [m["id"] for m in transcript[2:]]
        state = replay[-1]
        assert state["mode"] == "queued" and state["queue"]["position"] >= 1
        assert state["last_id"] == transcript[-1]["id"]

        ava.post(f"/conversations/{conversation}/claim")
        joined = receive_until(ws, lambda e: e["type"] == "mode")
        assert [e["message"]["sender"] for e in joined if e["type"] == "message"] == ["system"]
        assert joined[-1]["mode"] == "agent"

        ava.post(f"/conversations/{conversation}/typing", {"typing": True})
        typing = receive_until(ws, lambda e: e["type"] == "typing")[-1]
        assert typing == {"type": "typing", "who": "agent", "name": "Ava Tester", "typing": True}

        reply = ava.post(f"/conversations/{conversation}/messages", {"text": "Hello from Ava"}).json()
        live = receive_until(ws, lambda e: e["type"] == "message" and e["message"]["sender"] == "agent")[-1]
        assert live["message"] == {
            **{k: reply[k] for k in ("id", "sender", "text", "buttons", "created_at")},
            "feedback": None,  # asked on bot answers only
            "agent": {"name": "Ava Tester", "avatar_url": None},  # who the customer is talking to
        }
        last_seen = live["message"]["id"]

    # while the widget is away the agent writes twice; on reconnect it gets exactly those, in order
    missed = [
        ava.post(f"/conversations/{conversation}/messages", {"text": text}).json()["id"]
        for text in ("Are you still there?", "I found your order.")
    ]
    with connect(ws_url(helpdesk_url, f"/api/chat/{conversation}/ws?after={last_seen}")) as ws:
        replay = receive_until(ws, lambda e: e["type"] == "state")
        assert message_ids(replay) == missed
        assert replay[-1]["mode"] == "agent" and replay[-1]["last_id"] == missed[-1]
        ava.post(f"/conversations/{conversation}/resolve")
        closing = receive_until(ws, lambda e: e["type"] == "mode")
        assert closing[-1] == {"type": "mode", "mode": "closed", "rating_pending": True}
        assert len(set(message_ids(closing)) & set(missed)) == 0  # nothing twice


def test_replay_and_live_overlap_sends_nothing_twice(helpdesk_url: str, client: httpx.Client, ava: Console) -> None:
    conversation = hand_off(client)
    ava.post(f"/conversations/{conversation}/claim")
    with connect(ws_url(helpdesk_url, f"/api/chat/{conversation}/ws?after=0")) as ws:
        for i in range(5):
            ava.post(f"/conversations/{conversation}/messages", {"text": f"burst {i}"})
        events = receive_until(ws, lambda e: e["type"] == "message" and e["message"]["text"] == "burst 4", timeout=20)
    ids = message_ids(events)
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert ids == [m["id"] for m in history(client, conversation)["messages"]]
    ava.post(f"/conversations/{conversation}/resolve")


def test_console_socket_hears_the_queue_and_its_customers(
    helpdesk_url: str, client: httpx.Client, ava: Console
) -> None:
    with console_socket(helpdesk_url, ava) as ws:
        start = receive_until(ws, lambda e: e["type"] == "ready")
        assert start[0]["type"] == "queue"
        conversation = hand_off(client)
        queued = receive_until(
            ws,
            lambda e: e["type"] == "queue" and conversation in [c["conversation_id"] for c in e["conversations"]],
        )[-1]
        entry = next(c for c in queued["conversations"] if c["conversation_id"] == conversation)
        assert entry["handoff_reason"] == "requested"

        ava.post(f"/conversations/{conversation}/claim")
        say(client, "It's about order 100234", conversation)
        event = receive_until(
            ws, lambda e: e["type"] == "message" and e["message"]["text"] == "It's about order 100234"
        )[-1]
        assert event["conversation_id"] == conversation and event["assignee"] == ava.agent["id"]
        assert event["message"]["sender"] == "customer"
        last_seen = event["message"]["id"]

        with connect(ws_url(helpdesk_url, f"/api/chat/{conversation}/ws")) as widget:
            receive_until(widget, lambda e: e["type"] == "state")
            widget.send('{"type": "typing", "typing": true}')
            typing = receive_until(ws, lambda e: e["type"] == "typing")[-1]
            assert typing["conversation_id"] == conversation and typing["who"] == "customer"

    # reconnecting with after= brings the customer messages sent meanwhile in this agent's chats
    say(client, "Hello?", conversation)
    say(client, "Anyone?", conversation)
    with console_socket(helpdesk_url, ava, after=last_seen) as ws:
        replay = receive_until(ws, lambda e: e["type"] == "ready")
        texts = [e["message"]["text"] for e in replay if e["type"] == "message"]
        assert texts == ["Hello?", "Anyone?"]
        assert replay[-1]["last_id"] == message_ids(replay)[-1]
    ava.post(f"/conversations/{conversation}/resolve")


def test_other_agents_consoles_do_not_receive_a_claimed_chat(
    helpdesk_url: str, client: httpx.Client, ava: Console, agent_accounts: dict[str, AgentLogin]
) -> None:
    ben = Console(helpdesk_url)
    ben.login("ben", agent_accounts["ben"].password)
    conversation = hand_off(client)
    ava.post(f"/conversations/{conversation}/claim")
    with console_socket(helpdesk_url, ben) as ws:
        receive_until(ws, lambda e: e["type"] == "ready")
        say(client, "private message for ava", conversation)
        ava.post(f"/conversations/{conversation}/notes", {"text": "private note"})
        ava.post(f"/conversations/{conversation}/messages", {"text": "marker"})
        with pytest.raises(TimeoutError):
            while True:
                event = receive(ws, timeout=2)
                assert event.get("conversation_id") != conversation, event
    ben.close()
    ava.post(f"/conversations/{conversation}/resolve")


def test_queue_position_reaches_the_waiting_customer(helpdesk_url: str, client: httpx.Client, ava: Console) -> None:
    first = hand_off(client)
    second = hand_off(client)
    with connect(ws_url(helpdesk_url, f"/api/chat/{second}/ws")) as ws:
        state = receive_until(ws, lambda e: e["type"] == "state")[-1]
        before = state["queue"]["position"]
        ava.post(f"/conversations/{first}/claim")
        update = receive_until(ws, lambda e: e["type"] == "queue")[-1]
        assert update["position"] == before - 1
        assert update["estimated_wait_seconds"] > 0
    ava.post(f"/conversations/{first}/resolve")
    ava.post(f"/conversations/{second}/claim")
    ava.post(f"/conversations/{second}/resolve")


def test_widget_socket_for_an_unknown_conversation_closes(helpdesk_url: str) -> None:
    with connect(ws_url(helpdesk_url, "/api/chat/no-such-conversation/ws")) as ws:
        assert receive(ws) == {"type": "error", "error": "unknown conversation_id"}
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4404


def test_a_helpdesk_restart_mid_handoff_loses_and_repeats_nothing(
    helpdesk_url: str, client: httpx.Client, ava: Console, stack: Stack
) -> None:
    conversation = hand_off(client, "hello")
    ava.post(f"/conversations/{conversation}/claim")
    ava.post(f"/conversations/{conversation}/messages", {"text": "before the restart"})
    with connect(ws_url(helpdesk_url, f"/api/chat/{conversation}/ws")) as ws:
        seen = message_ids(receive_until(ws, lambda e: e["type"] == "state"))
        stack.stop_service("helpdesk")
        try:
            with pytest.raises(ConnectionClosed):
                while True:
                    ws.recv(timeout=20)
        finally:
            stack.start_service("helpdesk")
            stack.wait_ready(timeout=120)

    # the agent's session, the assignment and every message survived; the chat goes on
    assert ava.get("/me").status_code == 200
    say(client, "are you still there?", conversation)
    ava.post(f"/conversations/{conversation}/messages", {"text": "after the restart"})
    with connect(ws_url(helpdesk_url, f"/api/chat/{conversation}/ws?after={seen[-1]}")) as ws:
        replay = receive_until(ws, lambda e: e["type"] == "state")
    assert [e["message"]["text"] for e in replay if e["type"] == "message"] == [
        "are you still there?",
        "after the restart",
    ]
    assert replay[-1]["mode"] == "agent"
    texts = [m["text"] for m in history(client, conversation)["messages"]]
    assert texts.count("before the restart") == 1 and texts.count("after the restart") == 1
    ava.post(f"/conversations/{conversation}/resolve")


def test_waiting_customers_get_a_new_wait_when_an_agent_sets_away_or_online(
    helpdesk_url: str, client: httpx.Client, ava: Console, agent_accounts: dict[str, AgentLogin]
) -> None:
    """Ava and Ben at their consoles, both Online: the customer second in line is told ceil(position / 2) × 120 s.
    Ben sets Away with his console still open: automatic assignment gives him nothing, so the customer is told
    position × 120 s at once (before, the shorter wait stood until something else changed the queue); Ben back
    Online: the shorter wait again. The estimate counts who can take the conversation."""
    ben = Console(helpdesk_url)
    assert ben.login("ben", agent_accounts["ben"].password).status_code == 200
    for console in (ava, ben):
        assert console.post("/status", {"status": "online"}).status_code == 200
    conversations: list[str] = []

    def wait_becomes(ws, seconds: int) -> dict:  # noqa: ANN001 - a websocket
        return receive_until(ws, lambda e: e["type"] == "queue" and e["estimated_wait_seconds"] == seconds)[-1]

    try:
        with console_socket(helpdesk_url, ava) as ava_ws, console_socket(helpdesk_url, ben) as ben_ws:
            receive_until(ava_ws, lambda e: e["type"] == "ready")
            receive_until(ben_ws, lambda e: e["type"] == "ready")
            conversations += [hand_off(client), hand_off(client)]
            with connect(ws_url(helpdesk_url, f"/api/chat/{conversations[-1]}/ws")) as ws:
                queue = receive_until(ws, lambda e: e["type"] == "state")[-1]["queue"]
                position = queue["position"]
                assert position >= 2 and queue["estimated_wait_seconds"] == math.ceil(position / 2) * 120
                assert ben.post("/status", {"status": "away"}).json()["status"] == "away"
                assert wait_becomes(ws, position * 120)["position"] == position
                assert history(client, conversations[-1])["queue"]["estimated_wait_seconds"] == position * 120
                assert ben.post("/status", {"status": "online"}).json()["status"] == "online"
                assert wait_becomes(ws, math.ceil(position / 2) * 120)["position"] == position
    finally:
        ben.post("/status", {"status": "online"})
        for conversation in conversations:
            ava.post(f"/conversations/{conversation}/claim")
            ava.post(f"/conversations/{conversation}/resolve")
        ben.close()


def test_waiting_customers_get_a_new_wait_when_an_agent_comes_online_or_leaves(
    helpdesk_url: str, client: httpx.Client, ava: Console, agent_accounts: dict[str, AgentLogin]
) -> None:
    """One agent online, then two, then one again: the customer second in line is told 2 × 120 s, then
    1 × 120 s, then 2 × 120 s (QUEUE_SECONDS_PER_CHAT 120, the conversations ahead shared by the agents)."""
    ben = Console(helpdesk_url)
    assert ben.login("ben", agent_accounts["ben"].password).status_code == 200
    first, second = hand_off(client), hand_off(client)

    def wait_becomes(ws, seconds: int) -> dict:  # noqa: ANN001 - a websocket
        return receive_until(ws, lambda e: e["type"] == "queue" and e["estimated_wait_seconds"] == seconds)[-1]

    try:
        with console_socket(helpdesk_url, ava) as ava_ws:
            receive_until(ava_ws, lambda e: e["type"] == "ready")
            with connect(ws_url(helpdesk_url, f"/api/chat/{second}/ws")) as ws:
                state = receive_until(ws, lambda e: e["type"] == "state")[-1]
                position = state["queue"]["position"]
                assert position >= 2 and state["queue"]["estimated_wait_seconds"] == position * 120
                with console_socket(helpdesk_url, ben) as ben_ws:
                    receive_until(ben_ws, lambda e: e["type"] == "ready")
                    assert wait_becomes(ws, math.ceil(position / 2) * 120)["position"] == position
                assert wait_becomes(ws, position * 120)["position"] == position  # ben's console closed
    finally:
        for conversation in (first, second):
            ava.post(f"/conversations/{conversation}/claim")
            ava.post(f"/conversations/{conversation}/resolve")
        ben.close()
