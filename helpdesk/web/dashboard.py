"""The supervisors' KPI dashboard API (its page, /agent/dashboard, is served by app.py with the console's pages):
/api/agent/metrics (JSON), /api/agent/metrics.csv and /api/agent/metrics/live.

The app-wide session guard in agent_api answers 401 without a session; here, anyone but a supervisor or
an admin gets 403. The figures come from helpdesk/reports/metrics.py.
"""

from __future__ import annotations

import asyncio
import csv
import io
import time
from collections.abc import Mapping
from typing import Any

from sanic import Blueprint, Request, Sanic
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.config import Settings
from helpdesk.conversation.desk import DeskError
from helpdesk.db.models import Agent, utcnow
from helpdesk.reports.metrics import (
    CSV_HEADER,
    Filters,
    agent_directory,
    agent_order,
    csv_rows,
    episodes_in,
    live_queue,
    load_history,
    report,
)
from helpdesk.reports.periods import DateRange, RangeError
from helpdesk.web.console import PREFIX, agent_of, require

FILTER_CHARS = 64


class RecentActivity:
    """When each agent last used the console's API (this process): with the live console sockets, who
    counts as online on the dashboard."""

    def __init__(self) -> None:
        self._seen: dict[int, float] = {}

    def seen(self, agent_id: int, now: float | None = None) -> None:
        self._seen[agent_id] = time.monotonic() if now is None else now

    def within(self, seconds: float, now: float | None = None) -> set[int]:
        now = time.monotonic() if now is None else now
        for agent_id in [a for a, at in self._seen.items() if now - at > seconds]:
            del self._seen[agent_id]
        return set(self._seen)


def _text_arg(request: Request, name: str) -> str | None:
    value = (request.args.get(name) or "").strip()
    if len(value) > FILTER_CHARS:
        raise RangeError(f"{name} is too long")
    return value or None


def query_of(request: Request) -> tuple[DateRange, Filters]:
    """The range (from, to: inclusive ISO dates; tz: IANA zone) and filters (channel, intent, team, agent)."""
    span = DateRange.parse(request.args.get("from"), request.args.get("to"), request.args.get("tz"))
    agent = _text_arg(request, "agent")
    if agent is not None and not agent.isdigit():
        raise RangeError("agent must be an agent id (a number)")
    filters = Filters(
        channel=_text_arg(request, "channel"),
        intent=_text_arg(request, "intent"),
        team=_text_arg(request, "team"),
        agent_id=int(agent) if agent is not None else None,
    )
    return span, filters


def csv_text(figures: Mapping[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for section, group, metric, value in csv_rows(dict(figures)):
        writer.writerow((section, _safe_cell(group), metric, _safe_cell(value)))
    return out.getvalue()


def _safe_cell(value: Any) -> Any:
    """Names (intents, teams, agents) are data: never let a spreadsheet run one as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def install_dashboard(app: Sanic, settings: Settings) -> None:
    activity = RecentActivity()

    @app.on_request
    async def _note_activity(request: Request) -> None:
        agent = getattr(request.ctx, "agent", None)  # set by the session guard, which runs first
        if agent is not None:
            activity.seen(agent.id)

    def supervisor(request: Request) -> Agent:
        agent = agent_of(request)
        require(agent.can_supervise, "the dashboard is for supervisors and admins")
        return agent

    async def online_agents() -> list[dict[str, Any]]:
        """Agents with a console socket open, or who used the console's API in the last few minutes."""
        recent = activity.within(settings.agent_online_minutes * 60)
        async with app.ctx.sessions() as session:
            directory = await agent_directory(session)
        online = [a for a in directory.values() if a.active and (a.id in recent or app.ctx.presence.is_online(a.id))]
        return [
            {"id": a.id, "name": a.display_name, "role": a.role, "team": a.team}
            for a in sorted(online, key=agent_order)
        ]

    async def live() -> dict[str, Any]:
        now = utcnow()
        async with app.ctx.sessions() as session:
            queue = await live_queue(session, now)
        agents = await online_agents()
        return {**queue, "agents_online": len(agents), "agents": agents, "at": now.isoformat()}

    async def figures(request: Request) -> dict[str, Any]:
        try:
            span, filters = query_of(request)
        except RangeError as exc:
            raise DeskError(400, str(exc)) from exc
        now = utcnow()
        async with app.ctx.sessions() as session:
            history = await load_history(session, span.start, span.end)
            directory = await agent_directory(session)

        def compute() -> dict[str, Any]:  # CPU work: off the event loop, which keeps serving chats
            episodes = episodes_in(history, span.start, span.end, now)
            return report(episodes, directory, span, filters, settings.queue_sla_seconds, now)

        return await asyncio.to_thread(compute)

    bp = Blueprint("dashboard_api", url_prefix=PREFIX)

    @bp.get("/metrics")
    async def metrics(request: Request) -> HTTPResponse:
        supervisor(request)
        body = await figures(request)
        return json_response({**body, "live": await live()})

    @bp.get("/metrics.csv")
    async def metrics_csv(request: Request) -> HTTPResponse:
        supervisor(request)
        body = await figures(request)
        name = f"helpdesk-metrics-{body['range']['from']}-to-{body['range']['to']}.csv"
        return HTTPResponse(
            csv_text(body),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        )

    @bp.get("/metrics/live")
    async def metrics_live(request: Request) -> HTTPResponse:
        supervisor(request)
        return json_response(await live())

    app.blueprint(bp)
