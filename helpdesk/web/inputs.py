"""Reading what a request brings: its JSON body, a text field, the client's address, the logged-in agent.
Each refusal is `Invalid` (400) with a message that says what to send instead."""

from __future__ import annotations

import json
import re
from typing import Any, TypeGuard

from sanic import Request

from helpdesk.db.models import Agent
from helpdesk.errors import Invalid, Unauthorized

MAX_TEXT = 4000  # an agent's reply, note or canned reply
MAX_DEPTH = 16  # nesting of a JSON body: ours are flat objects with a list or two
MAX_INT = 2**31 - 1  # ids and numbers: what every database's INTEGER holds
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL, and lone surrogates (not UTF-8): no database stores them


def check_text(value: str, what: str) -> None:
    """Invalid (400) when `value` holds characters no database stores (PostgreSQL refuses NUL and lone
    surrogates: they would fail as a 500 with the message lost)."""
    if UNSTORABLE.search(value):
        raise Invalid(f"{what} contains a NUL character or a lone surrogate (not valid text)")


def check_json(value: Any, what: str = "the request body") -> None:
    """Invalid (400) when a JSON value nests deeper than MAX_DEPTH, holds an integer outside ±MAX_INT, or a
    string (or key) with NUL characters or lone surrogates. Iterative: no depth can overflow the stack."""
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise Invalid(f"{what} is nested too deeply (at most {MAX_DEPTH} levels)")
        if isinstance(item, str):
            check_text(item, what)
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int) and not -MAX_INT - 1 <= item <= MAX_INT:
            raise Invalid(f"{what} has a number out of range (at most {MAX_INT})")
        elif isinstance(item, dict):
            for key, nested in item.items():
                check_text(key, what)
                pending.append((nested, depth + 1))
        elif isinstance(item, list):
            pending.extend((nested, depth + 1) for nested in item)


def json_body(request: Request, example: str | None = None, *, empty_is_object: bool = False) -> dict[str, Any]:
    """The body as a JSON object; `example` shows the caller what one looks like. `empty_is_object`: a request
    without a body counts as {} (the console's buttons post nothing). Refused (400) as `check_json` says."""
    raw = request.body or (b"{}" if empty_is_object else b"")
    try:
        body = json.loads(raw)
    except RecursionError as exc:
        raise Invalid(f"the request body is nested too deeply (at most {MAX_DEPTH} levels)") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid("the request body must be valid JSON") from exc
    if not isinstance(body, dict):
        raise Invalid("the request body must be a JSON object" + (f" like {example}" if example else ""))
    check_json(body)
    return body


def message_id_arg(request: Request, name: str = "after") -> int:
    """A message id in the query (`after=`): 0 when absent; Invalid (400) unless a whole number 0..MAX_INT."""
    raw = request.args.get(name, "0") or "0"
    if not raw.isdigit() or int(raw) > MAX_INT:
        raise Invalid(f"{name} must be a message id (a whole number from 0 to {MAX_INT})")
    return int(raw)


async def check_request_inputs(request: Request) -> None:
    """Every request, before its route (app-wide middleware): ids in the path within what the database holds,
    and no NUL or lone surrogate in the path or the query (PostgreSQL would answer them with a 500)."""
    for name, value in (request.match_info or {}).items():
        if isinstance(value, int) and not 0 <= value <= MAX_INT:
            raise Invalid(f"{name} must be an id from 0 to {MAX_INT}")
        if isinstance(value, str):
            check_text(value, name)
    for name, values in request.args.items():
        check_text(name, "a query parameter")
        for value in values:
            check_text(value, name)


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


def language_code(value: object, allow_any: bool = False) -> str | None:
    """A language as the API takes it: "en" or "zh" (with ``allow_any``, null or "" for any language)."""
    if allow_any and value in (None, ""):
        return None
    if value not in ("en", "zh"):
        raise Invalid("language must be en or zh" + (" (or null for any)" if allow_any else ""))
    return str(value)
