"""The machine's own surface (issue 15, finding 10): only Rasa may post trackers to the action webhook, only the
helpdesk (with Rasa's token) may speak through Rasa's REST channel, and no secret is on a command line.

Through the session's real stack: its Rasa, action server and helpdesk run with per-run secrets in their
environment (helpdesk/stack.py), as `make run` starts them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from helpdesk.stack import Stack

# a tracker a stranger makes up: order 100212 "verified", the status look-up about to run
MADE_UP = {
    "next_action": "action_order_submit",
    "sender_id": "made-up-tracker",
    "version": "3.6.2",
    "domain": {},
    "tracker": {
        "sender_id": "made-up-tracker",
        "slots": {
            "order_flow": "order_status",
            "order_id": "100212",
            "verified_order": "100212",
            "verification": "email",
        },
        "latest_message": {"text": "where is my order", "intent": {"name": "order_status"}, "entities": []},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    },
}


def post_action(stack: Stack, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(f"http://127.0.0.1:{stack.ports.actions}/webhook", json=MADE_UP, headers=headers, timeout=60)


def texts(answer: dict[str, Any]) -> str:
    return "\n".join(str(r.get("text") or "") for r in answer.get("responses") or [])


@pytest.mark.parametrize("headers", [{}, {"X-Action-Secret": "guessed"}, {"X-Action-Secret": ""}])
def test_the_action_webhook_refuses_a_tracker_without_the_shared_secret(stack: Stack, headers: dict[str, str]) -> None:
    refused = post_action(stack, headers)
    assert refused.status_code == 401, refused.text
    assert "100212" not in refused.text
    # the same tracker with Rasa's secret reaches the action: the secret alone is what kept the stranger out
    allowed = post_action(stack, {"X-Action-Secret": stack.env["ACTION_SECRET"]})
    assert allowed.status_code == 200, allowed.text
    assert "100212" in texts(allowed.json())


def test_rasa_speaks_only_to_the_token_holder(stack: Stack) -> None:
    rasa = f"http://127.0.0.1:{stack.ports.rasa}"
    body = {"sender": "stranger-in-a-conversation", "message": "hello"}
    assert httpx.post(f"{rasa}/webhooks/rest/webhook", json=body, timeout=30).status_code == 404  # not opened
    for headers in ({}, {"Authorization": "Bearer guessed"}):
        refused = httpx.post(f"{rasa}/webhooks/rest_nlu/webhook", json=body, headers=headers, timeout=30)
        assert refused.status_code == 401, refused.text
    allowed = httpx.post(
        f"{rasa}/webhooks/rest_nlu/webhook",
        json=body,
        headers={"Authorization": f"Bearer {stack.env['RASA_TOKEN']}"},
        timeout=60,
    )
    assert allowed.status_code == 200 and allowed.json()["messages"], allowed.text
    # Rasa's HTTP API too (it was already behind the token)
    assert httpx.get(f"{rasa}/status", timeout=30).status_code == 401


def test_no_secret_is_on_a_command_line(stack: Stack) -> None:
    """What `ps` shows of every process the stack started: the command lines carry neither secret."""
    secrets = [stack.env["RASA_TOKEN"], stack.env["ACTION_SECRET"]]
    for name, service in stack.services.items():
        assert service.process is not None and service.process.poll() is None, name
        command_line = Path(f"/proc/{service.process.pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        assert name == "rasa" or "helpdesk" in command_line
        assert not any(secret in command_line for secret in secrets), f"a secret is on {name}'s command line"
