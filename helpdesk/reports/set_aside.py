"""Questions of the unanswered report that an editor set aside: dismissed (junk such as "tell me a joke") or
"won't fix" (a real question the shop chose not to answer in the handbook).

A question is kept by its normalised, masked text (``normalize_question``), so the same question asked again
later stays aside, in any report period; putting it back removes the row. The report (unanswered.py) leaves
these questions out of its groups and lists them apart with who set them aside and when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.db.models import SET_ASIDE_KINDS, Agent, SetAsideQuestion, aware
from helpdesk.errors import Invalid
from helpdesk.knowledge.handbook import normalize_question

MAX_KEY = 500
MAX_AT_ONCE = 2000  # a group's questions (a report groups at most this many)


@dataclass(frozen=True)
class Aside:
    kind: str
    by: str | None
    at: datetime


def key_of(text: str) -> str:
    return normalize_question(text)[:MAX_KEY]


async def set_aside(session: AsyncSession, texts: Iterable[str], kind: str, agent: Agent) -> int:
    """Set these (masked) questions aside as ``kind``; a question already aside takes the new kind. Returns how
    many questions are aside now from this call."""
    if kind not in SET_ASIDE_KINDS:
        raise Invalid(f"kind must be one of {', '.join(SET_ASIDE_KINDS)}")
    wanted = {key_of(text): text[:2000] for text in texts if key_of(text)}
    if not wanted or len(wanted) > MAX_AT_ONCE:
        raise Invalid(f"send 1 to {MAX_AT_ONCE} questions")
    existing = {
        row.question_key: row
        for row in await session.scalars(
            select(SetAsideQuestion).where(SetAsideQuestion.question_key.in_(list(wanted)))
        )
    }
    for key, text in wanted.items():
        row = existing.get(key)
        if row is None:
            session.add(SetAsideQuestion(question_key=key, text=text, kind=kind, agent_id=agent.id))
        else:
            row.kind, row.agent_id = kind, agent.id
    await session.commit()
    return len(wanted)


async def put_back(session: AsyncSession, texts: Iterable[str]) -> int:
    """Bring these questions back into the report's groups; returns how many were aside."""
    keys = list({key_of(text) for text in texts if key_of(text)})
    if not keys or len(keys) > MAX_AT_ONCE:
        raise Invalid(f"send 1 to {MAX_AT_ONCE} questions")
    found = await session.execute(delete(SetAsideQuestion).where(SetAsideQuestion.question_key.in_(keys)))
    await session.commit()
    return int(getattr(found, "rowcount", 0) or 0)


async def aside_keys(session: AsyncSession) -> dict[str, Aside]:
    """Every question set aside, by its key."""
    rows = await session.execute(
        select(SetAsideQuestion, Agent.display_name).outerjoin(Agent, Agent.id == SetAsideQuestion.agent_id)
    )
    return {row.question_key: Aside(row.kind, name, aware(row.created_at)) for row, name in rows}
