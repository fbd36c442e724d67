"""Agent accounts: argon2 password hashes, creation, listing, disabling, demo accounts."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.db.models import ROLE_ADMIN, ROLE_AGENT, ROLE_EDITOR, ROLE_SUPERVISOR, ROLES, Agent, AgentSession

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
_hasher = PasswordHasher()


class AccountError(ValueError):
    """A refused account operation, with a message for the operator."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password must have at most {MAX_PASSWORD} characters")


def normalise_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise AccountError("a username is 2-64 lower-case letters, digits, '.', '_' or '-' (not first)")
    return name


async def find_agent(session: AsyncSession, username: str) -> Agent | None:
    return await session.scalar(select(Agent).where(Agent.username == username.strip().lower()))


async def add_agent(
    session: AsyncSession,
    username: str,
    password: str,
    *,
    display_name: str | None = None,
    role: str = ROLE_AGENT,
    team: str | None = None,
    max_concurrent: int = 3,
) -> Agent:
    name = normalise_username(username)
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if not 1 <= max_concurrent <= 50:
        raise AccountError("max_concurrent must be between 1 and 50")
    check_password(password)
    if await find_agent(session, name) is not None:
        raise AccountError(f"an account named {name!r} exists already")
    agent = Agent(
        username=name,
        display_name=(display_name or name).strip()[:100] or name,
        role=role,
        password_hash=hash_password(password),
        active=True,
        team=(team or "").strip() or None,
        max_concurrent=max_concurrent,
    )
    session.add(agent)
    await session.commit()
    return agent


async def display_names(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, str]:
    """Display names of the agents with these ids (None ignored)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(Agent.id, Agent.display_name).where(Agent.id.in_(wanted)))
    return {agent_id: name for agent_id, name in rows.all()}


async def list_agents(session: AsyncSession) -> list[Agent]:
    return list(await session.scalars(select(Agent).order_by(Agent.username)))


async def _existing(session: AsyncSession, username: str) -> Agent:
    agent = await find_agent(session, username)
    if agent is None:
        raise AccountError(f"no account named {username!r}")
    return agent


async def set_active(session: AsyncSession, username: str, active: bool) -> Agent:
    """Enable or disable an account; disabling also ends its sessions at once."""
    agent = await _existing(session, username)
    agent.active = active
    if not active:
        await session.execute(delete(AgentSession).where(AgentSession.agent_id == agent.id))
    await session.commit()
    return agent


async def set_password(session: AsyncSession, username: str, password: str) -> Agent:
    """Set a new password; existing sessions end."""
    check_password(password)
    agent = await _existing(session, username)
    agent.password_hash = hash_password(password)
    await session.execute(delete(AgentSession).where(AgentSession.agent_id == agent.id))
    await session.commit()
    return agent


MAX_AVATAR_URL = 500


def check_avatar_url(url: str) -> str:
    """An avatar is an https (or http) image address the customer's browser loads: nothing else is shown."""
    url = url.strip()
    parsed = urlsplit(url)
    if parsed.scheme not in ("https", "http") or not parsed.netloc or any(c.isspace() for c in url):
        raise AccountError("an avatar is an https:// (or http://) address of an image")
    if len(url) > MAX_AVATAR_URL:
        raise AccountError(f"the avatar address is too long: the limit is {MAX_AVATAR_URL} characters")
    return url


async def set_avatar(session: AsyncSession, username: str, url: str | None) -> Agent:
    """The picture customers see beside the agent's name (None: their initials)."""
    agent = await _existing(session, username)
    agent.avatar_url = check_avatar_url(url) if url else None
    await session.commit()
    return agent


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: str
    team: str | None


DEMO_ACCOUNTS = (
    DemoAccount("alice", "Alice Moreau", ROLE_AGENT, "orders"),
    DemoAccount("bruno", "Bruno Keller", ROLE_AGENT, "returns"),
    DemoAccount("sam", "Sam Okafor", ROLE_SUPERVISOR, None),
    DemoAccount("admin", "Helpdesk Admin", ROLE_ADMIN, None),
    DemoAccount("erin", "Erin Walsh", ROLE_EDITOR, None),  # the handbook's editor: unanswered questions
)


@dataclass(frozen=True)
class DemoLogin:
    """A demo account after `ensure_demo_accounts`: its password when it has a fresh one (None: left as it was)."""

    demo: DemoAccount
    password: str | None
    active: bool


async def ensure_demo_accounts(
    session: AsyncSession, password: str | None = None, *, demo_mode: bool = False
) -> list[DemoLogin] | None:
    """The demo accounts, only on an empty database or in demo mode (`demo_mode`, HELPDESK_DEMO); else None and
    nothing changes.

    Missing ones are created; in demo mode the active ones get a new password (`password`, or a fresh random one,
    to print for whoever started the demo). A disabled account stays disabled and keeps its password.
    """
    empty = await session.scalar(select(Agent.id).limit(1)) is None
    if not (empty or demo_mode):
        return None
    logins = []
    for demo in DEMO_ACCOUNTS:
        secret = password or secrets.token_urlsafe(9)
        agent = await find_agent(session, demo.username)
        if agent is None:
            await add_agent(
                session, demo.username, secret, display_name=demo.display_name, role=demo.role, team=demo.team
            )
        elif agent.active:
            await set_password(session, demo.username, secret)
        else:
            logins.append(DemoLogin(demo, None, False))
            continue
        logins.append(DemoLogin(demo, secret, True))
    return logins
