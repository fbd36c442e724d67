"""The action webhook process reads bodies up to a limit (ACTION_MAX_BODY_BYTES, helpdesk/action_server.py) and
answers 413 past it, while the biggest real call — Rasa's webhook call with a long session's whole tracker — still
fits. Through a running action server process, as Rasa and the helpdesk reach it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from helpdesk.action_server import SECRET_HEADER
from helpdesk.knowledge.preview_limits import MAX_BODY_BYTES
from helpdesk.stack import Ports

# what Rasa 3.6 writes for one turn of a chat about an order (rasa.shared.core.events as_dict), ~1.9 kB
QUESTION = "hi, I ordered the candle holders last week (order 100212) and one arrived broken, can I return just that?"
RANKING = [{"name": f"intent_{n}", "confidence": 0.01} for n in range(10)]


def turn(n: int) -> list[dict[str, Any]]:
    stamp = 1_764_000_000.0 + n
    parse = {
        "text": QUESTION,
        "intent": {"name": "order_status", "confidence": 0.93},
        "entities": [{"entity": "order_id", "value": "100212", "start": 57, "end": 63, "extractor": "Regex"}],
        "intent_ranking": RANKING,
        "response_selector": {},
        "message_id": f"{n:032x}",
    }
    answer = "You can return part of an order within 30 days of delivery; the rest of the order stays with you. " * 2
    return [
        {"event": "user", "timestamp": stamp, "text": QUESTION, "parse_data": parse, "input_channel": "helpdesk",
         "message_id": f"{n:032x}", "metadata": {}},
        {"event": "slot", "timestamp": stamp, "name": "language", "value": "en"},
        {"event": "action", "timestamp": stamp, "name": "action_answer_faq", "policy": "RulePolicy",
         "confidence": 1.0, "action_text": None, "hide_rule_turn": False},
        {"event": "bot", "timestamp": stamp, "text": answer, "metadata": {"faq_id": "returns-partial"},
         "data": {"buttons": [{"title": "Start a return", "payload": "/start_return"}], "custom": None}},
        {"event": "action", "timestamp": stamp, "name": "action_listen", "policy": "RulePolicy",
         "confidence": 1.0, "action_text": None, "hide_rule_turn": False},
    ]  # fmt: skip


def order_status_call(turns: int) -> dict[str, Any]:
    """Rasa's call of the order look-up at the end of a session of `turns` earlier turns (order 100212, verified)."""
    events = [event for n in range(turns) for event in turn(n)]
    return {
        "next_action": "action_order_submit",
        "sender_id": "long-session",
        "version": "3.6.2",
        "domain": {},
        "tracker": {
            "sender_id": "long-session",
            "slots": {"order_flow": "order_status", "order_id": "100212", "verified_order": "100212",
                      "verification": "email", "language": "en"},
            "latest_message": {"text": "where is my order", "intent": {"name": "order_status"}, "entities": []},
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }  # fmt: skip


@dataclass
class ActionServer:
    url: str
    secret: str


@pytest.fixture(scope="module")
def action_server() -> Iterator[ActionServer]:
    port, secret = Ports.spare().actions, secrets.token_urlsafe(16)
    env = {**os.environ, "ACTION_SECRET": secret}
    env.pop("ACTION_MAX_BODY_BYTES", None)  # the default limit, as `make run` starts it
    process = subprocess.Popen(
        [sys.executable, "-m", "helpdesk.action_server", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, "the action server exited"
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the action server did not answer /health in 120 s"
            time.sleep(0.5)
        yield ActionServer(url, secret)
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


def test_a_long_sessions_webhook_call_still_runs_its_action(action_server: ActionServer) -> None:
    call = order_status_call(turns=2000)  # an hour of messages at 30 a minute, all in one session
    body = httpx.Request("POST", "/", json=call).content
    assert 3_000_000 < len(body) < MAX_BODY_BYTES
    answer = httpx.post(
        f"{action_server.url}/webhook", json=call, headers={SECRET_HEADER: action_server.secret}, timeout=120
    )
    assert answer.status_code == 200, answer.text[:300]
    assert "100212" in "\n".join(str(r.get("text") or "") for r in answer.json()["responses"])


@pytest.mark.parametrize("path", ["/webhook", "/kb/preview", "/kb/cluster"])
@pytest.mark.parametrize("with_secret", [True, False])
def test_a_body_past_the_limit_is_refused_with_413(action_server: ActionServer, path: str, with_secret: bool) -> None:
    headers = {"Content-Type": "application/json"} | ({SECRET_HEADER: action_server.secret} if with_secret else {})
    body = b'{"texts": ["' + b"x" * (MAX_BODY_BYTES - 14) + b'"]}'  # one byte past the limit
    assert len(body) == MAX_BODY_BYTES + 1
    refused = httpx.post(f"{action_server.url}{path}", content=body, headers=headers, timeout=60)
    # a webhook call without Rasa's secret is refused before its body is read (401); every other body past the limit
    expected = 401 if path == "/webhook" and not with_secret else 413
    assert refused.status_code == expected, refused.text[:300]
    # the process goes on serving
    assert httpx.get(f"{action_server.url}/health", timeout=10).status_code == 200


def test_a_body_at_the_limit_is_read(action_server: ActionServer) -> None:
    body = b'{"texts": ["' + b"x" * (MAX_BODY_BYTES - 15) + b'"]}'  # exactly the limit: read, then judged
    assert len(body) == MAX_BODY_BYTES
    answer = httpx.post(
        f"{action_server.url}/kb/cluster", content=body, headers={"Content-Type": "application/json"}, timeout=60
    )
    assert answer.status_code in (400, 503), answer.text[:300]  # a question too long, or the engine still loading
