"""The IMAP poller against a local IMAP server (pymap's in-memory backend, started by the test; never a real
mailbox): a customer's e-mail reply delivered to the reply mailbox reaches the conversation once, however many
rounds run; a reply to a forged address and mail that is not a reply are marked read and left out."""

from __future__ import annotations

import imaplib
import secrets
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage

import httpx
import pytest
from conftest import MAILBOX, Mailbox, mail_env
from support.agent import hand_off, history
from support.helpdesks import extra_helpdesk

from helpdesk.config import PROJECT_ROOT
from helpdesk.stack import Stack, free_port

IMAP_USER, IMAP_PASSWORD = "replies", secrets.token_hex(12)
POLL_SECONDS = 1


@pytest.fixture(scope="module")
def imap_port(stack: Stack) -> Iterator[int]:
    """pymap serving one mailbox (its demo INBOX: a few mails that are not replies to us) on a free port."""
    port = free_port()
    log = open(stack.workdir / "logs" / "pymap.log", "ab")  # type: ignore[attr-defined]  # noqa: SIM115
    server = subprocess.Popen(
        [str(PROJECT_ROOT / ".venv" / "bin" / "pymap"), "--host", "127.0.0.1", "--port", str(port), "--no-tls"]
        + ["dict", "--demo-data", f"--demo-user={IMAP_USER}", f"--demo-password={IMAP_PASSWORD}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("pymap did not start")
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(10)
        log.close()


def mailbox_session(port: int) -> imaplib.IMAP4:
    session = imaplib.IMAP4("127.0.0.1", port, timeout=10)
    session.login(IMAP_USER, IMAP_PASSWORD)
    session.select("INBOX")
    return session


def deliver(port: int, message: EmailMessage) -> None:
    """What the shop's mail provider does: the mail lands, unread, in the reply mailbox."""
    session = mailbox_session(port)
    try:
        status, _ = session.append("INBOX", "", imaplib.Time2Internaldate(time.time()), message.as_bytes())
        assert status == "OK"
    finally:
        session.logout()


def unseen(port: int) -> list[bytes]:
    session = mailbox_session(port)
    try:
        status, data = session.uid("SEARCH", "UNSEEN")
        assert status == "OK"
        return data[0].split() if data and data[0] else []
    finally:
        session.logout()


@pytest.fixture(scope="module")
def imap_desk(stack: Stack, smtp_server: tuple[Mailbox, int], imap_port: int) -> Iterator[str]:
    workdir = stack.workdir / "imap-helpdesk"  # type: ignore[attr-defined]
    workdir.mkdir(exist_ok=True)
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'helpdesk.db'}",
        **mail_env(smtp_server[1], secrets.token_urlsafe(16)),
        "IMAP_HOST": "127.0.0.1",
        "IMAP_PORT": str(imap_port),
        "IMAP_SECURITY": "none",
        "IMAP_USERNAME": IMAP_USER,
        "IMAP_PASSWORD": IMAP_PASSWORD,
        "IMAP_POLL_SECONDS": str(POLL_SECONDS),
    }
    with extra_helpdesk(stack, "imap", env) as url:
        yield url


def reply_to(confirmation: EmailMessage, sender: str, text: str, to: str | None = None) -> EmailMessage:
    reply = EmailMessage()
    reply["From"] = sender
    reply["To"] = to or str(confirmation["Reply-To"])
    reply["Subject"] = "Re: " + str(confirmation["Subject"])
    reply["Message-ID"] = f"<{secrets.token_hex(6)}@customer.test>"
    reply.set_content(f"{text}\n\nOn Wed, Larkspur Home Support wrote:\n> We've got your message\n")
    return reply


def wait_until(check: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s")
        time.sleep(0.3)


def test_a_reply_in_the_imap_mailbox_reaches_the_conversation_once(
    imap_desk: str, imap_port: int, mailbox: Mailbox
) -> None:
    email = f"customer-{secrets.token_hex(4)}@customer.test"
    with httpx.Client(base_url=imap_desk, timeout=60) as customer:
        conversation_id = hand_off(customer)
        left = customer.post(
            f"/api/chat/{conversation_id}/offline-message", json={"text": "Is the oak shelf back soon?", "email": email}
        )
        assert left.status_code == 201, left.text
        (confirmation,) = mailbox.wait_for(email)
        assert str(confirmation["Reply-To"]).startswith(MAILBOX.split("@")[0] + "+")
        wait_until(lambda: not unseen(imap_port))  # the demo mails (not replies to us) are read and left out

        text = f"Thanks! Please keep one for me ({secrets.token_hex(3)})."
        deliver(imap_port, reply_to(confirmation, email, text))
        local, _, rest = str(confirmation["Reply-To"]).partition("+")
        mail_id, _, signed = rest.partition(".")
        forged = f"{local}+{int(mail_id) + 1}.{signed}"  # another mail's id under this mail's signature
        deliver(imap_port, reply_to(confirmation, email, "I write into someone else's chat", to=forged))

        def arrived() -> list[str]:
            return [m["text"] for m in history(customer, conversation_id)["messages"] if m["sender"] == "customer"]

        wait_until(lambda: text in arrived())
        wait_until(lambda: not unseen(imap_port))  # both read: the reply taken, the forged one refused
        time.sleep(POLL_SECONDS * 4)  # more rounds: nothing is taken twice
        said = arrived()
    assert said.count(text) == 1
    assert "I write into someone else's chat" not in said
    assert said[-1] == text  # quoted history cut
