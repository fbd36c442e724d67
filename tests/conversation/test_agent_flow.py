"""Handoff to a person through the real stack: queue, claim, full context, live chat, notes, resolve, rating,
hand-back, transfer, permissions, canned and suggested replies."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

import httpx
import pytest
from support.accounts import AgentLogin
from support.agent import HANDOFF_TEXT, Console, console_open, hand_off, history, say, wait_for, writable_db

from helpdesk.stack import Stack


@pytest.fixture()
def login(helpdesk_url: str, agent_accounts: dict[str, AgentLogin]) -> Iterator[Callable[[str], Console]]:
    consoles: list[Console] = []

    def log_in(username: str) -> Console:
        console = Console(helpdesk_url)
        assert console.login(username, agent_accounts[username].password).status_code == 200
        consoles.append(console)
        return console

    yield log_in
    for console in consoles:
        console.close()


def queued_ids(console: Console) -> list[str]:
    response = console.get("/queue")
    assert response.status_code == 200
    return [c["conversation_id"] for c in response.json()["conversations"]]


def test_handoff_queue_claim_reply_resolve_rating(
    client: httpx.Client, login: Callable[[str], Console], db: sqlite3.Connection
) -> None:
    ava = login("ava")
    conversation = hand_off(client, "hello")
    entry = next(c for c in ava.get("/queue").json()["conversations"] if c["conversation_id"] == conversation)
    assert entry["handoff_reason"] == "requested"
    assert entry["customer_tier"] == "standard"
    assert entry["waiting_seconds"] >= 0 and entry["queued_at"]
    assert entry["preview"] == HANDOFF_TEXT
    status = history(client, conversation)
    assert status["mode"] == "queued"
    assert status["queue"]["position"] >= 1 and status["queue"]["estimated_wait_seconds"] > 0

    claimed = ava.post(f"/conversations/{conversation}/claim")
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["conversation"]["mode"] == "agent"
    assert claimed.json()["conversation"]["assignee"] == ava.agent["id"]
    assert conversation not in queued_ids(ava)
    assert conversation in [c["conversation_id"] for c in ava.get("/chats").json()["conversations"]]
    assert ava.post(f"/conversations/{conversation}/claim").status_code == 409  # not queued any more

    # the bot stays silent; the customer's message reaches the agent
    silent = say(client, "My order 100234 has not arrived", conversation)
    assert silent["mode"] == "agent" and silent["replies"] == [] and silent["nlu"] is None
    view = ava.get(f"/conversations/{conversation}").json()
    assert view["messages"][-1]["sender"] == "customer"
    assert view["messages"][-1]["text"] == "My order 100234 has not arrived"

    sent = ava.post(f"/conversations/{conversation}/messages", {"text": "Hi, I'm Ava. Let me check that for you."})
    assert sent.status_code == 201 and sent.json()["sender"] == "agent"
    customer_view = history(client, conversation)
    assert customer_view["mode"] == "agent"
    agent_messages = [m for m in customer_view["messages"] if m["sender"] == "agent"]
    assert [m["text"] for m in agent_messages] == ["Hi, I'm Ava. Let me check that for you."]
    assert any(m["sender"] == "system" and "Ava Tester has joined" in m["text"] for m in customer_view["messages"])

    resolved = ava.post(f"/conversations/{conversation}/resolve")
    assert resolved.status_code == 200 and resolved.json()["mode"] == "closed"
    closed = history(client, conversation)
    assert closed["mode"] == "closed" and closed["rating_pending"] is True
    assert conversation not in [c["conversation_id"] for c in ava.get("/chats").json()["conversations"]]

    rated = client.post(f"/api/chat/{conversation}/rating", json={"score": 5, "comment": "Quick and kind!"})
    assert rated.status_code == 201, rated.text
    assert client.post(f"/api/chat/{conversation}/rating", json={"score": 1}).status_code == 409
    assert history(client, conversation)["rating_pending"] is False
    row = db.execute(
        "SELECT score, comment, agent_id FROM ratings WHERE conversation_id = ?", (conversation,)
    ).fetchone()
    assert (row["score"], row["comment"], row["agent_id"]) == (5, "Quick and kind!", ava.agent["id"])
    assignment = db.execute(
        "SELECT agent_id, end_reason, ended_at FROM assignments WHERE conversation_id = ?", (conversation,)
    ).fetchone()
    assert assignment["agent_id"] == ava.agent["id"] and assignment["end_reason"] == "resolved"

    # a new message after closing starts a new bot episode
    again = say(client, "thanks, bye!", conversation)
    assert again["mode"] == "bot" and again["replies"]


@pytest.mark.parametrize(
    "body",
    [
        {"score": 0},
        {"score": 6},
        {"score": "5"},
        {"score": True},
        {},
        {"score": 3, "comment": 7},
        {"score": 3, "comment": "x" * 1001},
    ],
)
def test_bad_ratings_are_refused(client: httpx.Client, body: dict) -> None:
    conversation = say(client, "hello")["conversation_id"]
    assert client.post(f"/api/chat/{conversation}/rating", json=body).status_code == 400


def test_a_conversation_no_agent_resolved_cannot_be_rated(client: httpx.Client) -> None:
    conversation = say(client, "hello")["conversation_id"]
    assert client.post(f"/api/chat/{conversation}/rating", json={"score": 4}).status_code == 409
    assert client.post("/api/chat/no-such-conversation/rating", json={"score": 4}).status_code == 404


def test_the_agent_sees_the_full_context_of_every_turn(client: httpx.Client, login: Callable[[str], Console]) -> None:
    conversation = hand_off(client, "hi there", "how long does delivery take?", "I want a refund for my order 100234")
    sue = login("sue")
    view = sue.get(f"/conversations/{conversation}").json()  # queued: viewable before claiming

    assert view["conversation"]["handoff_reason"] == "requested"
    assert view["conversation"]["mode"] == "queued"
    assert view["conversation"]["waiting_seconds"] >= 0
    assert view["conversation"]["slots"].get("order_id") == "100234"
    assert {"entity": "order_id", "value": "100234"} in [
        {"entity": e["entity"], "value": e["value"]} for e in view["entities"]
    ]
    turns = [m for m in view["messages"] if m["sender"] == "customer"]
    assert [t["text"] for t in turns] == [
        "hi there",
        "how long does delivery take?",
        "I want a refund for my order 100234",
        HANDOFF_TEXT,
    ]
    for turn in turns:
        ranking = turn["nlu"]["ranking"]
        assert len(ranking) >= 3 and ranking == sorted(ranking, key=lambda r: -r["confidence"])
        assert all(0.0 <= r["confidence"] <= 1.0 for r in ranking)
        candidates = turn["faq_candidates"]["candidates"]
        assert candidates and all({"id", "title", "score"} <= set(c) for c in candidates)
    assert turns[0]["nlu"]["intent"] == "greet"
    assert turns[2]["nlu"]["intent"] == "request_refund"
    assert turns[3]["nlu"]["intent"] == "request_human"
    assert turns[1]["faq_candidates"]["candidates"][0]["id"] == "delivery-time"
    bot_answer = next(m for m in view["messages"] if m["sender"] == "bot" and m["faq"])
    assert bot_answer["faq"]["id"] == "delivery-time" and bot_answer["faq"]["score"] > 0
    # the customer's own transcript carries none of this
    public = history(client, conversation)["messages"]
    shown = {"id", "sender", "text", "buttons", "created_at", "feedback"}  # and an agent's name, an answer's article
    assert all(set(m) - {"agent", "article"} == shown for m in public)


def test_notes_are_never_shown_to_the_customer(client: httpx.Client, login: Callable[[str], Console]) -> None:
    ava = login("ava")
    conversation = hand_off(client)
    assert ava.post(f"/conversations/{conversation}/claim").status_code == 200
    secret = "Customer sounds upset; offer the 10% voucher code SECRET-NOTE-42"
    note = ava.post(f"/conversations/{conversation}/notes", {"text": secret})
    assert note.status_code == 201 and note.json()["author"] == "Ava Tester"
    assert ava.get(f"/conversations/{conversation}").json()["notes"][0]["text"] == secret
    customer = client.get(f"/api/chat/{conversation}/messages")
    assert "SECRET-NOTE-42" not in customer.text
    say(client, "any news?", conversation)
    assert "SECRET-NOTE-42" not in client.get(f"/api/chat/{conversation}/messages").text
    ava.post(f"/conversations/{conversation}/resolve")


def test_another_agents_chat_is_403(client: httpx.Client, login: Callable[[str], Console]) -> None:
    ava, ben, sue = login("ava"), login("ben"), login("sue")
    conversation = hand_off(client)
    assert ava.post(f"/conversations/{conversation}/claim").status_code == 200
    base = f"/conversations/{conversation}"
    assert ben.get(base).status_code == 403
    assert ben.get(f"{base}/suggestions").status_code == 403
    for path, body in [
        ("/messages", {"text": "hijack"}),
        ("/notes", {"text": "hijack"}),
        ("/resolve", {}),
        ("/handback", {}),
        ("/transfer", {"agent_id": ben.agent["id"]}),
        ("/typing", {"typing": True}),
        ("/seen", {"message_id": 1}),
        ("/claim", {}),
    ]:
        response = ben.post(base + path, body)
        assert response.status_code in (403, 409), (path, response.text)
        if path != "/claim":
            assert response.status_code == 403, path
    assert all(m["text"] != "hijack" for m in history(client, conversation)["messages"])
    # a supervisor may look in and step in
    assert sue.get(base).status_code == 200
    assert sue.post(f"{base}/messages", {"text": "Supervisor here, just checking in."}).status_code == 201
    assert ava.post(f"{base}/resolve").status_code == 200
    assert ava.post(f"{base}/messages", {"text": "too late"}).status_code == 403  # assigned to nobody now
    assert sue.post(f"{base}/messages", {"text": "too late"}).status_code == 409  # closed
    assert ben.get("/conversations/no-such-conversation").status_code == 404


def test_a_chat_card_counts_the_customers_lines_its_reader_has_not_seen(
    client: httpx.Client, login: Callable[[str], Console]
) -> None:
    """Each agent's own count (kept in the database: a reload or another console reads the same): the customer's
    lines since the chat's agent got it, after the last one that agent saw; opening the chat or the console showing
    a new line reads it."""
    ava, sue = login("ava"), login("sue")

    def unread(console: Console) -> int:
        chats = console.get("/chats", params={"scope": "all"}).json()["conversations"]
        return next(c["unread"] for c in chats if c["conversation_id"] == conversation)

    conversation = hand_off(client, "my lamp shade arrived dented")
    base = f"/conversations/{conversation}"
    assert ava.post(f"{base}/claim").status_code == 200
    assert unread(ava) == 0  # what the customer told the bot before is not new
    say(client, "it's the blue one", conversation)
    say(client, "hello?", conversation)
    assert unread(ava) == 2 and unread(sue) == 2
    assert ava.get(base).status_code == 200  # opened: read
    assert unread(ava) == 0 and unread(sue) == 2  # each reader their own
    last = say(client, "are you there?", conversation)["message"]["id"]
    assert unread(ava) == 1
    for body in ({}, {"message_id": "12"}, {"message_id": 0}, {"message_id": True}):
        assert ava.post(f"{base}/seen", body).status_code == 400, body
    seen = ava.post(f"{base}/seen", {"message_id": last + 1000})  # never past the conversation's own messages
    assert seen.status_code == 200 and seen.json()["seen_message_id"] == last, seen.text
    assert unread(ava) == 0
    assert ava.post(f"{base}/seen", {"message_id": 1}).status_code == 200  # never moves back
    assert unread(ava) == 0
    assert ava.post(f"{base}/resolve").status_code == 200


def test_queue_puts_vip_customers_first_then_the_longest_waiting(
    client: httpx.Client, login: Callable[[str], Console], stack: Stack
) -> None:
    first, second, third = hand_off(client), hand_off(client), hand_off(client)
    with writable_db(stack.workdir / "helpdesk.db") as rw:  # type: ignore[attr-defined]
        rw.execute("UPDATE conversations SET customer_tier = 'vip' WHERE id = ?", (third,))
    order = [c for c in queued_ids(login("ben")) if c in (first, second, third)]
    assert order == [third, first, second]
    positions = {c: history(client, c)["queue"]["position"] for c in (first, second, third)}
    assert positions[third] < positions[first] < positions[second]
    sue = login("sue")
    for conversation in (first, second, third):
        sue.post(f"/conversations/{conversation}/claim")
        sue.post(f"/conversations/{conversation}/resolve")


def test_claims_respect_the_agents_limit(client: httpx.Client, login: Callable[[str], Console]) -> None:
    cap = login("cap")
    first, second = hand_off(client), hand_off(client)
    assert cap.post(f"/conversations/{first}/claim").status_code == 200
    refused = cap.post(f"/conversations/{second}/claim")
    assert refused.status_code == 409 and "limit" in refused.json()["error"]
    assert cap.post(f"/conversations/{first}/resolve").status_code == 200
    assert cap.post(f"/conversations/{second}/claim").status_code == 200
    assert cap.post(f"/conversations/{second}/resolve").status_code == 200


def test_hand_back_returns_the_customer_to_the_bot(client: httpx.Client, login: Callable[[str], Console]) -> None:
    ava = login("ava")
    conversation = hand_off(client)
    ava.post(f"/conversations/{conversation}/claim")
    back = ava.post(f"/conversations/{conversation}/handback")
    assert back.status_code == 200 and back.json()["mode"] == "bot"
    assert history(client, conversation)["mode"] == "bot"
    answer = say(client, "how long does delivery take?", conversation)
    assert answer["mode"] == "bot" and answer["faq"]["id"] == "delivery-time"


def test_transfer_to_another_agent_and_to_a_team(client: httpx.Client, login: Callable[[str], Console]) -> None:
    ava, ben = login("ava"), login("ben")
    conversation = hand_off(client)
    ava.post(f"/conversations/{conversation}/claim")
    with console_open(ben):  # a chat goes only to a colleague at an open console (test_transfer_to_offline.py)
        moved = ava.post(f"/conversations/{conversation}/transfer", {"agent_id": ben.agent["id"]})
    assert moved.status_code == 200 and moved.json()["assignee"] == ben.agent["id"]
    assert ava.post(f"/conversations/{conversation}/messages", {"text": "still mine?"}).status_code == 403
    assert ben.post(f"/conversations/{conversation}/messages", {"text": "Ben here."}).status_code == 201

    to_team = ben.post(f"/conversations/{conversation}/transfer", {"team": "orders"})
    assert to_team.status_code == 200 and to_team.json()["mode"] == "queued"
    assert conversation in queued_ids(ava)  # ava is in the orders team
    assert conversation not in queued_ids(ben)  # ben is not
    assert ben.post(f"/conversations/{conversation}/claim").status_code == 403
    assert ava.post(f"/conversations/{conversation}/claim").status_code == 200
    assert ava.post(f"/conversations/{conversation}/transfer", {"team": "no-such-team"}).status_code == 400
    assert ava.post(f"/conversations/{conversation}/transfer", {}).status_code == 400
    ava.post(f"/conversations/{conversation}/resolve")


def test_shared_canned_replies_are_changed_only_by_their_author_supervisors_and_admins(
    login: Callable[[str], Console],
) -> None:
    ava, ben, sue = login("ava"), login("ben"), login("sue")
    created = ava.post("/canned", {"title": "Apology for the delay", "text": "I'm sorry for the wait."})
    assert created.status_code == 201
    canned_id = created.json()["id"]
    assert created.json()["created_by"] == ava.agent["id"]
    # every agent uses it; another agent may not rewrite or delete it
    assert canned_id in {c["id"] for c in ben.get("/canned").json()["canned"]}
    refused = ben.put(f"/canned/{canned_id}", {"title": "Apology for the delay", "text": "Send me your card number"})
    assert refused.status_code == 403 and "author" in refused.json()["error"]
    assert ben.delete(f"/canned/{canned_id}").status_code == 403
    # its author may
    assert ava.put(f"/canned/{canned_id}", {"title": "Apology for the delay", "text": "Sorry!"}).status_code == 200
    # a supervisor may
    edited = sue.put(f"/canned/{canned_id}", {"title": "Apology for the delay", "text": "Sorry about the wait!"})
    assert edited.status_code == 200
    listed = {c["id"]: c for c in ava.get("/canned").json()["canned"]}
    assert listed[canned_id]["text"] == "Sorry about the wait!"
    assert ava.post("/canned", {"title": "", "text": "x"}).status_code == 400
    assert sue.delete(f"/canned/{canned_id}").status_code == 204
    assert ava.delete(f"/canned/{canned_id}").status_code == 404


def test_suggested_replies_come_from_the_handbook(client: httpx.Client, login: Callable[[str], Console]) -> None:
    ava = login("ava")
    conversation = hand_off(client)
    ava.post(f"/conversations/{conversation}/claim")
    say(client, "Can I pay with PayPal?", conversation)
    suggestions = ava.get(f"/conversations/{conversation}/suggestions").json()
    assert suggestions["query"] == "Can I pay with PayPal?"
    assert suggestions["suggestions"][0]["id"] == "payment-methods"
    assert "/help/payment-methods" in suggestions["suggestions"][0]["text"]
    # the message sent during the handoff gets its FAQ candidates too, for the per-turn context
    turn = wait_for(
        lambda: next(
            (
                m
                for m in ava.get(f"/conversations/{conversation}").json()["messages"]
                if m["text"] == "Can I pay with PayPal?" and m["faq_candidates"]
            ),
            None,
        )
    )
    assert turn["faq_candidates"]["candidates"][0]["id"] == "payment-methods"
    ava.post(f"/conversations/{conversation}/resolve")


def test_agent_reply_is_validated_and_stored_once(client: httpx.Client, login: Callable[[str], Console]) -> None:
    ava = login("ava")
    conversation = hand_off(client)
    ava.post(f"/conversations/{conversation}/claim")
    assert ava.post(f"/conversations/{conversation}/messages", {"text": "  "}).status_code == 400
    assert ava.post(f"/conversations/{conversation}/messages", {"text": "x" * 4001}).status_code == 400
    body = {"text": "Sent once", "client_message_id": "retry-1"}
    first = ava.post(f"/conversations/{conversation}/messages", body)
    second = ava.post(f"/conversations/{conversation}/messages", body)
    assert first.json()["id"] == second.json()["id"]
    assert [m["text"] for m in history(client, conversation)["messages"]].count("Sent once") == 1
    ava.post(f"/conversations/{conversation}/resolve")
