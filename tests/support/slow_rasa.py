"""A way to the session's Rasa that takes its time (SlowRasa), and what the tests read back: what Rasa read from the
customer, and the bot's answer in the chat as the widget's poll finds it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from helpdesk.stack import Stack

RASA_BUSY_SECONDS = 3.0  # how long each turn waits before Rasa reads it: well past the customer's wait (0.5 s)


class SlowRasa(BaseHTTPRequestHandler):
    """The way to the session's Rasa through a queue that takes RASA_BUSY_SECONDS: a turn (the rest webhook) is
    passed on to Rasa that long after it came, whether or not the helpdesk still waits for it (an overloaded Rasa
    works through its queue all the same); everything else is passed on at once."""

    rasa = ""
    arrived: threading.Event | None = None  # set when a turn comes in (before its wait)

    def _forward(self, method: str) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) if method == "POST" else None
        if method == "POST" and self.path.startswith("/webhooks/"):
            if self.arrived is not None:
                self.arrived.set()
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


@contextmanager
def slow_rasa(stack: Stack, arrived: threading.Event | None = None) -> Iterator[str]:
    """SlowRasa in front of the session's Rasa, for the block: its URL. `arrived` is set when a turn comes in."""
    attributes: dict[str, Any] = {"rasa": f"http://127.0.0.1:{stack.ports.rasa}", "arrived": arrived}
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("SessionSlowRasa", (SlowRasa,), attributes))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
