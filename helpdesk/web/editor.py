"""The unanswered-questions report for handbook editors (rules: helpdesk/reports/unanswered.py).

    GET  /agent/unanswered                              the page (served by app.py with the console's pages)
    GET  /api/agent/unanswered?from=&to=&tz=            clusters of unanswered questions + coverage per day
    POST /api/agent/unanswered/draft                    {"examples": [...], "closest_id"?} → a handbook file draft

Editors, supervisors and admins may read it; agents get 403 (the session guard in agent_api already keeps
editors to these paths). Drafts are only shown: nothing is ever written into the handbook.
"""

from __future__ import annotations

from sanic import Blueprint, Request, Sanic
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.conversation.desk import DeskError
from helpdesk.db.models import Agent
from helpdesk.knowledge.runtime import handbook_dir
from helpdesk.reports.periods import DateRange, RangeError
from helpdesk.reports.unanswered import DEFAULT_DAYS, EXAMPLES, build_report, draft_for
from helpdesk.web.console import PREFIX, agent_of, body_of, require

MAX_EXAMPLE_CHARS = 2000


def may_read_report(agent: Agent) -> bool:
    return agent.is_editor or agent.can_supervise


def install_editor_api(app: Sanic) -> None:
    bp = Blueprint("editor_api", url_prefix=f"{PREFIX}/unanswered")

    @bp.get("")
    async def report(request: Request) -> HTTPResponse:
        require(may_read_report(agent_of(request)), "the unanswered-questions report is for editors and supervisors")
        try:
            period = DateRange.parse(
                request.args.get("from"), request.args.get("to"), request.args.get("tz"), default_days=DEFAULT_DAYS
            )
        except RangeError as exc:
            raise DeskError(400, str(exc)) from exc
        async with app.ctx.sessions() as session:
            return json_response(await build_report(session, app.ctx.knowledge, period))

    @bp.post("/draft")
    async def draft(request: Request) -> HTTPResponse:
        require(may_read_report(agent_of(request)), "drafting handbook entries is for editors and supervisors")
        body = body_of(request)
        examples, closest = body.get("examples"), body.get("closest_id")
        if (
            not isinstance(examples, list)
            or not 0 < len(examples) <= EXAMPLES
            or not all(isinstance(e, str) and 0 < len(e.strip()) <= MAX_EXAMPLE_CHARS for e in examples)
        ):
            raise DeskError(400, f"examples must be 1 to {EXAMPLES} questions of 1 to {MAX_EXAMPLE_CHARS} characters")
        if closest is not None and (not isinstance(closest, str) or len(closest) > 200):
            raise DeskError(400, "closest_id must be a handbook entry id")
        made = await draft_for(app.ctx.knowledge, handbook_dir(), examples, closest)
        return json_response(made.to_json())

    app.blueprint(bp)
