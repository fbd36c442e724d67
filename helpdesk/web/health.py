"""The operator's check: GET /healthz is 200 `{"status": "ok"}` when Rasa, the action server and its FAQ index are
ready (`make run`, the tests and load balancers wait for it), else 503 `{"status": "starting"}`.

Which part is not ready, and the FAQ index's details, are for the operator only: a request from this machine
that no proxy forwarded, or one with `Authorization: Bearer <HEALTH_TOKEN>`. Anyone else learns ready or not.
"""

from __future__ import annotations

import hmac
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.web.services import services

FORWARDED = ("forwarded", "x-forwarded-for", "x-real-ip")


def may_see_details(request: Request, token: str) -> bool:
    """The operator: a loopback peer with no forwarding header (a reverse proxy on this machine adds one), or the
    health token."""
    header = request.headers.get("authorization", "")
    if token and header[:7].lower() == "bearer " and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    peer = str(request.conn_info.client_ip if request.conn_info else "")
    loopback = peer == "::1" or peer.startswith("127.") or peer.startswith("::ffff:127.")
    return loopback and not any(name in request.headers for name in FORWARDED)


def health_blueprint() -> Blueprint:
    bp = Blueprint("health")

    @bp.get("/healthz")
    async def healthz(request: Request) -> HTTPResponse:
        running = services(request)
        knowledge = await running.actions.knowledge_status()
        processes = await running.rasa.processes()  # several Rasa processes: ready while one of them is
        status = {"rasa": any(processes.values()), "actions": await running.actions.ready(), "knowledge": knowledge}
        ready = status["rasa"] and status["actions"] and bool(knowledge and knowledge.get("ready"))
        body: dict[str, Any] = {"status": "ok" if ready else "starting"}
        if may_see_details(request, running.settings.health_token):
            body.update(status)
            if len(processes) > 1:
                body["rasa_processes"] = processes
        return json_response(body, status=200 if ready else 503)

    return bp
