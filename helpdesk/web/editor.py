"""The editors' room: the unanswered-questions report under /api/agent/unanswered (its page, /agent/unanswered,
is in helpdesk/web/pages.py; the rules in helpdesk/reports/unanswered.py).

    GET  /api/agent/unanswered?from=&to=&tz=&language=  clusters of unanswered questions + coverage per day
    POST /api/agent/unanswered/draft                    {"examples": [...], "title"?, "tags"?} → a handbook file
                                                        draft (title and tags as the report's group gave them)
    POST /api/agent/unanswered/set-aside                {"questions": [...], "kind": "dismissed" | "wont_fix"}
    POST /api/agent/unanswered/put-back                 {"questions": [...]} → back into the groups

Editors, supervisors and admins may read it and set questions aside; agents get 403. Drafts are only shown:
nothing is ever written into the handbook.
"""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.db.models import Agent
from helpdesk.errors import Invalid
from helpdesk.knowledge.runtime import handbook_dir
from helpdesk.reports.periods import DateRange
from helpdesk.reports.set_aside import put_back, set_aside
from helpdesk.reports.unanswered import DEFAULT_DAYS, EXAMPLES, build_report, draft_for
from helpdesk.web.inputs import agent_of, json_body, language_code
from helpdesk.web.services import services
from helpdesk.web.sessions import require

MAX_EXAMPLE_CHARS = 2000
MAX_TAGS = 10
MAX_SET_ASIDE = 2000


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
        examples, title, tags = body.get("examples"), body.get("title"), body.get("tags", [])
        if (
            not isinstance(examples, list)
            or not 0 < len(examples) <= EXAMPLES
            or not all(isinstance(e, str) and 0 < len(e.strip()) <= MAX_EXAMPLE_CHARS for e in examples)
        ):
            raise Invalid(f"examples must be 1 to {EXAMPLES} questions of 1 to {MAX_EXAMPLE_CHARS} characters")
        if title is not None and (not isinstance(title, str) or len(title) > 300):
            raise Invalid("title must be a question of at most 300 characters")
        if (
            not isinstance(tags, list)
            or len(tags) > MAX_TAGS
            or not all(isinstance(t, str) and 0 < len(t.strip()) <= 100 for t in tags)
        ):
            raise Invalid(f"tags must be up to {MAX_TAGS} words of at most 100 characters")
        made = await draft_for(handbook_dir(), examples, title, tags)
        return json_response(made.to_json())

    def _questions(body: dict[str, object]) -> list[str]:
        questions = body.get("questions")
        if (
            not isinstance(questions, list)
            or not 0 < len(questions) <= MAX_SET_ASIDE
            or not all(isinstance(q, str) and 0 < len(q.strip()) <= MAX_EXAMPLE_CHARS for q in questions)
        ):
            raise Invalid(f"questions must be 1 to {MAX_SET_ASIDE} questions of 1 to {MAX_EXAMPLE_CHARS} characters")
        return [str(q) for q in questions]

    @bp.post("/set-aside")
    async def dismiss(request: Request) -> HTTPResponse:
        """A group's questions leave the report's groups: dismissed (not for the handbook) or won't fix."""
        agent = agent_of(request)
        require(may_read_report(agent), "setting questions aside is for editors and supervisors")
        body = json_body(request)
        questions, kind = _questions(body), body.get("kind")
        async with services(request).sessions() as session:
            count = await set_aside(session, questions, str(kind), agent)
        return json_response({"set_aside": count, "kind": kind})

    @bp.post("/put-back")
    async def restore(request: Request) -> HTTPResponse:
        require(may_read_report(agent_of(request)), "putting questions back is for editors and supervisors")
        questions = _questions(json_body(request))
        async with services(request).sessions() as session:
            count = await put_back(session, questions)
        return json_response({"put_back": count})

    return bp
