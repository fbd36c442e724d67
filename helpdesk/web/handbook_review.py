"""What the handbook editor hands to a supervisor and the held-out questions it retires, under /api/agent:

    GET    /handbook-requests                {"requests", "waiting", "may_decide"}: supervisors and admins every
                                             waiting request then the latest decided; editors their own
    POST   /handbook-requests                {"entry_id", "entry" | null (delete), "base_revision", "message"?} →
                                             201: the gated change kept with its held-out figures for a supervisor
    POST   /handbook-requests/<n>/confirm    supervisors and admins: publish it (as a confirmed gate) → {"request",
                                             "published"}; 409 when the entry changed since the editor's base
    POST   /handbook-requests/<n>/reject     {"note"?} supervisors and admins
    GET    /held-out/retired                 out-of-scope held-out questions retired (who, when, which entry)
    POST   /held-out/retired                 {"set", "query", "entry_id"} editors, supervisors, admins → 201
    DELETE /held-out/retired/<n>             put it back

(helpdesk/knowledge/handbook_requests.py, helpdesk/knowledge/held_out_retired.py). Every logged-in role reads;
agents never write. The session guard answers 401 without a session and 403 to a change without the CSRF token.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.errors import Invalid
from helpdesk.knowledge import handbook_requests, held_out_retired
from helpdesk.knowledge.entry_form import EntryForm
from helpdesk.knowledge.handbook_gate import held_out_change
from helpdesk.web.handbook import (
    base_revision_of,
    checked_id,
    deleted,
    handbook_editor,
    may_edit_handbook,
    message_of,
    published,
    retired_pairs,
)
from helpdesk.web.inputs import agent_of, json_body
from helpdesk.web.services import services
from helpdesk.web.sessions import require

WRITERS = "agents may read the handbook; editors and supervisors change it"
DECIDERS = "only a supervisor or admin decides on a handbook request"


def handbook_requests_blueprint() -> Blueprint:
    bp = Blueprint("handbook_requests", url_prefix="/handbook-requests")

    @bp.get("")
    async def listing(request: Request) -> HTTPResponse:
        agent = agent_of(request)
        async with services(request).sessions() as session:
            rows = await handbook_requests.listing(session, agent)
            waiting = await handbook_requests.waiting_count(session, agent)
        return json_response(
            {
                "requests": [handbook_requests.to_json(row) for row in rows],
                "waiting": waiting,
                "may_decide": agent.can_supervise,
            }
        )

    @bp.post("")
    async def ask(request: Request) -> HTTPResponse:
        agent = agent_of(request)
        require(may_edit_handbook(agent), WRITERS)
        body = json_body(request)
        entry_id = checked_id(str(body.get("entry_id") or ""))
        form = EntryForm.from_json(body["entry"], entry_id) if body.get("entry") is not None else None
        base, message = base_revision_of(body.get("base_revision")), message_of(body.get("message"))
        editor = handbook_editor()
        await asyncio.to_thread(editor.check_base, entry_id, base, form, form is None)  # stale: 409 now
        if form is not None and (checked := await asyncio.to_thread(editor.check, form)).problems:
            raise Invalid("the entry has problems: fix them before asking a supervisor", **checked.to_json())
        entry = form.to_json() if form is not None else None
        held = await held_out_change(services(request).actions, entry_id, entry, await retired_pairs(request))
        if held is not None and not held["worse"]:
            raise Invalid("the held-out figures hold now: publish it yourself")
        async with services(request).sessions() as session:
            row = await handbook_requests.ask(session, agent, entry_id, entry, base, message, held)
            return json_response(handbook_requests.to_json(row), status=201)

    @bp.post("/<request_id:int>/confirm")
    async def confirm(request: Request, request_id: int) -> HTTPResponse:
        agent = agent_of(request)
        require(agent.can_supervise, DECIDERS)
        async with services(request).sessions() as session:
            asked = handbook_requests.to_json(await handbook_requests.waiting(session, request_id))
        entry_id, base = asked["entry_id"], asked["base_revision"]
        message = f"{asked['message'] or 'handbook: ' + entry_id} (asked by {asked['asked_by']})"
        result: dict[str, Any]
        if asked["entry"] is None:
            result = await deleted(request, entry_id, base, message, True)
        else:
            result, _ = await published(request, EntryForm.from_json(asked["entry"], entry_id), base, message, True)
        async with services(request).sessions() as session:
            row = await handbook_requests.decide(session, request_id, agent, str(result.get("revision") or ""))
            return json_response({"request": handbook_requests.to_json(row), "published": result})

    @bp.post("/<request_id:int>/reject")
    async def reject(request: Request, request_id: int) -> HTTPResponse:
        agent = agent_of(request)
        require(agent.can_supervise, DECIDERS)
        note = message_of(json_body(request, empty_is_object=True).get("note"))
        async with services(request).sessions() as session:
            row = await handbook_requests.decide(session, request_id, agent, None, note)
            return json_response({"request": handbook_requests.to_json(row)})

    return bp


def held_out_blueprint() -> Blueprint:
    bp = Blueprint("held_out_retired", url_prefix="/held-out/retired")

    @bp.get("")
    async def listing(request: Request) -> HTTPResponse:
        async with services(request).sessions() as session:
            rows = await held_out_retired.retired(session)
        return json_response({"retired": [held_out_retired.to_json(row) for row in rows]})

    @bp.post("")
    async def retire(request: Request) -> HTTPResponse:
        agent = agent_of(request)
        require(may_edit_handbook(agent), WRITERS)
        body = json_body(request)
        set_name, query = body.get("set"), body.get("query")
        if not isinstance(set_name, str) or not isinstance(query, str) or len(query) > held_out_retired.MAX_QUERY:
            raise Invalid("send the held-out set's name and one of its out-of-scope questions")
        entry_id = checked_id(str(body.get("entry_id") or ""))
        async with services(request).sessions() as session:
            row = await held_out_retired.retire(session, agent, set_name, query, entry_id)
            return json_response(held_out_retired.to_json(row), status=201)

    @bp.delete("/<retired_id:int>")
    async def put_back(request: Request, retired_id: int) -> HTTPResponse:
        require(may_edit_handbook(agent_of(request)), WRITERS)
        async with services(request).sessions() as session:
            row = await held_out_retired.put_back(session, retired_id)
            return json_response({"put_back": held_out_retired.to_json(row)})

    return bp
