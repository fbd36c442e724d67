"""The agents' room: the console's API under /api/agent (behind the staff session guard, helpdesk/web/sessions.py).
The desk (helpdesk/conversation/desk.py) checks who may do what; these routes read the request and answer.

    GET  /queue, /chats[?scope=all], /agents, /canned
    POST /queue/close                              supervisors: {"without_customer_text": true} | {"conversation_ids"}
    POST /status                                   {"status": "online" | "away" | "offline"}: the agent's own
    GET  /conversations/<id>                       the transcript with everything the bot knew
    POST /conversations/<id>/claim | resolve | handback
    POST /conversations/<id>/seen                  {"message_id"}: the console showed it up to there (unread counts)
    POST /conversations/<id>/messages              {"text", "client_message_id"?}
    POST /conversations/<id>/notes                 {"text"}
    POST /conversations/<id>/transfer              {"agent_id"} or {"team"}
    POST /conversations/<id>/typing                {"typing": true | false}
    GET  /conversations/<id>/suggestions           handbook answers for the latest question
    GET  /conversations/<id>/customer              the verified customer and their orders, as cards
    POST /conversations/<id>/lookup                {"email"} | {"order_number"}: the customer and orders, read only
    POST /conversations/<id>/orders/<number>/<action>/preview   the change's summary and its "confirm" digest
    POST /conversations/<id>/orders/<number>/<action>           {"confirm", "address"? | "items"?}: do it
                                                   (action: cancel | change_address | return | resend_tracking)
    POST /canned, PUT /canned/<id>, DELETE /canned/<id>
    GET  /labels                                   the labels with how many conversations carry each
    POST /labels, PUT /labels/<id>, DELETE /labels/<id>        supervisors: {"name", "colour"?}
    GET  /conversations/<id>/labels, POST …/labels {"label_id"}, DELETE …/labels/<label_id>
    GET  /search?q=&label=&language=&state=&from=&to=&limit=   conversations found (any state)
    GET  /search.csv?…                             supervisors: the same as a CSV file (labels included)
    GET  /conversations/<id>/history               the customer's other conversations
    WS   /ws?after=<id>                            live (helpdesk/web/sockets.py)
"""

from __future__ import annotations

import csv
import io

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.conversation import queue_cleanup
from helpdesk.conversation.desk import Desk
from helpdesk.conversation.queue_cleanup import MAX_AT_ONCE
from helpdesk.conversation.search import EXPORT_LIMIT, export_rows, parse_query
from helpdesk.errors import Forbidden, Invalid
from helpdesk.web.inputs import agent_of, clean_text, json_body, language_code, whole_number
from helpdesk.web.services import services
from helpdesk.web.sockets import console_socket

CLIENT_ID_CHARS = 64


def desk(request: Request) -> Desk:
    return services(request).desk


