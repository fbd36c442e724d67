"""The agent console's HTTP API under /api/agent/: every endpoint needs a logged-in agent (401 without),
state-changing requests need the session's CSRF token, and conversations obey the desk's permissions."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from sanic import Blueprint, Request, Sanic
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.config import Settings
from helpdesk.conversation.desk import Desk, DeskError, clean_text
from helpdesk.conversation.queue import active_chats
from helpdesk.db.models import Agent
from helpdesk.staff.sessions import (
    COOKIE,
    COOKIE_PATH,
    CSRF_HEADER,
    SAFE_METHODS,
    FailureLimiter,
    authenticate,
    csrf_matches,
    end_session,
    load_session,
    start_session,
)

PREFIX = "/api/agent"
LOGIN = f"{PREFIX}/login"
# an editor's session reaches only these (and what is under /unanswered/): never conversations or follow-ups
EDITOR_PATHS = frozenset({LOGIN, f"{PREFIX}/logout", f"{PREFIX}/me", f"{PREFIX}/unanswered"})
CLIENT_ID_CHARS = 64


def error(message: str, status: int, **headers: str) -> HTTPResponse:
    return json_response({"error": message}, status=status, headers=headers or None)


def body_of(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise DeskError(400, "the request body must be valid JSON") from exc
    if not isinstance(body, dict):
        raise DeskError(400, "the request body must be a JSON object")
    return body


def same_origin(request: Request) -> bool:
    """Browsers name the page's origin on cross-site requests: it must be this host (or absent, for tools)."""
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.host


def client_address(request: Request) -> str:
    return str(request.remote_addr or request.ip or "unknown")


def agent_of(request: Request) -> Agent:
    return request.ctx.agent


def editor_may(path: str) -> bool:
    return path in EDITOR_PATHS or path.startswith(f"{PREFIX}/unanswered/")


def require(allowed: bool, message: str = "your role may not do this") -> None:
    """403 unless `allowed` (a role check on the logged-in agent)."""
    if not allowed:
        raise DeskError(403, message)


