"""Reading what a request brings: its JSON body, a text field, the client's address, the logged-in agent.
Each refusal is `Invalid` (400) with a message that says what to send instead."""

from __future__ import annotations

import json
from typing import Any, TypeGuard

from sanic import Request

from helpdesk.db.models import Agent
from helpdesk.errors import Invalid, Unauthorized

MAX_TEXT = 4000  # an agent's reply, note or canned reply


def json_body(request: Request, example: str | None = None, *, empty_is_object: bool = False) -> dict[str, Any]:
    """The body as a JSON object; `example` shows the caller what one looks like. `empty_is_object`: a request
    without a body counts as {} (the console's buttons post nothing)."""
    raw = request.body or (b"{}" if empty_is_object else b"")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid("the request body must be valid JSON") from exc
    if not isinstance(body, dict):
        raise Invalid("the request body must be a JSON object" + (f" like {example}" if example else ""))
    return body


def clean_text(text: object, what: str = "text", limit: int = MAX_TEXT) -> str:
    """A required text field, stripped: a string, not empty, at most `limit` characters."""
    if not isinstance(text, str):
        raise Invalid(f"{what} must be a string")
    text = text.strip()
    if not text:
        raise Invalid(f"{what} is empty")
    if len(text) > limit:
        raise Invalid(f"{what} is too long: {len(text)} characters, the limit is {limit}")
    return text


def whole_number(value: object) -> TypeGuard[int]:
    """A JSON integer (JSON's true and false are not numbers here)."""
    return isinstance(value, int) and not isinstance(value, bool)


def client_address(request: Request) -> str:
    """The client's address: the peer's, or behind a trusted reverse proxy the one it forwards (sanic reads the
    forwarding headers only when PROXIES_COUNT, REAL_IP_HEADER or FORWARDED_SECRET is set: helpdesk/config.py)."""
    return str(request.remote_addr or request.ip or "unknown")


def agent_of(request: Request) -> Agent:
    """The agent the staff session guard (helpdesk/web/sessions.py) let through."""
    agent = getattr(request.ctx, "agent", None)
    if not isinstance(agent, Agent):
        raise Unauthorized("log in first")
    return agent
