"""Conversations through the real running stack: POST /api/chat as the widget and other clients use it."""

from __future__ import annotations

import sqlite3

import httpx
import pytest

from helpdesk.stack import Stack


def say(client: httpx.Client, text: str, conversation_id: str | None = None) -> dict:
    response = client.post("/api/chat", json={"conversation_id": conversation_id, "text": text})
    assert response.status_code == 200, response.text
    return response.json()


def stored(db: sqlite3.Connection, conversation_id: str) -> list[tuple[str, str]]:
    rows = db.execute(
        "SELECT sender, text FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
    ).fetchall()
    return [(row["sender"], row["text"]) for row in rows]


def test_healthz_reports_every_part_ready(client: httpx.Client) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["rasa"] is True and body["actions"] is True
    assert body["knowledge"]["ready"] is True and body["knowledge"]["entries"] >= 60
    # the action server embeds questions with ONNX Runtime on the exported model (no torch in that process)
    assert body["knowledge"]["embedding_backend"] == "onnxruntime"


def test_greeting_gets_a_reply_with_the_nlu_ranking(client: httpx.Client, db: sqlite3.Connection) -> None:
    body = say(client, "Hello there!")
    assert body["mode"] == "bot"
    assert body["replies"] and "Larkspur" in body["replies"][0]["text"]
    assert body["nlu"]["intent"] == "greet"
    assert 0.5 < body["nlu"]["confidence"] <= 1.0
    ranking = body["nlu"]["ranking"]
    assert ranking[0]["name"] == "greet" and len(ranking) >= 3
    assert ranking == sorted(ranking, key=lambda r: -r["confidence"])
    assert body["faq"] is None and body["handoff"] is None
    senders = [sender for sender, _ in stored(db, body["conversation_id"])]
    assert senders == ["customer", "bot"]


def test_conversation_continues_with_its_id(client: httpx.Client, db: sqlite3.Connection) -> None:
    first = say(client, "hi")
    second = say(client, "are you a bot?", first["conversation_id"])
    assert second["conversation_id"] == first["conversation_id"]
    assert second["nlu"]["intent"] == "bot_challenge"
    assert "bot" in second["replies"][0]["text"].lower()
    assert [s for s, _ in stored(db, first["conversation_id"])] == ["customer", "bot", "customer", "bot"]


def test_request_for_a_person_hands_off_and_the_bot_goes_silent(client: httpx.Client, db: sqlite3.Connection) -> None:
    body = say(client, "I want to talk to a real person please")
    assert body["nlu"]["intent"] == "request_human"
    assert body["handoff"] == {"reason": "requested"}
    assert body["mode"] == "queued"
    assert "passing your conversation to our support team" in body["replies"][0]["text"]
    later = say(client, "hello? is anyone there?", body["conversation_id"])
    assert later["mode"] == "queued"
    assert later["replies"] == [] and later["nlu"] is None  # nothing went to Rasa
    assert stored(db, body["conversation_id"])[-1] == ("customer", "hello? is anyone there?")
    reason = db.execute("SELECT reason FROM handoffs WHERE conversation_id = ?", (body["conversation_id"],)).fetchone()[
        "reason"
    ]
    assert reason == "requested"


def test_widget_person_control_is_stored_as_its_title(client: httpx.Client, db: sqlite3.Connection) -> None:
    body = say(client, "/request_human")
    assert body["handoff"] == {"reason": "requested"}
    assert stored(db, body["conversation_id"])[0] == ("customer", "Talk to a person")


def test_complaint_goes_to_a_person_by_policy(client: httpx.Client) -> None:
    body = say(client, "This is unacceptable, the courier threw my parcel over the fence and it broke. I'm furious!")
    assert body["nlu"]["intent"] == "complaint"
    assert body["handoff"] == {"reason": "complaint"}


def test_handbook_question_is_answered_with_a_link(client: httpx.Client, db: sqlite3.Connection) -> None:
    body = say(client, "how long does delivery take?")
    assert body["faq"]["id"] == "delivery-time"
    assert 0.0 < body["faq"]["score"] <= 1.0
    assert body["replies"][0]["article"]["url"].endswith("/help/delivery-time")  # a titled card, not a raw URL
    row = db.execute(
        "SELECT faq FROM messages WHERE conversation_id = ? AND sender = 'bot'", (body["conversation_id"],)
    ).fetchone()
    assert '"delivery-time"' in row["faq"]


def test_refund_policy_question_and_refund_request_are_not_confused(client: httpx.Client) -> None:
    policy = say(client, "what is your refund policy?")
    assert policy["faq"]["id"] == "refund-policy"
    request = say(client, "I want a refund for my order 100234")
    assert request["nlu"]["intent"] == "request_refund"
    assert request["faq"] is None
    assert {"entity": "order_id", "value": "100234"} in request["nlu"]["entities"]


