"""Teams: a name agents belong to (agents.team) and conversations are transferred to; kept as rows so a team
exists before anyone is in it. Renaming moves its agents and queued chats along."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.admin import audit
from helpdesk.db.models import Agent, Conversation, Team
from helpdesk.errors import Conflict, Invalid, NotFound

TEAM_NAME = re.compile(r"^[\w][\w .-]{0,63}$")  # as a transfer to a team accepts it (conversation/desk.py)


def team_name(value: object) -> str:
    if not isinstance(value, str) or not TEAM_NAME.match(value.strip()):
        raise Invalid("a team name is 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit")
    return value.strip()


async def ensure_team(session: AsyncSession, actor: Agent, value: object) -> str | None:
    """The team named `value` ("" or None: no team), created (and audited) if new."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    name = team_name(value)
    if await session.scalar(select(Team.id).where(Team.name == name)) is None:
        session.add(Team(name=name))
        audit.record(session, actor, "team.add", name)
    return name


async def list_teams(session: AsyncSession) -> list[dict[str, Any]]:
    names = set(await session.scalars(select(Team.name)))
    members = select(Agent.team, func.count()).where(Agent.team.is_not(None)).group_by(Agent.team)
    counts = dict((await session.execute(members)).all())
    names |= {n for n in counts if n}
    return [{"name": n, "members": int(counts.get(n, 0))} for n in sorted(names)]


async def add_team(session: AsyncSession, actor: Agent, value: object) -> dict[str, Any]:
    name = team_name(value)
    if await session.scalar(select(Team.id).where(Team.name == name)) is not None:
        raise Conflict(f"there is a team called {name!r} already")
    await ensure_team(session, actor, name)
    await session.commit()
    return {"name": name, "members": 0}


async def _team(session: AsyncSession, name: str) -> Team:
    """The team's row; a team known only from its agents (made by the CLI) gets one now."""
    row = await session.scalar(select(Team).where(Team.name == name))
    if row is not None:
        return row
    if not await session.scalar(select(func.count()).select_from(Agent).where(Agent.team == name)):
        raise NotFound("no such team")
    row = Team(name=name)
    session.add(row)
    return row


async def rename_team(session: AsyncSession, actor: Agent, old: str, value: object) -> dict[str, Any]:
    new = team_name(value)
    row = await _team(session, old)
    if new != old and await session.scalar(select(Team.id).where(Team.name == new)) is not None:
        raise Conflict(f"there is a team called {new!r} already")
    row.name = new
    await session.execute(update(Agent).where(Agent.team == old).values(team=new))
    await session.execute(update(Conversation).where(Conversation.team == old).values(team=new))
    audit.record(session, actor, "team.rename", old, to=new)
    await session.commit()
    return {"name": new}


async def delete_team(session: AsyncSession, actor: Agent, name: str) -> None:
    row = await _team(session, name)
    members = await session.scalar(select(func.count()).select_from(Agent).where(Agent.team == name))
    if members:
        raise Conflict(f"the team still has {members} member(s): move them first")
    await session.delete(row)
    audit.record(session, actor, "team.delete", name)
    await session.commit()
