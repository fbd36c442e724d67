"""The console's follow-up tasks under /api/agent/followups (rules: helpdesk/conversation/followups.py).

    GET  /api/agent/followups?status=open|done     supervisors/admins: all; agents: those assigned to them
    GET  /api/agent/followups/<id>                 with comments, the rating and the transcript
    POST /api/agent/followups/<id>/assign          {"agent_id": N | null}   supervisors/admins only
    POST /api/agent/followups/<id>/comments        {"text": "..."}
    POST /api/agent/followups/<id>/status          {"status": "done" | "open"}

Editors never reach these (the session guard in agent_api); another agent's task answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sanic import Blueprint, Request, Sanic
from sanic.response import HTTPResponse
from sanic.response import json as json_response
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.config import Settings
from helpdesk.conversation.desk import DeskError, agent_names, clean_text, iso
from helpdesk.conversation.followups import STATUSES, announce, sweep_forever
from helpdesk.db.models import FOLLOW_UP_DONE, FOLLOW_UP_OPEN, Agent, FollowUp, FollowUpComment, Message, Rating, utcnow
from helpdesk.realtime.hub import Hub
from helpdesk.web.console import PREFIX, agent_of, body_of

TRANSCRIPT_MESSAGES = 60


def may_see(agent: Agent, follow_up: FollowUp) -> bool:
    return agent.can_supervise or follow_up.assignee_id == agent.id


@dataclass
class FollowUps:
    sessions: async_sessionmaker
    hub: Hub

    async def _load(self, session: AsyncSession, agent: Agent, follow_up_id: int) -> FollowUp:
        follow_up = await session.get(FollowUp, follow_up_id)
        if follow_up is None or not may_see(agent, follow_up):  # another agent's task does not exist for them
            raise DeskError(404, "no such follow-up")
        return follow_up

    @staticmethod
    def _json(follow_up: FollowUp, names: dict[int, str], comments: int) -> dict[str, Any]:
        return {
            "id": follow_up.id,
            "conversation_id": follow_up.conversation_id,
            "reason": follow_up.reason,
            "detail": follow_up.detail,
            "status": follow_up.status,
            "assignee": follow_up.assignee_id,
            "assignee_name": names.get(follow_up.assignee_id or 0),
            "created_at": iso(follow_up.created_at),
            "done_at": iso(follow_up.done_at),
            "done_by_name": names.get(follow_up.done_by or 0),
            "comments": comments,
        }

    async def listed(self, agent: Agent, status: str | None) -> list[dict[str, Any]]:
        """Open ones first (oldest first), then done ones (newest first)."""
        if status is not None and status not in STATUSES:
            raise DeskError(400, f"status must be one of {', '.join(STATUSES)} (or absent for all)")
        query = select(FollowUp)
        if not agent.can_supervise:
            query = query.where(FollowUp.assignee_id == agent.id)
        if status is not None:
            query = query.where(FollowUp.status == status)
        async with self.sessions() as session:
            rows = list(await session.scalars(query.order_by(FollowUp.id)))
            counted = await session.execute(
                select(FollowUpComment.follow_up_id, func.count())
                .where(FollowUpComment.follow_up_id.in_([f.id for f in rows]))
                .group_by(FollowUpComment.follow_up_id)
            )
            counts: dict[int, int] = {follow_up_id: count for follow_up_id, count in counted.all()}
            names = await agent_names(session, [f.assignee_id for f in rows] + [f.done_by for f in rows])
        rows.sort(key=lambda f: (f.status != FOLLOW_UP_OPEN, f.id if f.status == FOLLOW_UP_OPEN else -f.id))
        return [self._json(f, names, counts.get(f.id, 0)) for f in rows]

    async def detail(self, agent: Agent, follow_up_id: int) -> dict[str, Any]:
        """The task with its comments, the conversation's latest rating and transcript (customer text: untrusted)."""
        async with self.sessions() as session:
            follow_up = await self._load(session, agent, follow_up_id)
            comments = list(
                await session.scalars(
                    select(FollowUpComment)
                    .where(FollowUpComment.follow_up_id == follow_up.id)
                    .order_by(FollowUpComment.id)
                )
            )
            messages = list(
                await session.scalars(
                    select(Message)
                    .where(Message.conversation_id == follow_up.conversation_id)
                    .order_by(Message.id.desc())
                    .limit(TRANSCRIPT_MESSAGES)
                )
            )[::-1]
            rating = await session.scalar(
                select(Rating)
                .where(Rating.conversation_id == follow_up.conversation_id)
                .order_by(Rating.id.desc())
                .limit(1)
            )
            names = await agent_names(
                session,
                [follow_up.assignee_id, follow_up.done_by]
                + [c.agent_id for c in comments]
                + [m.agent_id for m in messages],
            )
        body = self._json(follow_up, names, len(comments))
        body["comments_list"] = [
            {
                "id": c.id,
                "author": names.get(c.agent_id, "agent") if c.agent_id else "Helpdesk",
                "text": c.text,
                "created_at": iso(c.created_at),
            }
            for c in comments
        ]
        body["rating"] = (
            {"score": rating.score, "comment": rating.comment, "created_at": iso(rating.created_at)} if rating else None
        )
        body["transcript"] = [
            {"sender": m.sender, "author": names.get(m.agent_id or 0), "text": m.text, "created_at": iso(m.created_at)}
            for m in messages
        ]
        return body

    async def assign(self, agent: Agent, follow_up_id: int, assignee_id: int | None) -> dict[str, Any]:
        if not agent.can_supervise:
            raise DeskError(403, "only supervisors and admins assign follow-ups")
        async with self.sessions() as session:
            follow_up = await self._load(session, agent, follow_up_id)
            if assignee_id is not None:
                target = await session.get(Agent, assignee_id)
                if target is None or not target.active or target.is_editor:
                    raise DeskError(400, "no active agent with that id")
            previous = follow_up.assignee_id
            follow_up.assignee_id = assignee_id
            await session.commit()
        await announce(self.hub, follow_up, previous)
        return await self.detail(agent, follow_up_id)

    async def comment(self, agent: Agent, follow_up_id: int, text: str) -> dict[str, Any]:
        async with self.sessions() as session:
            follow_up = await self._load(session, agent, follow_up_id)
            comment = FollowUpComment(follow_up_id=follow_up.id, agent_id=agent.id, text=text)
            session.add(comment)
            await session.commit()
            body = {"id": comment.id, "author": agent.display_name, "text": text, "created_at": iso(comment.created_at)}
        await announce(self.hub, follow_up)
        return body

    async def set_status(self, agent: Agent, follow_up_id: int, status: str) -> dict[str, Any]:
        if status not in STATUSES:
            raise DeskError(400, f"status must be one of {', '.join(STATUSES)}")
        async with self.sessions() as session:
            follow_up = await self._load(session, agent, follow_up_id)
            if follow_up.status != status:
                follow_up.status = status
                follow_up.done_at = utcnow() if status == FOLLOW_UP_DONE else None
                follow_up.done_by = agent.id if status == FOLLOW_UP_DONE else None
                await session.commit()
        await announce(self.hub, follow_up)
        return await self.detail(agent, follow_up_id)