def install_agent_api(app: Sanic, settings: Settings) -> None:
    """The session guard (app-wide, so unknown paths under /api/agent/ answer 401 too) and the routes."""
    user_failures = FailureLimiter(settings.login_failures_per_user)
    address_failures = FailureLimiter(settings.login_failures_per_address)

    @app.on_request
    async def _agent_guard(request: Request) -> HTTPResponse | None:
        if not (request.path == PREFIX or request.path.startswith(PREFIX + "/")):
            return None
        if request.path == LOGIN and request.method == "POST":
            return None
        async with app.ctx.sessions() as session:
            record = await load_session(session, request.cookies.get(COOKIE))
        if record is None:
            return error("log in first", 401)
        if request.method not in SAFE_METHODS:
            if not same_origin(request):
                return error("cross-site request refused", 403)
            if not csrf_matches(record.csrf_token, request.headers.get(CSRF_HEADER)):
                return error(f"missing or wrong {CSRF_HEADER} header (GET {PREFIX}/me gives the token)", 403)
        if record.agent.is_editor and not editor_may(request.path):
            return error("an editor's account sees the unanswered-questions report only", 403)
        request.ctx.agent = record.agent
        request.ctx.agent_session = record
        return None

    bp = Blueprint("agent_api", url_prefix=PREFIX)

    @app.exception(DeskError)
    async def _refused(request: Request, exc: DeskError) -> HTTPResponse:
        return error(exc.message, exc.status)

    def desk() -> Desk:
        return app.ctx.desk

    @bp.post("/login")
    async def login(request: Request) -> HTTPResponse:
        if not (request.content_type or "").startswith("application/json"):
            return error("send the login as JSON", 415)
        if not same_origin(request):
            return error("cross-site request refused", 403)
        body = body_of(request)
        username, password = body.get("username"), body.get("password")
        if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
            return error("username and password are required", 400)
        user_key, address_key = username.strip().lower()[:64], client_address(request)
        for limiter, key in ((user_failures, user_key), (address_failures, address_key)):
            if limiter.blocked(key):
                retry = str(limiter.retry_after(key))
                return error("too many failed logins; please wait before trying again", 429, **{"Retry-After": retry})
        async with app.ctx.sessions() as session:
            agent = await authenticate(session, username, password[:1024])
            if agent is None:
                user_failures.fail(user_key)
                address_failures.fail(address_key)
                return error("wrong username or password", 401)
            user_failures.reset(user_key)
            started = await start_session(session, agent, settings.session_hours)
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
        return response

    @bp.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        async with app.ctx.sessions() as session:
            await end_session(session, request.cookies.get(COOKIE))
        response = json_response({"ok": True})
        response.delete_cookie(COOKIE, path=COOKIE_PATH)
        return response

    @bp.get("/me")
    async def me(request: Request) -> HTTPResponse:
        agent = agent_of(request)
        async with app.ctx.sessions() as session:
            chats = await active_chats(session, agent.id)
        return json_response(
            {"agent": agent.to_json(), "csrf_token": request.ctx.agent_session.csrf_token, "active_chats": chats}
        )

    @bp.get("/queue")
    async def queue(request: Request) -> HTTPResponse:
        return json_response({"conversations": await desk().queue_for(agent_of(request))})

    @bp.get("/chats")
    async def chats(request: Request) -> HTTPResponse:
        everyone = request.args.get("scope") == "all"
        return json_response({"conversations": await desk().chats(agent_of(request), everyone)})

    @bp.get("/agents")
    async def agents(request: Request) -> HTTPResponse:
        return json_response({"agents": await desk().agents()})

    @bp.get("/conversations/<conversation_id:str>")
    async def conversation(request: Request, conversation_id: str) -> HTTPResponse:
        return json_response(await desk().view(agent_of(request), conversation_id))

    @bp.post("/conversations/<conversation_id:str>/claim")
    async def claim(request: Request, conversation_id: str) -> HTTPResponse:
        return json_response(await desk().claim(agent_of(request), conversation_id))

    @bp.post("/conversations/<conversation_id:str>/messages")
    async def reply(request: Request, conversation_id: str) -> HTTPResponse:
        body = body_of(request)
        text = clean_text(body.get("text"))
        client_id = body.get("client_message_id")
        if client_id is not None and (not isinstance(client_id, str) or not 0 < len(client_id) <= CLIENT_ID_CHARS):
            raise DeskError(400, f"client_message_id must be a string of 1 to {CLIENT_ID_CHARS} characters")
        message = await desk().reply(agent_of(request), conversation_id, text, client_id)
        return json_response(message, status=201)

    @bp.post("/conversations/<conversation_id:str>/notes")
    async def note(request: Request, conversation_id: str) -> HTTPResponse:
        text = clean_text(body_of(request).get("text"))
        return json_response(await desk().note(agent_of(request), conversation_id, text), status=201)

    @bp.post("/conversations/<conversation_id:str>/resolve")
    async def resolve(request: Request, conversation_id: str) -> HTTPResponse:
        return json_response(await desk().resolve(agent_of(request), conversation_id))

    @bp.post("/conversations/<conversation_id:str>/handback")
    async def hand_back(request: Request, conversation_id: str) -> HTTPResponse:
        return json_response(await desk().hand_back(agent_of(request), conversation_id))

    @bp.post("/conversations/<conversation_id:str>/transfer")
    async def transfer(request: Request, conversation_id: str) -> HTTPResponse:
        body = body_of(request)
        to_agent, to_team = body.get("agent_id"), body.get("team")
        if to_agent is not None and (not isinstance(to_agent, int) or isinstance(to_agent, bool)):
            raise DeskError(400, "agent_id must be a number")
        if to_team is not None and not isinstance(to_team, str):
            raise DeskError(400, "team must be a string")
        return json_response(await desk().transfer(agent_of(request), conversation_id, to_agent, to_team))

    @bp.post("/conversations/<conversation_id:str>/typing")
    async def typing(request: Request, conversation_id: str) -> HTTPResponse:
        await desk().typing(agent_of(request), conversation_id, bool(body_of(request).get("typing", True)))
        return json_response({"ok": True})

    @bp.get("/conversations/<conversation_id:str>/suggestions")
    async def suggestions(request: Request, conversation_id: str) -> HTTPResponse:
        return json_response(await desk().suggestions(agent_of(request), conversation_id))

    @bp.get("/canned")
    async def canned(request: Request) -> HTTPResponse:
        return json_response({"canned": await desk().canned()})

    def canned_body(request: Request) -> tuple[str, str]:
        body = body_of(request)
        return clean_text(body.get("title"), "title", 100), clean_text(body.get("text"))

    @bp.post("/canned")
    async def add_canned(request: Request) -> HTTPResponse:
        title, text = canned_body(request)
        return json_response(await desk().save_canned(agent_of(request), None, title, text), status=201)

    @bp.put("/canned/<canned_id:int>")
    async def edit_canned(request: Request, canned_id: int) -> HTTPResponse:
        title, text = canned_body(request)
        return json_response(await desk().save_canned(agent_of(request), canned_id, title, text))

    @bp.delete("/canned/<canned_id:int>")
    async def delete_canned(request: Request, canned_id: int) -> HTTPResponse:
        await desk().delete_canned(canned_id)
        return HTTPResponse(status=204)

    app.blueprint(bp)
