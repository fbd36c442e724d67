"""Agent console sessions: server-side sessions behind an HttpOnly cookie, CSRF tokens (the password check and the
limits on failed logins: helpdesk/staff/login.py)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from helpdesk.db.models import Agent, AgentSession, aware, utcnow

COOKIE = "helpdesk_agent"
COOKIE_PATH = "/api/agent"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_matches(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


@dataclass(frozen=True)
class NewSession:
    token: str  # goes into the cookie only; the database keeps its hash
    record: AgentSession


async def start_session(session: AsyncSession, agent: Agent, hours: float) -> NewSession:
    now = utcnow()
    await session.execute(delete(AgentSession).where(AgentSession.expires_at < now))
    token = secrets.token_urlsafe(32)
    record = AgentSession(
        token_hash=token_hash(token),
        agent_id=agent.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    session.add(record)
    await session.commit()
    return NewSession(token, record)


async def load_session(session: AsyncSession, token: str | None) -> AgentSession | None:
    """The live session for a cookie token, with its (active) agent; None when absent, expired or disabled."""
    if not token or len(token) > 200:
        return None
    record = await session.scalar(
        select(AgentSession)
        .options(selectinload(AgentSession.agent))
        .where(AgentSession.token_hash == token_hash(token))
    )
    if record is None or not record.agent.active or aware(record.expires_at) <= utcnow():
        return None
    return record


async def end_session(session: AsyncSession, token: str | None) -> None:
    if token:
        await session.execute(delete(AgentSession).where(AgentSession.token_hash == token_hash(token)))
        await session.commit()
