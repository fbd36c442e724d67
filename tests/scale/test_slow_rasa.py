"""A customer stops waiting before Rasa has answered (issue 22): the turn goes on, its answer reaches the chat, and
Rasa is never given the same message twice.

A helpdesk process beside the session's stack (its database, Rasa and actions) waits CHAT_REPLY_SECONDS=0.5 for
the bot and reaches Rasa through a queue that takes 3 s (SlowRasa: each turn is passed on to Rasa 3 s after it came,
whether the helpdesk still waits or not): every turn outlives the customer's wait, as under overload when Rasa's
queue is longer than the wait. Before, the helpdesk then dropped the request and the message waited as if Rasa were
down, to be sent again (by the pending loop, or the customer's retry) while Rasa still worked on the first copy.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from support.helpdesks import extra_helpdesk

from helpdesk.stack import Stack

RASA_BUSY_SECONDS = 3.0  # how long each turn waits before Rasa reads it: well past the customer's wait (0.5 s)


class SlowRasa(BaseHTTPRequestHandler):
    """The way to the session's Rasa through a queue that takes RASA_BUSY_SECONDS: a turn (the rest webhook) is
    passed on to Rasa that long after it came, whether or not the helpdesk still waits for it (an overloaded Rasa
    works through its queue all the same); everything else is passed on at once."""

    rasa = ""

    def _forward(self, method: str) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) if method == "POST" else None
        if method == "POST" and self.path.startswith("/webhooks/"):
            time.sleep(RASA_BUSY_SECONDS)
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type", "accept")}
        answer = httpx.request(method, self.rasa + self.path, content=body, headers=headers, timeout=120)
        try:
            self.send_response(answer.status_code)
            self.send_header("Content-Type", answer.headers.get("content-type", "application/json"))
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)
        except OSError:
            pass  # the helpdesk stopped waiting; Rasa has read the turn all the same

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self._forward("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._forward("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._forward("PUT")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's name)
        pass


@pytest.fixture(scope="module")
def impatient_helpdesk(stack: Stack) -> Iterator[str]:
    """A helpdesk that waits 0.5 s for the bot, reaching the session's Rasa through SlowRasa."""
    handler = type("SessionSlowRasa", (SlowRasa,), {"rasa": f"http://127.0.0.1:{stack.ports.rasa}"})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    slow = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        env = {"CHAT_REPLY_SECONDS": "0.5", "RASA_URL": slow, "RASA_URLS": slow}
        with extra_helpdesk(stack, "impatient", env) as url:
            yield url
    finally:
        server.shutdown()
        server.server_close()


def rasa_user_texts(stack: Stack, conversation_id: str) -> list[str]:
    """What Rasa read from the customer in this conversation, from its stored tracker."""
    response = httpx.get(
        f"http://127.0.0.1:{stack.ports.rasa}/conversations/{conversation_id}/tracker",
        params={"token": stack.env["RASA_TOKEN"], "include_events": "ALL"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return [str(e.get("text")) for e in response.json()["events"] if e.get("event") == "user"]


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
