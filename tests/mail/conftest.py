"""A local SMTP server (aiosmtpd) that keeps what it receives: the tests' customers' mailbox (never a real one);
helpdesks with e-mail on beside the session's stack (one in hours, one whose team is away)."""

from __future__ import annotations

import email
import email.policy
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import yaml
from aiosmtpd.controller import Controller
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import Console
from support.helpdesks import extra_helpdesk

from helpdesk.conversation.business_hours import DAYS
from helpdesk.stack import Stack, free_port


class Mailbox:
    """Every message the local SMTP server accepted, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if address in str(m["To"])]

    def wait_for(
        self, address: str, count: int = 1, timeout: float = 30.0, where: Callable[[EmailMessage], bool] | None = None
    ) -> list[EmailMessage]:
        """The messages to `address` (matching `where`) once there are `count` of them; fails after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.to(address) if where is None or where(m)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(found)} of {count} mails to {address} arrived in {timeout}s: {found!r}")
            time.sleep(0.2)


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """The local SMTP server for the session: (its mailbox, its port)."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@pytest.fixture()
def mailbox(smtp_server: tuple[Mailbox, int]) -> Mailbox:
    return smtp_server[0]


# ---- helpdesks with e-mail on, beside the session's stack ------------------------------------------------

FILE_MAX_BYTES = 2_000_000
FILES_PER_CONVERSATION = 4
GRACE = 4  # seconds: MAIL_REPLY_GRACE_SECONDS of these helpdesks
POLL = 0.5
MAILBOX = "reply@support.shop.test"
AGENTS = (("mona", "agent", None, 20), ("sal", "supervisor", None, 20))


@dataclass(frozen=True)
class MailDesk:
    url: str
    agents: dict[str, AgentLogin]
    inbound_token: str
    db_path: Path

    def handoff_choices(self, conversation_id: str) -> list[str | None]:
        connection = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        try:
            rows = connection.execute(
                "SELECT customer_choice FROM handoffs WHERE conversation_id = ? ORDER BY id", (conversation_id,)
            ).fetchall()
        finally:
            connection.close()
        return [row[0] for row in rows]


def mail_env(port: int, token: str) -> dict[str, str]:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_SECURITY": "none",
        "MAIL_FROM": "Larkspur Home Support <support@shop.test>",
        "MAIL_POLL_SECONDS": str(POLL),
        "MAIL_REPLY_GRACE_SECONDS": str(GRACE),
        "MAIL_REPLY_ADDRESS": MAILBOX,
        "MAIL_REPLY_SECRET": secrets.token_hex(16),
        "MAIL_INBOUND_TOKEN": token,
        "PUBLIC_URL": "http://shop.test",
        "RASA_TIMEOUT": "60",  # the machine is shared and busy: the bot may be slow, the tests are about mail
        # tests/mail/test_order_list_mail.py: 2 lists per client address an hour, each test from an address of its own
        "ORDER_LISTS_PER_ADDRESS": "2",
    }


@pytest.fixture(scope="session")
def mail_desk(stack: Stack, smtp_server: tuple[Mailbox, int]) -> Iterator[MailDesk]:
    """A helpdesk with e-mail on (own SQLite database, the stack's Rasa and actions), team always in."""
    workdir = stack.workdir / "mail-helpdesk"  # type: ignore[attr-defined]
    workdir.mkdir(exist_ok=True)
    database_url = f"sqlite+aiosqlite:///{workdir / 'helpdesk.db'}"
    agents = add_agent_accounts(database_url, AGENTS)
    token = secrets.token_urlsafe(16)
    env = {
        "DATABASE_URL": database_url,
        **mail_env(smtp_server[1], token),
        "FILES_DIR": str(workdir / "files"),
        "FILE_MAX_BYTES": str(FILE_MAX_BYTES),
        "FILES_PER_CONVERSATION": str(FILES_PER_CONVERSATION),
    }
    with extra_helpdesk(stack, "mail", env) as url:
        yield MailDesk(url, agents, token, workdir / "helpdesk.db")


@pytest.fixture(scope="session")
def closed_mail_desk(stack: Stack, smtp_server: tuple[Mailbox, int]) -> Iterator[str]:
    """A helpdesk with e-mail on whose team is away all session (holidays yesterday to the day after tomorrow)."""
    zone = ZoneInfo("Pacific/Auckland")
    today = datetime.now(zone).date()
    workdir = stack.workdir / "closed-mail-helpdesk"  # type: ignore[attr-defined]
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
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'helpdesk.db'}",
        "BUSINESS_HOURS": "on",
        "BUSINESS_HOURS_FILE": str(schedule),
        **mail_env(smtp_server[1], secrets.token_urlsafe(16)),
    }
    with extra_helpdesk(stack, "closed-mail", env) as url:
        yield url


@pytest.fixture()
def customer(mail_desk: MailDesk) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=mail_desk.url, timeout=60) as http:
        yield http


@pytest.fixture()
def console(mail_desk: MailDesk) -> Iterator[Callable[[str], Console]]:
    opened: list[Console] = []

    def log_in(username: str) -> Console:
        account = mail_desk.agents[username]
        c = Console(mail_desk.url)
        assert c.login(account.username, account.password).status_code == 200
        opened.append(c)
        return c

    yield log_in
    for c in opened:
        c.close()
