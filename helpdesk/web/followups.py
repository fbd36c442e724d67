"""The console's follow-up tasks under /api/agent/followups (rules: helpdesk/conversation/followups.py).

    GET  /api/agent/followups?status=open|done     supervisors/admins: all; agents: those assigned to them
    GET  /api/agent/followups/<id>                 with comments, the rating and the transcript
    POST /api/agent/followups/<id>/assign          {"agent_id": N | null}   supervisors/admins only
    POST /api/agent/followups/<id>/comments        {"text": "..."}
    POST /api/agent/followups/<id>/status          {"status": "done" | "open"}
    POST /api/agent/followups/bulk                 {"ids": [...], "action": "assign" | "close" | "reopen",
                                                    "agent_id"?: N | null}   assign: supervisors/admins only

The list carries each task's `preview` (what the customer wanted) and `group` (same reason and detail), and
`groups`: identical reasons counted, for triage (the supervisors' page /agent/followups).

Editors never reach these (the staff session guard, helpdesk/web/sessions.py); another agent's task answers
404. The sweep that opens `abandoned` follow-ups runs in every helpdesk process (helpdesk/web/app.py).
"""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.conversation.followups import STATUSES, FollowUps
from helpdesk.errors import Invalid
from helpdesk.web.inputs import agent_of, clean_text, json_body, whole_number
from helpdesk.web.services import services


def tasks(request: Request) -> FollowUps:
    return services(request).followups


def followups_blueprint() -> Blueprint:
    bp = Blueprint("followups", url_prefix="/followups")

    @bp.get("")
    async def listed(request: Request) -> HTTPResponse:
        status = request.args.get("status") or None
        found = await tasks(request).listed(agent_of(request), status)
        groups: dict[str, dict[str, Any]] = {}
        for task in found:
            group = groups.setdefault(
                task["group"], {"group": task["group"], "reason": task["reason"], "detail": task["detail"], "ids": []}
            )
            group["ids"].append(task["id"])
        ordered = sorted(groups.values(), key=lambda g: (-len(g["ids"]), g["group"]))
        return json_response({"follow_ups": found, "groups": [{**g, "count": len(g["ids"])} for g in ordered]})

    @bp.post("/bulk")
    async def bulk(request: Request) -> HTTPResponse:
        body = json_body(request, '{"ids": [1, 2], "action": "close"}')
        ids, action = body.get("ids"), body.get("action")
        if not isinstance(ids, list) or not all(whole_number(i) for i in ids):
            raise Invalid("ids must be a list of follow-up ids")
        if not isinstance(action, str):
            raise Invalid('action must be "assign", "close" or "reopen"')
        target = body.get("agent_id")
        if target is not None and not whole_number(target):
            raise Invalid("agent_id must be a number or null")
        return json_response(await tasks(request).bulk(agent_of(request), ids, action, target))

    @bp.get("/<follow_up_id:int>")
    async def detail(request: Request, follow_up_id: int) -> HTTPResponse:
        return json_response(await tasks(request).detail(agent_of(request), follow_up_id))

    @bp.post("/<follow_up_id:int>/assign")
    async def assign(request: Request, follow_up_id: int) -> HTTPResponse:
        body = json_body(request, empty_is_object=True)
        if "agent_id" not in body:
            raise Invalid('give "agent_id": a number, or null to unassign')
        target = body["agent_id"]
        if target is not None and not whole_number(target):
            raise Invalid("agent_id must be a number or null")
        return json_response(await tasks(request).assign(agent_of(request), follow_up_id, target))

    @bp.post("/<follow_up_id:int>/comments")
    async def comment(request: Request, follow_up_id: int) -> HTTPResponse:
        text = clean_text(json_body(request, empty_is_object=True).get("text"))
        return json_response(await tasks(request).comment(agent_of(request), follow_up_id, text), status=201)

    @bp.post("/<follow_up_id:int>/status")
    async def status(request: Request, follow_up_id: int) -> HTTPResponse:
        wanted = json_body(request, empty_is_object=True).get("status")
        if not isinstance(wanted, str):
            raise Invalid(f"status must be one of {', '.join(STATUSES)}")
        return json_response(await tasks(request).set_status(agent_of(request), follow_up_id, wanted))

    return bp
