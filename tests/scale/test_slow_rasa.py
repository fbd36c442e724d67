"""A customer stops waiting before Rasa has answered (issue 22): the turn goes on, its answer reaches the chat, and
Rasa is never given the same message twice.

A helpdesk process beside the session's stack (its database, Rasa and actions) waits CHAT_REPLY_SECONDS=0.5 for
the bot, and each message is sent while Rasa works through a queue of 80 parse requests (a second or more of its
time): every turn outlives the customer's wait while Rasa works on it, as under overload when Rasa's queue is
longer than RASA_TIMEOUT. Before, the helpdesk then dropped the request and the message waited as if Rasa were
down, to be sent again (by the pending loop, or the customer's retry) while Rasa still worked on the first copy.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from support.helpdesks import extra_helpdesk

from helpdesk.stack import Stack


@pytest.fixture(scope="module")
def impatient_helpdesk(stack: Stack) -> Iterator[str]:
    with extra_helpdesk(stack, "impatient", {"CHAT_REPLY_SECONDS": "0.5"}) as url:
        yield url


def rasa_user_texts(stack: Stack, conversation_id: str) -> list[str]:
    """What Rasa read from the customer in this conversation, from its stored tracker."""
    response = httpx.get(
        f"http://127.0.0.1:{stack.ports.rasa}/conversations/{conversation_id}/tracker",
        params={"token": stack.env["RASA_TOKEN"], "include_events": "ALL"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return [str(e.get("text")) for e in response.json()["events"] if e.get("event") == "user"]


def busy_rasa(stack: Stack, requests: int = 80) -> threading.Thread:
    """Rasa kept busy: `requests` parse requests sent at once (a thread that ends when Rasa has answered them)."""

    async def flood() -> None:
        async with httpx.AsyncClient(timeout=120) as client:
            url = f"http://127.0.0.1:{stack.ports.rasa}/model/parse"
            params = {"token": stack.env["RASA_TOKEN"]}
            await asyncio.gather(
                *(client.post(url, params=params, json={"text": f"do you ship to city {i}?"}) for i in range(requests))
            )

    thread = threading.Thread(target=asyncio.run, args=(flood(),))
    thread.start()
    time.sleep(0.3)  # the requests are in Rasa's queue
    return thread


def answer_in_chat(client: httpx.Client, conversation_id: str, after: int, timeout: float = 90) -> list[dict[str, Any]]:
    """The bot's messages after message `after`, once there are any (the widget's poll)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(f"/api/chat/{conversation_id}/messages", params={"after": after})
        assert response.status_code == 200, response.text
        bot = [m for m in response.json()["messages"] if m["sender"] == "bot"]
        if bot:
            return bot
        time.sleep(0.3)
    pytest.fail(f"no answer in the chat within {timeout} s")


def test_a_turn_that_outlives_the_customers_wait_is_answered_in_the_chat_and_read_by_rasa_once(
    impatient_helpdesk: str, stack: Stack
) -> None:
    conversation_id: str | None = None
    said: list[str] = []
    answers: list[str] = []
    with httpx.Client(base_url=impatient_helpdesk, timeout=60) as client:
        for text in ["where is my order?", "100234", "2511ab"]:
            busy = busy_rasa(stack)
            response = client.post("/api/chat", json={"conversation_id": conversation_id, "text": text})
            busy.join(120)
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
