"""Console accounts for the tests: written straight into a helpdesk database, with random passwords."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

EDITOR = "eda"  # the handbook editor of the running stack (the editor_account fixture)


@dataclass(frozen=True)
class AgentLogin:
    username: str
    password: str
    role: str
    team: str | None
    max_concurrent: int


TEST_AGENTS = (
    # username, role, team, max concurrent chats
    ("ava", "agent", "orders", 50),
    ("ben", "agent", "returns", 50),
    ("sue", "supervisor", None, 50),
    ("cap", "agent", None, 1),
)


def add_agent_accounts(database_url: str, specs: tuple[tuple[str, str, str | None, int], ...]) -> dict[str, AgentLogin]:
    """Agent accounts written straight into a helpdesk database (migrated first), with random passwords."""
    import asyncio
    import concurrent.futures

    from helpdesk.db.engine import create_engine, migrate, session_factory
    from helpdesk.staff.accounts import add_agent

    migrate(database_url)
    logins = {u: AgentLogin(u, secrets.token_urlsafe(12), r, t, m) for u, r, t, m in specs}

    async def create() -> None:
        engine = create_engine(database_url)
        try:
            async with session_factory(engine)() as session:
                for login in logins.values():
                    await add_agent(
                        session,
                        login.username,
                        login.password,
                        display_name=login.username.title() + " Tester",
                        role=login.role,
                        team=login.team,
                        max_concurrent=login.max_concurrent,
                    )
        finally:
            await engine.dispose()

    # in a thread of its own: Playwright's sync API may already run an event loop in this one
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, create()).result()
    return logins
