"""The operator's check: GET /healthz is 200 when Rasa, the action server and its FAQ index are ready
(`make run` and the tests wait for it), else 503 with what is still starting."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.web.services import services


def health_blueprint() -> Blueprint:
    bp = Blueprint("health")

    @bp.get("/healthz")
    async def healthz(request: Request) -> HTTPResponse:
        running = services(request)
        knowledge = await running.actions.knowledge_status()
        status = {"rasa": await running.rasa.ready(), "actions": await running.actions.ready(), "knowledge": knowledge}
        ready = status["rasa"] and status["actions"] and bool(knowledge and knowledge.get("ready"))
        return json_response({"status": "ok" if ready else "starting", **status}, status=200 if ready else 503)

    return bp
