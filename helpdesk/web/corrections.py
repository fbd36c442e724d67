"""The corrections' room (helpdesk/corrections/): agents mark the bot's reading of a customer turn wrong,
supervisors, admins and editors review. Under /api/agent, behind the staff session guard (401 without a session,
403 without the CSRF token on changes); the roles are checked by the service (403).

    GET    /corrections/choices                      the intents in words and the handbook's entries
    GET    /corrections?conversation_id=<id>         one conversation's corrections (who may view it)
    GET    /corrections?status=pending|accepted|rejected|all   the review list (reviewers; words masked)
    POST   /corrections                              {"message_id", "kind": "intent"|"faq"|"new_question",
                                                      "label"?, "note"?} → 201
    POST   /corrections/<id>/review                  {"decision": "accept" | "reject"}
    DELETE /corrections/<id>                         take back a correction still waiting for review
"""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.corrections.service import MAX_NOTE, Corrections
from helpdesk.errors import Invalid
from helpdesk.web.inputs import agent_of, clean_text, json_body, whole_number
from helpdesk.web.services import services


def corrections(request: Request) -> Corrections:
    return services(request).corrections


def corrections_blueprint() -> Blueprint:
    bp = Blueprint("corrections", url_prefix="/corrections")

    @bp.get("/choices")
    async def choices(request: Request) -> HTTPResponse:
        return json_response(await corrections(request).choices(agent_of(request)))

    @bp.get("")
    async def listing(request: Request) -> HTTPResponse:
        conversation_id = request.args.get("conversation_id")
        if conversation_id is not None:
            if len(conversation_id) > 64:
                raise Invalid("conversation_id is too long")
            found = await corrections(request).for_conversation(agent_of(request), conversation_id)
            return json_response({"corrections": found})
        return json_response(await corrections(request).review_list(agent_of(request), request.args.get("status")))

    @bp.post("")
    async def mark(request: Request) -> HTTPResponse:
        body = json_body(request, '{"message_id": 12, "kind": "intent", "label": "order_status"}')
        message_id = body.get("message_id")
        if not whole_number(message_id):
            raise Invalid("message_id must be a number")
        note = body.get("note")
        note = clean_text(note, "note", MAX_NOTE) if note not in (None, "") else None
        made = await corrections(request).mark(agent_of(request), message_id, body.get("kind"), body.get("label"), note)
        return json_response(made, status=201)

    @bp.post("/<correction_id:int>/review")
    async def review(request: Request, correction_id: int) -> HTTPResponse:
        decision = json_body(request, '{"decision": "accept"}').get("decision")
        return json_response(await corrections(request).review(agent_of(request), correction_id, decision))

    @bp.delete("/<correction_id:int>")
    async def withdraw(request: Request, correction_id: int) -> HTTPResponse:
        await corrections(request).withdraw(agent_of(request), correction_id)
        return HTTPResponse(status=204)

    return bp
