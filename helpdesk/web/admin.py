"""The admins' room: /agent/admin's API under /api/agent/admin (admins only: 403 for anyone else; the staff
session guard answers 401 without a session and 403 for a change without the CSRF token). Every change is written
to the audit trail (helpdesk/admin/audit.py).

    GET    /admin                       everything the page shows: users, teams, hours, canned replies, audit
    POST   /admin/users                 {"username", "display_name"?, "role"?, "team"?, "max_concurrent"?} → 201
                                        with a fresh password, shown once
    PATCH  /admin/users/<id>            {"display_name"?, "role"?, "team"?, "max_concurrent"?, "active"?}
    POST   /admin/users/<id>/password   a fresh password, shown once (their sessions end)
    POST   /admin/teams                 {"name"} · PATCH /admin/teams/<name> {"name"} · DELETE /admin/teams/<name>
    GET    /admin/hours · PUT /admin/hours {"time_zone", "weekly", "holidays"}: validated as the file is
    POST   /admin/canned · PUT /admin/canned/<id> {"title", "text", "shortcut"?} · DELETE /admin/canned/<id>
    POST   /admin/canned/starter        add the starter set's replies whose shortcut is free
    GET    /admin/audit

And for every agent (not editors): GET /canned/<id>/fill?conversation_id=… — the reply with its placeholders
filled from the conversation (helpdesk/admin/canned.py).
"""

from __future__ import annotations

from urllib.parse import unquote

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.admin import audit, canned, hours, teams, users
from helpdesk.conversation.desk import may_view
from helpdesk.db.models import ROLE_ADMIN, CannedReply, Conversation
from helpdesk.errors import Forbidden, Invalid, NotFound
from helpdesk.web.inputs import agent_of, clean_text, json_body
from helpdesk.web.services import services
from helpdesk.web.sessions import require


def admin_blueprint() -> Blueprint:
    bp = Blueprint("admin", url_prefix="/admin")

    @bp.on_request
    async def _admins_only(request: Request) -> None:
        require(agent_of(request).role == ROLE_ADMIN, "the admin screens are for admins")

    @bp.get("")
    async def overview(request: Request) -> HTTPResponse:
        running = services(request)
        async with running.sessions() as session:
            return json_response(
                {
                    "users": await users.list_users(session),
                    "teams": await teams.list_teams(session),
                    "hours": hours.view(running.hours, await hours.stored(session)),
                    "canned": await canned.list_canned(session),
                    "placeholders": list(canned.PLACEHOLDERS),
                    "audit": await audit.recent(session),
                }
            )

    @bp.post("/users")
    async def add_user(request: Request) -> HTTPResponse:
        body = json_body(request, '{"username": "dana", "role": "agent", "team": "orders", "max_concurrent": 3}')
        async with services(request).sessions() as session:
            user, password = await users.add_user(session, agent_of(request), body)
        return json_response({"user": user, "password": password}, status=201)

    @bp.patch("/users/<agent_id:int>")
    async def edit_user(request: Request, agent_id: int) -> HTTPResponse:
        body = json_body(request, '{"role": "supervisor"}')
        async with services(request).sessions() as session:
            return json_response({"user": await users.edit_user(session, agent_of(request), agent_id, body)})

    @bp.post("/users/<agent_id:int>/password")
    async def reset_password(request: Request, agent_id: int) -> HTTPResponse:
        async with services(request).sessions() as session:
            user, password = await users.reset_password(session, agent_of(request), agent_id)
        return json_response({"user": user, "password": password})

    @bp.post("/teams")
    async def add_team(request: Request) -> HTTPResponse:
        body = json_body(request, '{"name": "billing"}')
        async with services(request).sessions() as session:
            return json_response(await teams.add_team(session, agent_of(request), body.get("name")), status=201)

    @bp.patch("/teams/<name:str>")
    async def rename_team(request: Request, name: str) -> HTTPResponse:
        body = json_body(request, '{"name": "new name"}')
        async with services(request).sessions() as session:
            return json_response(await teams.rename_team(session, agent_of(request), unquote(name), body.get("name")))

    @bp.delete("/teams/<name:str>")
    async def delete_team(request: Request, name: str) -> HTTPResponse:
        async with services(request).sessions() as session:
            await teams.delete_team(session, agent_of(request), unquote(name))
        return HTTPResponse(status=204)

    @bp.get("/hours")
    async def get_hours(request: Request) -> HTTPResponse:
        running = services(request)
        async with running.sessions() as session:
            return json_response(hours.view(running.hours, await hours.stored(session)))

    @bp.put("/hours")
    async def put_hours(request: Request) -> HTTPResponse:
        body = json_body(request, '{"time_zone": "Europe/Amsterdam", "weekly": {"monday": ["09:00-17:00"]}}')
        running = services(request)
        async with running.sessions() as session:
            saved = await hours.save(session, agent_of(request), body, running.hours)
        running.desk.queue.kick()  # wait estimates follow the new hours
        return json_response(saved)

    def canned_body(request: Request) -> tuple[str, str, object]:
        body = json_body(request, '{"title": "Greeting", "text": "Hi {{customer.first_name}}", "shortcut": "hi"}')
        return clean_text(body.get("title"), "title", 100), clean_text(body.get("text")), body.get("shortcut")

    @bp.post("/canned")
    async def add_canned(request: Request) -> HTTPResponse:
        title, text, shortcut = canned_body(request)
        async with services(request).sessions() as session:
            saved = await canned.save_canned(session, agent_of(request), None, title, text, shortcut)
        return json_response(saved, status=201)

    @bp.put("/canned/<canned_id:int>")
    async def edit_canned(request: Request, canned_id: int) -> HTTPResponse:
        title, text, shortcut = canned_body(request)
        async with services(request).sessions() as session:
            return json_response(await canned.save_canned(session, agent_of(request), canned_id, title, text, shortcut))

    @bp.delete("/canned/<canned_id:int>")
    async def delete_canned(request: Request, canned_id: int) -> HTTPResponse:
        async with services(request).sessions() as session:
            await canned.delete_canned(session, agent_of(request), canned_id)
        return HTTPResponse(status=204)

    @bp.post("/canned/starter")
    async def starter(request: Request) -> HTTPResponse:
        async with services(request).sessions() as session:
            return json_response({"added": await canned.add_starter_set(session, agent_of(request))})

    @bp.get("/audit")
    async def audit_trail(request: Request) -> HTTPResponse:
        async with services(request).sessions() as session:
            return json_response({"audit": await audit.recent(session)})

    return bp


def canned_fill_blueprint() -> Blueprint:
    bp = Blueprint("canned_fill")

    @bp.get("/canned/<canned_id:int>/fill")
    async def fill(request: Request, canned_id: int) -> HTTPResponse:
        conversation_id = request.args.get("conversation_id") or ""
        if not conversation_id or len(conversation_id) > 64:
            raise Invalid("say which conversation: conversation_id=…")
        agent = agent_of(request)
        async with services(request).sessions() as session:
            reply = await session.get(CannedReply, canned_id)
            conversation = await session.get(Conversation, conversation_id)
            if reply is None or conversation is None:
                raise NotFound("no such canned reply or conversation")
            if not may_view(agent, conversation):
                raise Forbidden("this conversation is not assigned to you")
            return json_response(canned.fill(reply.text, canned.values_for(conversation, agent)))

    return bp
