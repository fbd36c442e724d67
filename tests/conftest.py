"""The real stack (Rasa + action webhook + helpdesk) started once per test session on spare ports."""

from __future__ import annotations

import shutil
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from helpdesk.config import PROJECT_ROOT
from helpdesk.stack import Ports, Stack


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _log_tails(log_dir: Path, lines: int = 40) -> str:
    parts = []
    for log in sorted(log_dir.glob("*.log")):
        tail = log.read_text(errors="replace").splitlines()[-lines:]
        parts.append(f"--- {log.name} ---\n" + "\n".join(tail))
    return "\n".join(parts)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("stack")
    handbook = workdir / "faq"
    shutil.copytree(PROJECT_ROOT / "knowledge" / "faq", handbook)
    ports = Ports(helpdesk=free_port(), rasa=free_port(), actions=free_port())
    running = Stack(
        ports=ports,
        log_dir=workdir / "logs",
        env={
            "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'helpdesk.db'}",
            "KB_DIR": str(handbook),
            "KB_INDEX_DIR": str(workdir / "kb-index"),
            "KB_WATCH_INTERVAL": "0.5",
            # the suite sends many messages from one address; limits have their own test
            "RATE_PER_ADDRESS": "100000",
            "RATE_PER_CONVERSATION": "100000",
        },
    )
    running.workdir = workdir  # type: ignore[attr-defined]
    running.start()
    try:
        running.wait_ready(timeout=420)
    except Exception as exc:
        running.stop()
        pytest.fail(f"stack did not start: {exc}\n{_log_tails(workdir / 'logs')}")
    yield running
    running.stop()


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


def wait_ready(stack: Stack, timeout: float = 240) -> None:
    stack.wait_ready(timeout=timeout)
