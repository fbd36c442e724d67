"""The real stack (Rasa + action webhook + helpdesk) started once per test session on spare ports."""

from __future__ import annotations

import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page
from support.accounts import EDITOR, TEST_AGENTS, AgentLogin, add_agent_accounts
from support.agent import Console
from support.helpdesks import ClosedHelpdesk, OwnHelpdesk, extra_helpdesk, own_helpdesk, postgres_database
from support.own_redis import OwnRedis
from support.stacks import running_stack

from helpdesk.stack import Ports, Stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("stack")
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'helpdesk.db'}",
        "KB_WATCH_INTERVAL": "0.5",
        # /healthz shows its details to this token's holder (tests/web/test_health_public.py)
        "HEALTH_TOKEN": secrets.token_urlsafe(16),
        # the team is always in and chats wait in the queue until claimed (tests/support/stacks.py):
        # tests/conversation/test_business_hours_api.py and test_auto_assign.py start helpdesks that differ;
        # every line answered on its own, at once (tests/conversation/test_burst.py starts a helpdesk that
        # reads short lines typed in a burst together)
        "CHAT_BURST_SECONDS": "0",
        # customers' questions reach the impact preview's store within seconds, not 5 minutes
        # (tests/web/test_handbook_api.py::test_customers_questions_are_ranked_for_the_preview_as_they_arrive)
        "PREVIEW_WARM_SECONDS": "10",
    }
    with running_stack(workdir, Ports.spare(), env, timeout=420, what="stack") as running:
        watching = running.watch()  # as `make run`: a process that dies is restarted (tests/test_crash_recovery.py)
        try:
            yield running
        finally:
            watching.set()


@pytest.fixture(scope="session")
def helpdesk_url(stack: Stack) -> str:
    return stack.url


@pytest.fixture(scope="session")
def handbook_dir(stack: Stack) -> Path:
    """The running stack's own copy of the handbook (tests may edit it; the repo's stays untouched)."""
    return stack.workdir / "faq"  # type: ignore[attr-defined]


@pytest.fixture()
def client(helpdesk_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=helpdesk_url, timeout=30) as http:
        yield http


@pytest.fixture()
def db(stack: Stack) -> Iterator[sqlite3.Connection]:
    """Read-only view of the stack's SQLite database, to check what was really stored."""
    path = stack.workdir / "helpdesk.db"  # type: ignore[attr-defined]
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def pg_helpdesk(stack: Stack) -> Iterator[tuple[str, str]]:
    """A second helpdesk process on PostgreSQL (a fresh database), sharing the stack's Rasa and actions.

    Yields (base URL, sync database URL). Its per-conversation rate limit is low so limits can be tested.
    """
    with (
        postgres_database("helpdesk_test") as dsn,
        extra_helpdesk(stack, "postgres", {"DATABASE_URL": dsn, "RATE_PER_CONVERSATION": "5"}) as url,
    ):
        yield url, dsn


@pytest.fixture(scope="session")
def closed_helpdesk(stack: Stack) -> Iterator[ClosedHelpdesk]:
    """A second helpdesk (own SQLite database, the stack's Rasa and actions) out of business hours: its
    schedule opens daily 09:00-17:00 in Auckland, but yesterday to the day after tomorrow are holidays
    there, so it is closed for the whole session and back at 09:00 three days from today (Auckland)."""
    import yaml

    from helpdesk.conversation.business_hours import DAYS

    zone = ZoneInfo("Pacific/Auckland")
    today = datetime.now(zone).date()
    workdir = stack.workdir / "closed-helpdesk"  # type: ignore[attr-defined]
    workdir.mkdir(exist_ok=True)
    schedule = workdir / "business_hours.yml"
    schedule.write_text(
        yaml.safe_dump(
            {
                "time_zone": zone.key,
                "weekly": {day: ["09:00-17:00"] for day in DAYS},
                "holidays": [(today + timedelta(days=d)).isoformat() for d in range(-1, 3)],
            }
        )
    )
    db_path = workdir / "helpdesk.db"
    database_url = f"sqlite+aiosqlite:///{db_path}"
    agent = add_agent_accounts(database_url, (("nina", "agent", None, 10),))["nina"]
    env = {"DATABASE_URL": database_url, "BUSINESS_HOURS": "on", "BUSINESS_HOURS_FILE": str(schedule)}
    with extra_helpdesk(stack, "closed", env) as url:
        yield ClosedHelpdesk(url, db_path, datetime.combine(today + timedelta(days=3), dt_time(9, 0), zone), agent)


