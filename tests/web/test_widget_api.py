"""The widget's side of the chat API through the real stack: replies as stored (ids, times, the handbook article,
whether they ask "Did this help?"), the greeting's topics, the feedback endpoint's rules, a rating's follow-up,
and a chat reopened after an agent closed it starting without the bot's old slots."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from support.accounts import AgentLogin
from support.agent import Console, hand_off, say
from support.rasa import rasa_slots

from helpdesk.conversation.feedback import answer_index
from helpdesk.stack import Stack
from helpdesk.staff.accounts import AccountError, check_avatar_url


def feedback(client: httpx.Client, conversation_id: str, message_id: int, body: Any) -> httpx.Response:
    return client.post(f"/api/chat/{conversation_id}/messages/{message_id}/feedback", json=body)


def bot_slots(stack: Stack, conversation_id: str) -> dict[str, Any]:
    return rasa_slots(stack.ports.rasa, stack.env["RASA_TOKEN"], conversation_id)


def test_replies_come_as_stored_with_their_article_and_feedback(client: httpx.Client, db: sqlite3.Connection) -> None:
    body = say(client, "how long does delivery take?")
    (reply,) = body["replies"]
    row = db.execute("SELECT id, text, created_at, asks_feedback FROM messages WHERE id = ?", (reply["id"],)).fetchone()
    assert row["text"] == reply["text"] and row["asks_feedback"] == 1
    assert reply["sender"] == "bot" and reply["created_at"]
    assert reply["feedback"] == {"helpful": None}
    assert reply["article"]["id"] == "delivery-time" and reply["article"]["title"] == "How long does delivery take?"
    assert reply["article"]["url"].endswith("/help/delivery-time")
    # the answer is the handbook's Markdown, without a raw address
    assert "**Standard delivery and pick-up points:**" in reply["text"] and "http" not in reply["text"]
    assert body["message"]["id"] < reply["id"] and body["message"]["sender"] == "customer"
    history = client.get(f"/api/chat/{body['conversation_id']}/messages").json()["messages"]
    assert history[-1] == reply


def test_the_greetings_topics_may_be_pressed_before_the_first_message(
    client: httpx.Client, db: sqlite3.Connection
) -> None:
    topics = client.get("/api/chat/status").json()["topics"]
    by_title = {t["title"]: t["payload"] for t in topics}
    body = say(client, by_title["Where is my order?"])
    assert body["nlu"]["intent"] == "order_status"
    stored = db.execute("SELECT text, payload FROM messages WHERE id = ?", (body["message"]["id"],)).fetchone()
    assert (stored["text"], stored["payload"]) == ("Where is my order?", "/order_status")


def test_feedback_once_per_answer_by_that_conversations_customer(client: httpx.Client, db: sqlite3.Connection) -> None:
    answered = say(client, "What is your refund policy?")
    conversation_id, answer = answered["conversation_id"], answered["replies"][0]
    other = say(client, "hello")  # a greeting: its reply offers topics and asks nothing
    assert other["replies"][-1]["feedback"] is None

    assert feedback(client, other["conversation_id"], answer["id"], {"helpful": False}).status_code == 404
    assert feedback(client, "no-such-conversation", answer["id"], {"helpful": False}).status_code == 404
    assert feedback(client, conversation_id, answered["message"]["id"], {"helpful": False}).status_code == 404
    refused = feedback(client, other["conversation_id"], other["replies"][-1]["id"], {"helpful": True})
    assert refused.status_code == 409 and "does not ask" in refused.json()["error"]
    for bad in ({}, {"helpful": "yes"}, {"helpful": 1}, {"helpful": None}):
        response = feedback(client, conversation_id, answer["id"], bad)
        assert response.status_code == 400 and "helpful must be true" in response.json()["error"], bad
    assert feedback(client, conversation_id, answer["id"], [True]).status_code == 400

    stored = feedback(client, conversation_id, answer["id"], {"helpful": False})
    assert stored.status_code == 201
    assert stored.json()["message"]["feedback"] == {"helpful": False}
    second = feedback(client, conversation_id, answer["id"], {"helpful": True})
    assert second.status_code == 409 and "already" in second.json()["error"]
    row = db.execute("SELECT helpful, feedback_at FROM messages WHERE id = ?", (answer["id"],)).fetchone()
    assert row["helpful"] == 0 and row["feedback_at"]


def test_which_reply_of_a_turn_asks_whether_it_helped() -> None:
    faq = {"text": "Delivery takes…", "buttons": [], "faq": {"id": "delivery-time"}}
    plain = {"text": "Your order shipped with DHL.", "buttons": []}
    question = {"text": "What's the e-mail address for order 100234?", "buttons": []}
    choice = {"text": "Shall I cancel it?", "buttons": [{"title": "Yes", "payload": "/affirm"}]}
    assert answer_index([faq, question], handed_off=False, intent="faq") == 0
    assert answer_index([plain], handed_off=False, intent="inform") == 0  # the end of a flow
    assert answer_index([question], handed_off=False, intent="inform") is None  # the middle of one
    asked = {**question, "question": True}  # the actions signal the order form's questions
    assert answer_index([asked], handed_off=False, intent="request_refund") is None  # the question a flow starts with
    assert answer_index([faq, asked], handed_off=False, intent="faq") == 0  # an answer, then back to the form
    assert answer_index([choice], handed_off=False, intent="cancel_order") is None
    assert answer_index([plain], handed_off=True, intent="complaint") is None
    refused = {"text": "Our team already has several requests for a person…", "buttons": [], "notice": True}
    assert answer_index([refused], handed_off=False, intent="request_human") is None  # the helpdesk's own notice
    assert answer_index([plain], handed_off=False, intent="thank") is None
    assert answer_index([], handed_off=False, intent=None) is None


@pytest.mark.parametrize(
    ("opening", "answer", "verification"),
    [
        ("where is my order?", "100234", "ann.lee@example.com"),
        ("can you check the status of order 100234", None, "ann.lee@example.com"),
    ],
)
def test_the_order_forms_questions_ask_no_feedback_and_the_status_at_its_end_does(
    client: httpx.Client, opening: str, answer: str | None, verification: str
) -> None:
    """The walkthrough's "Did this help?" under "What's the order number?" and "what's the e-mail address or
    postcode for order 100234?": a question to the customer is no answer to judge; the status it leads to is.
    (Chinese: tests/browser/test_widget_chinese.py.)"""
    asked = say(client, opening)
    conversation_id = asked["conversation_id"]
    assert asked["replies"][-1]["feedback"] is None, asked["replies"][-1]["text"]
    if answer is not None:
        proof = say(client, answer, conversation_id)
        assert "100234" in proof["replies"][-1]["text"] and proof["replies"][-1]["feedback"] is None
    status = say(client, verification, conversation_id)
    assert "100234" in status["replies"][-1]["text"] and "DHL" in status["replies"][-1]["text"]
    assert status["replies"][-1]["feedback"] == {"helpful": None}


def test_a_rating_says_whether_it_opened_a_follow_up(
    client: httpx.Client, console_for: Callable[[AgentLogin], Console], agent_accounts: dict[str, AgentLogin]
) -> None:
    agent = console_for(agent_accounts["ava"])
    scores = {}
    for score in (1, 4):
        conversation_id = hand_off(client)
        assert agent.post(f"/conversations/{conversation_id}/claim").status_code == 200
        assert agent.post(f"/conversations/{conversation_id}/resolve").status_code == 200
        rated = client.post(f"/api/chat/{conversation_id}/rating", json={"score": score})
        assert rated.status_code == 201
        scores[score] = rated.json()["follow_up"]
    assert scores == {1: True, 4: False}


def test_a_chat_reopened_after_an_agent_closed_it_starts_without_old_slots(
    client: httpx.Client,
    stack: Stack,
    console_for: Callable[[AgentLogin], Console],
    agent_accounts: dict[str, AgentLogin],
) -> None:
    first = say(client, "where is my order 100165? my email is marco.rossi@example.org")
    conversation_id = first["conversation_id"]
    assert bot_slots(stack, conversation_id).get("order_id") == "100165"
    assert say(client, "I want to talk to a person", conversation_id)["mode"] == "queued"
    agent = console_for(agent_accounts["ava"])
    assert agent.post(f"/conversations/{conversation_id}/claim").status_code == 200
    assert agent.post(f"/conversations/{conversation_id}/resolve").status_code == 200

    again = say(client, "where is my order?", conversation_id)
    assert again["mode"] == "bot"
    assert "order number" in again["replies"][-1]["text"] and "100165" not in again["replies"][-1]["text"]
    slots = bot_slots(stack, conversation_id)
    assert "order_id" not in slots and "email" not in slots, slots


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://cdn.example.com/ava.png", True),
        ("http://intranet.example/ava.jpg", True),
        ("javascript:alert(1)", False),
        ("data:image/png;base64,AAAA", False),
        ("//cdn.example.com/ava.png", False),
        ("https://cdn.example.com/a b.png", False),
        ("https://" + "a" * 500 + ".com/x.png", False),
    ],
)
def test_an_avatar_is_an_image_address(url: str, ok: bool) -> None:
    if ok:
        assert check_avatar_url(url) == url
    else:
        with pytest.raises(AccountError):
            check_avatar_url(url)
