"""The audit trail: one row per change an admin makes, written in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.db.models import Agent, AuditEntry, iso

MAX_LISTED = 200


def record(session: AsyncSession, actor: Agent, action: str, target: str, **detail: Any) -> None:
    """Add the entry to the session (the caller commits it with the change). Never pass a password."""
    session.add(AuditEntry(actor_id=actor.id, action=action, target=target[:120], detail=detail or None))


async def recent(session: AsyncSession, limit: int = MAX_LISTED) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(AuditEntry, Agent.display_name)
        .outerjoin(Agent, Agent.id == AuditEntry.actor_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return [
        {
            "id": entry.id,
            "at": iso(entry.at),
            "actor": name,
            "action": entry.action,
            "target": entry.target,
            "detail": entry.detail or {},
        }
        for entry, name in rows.all()
    ]