def console_blueprint() -> Blueprint:
    bp = Blueprint("console")
    bp.add_websocket_route(console_socket, "/ws", name="console_socket")

    @bp.get("/queue")
    async def queue(request: Request) -> HTTPResponse:
        conversations = await desk(request).queue_for(agent_of(request))
        return json_response(
            {"conversations": conversations, "sla_seconds": services(request).settings.queue_sla_seconds}
        )

    @bp.post("/queue/close")
    async def close_queued(request: Request) -> HTTPResponse:
        """Supervisors: close queued chats in bulk, {"without_customer_text": true} or {"conversation_ids": [...]}."""
        body = json_body(request, '{"without_customer_text": true}', empty_is_object=True)
        ids = body.get("conversation_ids")
        if ids is None and body.get("without_customer_text") is not True:
            raise Invalid('say which chats: {"without_customer_text": true} or {"conversation_ids": ["..."]}')
        if ids is not None and (
            not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or len(ids) > MAX_AT_ONCE
        ):
            raise Invalid(f"conversation_ids must be a list of at most {MAX_AT_ONCE} conversation ids")
        running = services(request)
        closed = await queue_cleanup.close_queued(
            running.sessions, running.chat.locks, running.events, running.chat.queue, agent_of(request), ids
        )
        return json_response({"closed": closed})

    @bp.get("/chats")
    async def chats(request: Request) -> HTTPResponse:
        everyone = request.args.get("scope") == "all"
        return json_response({"conversations": await desk(request).chats(agent_of(request), everyone)})

    @bp.post("/status")
    async def status(request: Request) -> HTTPResponse:
        body = json_body(request, empty_is_object=True)
        return json_response(await desk(request).set_status(agent_of(request), body.get("status")))

    @bp.get("/agents")
    async def agents(request: Request) -> HTTPResponse:
        return json_response({"agents": await desk(request).agents()})

    @bp.get("/conversations/<conversation_id:str>")
    async def conversation(request: Request, conversation_id: str) -> HTTPResponse:
        return json_response(await desk(request).view(agent_of(request), conversation_id))

    @bp.post("/conversations/<conversation_id:str>/seen")
    async def seen(request: Request, conversation_id: str) -> HTTPResponse:
        message_id = json_body(request).get("message_id")
        if not whole_number(message_id) or message_id < 1:
            raise Invalid("message_id must be a positive whole number")
        return json_response(await desk(request).seen(agent_of(request), conversation_id, message_id))

    @bp.post("/conversations/<conversation_id:str>/claim")
    async def claim(request: Request, conversation_id: str) -> HTTPResponse:
        return json_response(await desk(request).claim(agent_of(request), conversation_id))

    @bp.post("/conversations/<conversation_id:str>/messages")
    async def reply(request: Request, conversation_id: str) -> HTTPResponse:
        body = json_body(request, empty_is_object=True)
        text = clean_text(body.get("text"))
        client_id = body.get("client_message_id")
        if client_id is not None and (not isinstance(client_id, str) or not 0 < len(client_id) <= CLIENT_ID_CHARS):
            raise Invalid(f"client_message_id must be a string of 1 to {CLIENT_ID_CHARS} characters")
        message = await desk(request).reply(agent_of(request), conversation_id, text, client_id)
        return json_response(message, status=201)

    @bp.post("/conversations/<conversation_id:str>/notes")
    async def note(request: Request, conversation_id: str) -> HTTPResponse:
        text = clean_text(json_body(request, empty_is_object=True).get("text"))
        return json_response(await desk(request).note(agent_of(request), conversation_id, text), status=201)

    @bp.post("/conversations/<conversation_id:str>/resolve")
    async def resolve(request: Request, conversation_id: str) -> HTTPResponse:
        return json_response(await desk(request).resolve(agent_of(request), conversation_id))

    @bp.post("/conversations/<conversation_id:str>/handback")
    async def hand_back(request: Request, conversation_id: str) -> HTTPResponse:
        return json_response(await desk(request).hand_back(agent_of(request), conversation_id))

    @bp.post("/conversations/<conversation_id:str>/transfer")
    async def transfer(request: Request, conversation_id: str) -> HTTPResponse:
        body = json_body(request, empty_is_object=True)
        to_agent, to_team = body.get("agent_id"), body.get("team")
        if to_agent is not None and not whole_number(to_agent):
            raise Invalid("agent_id must be a number")
        if to_team is not None and not isinstance(to_team, str):
            raise Invalid("team must be a string")
        return json_response(await desk(request).transfer(agent_of(request), conversation_id, to_agent, to_team))

    @bp.post("/conversations/<conversation_id:str>/typing")
    async def typing(request: Request, conversation_id: str) -> HTTPResponse:
        on = bool(json_body(request, empty_is_object=True).get("typing", True))
        await desk(request).typing(agent_of(request), conversation_id, on)
        return json_response({"ok": True})

    @bp.get("/conversations/<conversation_id:str>/suggestions")
    async def suggestions(request: Request, conversation_id: str) -> HTTPResponse:
        return json_response(await desk(request).suggestions(agent_of(request), conversation_id))

    @bp.get("/conversations/<conversation_id:str>/customer")
    async def customer(request: Request, conversation_id: str) -> HTTPResponse:
        return json_response(await services(request).desk_orders.panel(agent_of(request), conversation_id))

    @bp.post("/conversations/<conversation_id:str>/lookup")
    async def look_up_customer(request: Request, conversation_id: str) -> HTTPResponse:
        body = json_body(request, '{"email": "ann@example.com"} or {"order_number": "100124"}')
        return json_response(await services(request).desk_orders.lookup(agent_of(request), conversation_id, body))

    @bp.post("/conversations/<conversation_id:str>/orders/<number:str>/<action:str>/preview")
    async def preview_order_change(request: Request, conversation_id: str, number: str, action: str) -> HTTPResponse:
        body = json_body(request, empty_is_object=True)
        orders = services(request).desk_orders
        return json_response(await orders.preview(agent_of(request), conversation_id, number, action, body))

    @bp.post("/conversations/<conversation_id:str>/orders/<number:str>/<action:str>")
    async def change_order(request: Request, conversation_id: str, number: str, action: str) -> HTTPResponse:
        body = json_body(request, empty_is_object=True)
        orders = services(request).desk_orders
        return json_response(await orders.perform(agent_of(request), conversation_id, number, action, body))

    @bp.get("/labels")
    async def labels(request: Request) -> HTTPResponse:
        return json_response({"labels": await services(request).labels.all()})

    @bp.post("/labels")
    async def add_label(request: Request) -> HTTPResponse:
        body = json_body(request, '{"name": "refund", "colour": "#b42318"}')
        return json_response(await services(request).labels.create(agent_of(request), body), status=201)

    @bp.put("/labels/<label_id:int>")
    async def edit_label(request: Request, label_id: int) -> HTTPResponse:
        body = json_body(request, '{"name": "refund", "colour": "#b42318"}')
        return json_response(await services(request).labels.update(agent_of(request), label_id, body))

    @bp.delete("/labels/<label_id:int>")
    async def delete_label(request: Request, label_id: int) -> HTTPResponse:
        await services(request).labels.delete(agent_of(request), label_id)
        return HTTPResponse(status=204)

    @bp.get("/conversations/<conversation_id:str>/labels")
    async def conversation_labels(request: Request, conversation_id: str) -> HTTPResponse:
        found = await services(request).labels.on_conversation(agent_of(request), conversation_id)
        return json_response({"labels": found})

    @bp.post("/conversations/<conversation_id:str>/labels")
    async def label_conversation(request: Request, conversation_id: str) -> HTTPResponse:
        label_id = json_body(request, '{"label_id": 1}').get("label_id")
        found = await services(request).labels.apply(agent_of(request), conversation_id, label_id)
        return json_response({"labels": found})

    @bp.delete("/conversations/<conversation_id:str>/labels/<label_id:int>")
    async def unlabel_conversation(request: Request, conversation_id: str, label_id: int) -> HTTPResponse:
        found = await services(request).labels.remove(agent_of(request), conversation_id, label_id)
        return json_response({"labels": found})

    def search_args(request: Request) -> dict[str, str | None]:
        return {k: request.args.get(k) for k in ("q", "label", "language", "state", "from", "to", "limit")}

    @bp.get("/search")
    async def search(request: Request) -> HTTPResponse:
        query = parse_query(search_args(request))
        return json_response(await services(request).search.search(agent_of(request), query))

    @bp.get("/search.csv")
    async def search_csv(request: Request) -> HTTPResponse:
        agent = agent_of(request)
        if not agent.can_supervise:
            raise Forbidden("only supervisors and admins export conversations")
        args = search_args(request)
        args["limit"] = args["limit"] or str(EXPORT_LIMIT)
        found = await services(request).search.search(agent, parse_query(args, EXPORT_LIMIT))
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(export_rows(found["conversations"]))
        return HTTPResponse(
            out.getvalue(),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="conversations.csv"'},
        )

    @bp.get("/conversations/<conversation_id:str>/history")
    async def history(request: Request, conversation_id: str) -> HTTPResponse:
        return json_response(await services(request).search.history(agent_of(request), conversation_id))

    @bp.get("/canned")
    async def canned(request: Request) -> HTTPResponse:
        language = request.args.get("language")  # a conversation's language: its canned replies and the any-language
        return json_response({"canned": await desk(request).canned(language_code(language) if language else None)})

    def canned_body(request: Request) -> tuple[str, str, tuple[str | None] | None]:
        body = json_body(request, empty_is_object=True)
        language = (language_code(body.get("language"), allow_any=True),) if "language" in body else None
        return clean_text(body.get("title"), "title", 100), clean_text(body.get("text")), language

    @bp.post("/canned")
    async def add_canned(request: Request) -> HTTPResponse:
        title, text, language = canned_body(request)
        saved = await desk(request).save_canned(agent_of(request), None, title, text, language)
        return json_response(saved, status=201)

    @bp.put("/canned/<canned_id:int>")
    async def edit_canned(request: Request, canned_id: int) -> HTTPResponse:
        title, text, language = canned_body(request)
        return json_response(await desk(request).save_canned(agent_of(request), canned_id, title, text, language))

    @bp.delete("/canned/<canned_id:int>")
    async def delete_canned(request: Request, canned_id: int) -> HTTPResponse:
        await desk(request).delete_canned(agent_of(request), canned_id)
        return HTTPResponse(status=204)

    return bp