def install_followups_api(app: Sanic, settings: Settings) -> None:
    """The routes, and the sweep that opens `abandoned` follow-ups (see helpdesk/conversation/followups.py)."""
    bp = Blueprint("followups_api", url_prefix=f"{PREFIX}/followups")

    def followups() -> FollowUps:
        return app.ctx.followups

    @app.after_server_start
    async def _start(app: Sanic) -> None:
        app.ctx.followups = FollowUps(app.ctx.sessions, app.ctx.hub)
        if settings.followup_abandoned_minutes > 0:
            app.add_task(
                sweep_forever(app.ctx.sessions, app.ctx.hub, settings.followup_abandoned_minutes),
                name="followups-sweep",
            )

    @app.before_server_stop
    async def _stop(app: Sanic) -> None:
        if settings.followup_abandoned_minutes > 0:
            await app.cancel_task("followups-sweep", raise_exception=False)

    @bp.get("")
    async def listed(request: Request) -> HTTPResponse:
        status = request.args.get("status") or None
        return json_response({"follow_ups": await followups().listed(agent_of(request), status)})

    @bp.get("/<follow_up_id:int>")
    async def detail(request: Request, follow_up_id: int) -> HTTPResponse:
        return json_response(await followups().detail(agent_of(request), follow_up_id))

    @bp.post("/<follow_up_id:int>/assign")
    async def assign(request: Request, follow_up_id: int) -> HTTPResponse:
        body = body_of(request)
        if "agent_id" not in body:
            raise DeskError(400, 'give "agent_id": a number, or null to unassign')
        target = body["agent_id"]
        if target is not None and (not isinstance(target, int) or isinstance(target, bool)):
            raise DeskError(400, "agent_id must be a number or null")
        return json_response(await followups().assign(agent_of(request), follow_up_id, target))

    @bp.post("/<follow_up_id:int>/comments")
    async def comment(request: Request, follow_up_id: int) -> HTTPResponse:
        text = clean_text(body_of(request).get("text"))
        return json_response(await followups().comment(agent_of(request), follow_up_id, text), status=201)

    @bp.post("/<follow_up_id:int>/status")
    async def status(request: Request, follow_up_id: int) -> HTTPResponse:
        wanted = body_of(request).get("status")
        if not isinstance(wanted, str):
            raise DeskError(400, f"status must be one of {', '.join(STATUSES)}")
        return json_response(await followups().set_status(agent_of(request), follow_up_id, wanted))

    app.blueprint(bp)
