"""A customer stops waiting before Rasa has answered (issue 22): the turn goes on, its answer reaches the chat, and
Rasa is never given the same message twice.

A helpdesk process beside the session's stack (its database, Rasa and actions) waits CHAT_REPLY_SECONDS=0.5 for
the bot and reaches Rasa through a queue that takes 3 s (SlowRasa: each turn is passed on to Rasa 3 s after it came,
whether the helpdesk still waits or not): every turn outlives the customer's wait, as under overload when Rasa's
queue is longer than the wait. Before, the helpdesk then dropped the request and the message waited as if Rasa were
down, to be sent again (by the pending loop, or the customer's retry) while Rasa still worked on the first copy.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from support.helpdesks import extra_helpdesk
from support.slow_rasa import answer_in_chat, rasa_user_texts, slow_rasa

from helpdesk.stack import Stack


@pytest.fixture(scope="module")
def impatient_helpdesk(stack: Stack) -> Iterator[str]:
    """A helpdesk that waits 0.5 s for the bot, reaching the session's Rasa through SlowRasa."""
    with slow_rasa(stack) as slow:
        env = {"CHAT_REPLY_SECONDS": "0.5", "RASA_URL": slow, "RASA_URLS": slow}
        with extra_helpdesk(stack, "impatient", env) as url:
            yield url


def test_a_turn_that_outlives_the_customers_wait_is_answered_in_the_chat_and_read_by_rasa_once(
    impatient_helpdesk: str, stack: Stack
) -> None:
    conversation_id: str | None = None
    said: list[str] = []
    answers: list[str] = []
    with httpx.Client(base_url=impatient_helpdesk, timeout=60) as client:
        for text in ["where is my order?", "100234", "2511ab"]:
            response = client.post("/api/chat", json={"conversation_id": conversation_id, "text": text})
            # the customer was told the answer will come here; the message is stored
            assert response.status_code == 503, response.text
            body = response.json()
            assert body["pending"] is True
            conversation_id = body["conversation_id"]
            mine = client.get(f"/api/chat/{conversation_id}/messages").json()["messages"][-1]
            assert mine["sender"] == "customer" and mine["text"] == text
            said.append(text)
            answers.append("\n".join(m["text"] for m in answer_in_chat(client, conversation_id, mine["id"])))
            time.sleep(2.5)  # past the pending loop's next look (every 2 s): it must not send the message again
    assert conversation_id is not None
    # the form went on across the three turns, each answered once
    assert "order number" in answers[0], answers
    assert "e-mail address or the delivery postcode for order 100234" in answers[1], answers
    assert "Order 100234 shipped" in answers[2], answers
    with httpx.Client(base_url=impatient_helpdesk, timeout=60) as client:
        transcript = client.get(f"/api/chat/{conversation_id}/messages").json()["messages"]
    senders = [m["sender"] for m in transcript]
    assert senders.count("customer") == 3 and len(transcript) == len(set(m["id"] for m in transcript))
    # Rasa read each message exactly once
    assert rasa_user_texts(stack, conversation_id) == said
