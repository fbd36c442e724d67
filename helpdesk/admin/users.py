"""Staff accounts as the admin screen changes them: add, edit (name, role, team, cap), disable or enable, reset the
password (a fresh one shown once). Refusals are `Invalid` (400) or `Conflict` (409); every change is audited."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.admin import audit
from helpdesk.admin.teams import ensure_team
from helpdesk.db.models import ROLE_ADMIN, ROLES, Agent, AgentSession
from helpdesk.errors import Conflict, Invalid, NotFound
from helpdesk.staff import accounts
from helpdesk.staff.accounts import AccountError

MIN_CAP, MAX_CAP = 1, 50
NAME_CHARS = 100


def _json(agent: Agent) -> dict[str, Any]:
    return {**agent.to_json(), "avatar_url": agent.avatar_url}


async def list_users(session: AsyncSession) -> list[dict[str, Any]]:
    return [_json(a) for a in await accounts.list_agents(session)]


async def _get(session: AsyncSession, agent_id: int) -> Agent:
    agent = await session.get(Agent, agent_id)
    if agent is None:
        raise NotFound("no such user")
    return agent


def _role(value: object) -> str:
    if value not in ROLES:
        raise Invalid(f"role must be one of {', '.join(ROLES)}")
    return str(value)


def _cap(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not MIN_CAP <= value <= MAX_CAP:
        raise Invalid(f"the cap (chats at once) must be a whole number from {MIN_CAP} to {MAX_CAP}")
    return value


def _name(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > NAME_CHARS:
        raise Invalid(f"the display name must be 1 to {NAME_CHARS} characters")
    return value.strip()


def new_password() -> str:
    return secrets.token_urlsafe(12)


async def add_user(session: AsyncSession, actor: Agent, body: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """A new account with a fresh password (returned: shown to the admin once)."""
    username = body.get("username")
    if not isinstance(username, str):
        raise Invalid("username is required")
    role = _role(body.get("role", "agent"))
    cap = _cap(body.get("max_concurrent", 3))
    display = _name(body.get("display_name") or username)
    team = await ensure_team(session, actor, body.get("team"))
    password = new_password()
    try:
        agent = await accounts.add_agent(
            session, username, password, display_name=display, role=role, team=team, max_concurrent=cap
        )
    except AccountError as exc:
        raise (Conflict if "exists already" in str(exc) else Invalid)(str(exc)) from exc
    audit.record(session, actor, "user.add", agent.username, role=role, team=team, max_concurrent=cap)
    await session.commit()
    return _json(agent), password


async def _last_admin(session: AsyncSession, agent: Agent) -> bool:
    admins = await session.scalar(
        select(func.count()).select_from(Agent).where(Agent.role == ROLE_ADMIN, Agent.active.is_(True))
    )
    return agent.role == ROLE_ADMIN and agent.active and (admins or 0) <= 1


async def edit_user(session: AsyncSession, actor: Agent, agent_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """Change display_name, role, team ("" or null: none), max_concurrent, active; only the fields sent."""
    agent = await _get(session, agent_id)
    changes: dict[str, Any] = {}
    if "display_name" in body:
        changes["display_name"] = _name(body["display_name"])
    if "role" in body:
        changes["role"] = _role(body["role"])
    if "max_concurrent" in body:
        changes["max_concurrent"] = _cap(body["max_concurrent"])
    if "team" in body:
        changes["team"] = await ensure_team(session, actor, body["team"])
    if "active" in body:
        if not isinstance(body["active"], bool):
            raise Invalid("active must be true or false")
        changes["active"] = body["active"]
    if not changes:
        raise Invalid("send at least one of display_name, role, team, max_concurrent, active")
    losing_admin = changes.get("role", ROLE_ADMIN) != ROLE_ADMIN or changes.get("active", True) is False
    if losing_admin and await _last_admin(session, agent):
        raise Conflict("this is the last active admin: make another admin first")
    before = {key: getattr(agent, key) for key in changes}
    for key, value in changes.items():
        setattr(agent, key, value)
    if changes.get("active") is False:
        await session.execute(delete(AgentSession).where(AgentSession.agent_id == agent.id))
    changed = {k: [before[k], v] for k, v in changes.items() if before[k] != v}
    if changed:
        audit.record(session, actor, "user.edit", agent.username, **changed)
    await session.commit()
    return _json(agent)


async def reset_password(session: AsyncSession, actor: Agent, agent_id: int) -> tuple[dict[str, Any], str]:
    """A fresh password (shown to the admin once); the account's sessions end."""
    agent = await _get(session, agent_id)
    password = new_password()
    await accounts.set_password(session, agent.username, password)  # commits
    audit.record(session, actor, "user.reset_password", agent.username)
    await session.commit()
    return _json(agent), password
