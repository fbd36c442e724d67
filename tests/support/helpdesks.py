"""More helpdesk processes beside the session's stack (another database, another schedule), and throw-away
PostgreSQL databases."""

from __future__ import annotations

import secrets
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from helpdesk.config import PROJECT_ROOT
from helpdesk.stack import Stack, free_port
from support.accounts import TEST_AGENTS, AgentLogin, add_agent_accounts

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


@contextmanager
def extra_helpdesk(stack: Stack, name: str, env: dict[str, str]) -> Iterator[str]:
    """Another helpdesk process sharing the stack's Rasa and actions, with `env` on top of the stack's:
    its base URL once it is ready. Its log is logs/helpdesk-<name>.log."""
    port = free_port()
    log_path = stack.workdir / "logs" / f"helpdesk-{name}.log"  # type: ignore[attr-defined]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "helpdesk"],
            cwd=PROJECT_ROOT,
            env={**stack.env, "HELPDESK_PORT": str(port), **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a loaded machine (the suite runs in two workers)
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(f"helpdesk {name} did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(15)


@dataclass(frozen=True)
class OwnHelpdesk:
    """A helpdesk process with a database of its own: its URL, that database's URL, its console accounts."""

    url: str
    database_url: str
    accounts: dict[str, AgentLogin]


@contextmanager
def own_helpdesk(
    stack: Stack,
    name: str,
    accounts: tuple[tuple[str, str, str | None, int], ...] = TEST_AGENTS,
    env: dict[str, str] | None = None,
) -> Iterator[OwnHelpdesk]:
    """A helpdesk beside the stack (its Rasa and actions) on a fresh SQLite database with `accounts` (the stack's
    test agents by default), for tests that count what is in the queue or in a view: the chats of the other test
    files that ran before in the same pytest worker are not there."""
    workdir = stack.workdir / f"{name}-{secrets.token_hex(3)}"  # type: ignore[attr-defined]
    workdir.mkdir()
    database_url = f"sqlite+aiosqlite:///{workdir / 'helpdesk.db'}"
    logins = add_agent_accounts(database_url, accounts)
    with extra_helpdesk(stack, workdir.name, {"DATABASE_URL": database_url, **(env or {})}) as url:
        yield OwnHelpdesk(url, database_url, logins)


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL database for the length of the block: its URL."""
    import psycopg

    database = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{database}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@dataclass(frozen=True)
class ClosedHelpdesk:
    """A helpdesk whose team is away: its URL, its SQLite file, when the team is back, an agent's login."""

    url: str
    db_path: Path
    next_open: datetime
    agent: AgentLogin

    def stored(self, conversation_id: str) -> sqlite3.Row:
        """The conversation's row as stored: mode, left_message_at, offline_contact."""
        connection = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        connection.row_factory = sqlite3.Row
        try:
            return connection.execute(
                "SELECT mode, left_message_at, offline_contact FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
        finally:
            connection.close()