def test_help_centre_page_renders_the_entry(client: httpx.Client) -> None:
    page = client.get("/help/delivery-time")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/help/no-such-entry").status_code == 404


def test_history_returns_the_conversation_in_order(client: httpx.Client) -> None:
    first = say(client, "hello")
    say(client, "thanks!", first["conversation_id"])
    history = client.get(f"/api/chat/{first['conversation_id']}/messages").json()
    assert [m["sender"] for m in history["messages"]] == ["customer", "bot", "customer", "bot"]
    assert history["messages"][0]["text"] == "hello"
    after = history["messages"][1]["id"]
    newer = client.get(f"/api/chat/{first['conversation_id']}/messages", params={"after": after}).json()
    assert [m["text"] for m in newer["messages"]][0] == "thanks!"
    assert client.get("/api/chat/not-a-real-conversation/messages").status_code == 404


@pytest.mark.parametrize(
    ("body", "content", "fragment"),
    [
        (None, b"{not json", "valid JSON"),
        (None, b"", "valid JSON"),
        ([1, 2], None, "JSON object"),
        ({"conversation_id": None}, None, "text is missing"),
        ({"conversation_id": None, "text": 42}, None, "text must be a string"),
        ({"conversation_id": None, "text": None}, None, "text must be a string"),
        ({"conversation_id": None, "text": ""}, None, "text is empty"),
        ({"conversation_id": None, "text": " \n\t "}, None, "text is empty"),
        ({"conversation_id": None, "text": "x" * 2001}, None, "too long"),
        ({"conversation_id": 7, "text": "hi"}, None, "conversation_id must be a string"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(
    client: httpx.Client, body: object, content: bytes | None, fragment: str
) -> None:
    if content is not None:
        response = client.post("/api/chat", content=content, headers={"content-type": "application/json"})
    else:
        response = client.post("/api/chat", json=body)
    assert response.status_code == 400
    assert fragment in response.json()["error"]


def test_text_at_the_limit_is_accepted(client: httpx.Client) -> None:
    body = say(client, "where is my order? " + "please " * 283)
    assert len("where is my order? " + "please " * 283) <= 2000
    assert body["replies"]


def test_widget_api_answers_cross_origin(client: httpx.Client) -> None:
    preflight = client.options(
        "/api/chat", headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["access-control-allow-methods"]
    response = client.post(
        "/api/chat", json={"conversation_id": None, "text": "hello"}, headers={"Origin": "https://shop.example"}
    )
    assert response.headers["access-control-allow-origin"] in ("*", "https://shop.example")


def test_malformed_client_message_id_is_refused(client: httpx.Client) -> None:
    response = client.post("/api/chat", json={"conversation_id": None, "text": "hi", "client_message_id": "<x>"})
    assert response.status_code == 400
    assert "client_message_id" in response.json()["error"]


def test_unknown_conversation_is_404(client: httpx.Client) -> None:
    response = client.post("/api/chat", json={"conversation_id": "does-not-exist", "text": "hi"})
    assert response.status_code == 404
    assert "unknown conversation_id" in response.json()["error"]


def _outage(stack: Stack, client: httpx.Client, db: sqlite3.Connection, service: str, text: str) -> None:
    conversation = say(client, "hi")["conversation_id"]
    message = {"conversation_id": conversation, "text": text, "client_message_id": f"retry-{service}"}
    stack.stop_service(service)
    try:
        response = client.post("/api/chat", json=message)
        assert response.status_code == 503
        assert "unavailable" in response.json()["error"] and "one moment" in response.json()["error"]
        assert response.json()["conversation_id"] == conversation and response.json()["pending"] is True
        assert stored(db, conversation)[-1] == ("customer", text)
        assert client.get("/healthz").status_code == 503
    finally:
        stack.start_service(service)
        stack.wait_ready(timeout=300)
    # the widget retries the same message: it is answered (or was, by the helpdesk, once the bot was back) and
    # stored once, and so is the answer
    retried = client.post("/api/chat", json=message)
    assert retried.status_code == 200 and retried.json()["replies"]
    assert [t for s, t in stored(db, conversation) if s == "customer"] == ["hi", text]
    before = stored(db, conversation)
    assert client.post("/api/chat", json=message).status_code == 200
    assert stored(db, conversation) == before  # a retry of an answered message is never a second turn


def test_rasa_down_gives_503_and_keeps_the_message(stack: Stack, client: httpx.Client, db: sqlite3.Connection) -> None:
    _outage(stack, client, db, "rasa", "are you still there? my message must not get lost")


def test_action_server_down_gives_503_and_keeps_the_message(
    stack: Stack, client: httpx.Client, db: sqlite3.Connection
) -> None:
    _outage(stack, client, db, "actions", "I need to speak to a person about my order")
