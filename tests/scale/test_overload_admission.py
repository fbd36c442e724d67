"""Overload (issue 22): a turn that finds the bot full is refused at once as busy, its message is kept and answered
in the chat once there is room; Rasa reads it once.

A helpdesk process beside the session's stack lets one turn at a time wait on Rasa (RASA_TURNS_IN_FLIGHT=1) and a
turn wait 0.3 s for room (RASA_ADMIT_SECONDS), and reaches Rasa through SlowRasa (each turn passed on 3 s after it
came): while customer A's turn is in Rasa, customer B's message is answered "busy, your message is saved" (503,
`pending`, `busy`) before A has its answer, instead of queueing behind it for as long as the queue is.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from support.helpdesks import extra_helpdesk
from support.slow_rasa import answer_in_chat, rasa_user_texts, slow_rasa

from helpdesk.stack import Stack

ARRIVED = threading.Event()


@pytest.fixture(scope="module")
def one_turn_helpdesk(stack: Stack) -> Iterator[str]:
    """A helpdesk with room for one turn in Rasa at a time, reaching the session's Rasa through SlowRasa."""
    with slow_rasa(stack, ARRIVED) as slow:
        env = {
            "RASA_URL": slow,
            "RASA_URLS": slow,
            "RASA_TURNS_IN_FLIGHT": "1",
            "RASA_ADMIT_SECONDS": "0.3",
            "CHAT_REPLY_SECONDS": "60",  # A waits for its answer
        }
        with extra_helpdesk(stack, "one-turn", env) as url:
            yield url


def test_a_turn_with_no_room_is_refused_as_busy_at_once_kept_and_answered_in_the_chat(
    one_turn_helpdesk: str, stack: Stack
) -> None:
    first: dict[str, httpx.Response] = {}

    def customer_a() -> None:
        with httpx.Client(base_url=one_turn_helpdesk, timeout=90) as client:
            first["a"] = client.post("/api/chat", json={"conversation_id": None, "text": "hello"})

    ARRIVED.clear()
    a = threading.Thread(target=customer_a)
    a.start()
    assert ARRIVED.wait(60), "A's turn never reached Rasa"
    with httpx.Client(base_url=one_turn_helpdesk, timeout=90, headers={"Accept-Language": "en"}) as client:
        response = client.post("/api/chat", json={"conversation_id": None, "text": "where is my order?"})
        a_done_when_b_answered = "a" in first
        # B is told at once: the bot is busy, the message is saved and will be answered here
        assert response.status_code == 503, response.text
        body = response.json()
        assert body["pending"] is True and body["busy"] is True, body
        assert "many customers are writing right now" in body["error"]
        assert not a_done_when_b_answered  # refused while A's turn was still in Rasa, not queued behind it
        b_id = body["conversation_id"]
        mine = client.get(f"/api/chat/{b_id}/messages").json()["messages"]
        assert [(m["sender"], m["text"]) for m in mine] == [("customer", "where is my order?")]
        # answered in the chat once there is room (the pending loop), as the widget's poll finds it
        answer = answer_in_chat(client, b_id, mine[0]["id"])
        assert "order number" in "\n".join(m["text"] for m in answer)
    a.join(90)
    assert first["a"].status_code == 200 and first["a"].json()["replies"], first["a"].text
    assert rasa_user_texts(stack, b_id) == ["where is my order?"]  # read once