@pytest.fixture(scope="module")
def own(stack: Stack, request: pytest.FixtureRequest) -> Iterator[OwnHelpdesk]:
    """A helpdesk of the module's own beside the stack (tests/support/helpdesks.py `own_helpdesk`), for modules that
    count what is in a queue or a view: named by the module's OWN_HELPDESK, with the accounts of its OWN_ACCOUNTS
    (the stack's test agents when it has none)."""
    name = getattr(request.module, "OWN_HELPDESK", None)
    if not isinstance(name, str):
        pytest.fail(f"{request.module.__name__} uses the `own` fixture: it needs OWN_HELPDESK = '<a name>'")
    with own_helpdesk(stack, name, getattr(request.module, "OWN_ACCOUNTS", TEST_AGENTS)) as running:
        yield running


@pytest.fixture(scope="session")
def editor_account(stack: Stack) -> AgentLogin:
    """A content editor (the unanswered-questions report only) in the running stack's database."""
    return add_agent_accounts(stack.env["DATABASE_URL"], ((EDITOR, "editor", None, 1),))[EDITOR]


@pytest.fixture(scope="session")
def agent_accounts(stack: Stack) -> dict[str, AgentLogin]:
    """Agents in the running stack's database: ava (team orders), ben (team returns), sue (supervisor),
    cap (at most one chat at a time)."""
    return add_agent_accounts(stack.env["DATABASE_URL"], TEST_AGENTS)


@pytest.fixture()
def console_for(helpdesk_url: str) -> Iterator[Callable[[AgentLogin], Console]]:
    """Log an account into the console of the running stack (API client); every console closes after the test."""
    consoles: list[Console] = []

    def log_in(account: AgentLogin) -> Console:
        console = Console(helpdesk_url)
        assert console.login(account.username, account.password).status_code == 200
        consoles.append(console)
        return console

    yield log_in
    for console in consoles:
        console.close()


@pytest.fixture()
def login(
    console_for: Callable[[AgentLogin], Console], agent_accounts: dict[str, AgentLogin], editor_account: AgentLogin
) -> Callable[[str], Console]:
    """Console login by username: the test agents and the editor (modules with other accounts override it)."""
    accounts = {**agent_accounts, EDITOR: editor_account}
    return lambda username: console_for(accounts[username])


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium (never a downloaded browser), per module: Playwright's sync API holds an event
    loop while it runs, which later modules' own asyncio.run() calls must not meet."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's Chromium is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def answering_page(chromium: Browser) -> Iterator[Page]:
    """A desktop page whose dialogs (confirm, beforeunload) the test answers itself, with support.agent.Dialogs
    (test_widget_browser's tabs dismiss every one)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Known regressions (tests/known_regressions.py) are expected to fail, visibly, until fixed."""
    from known_regressions import KNOWN_REGRESSIONS

    for item in items:
        reason = KNOWN_REGRESSIONS.get(item.nodeid)
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=False))


@pytest.fixture(scope="module")
def own_redis(stack: Stack) -> Iterator[OwnRedis]:
    """A redis-server of the module's own (tests/support/own_redis.py), for tests that stop and start Redis."""
    server = OwnRedis(stack.workdir)  # type: ignore[attr-defined]
    server.start()
    yield server
    server.stop()
