"""The editors' room: the unanswered-questions report under /api/agent/unanswered (its page, /agent/unanswered,
is in helpdesk/web/pages.py; the rules in helpdesk/reports/unanswered.py).

    GET  /api/agent/unanswered?from=&to=&tz=            clusters of unanswered questions + coverage per day
    POST /api/agent/unanswered/draft                    {"examples": [...], "closest_id"?} → a handbook file draft

Editors, supervisors and admins may read it; agents get 403. Drafts are only shown: nothing is ever written
into the handbook.
"""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.db.models import Agent
from helpdesk.errors import Invalid
from helpdesk.knowledge.runtime import handbook_dir
from helpdesk.reports.periods import DateRange
from helpdesk.reports.unanswered import DEFAULT_DAYS, EXAMPLES, build_report, draft_for
from helpdesk.web.inputs import agent_of, json_body, language_code
from helpdesk.web.services import services
from helpdesk.web.sessions import require

MAX_EXAMPLE_CHARS = 2000


def may_read_report(agent: Agent) -> bool:
    return agent.is_editor or agent.can_supervise


def editor_blueprint() -> Blueprint:
    bp = Blueprint("editor", url_prefix="/unanswered")

    @bp.get("")
    async def report(request: Request) -> HTTPResponse:
        require(may_read_report(agent_of(request)), "the unanswered-questions report is for editors and supervisors")
        period = DateRange.parse(
            request.args.get("from"), request.args.get("to"), request.args.get("tz"), default_days=DEFAULT_DAYS
        )
        running = services(request)
        async with running.sessions() as session:
            language = request.args.get("language") or None
            report = await build_report(session, running.actions, period, language_code(language) if language else None)
            return json_response(report)

    @bp.post("/draft")
    async def draft(request: Request) -> HTTPResponse:
        require(may_read_report(agent_of(request)), "drafting handbook entries is for editors and supervisors")
        body = json_body(request, empty_is_object=True)
        examples, closest = body.get("examples"), body.get("closest_id")
        if (
            not isinstance(examples, list)
            or not 0 < len(examples) <= EXAMPLES
            or not all(isinstance(e, str) and 0 < len(e.strip()) <= MAX_EXAMPLE_CHARS for e in examples)
        ):
            raise Invalid(f"examples must be 1 to {EXAMPLES} questions of 1 to {MAX_EXAMPLE_CHARS} characters")
        if closest is not None and (not isinstance(closest, str) or len(closest) > 200):
            raise Invalid("closest_id must be a handbook entry id")
        made = await draft_for(services(request).actions, handbook_dir(), examples, closest)
        return json_response(made.to_json())

    return bp
