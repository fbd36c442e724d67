"""Staff sessions on the console's API (/api/agent): logging in and out, and the guard every other console
route sits behind.

`staff_group` puts the console's blueprints behind `guard`, a blueprint-group middleware: no session → 401;
a state-changing request needs the session's CSRF token and this site as its origin → else 403. Editors
pass only into the blueprints listed as theirs (their report, /me, /logout): the rest of the group answers
them 403. Unknown paths under /api/agent answer 401 without a session too (a catch-all route in the group).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sanic import Blueprint, Request
from sanic.blueprint_group import BlueprintGroup
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.config import Settings
from helpdesk.conversation import agent_status
from helpdesk.conversation.queue import active_chats
from helpdesk.db.models import Agent, AgentSession
from helpdesk.errors import Forbidden, Invalid, NotFound, TooMany, Unauthorized, Unsupported
from helpdesk.staff.login import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_PATH,
    DEVICE_DAYS,
    check_password,
    device_cookie,
    known_device,
    load_account,
)
from helpdesk.staff.sessions import (
    COOKIE,
    COOKIE_PATH,
    CSRF_HEADER,
    SAFE_METHODS,
    csrf_matches,
    end_session,
    load_session,
    start_session,
)
from helpdesk.web.inputs import agent_of, client_address, json_body, language_code
from helpdesk.web.services import services

PREFIX = "/api/agent"
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def same_origin(request: Request) -> bool:
    """Browsers name the page's origin on cross-site requests: it must be this host (or absent, for tools)."""
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.host


def require(allowed: bool, message: str = "your role may not do this") -> None:
    """Forbidden (403) unless `allowed` (a role check on the logged-in agent)."""
    if not allowed:
        raise Forbidden(message)


def session_of(request: Request) -> AgentSession:
    record = getattr(request.ctx, "agent_session", None)
    if not isinstance(record, AgentSession):
        raise Unauthorized("log in first")
    return record


async def guard(request: Request) -> None:
    """A live session (401), and for changes the CSRF token and this site's origin (403)."""
    running = services(request)
    async with running.sessions() as session:
        record = await load_session(session, request.cookies.get(COOKIE))
    if record is None:
        raise Unauthorized("log in first")
    if request.method not in SAFE_METHODS:
        if not same_origin(request):
            raise Forbidden("cross-site request refused")
        if not csrf_matches(record.csrf_token, request.headers.get(CSRF_HEADER)):
            raise Forbidden(f"missing or wrong {CSRF_HEADER} header (GET {PREFIX}/me gives the token)")
    request.ctx.agent = record.agent
    request.ctx.agent_session = record


async def no_editors(request: Request) -> None:
    if agent_of(request).is_editor:
        raise Forbidden("an editor's account sees the unanswered-questions report only")


def staff_group(editors: list[Blueprint], others: list[Blueprint]) -> BlueprintGroup:
    """The console's API behind the session guard; `editors`: the blueprints an editor may use too."""
    rest = Blueprint("staff_unknown")
    rest.add_route(_unknown, "/<path:path>", methods=ALL_METHODS)
    agents_only = Blueprint.group(*others, rest)
    # (BlueprintGroup.middleware applies to each blueprint of the group, nested ones too; sanic leaves it untyped)
    agents_only.middleware(no_editors, "request", priority=5)  # type: ignore[no-untyped-call]
    group = Blueprint.group(session_blueprint(), *editors, agents_only, url_prefix=PREFIX)
    group.middleware(guard, "request", priority=10)  # type: ignore[no-untyped-call]
    return group


async def _unknown(request: Request, path: str) -> HTTPResponse:
    raise NotFound(f"no such endpoint: {request.method} {PREFIX}/{path}")


def session_blueprint() -> Blueprint:
    """/me and /logout (behind the guard: any role)."""
    bp = Blueprint("staff_session")

    @bp.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        running = services(request)
        async with running.sessions() as session:
            await end_session(session, request.cookies.get(COOKIE))
            if await agent_status.logged_out(session, agent_of(request)):  # signing out: offline
                await agent_status.announce(running.events, agent_of(request))
                await running.desk.release_unanswered(agent_of(request))  # their unanswered chats: to the queue
        response = json_response({"ok": True})
        response.delete_cookie(COOKIE, path=COOKIE_PATH)
        return response

    @bp.get("/me")
    async def me(request: Request) -> HTTPResponse:
        agent = agent_of(request)
        async with services(request).sessions() as session:
            chats = await active_chats(session, agent.id)
        csrf = session_of(request).csrf_token
        return json_response({"agent": agent.to_json(), "csrf_token": csrf, "active_chats": chats})

    @bp.put("/me/language")
    async def my_language(request: Request) -> HTTPResponse:
        """The console's language for this staff member (en | zh): every console page follows it."""
        language = language_code(json_body(request, '{"language": "zh"}').get("language"))
        agent = agent_of(request)
        async with services(request).sessions() as session:
            stored = await session.get(Agent, agent.id)
            if stored is None:
                raise Unauthorized("log in again")
            stored.language = language or "en"
            await session.commit()
        agent.language = language or "en"
        return json_response({"language": agent.language})

    return bp


def login_blueprint(settings: Settings) -> Blueprint:
    """POST /api/agent/login (before any session: outside the guard): JSON from this site; failed logins limited
    per account and client, per account and per address (429 with Retry-After; helpdesk/staff/login.py)."""
    bp = Blueprint("staff_login", url_prefix=PREFIX)

    @bp.post("/login")
    async def login(request: Request) -> HTTPResponse:
        if not (request.content_type or "").startswith("application/json"):
            raise Unsupported("send the login as JSON")
        if not same_origin(request):
            raise Forbidden("cross-site request refused")
        body = json_body(request, empty_is_object=True)
        username, password = body.get("username"), body.get("password")
        if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
            raise Invalid("username and password are required")
        running = services(request)
        account = await load_account(running.sessions, username[:200])
        device = known_device(account, request.cookies.get(DEVICE_COOKIE))
        # the attempt's slots are reserved before the password is checked (parallel guesses cannot pass the
        # limits), kept when it is wrong, given back when it is right
        attempt = await running.limits.login.reserve(username, client_address(request), device)
        try:
            agent = await check_password(running.sessions, running.password_checks, account, password[:1024])
        except TooMany:
            await running.limits.login.give_back(attempt)  # too busy to check: not a failure
            raise
        if agent is None:
            raise Unauthorized("wrong username or password")
        await running.limits.login.succeeded(attempt)
        async with running.sessions() as session:
            started = await start_session(session, agent, settings.session_hours)
            if await agent_status.logged_in(session, agent):  # offline → online (away stays away)
                await agent_status.announce(running.events, agent)
                running.desk.queue.kick()
        response = json_response({"agent": agent.to_json(), "csrf_token": started.record.csrf_token})
        response.add_cookie(
            COOKIE,
            started.token,
            path=COOKIE_PATH,
            httponly=True,
            samesite="Strict",
            secure=settings.cookie_secure,
            max_age=int(settings.session_hours * 3600),
        )
        response.add_cookie(
            DEVICE_COOKIE,
            device_cookie(agent, device),
            path=DEVICE_COOKIE_PATH,
            httponly=True,
            samesite="Strict",
            secure=settings.cookie_secure,
            max_age=DEVICE_DAYS * 86400,
        )
        return response

    return bp
