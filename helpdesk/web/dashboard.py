"""The supervisors' room: the KPI dashboard's API under /api/agent (its page, /agent/dashboard, is in
helpdesk/web/pages.py): /metrics (JSON), /metrics.csv, /metrics/live, /metrics/sla (SLA breaches counted, from
helpdesk/conversation/sla.py) and /metrics/conversations?figure=<key> (the conversations behind one figure:
helpdesk/reports/metrics.py `figure_keys`), for supervisors and admins (403 for anyone else; the staff session guard
answers 401 without a session). The figures: helpdesk/reports/metrics.py.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Mapping
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.config import Settings
from helpdesk.conversation.sla import Targets, breach_counts
from helpdesk.db.models import (
    ROLE_EDITOR,
    SLA_QUEUE_WAIT,
    STATUS_AWAY,
    STATUS_ONLINE,
    TIER_STANDARD,
    TIER_VIP,
    Agent,
    utcnow,
)
from helpdesk.mail.waiting import choice_counts, waiting_by_email
from helpdesk.reports.metrics import (
    CSV_HEADER,
    Filters,
    agent_directory,
    agent_order,
    conversations_behind,
    csv_rows,
    episodes_in,
    live_queue,
    load_history,
    report,
)
from helpdesk.reports.periods import DateRange, RangeError
from helpdesk.reports.spreadsheet import safe_cell
from helpdesk.web.inputs import MAX_INT, agent_of
from helpdesk.web.services import services
from helpdesk.web.sessions import require

FILTER_CHARS = 64
FIGURE_CHARS = 160


def _text_arg(request: Request, name: str) -> str | None:
    value = (request.args.get(name) or "").strip()
    if len(value) > FILTER_CHARS:
        raise RangeError(f"{name} is too long")
    return value or None


def query_of(request: Request) -> tuple[DateRange, Filters]:
    """The range (from, to: inclusive ISO dates; tz: IANA zone) and filters (channel, intent, team, agent, language)."""
    span = DateRange.parse(request.args.get("from"), request.args.get("to"), request.args.get("tz"))
    agent = _text_arg(request, "agent")
    if agent is not None and (not agent.isdigit() or int(agent) > MAX_INT):
        raise RangeError("agent must be an agent id (a number)")
    filters = Filters(
        channel=_text_arg(request, "channel"),
        intent=_text_arg(request, "intent"),
        team=_text_arg(request, "team"),
        agent_id=int(agent) if agent is not None else None,
        language=_text_arg(request, "language"),
    )
    return span, filters


def csv_text(figures: Mapping[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for section, group, metric, value in csv_rows(dict(figures)):
        writer.writerow((section, safe_cell(group), metric, safe_cell(value)))  # names are data
    for choice, count in sorted((figures.get("wait_choices") or {}).items()):  # helpdesk/mail/waiting.py
        writer.writerow(("wait_choices", safe_cell(choice), "customers", count))
    return out.getvalue()


def dashboard_blueprint(settings: Settings) -> Blueprint:
    bp = Blueprint("dashboard")

    async def staff(request: Request) -> list[Agent]:
        """The staff who take chats (not the handbook's editors, never given a conversation), by name."""
        async with services(request).sessions() as session:
            directory = await agent_directory(session)
        return sorted((a for a in directory.values() if a.active and a.role != ROLE_EDITOR), key=agent_order)

    def listed(agents: list[Agent]) -> list[dict[str, Any]]:
        return [{"id": a.id, "name": a.display_name, "role": a.role, "team": a.team} for a in agents]

    async def live(request: Request) -> dict[str, Any]:
        now = utcnow()
        async with services(request).sessions() as session:
            queue = await live_queue(session, now)
            queue["waiting_by_email"] = await waiting_by_email(session)  # helpdesk/mail/waiting.py
        people = await staff(request)
        at_console = services(request).presence.is_online  # a console open (helpdesk/realtime/presence.py)
        # "agents online" as the console's team count has it: the status the agent chose
        # (helpdesk/conversation/agent_status.py) with a console open. An agent who set Away takes no new chats and one
        # who is Online by status but closed the console is not there to take one: both are listed apart, not counted
        # (the dashboard counted anyone who had used the console's API in the last few minutes, and said 3 while the
        # console's Team heading said 2: walkthrough of 2026-12-07)
        online = [a for a in people if a.status == STATUS_ONLINE and at_console(a.id)]
        away = [a for a in people if a.status == STATUS_AWAY and at_console(a.id)]
        closed = [a for a in people if a.status in (STATUS_ONLINE, STATUS_AWAY) and not at_console(a.id)]
        return {
            **queue,
            "agents_online": len(online),
            "agents": listed(online),
            "agents_away": listed(away),
            "agents_console_closed": listed(closed),  # one who logged out (Offline) is in none of the three
            "at": now.isoformat(),
        }

    async def figures(request: Request, figure: str | None = None) -> dict[str, Any]:
        span, filters = query_of(request)
        now = utcnow()
        async with services(request).sessions() as session:
            history = await load_history(session, span.start, span.end)
            directory = await agent_directory(session)

        sla: Targets = request.app.ctx.sla_targets
        # the queue-wait target per tier: config/sla.yml's, else QUEUE_SLA_SECONDS
        targets = {
            tier: sla.target(tier, SLA_QUEUE_WAIT) or settings.queue_sla_seconds
            for tier in {TIER_STANDARD, TIER_VIP, *sla.by_tier}
        }

        def compute() -> dict[str, Any]:  # CPU work: off the event loop, which keeps serving chats
            episodes = episodes_in(history, span.start, span.end, now)
            if figure is not None:
                return conversations_behind(episodes, directory, filters, figure, targets, now)
            return report(episodes, directory, span, filters, targets, now)

        body = await asyncio.to_thread(compute)
        async with services(request).sessions() as session:  # waiting customers' choices (helpdesk/mail/waiting.py)
            body["wait_choices"] = await choice_counts(session, span.start, span.end)
        return body

    @bp.on_request
    async def _supervisors_only(request: Request) -> None:
        require(agent_of(request).can_supervise, "the dashboard is for supervisors and admins")

    @bp.get("/metrics")
    async def metrics(request: Request) -> HTTPResponse:
        body = await figures(request)
        return json_response({**body, "live": await live(request)})

    @bp.get("/metrics.csv")
    async def metrics_csv(request: Request) -> HTTPResponse:
        body = await figures(request)
        name = f"helpdesk-metrics-{body['range']['from']}-to-{body['range']['to']}.csv"
        return HTTPResponse(
            csv_text(body),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        )

    @bp.get("/metrics/conversations")
    async def metrics_conversations(request: Request) -> HTTPResponse:
        figure = (request.args.get("figure") or "").strip()
        if not figure or len(figure) > FIGURE_CHARS:
            raise RangeError(f"say which figure: figure=<key> (at most {FIGURE_CHARS} characters)")
        return json_response(await figures(request, figure))

    @bp.get("/metrics/sla")
    async def metrics_sla(request: Request) -> HTTPResponse:
        """SLA breaches in the range per kind, tier, team and agent, and the targets (config/sla.yml)."""
        span, _ = query_of(request)
        targets: Targets = request.app.ctx.sla_targets
        async with services(request).sessions() as session:
            counts = await breach_counts(session, span.start, span.end)
        return json_response({"targets": targets.to_json(), **counts})

    @bp.get("/metrics/live")
    async def metrics_live(request: Request) -> HTTPResponse:
        return json_response(await live(request))

    return bp
