"""Hand-over of a gated change: an editor whose publish (or deletion) the held-out gate stopped (428,
helpdesk/knowledge/handbook_gate.py) asks a supervisor instead of waiting for one to redo the edit.

The request keeps the edit as the editor left it, the revision it was based on, the editor's message and the
held-out figures when it was asked; supervisors and admins see the waiting ones (a count for the console's badge)
and confirm — the change is published as if they had confirmed it in the gate themselves, the revision naming
both — or reject it with a reason. The editor sees the outcome in the same list.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.db.models import (
    REQUEST_PUBLISHED,
    REQUEST_REJECTED,
    REQUEST_WAITING,
    Agent,
    HandbookRequest,
    iso,
    utcnow,
)
from helpdesk.errors import Conflict, NotFound

MAX_LISTED = 100
MAX_NOTE = 500


def to_json(request: HandbookRequest) -> dict[str, Any]:
    return {
        "id": request.id,
        "entry_id": request.entry_id,
        "action": "delete" if request.entry is None else "publish",
        "entry": request.entry,
        "base_revision": request.base_revision,
        "message": request.message,
        "held_out": request.held_out,
        "state": request.state,
        "asked_by": request.asked_by_name,
        "asked_at": iso(request.asked_at),
        "decided_by": request.decided_by_name,
        "decided_at": iso(request.decided_at),
        "note": request.note,
        "revision": request.revision,
    }


async def ask(
    session: AsyncSession,
    agent: Agent,
    entry_id: str,
    entry: dict[str, Any] | None,
    base_revision: str | None,
    message: str,
    held_out: dict[str, Any] | None,
) -> HandbookRequest:
    """Store the editor's change for a supervisor (an earlier waiting request of the same editor for the same
    entry is replaced: the newest edit is the one to decide on)."""
    earlier = await session.scalars(
        select(HandbookRequest).where(
            HandbookRequest.entry_id == entry_id,
            HandbookRequest.asked_by_id == agent.id,
            HandbookRequest.state == REQUEST_WAITING,
        )
    )
    for old in earlier:
        await session.delete(old)
    request = HandbookRequest(
        entry_id=entry_id,
        entry=entry,
        base_revision=base_revision,
        message=message,
        held_out=held_out,
        state=REQUEST_WAITING,
        asked_by_id=agent.id,
        asked_by_name=agent.display_name,
        asked_at=utcnow(),
        note="",
    )
    session.add(request)
    await session.commit()
    return request


async def listing(session: AsyncSession, agent: Agent) -> list[HandbookRequest]:
    """Supervisors and admins: every waiting request, then the latest decided ones; editors: their own."""
    query = select(HandbookRequest)
    if not agent.can_supervise:
        query = query.where(HandbookRequest.asked_by_id == agent.id)
    waiting_first = (HandbookRequest.state != REQUEST_WAITING).asc()
    rows = await session.scalars(query.order_by(waiting_first, HandbookRequest.id.desc()).limit(MAX_LISTED))
    return list(rows)


async def waiting_count(session: AsyncSession, agent: Agent) -> int:
    """Requests waiting for a decision: all of them for a supervisor, the editor's own for an editor."""
    query = select(func.count()).select_from(HandbookRequest).where(HandbookRequest.state == REQUEST_WAITING)
    if not agent.can_supervise:
        query = query.where(HandbookRequest.asked_by_id == agent.id)
    return int(await session.scalar(query) or 0)


async def waiting(session: AsyncSession, request_id: int) -> HandbookRequest:
    """A request still waiting for a decision (404 when there is none, 409 when it was decided meanwhile)."""
    request = await session.get(HandbookRequest, request_id)
    if request is None:
        raise NotFound(f"no handbook request {request_id}")
    if request.state != REQUEST_WAITING:
        by = request.decided_by_name or "someone"
        raise Conflict(f"this request was already {request.state} by {by}", request=to_json(request))
    return request


async def decide(
    session: AsyncSession, request_id: int, agent: Agent, published: str | None, note: str = ""
) -> HandbookRequest:
    """Record the supervisor's decision: published (the revision) or rejected (with the reason)."""
    request = await waiting(session, request_id)
    request.state = REQUEST_PUBLISHED if published is not None else REQUEST_REJECTED
    request.revision = published
    request.decided_by_id = agent.id
    request.decided_by_name = agent.display_name
    request.decided_at = utcnow()
    request.note = note[:MAX_NOTE]
    await session.commit()
    return request
