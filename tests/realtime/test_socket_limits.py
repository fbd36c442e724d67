"""Open sockets (issue 15, findings 4 and 8): the widget's are capped per address and per conversation, with the
documented close code, and the chat goes on; a console's socket ends within seconds of its session."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest
from support.accounts import add_agent_accounts
from support.agent import Console, receive_until, say, ws_url
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from helpdesk.config import PROJECT_ROOT
from helpdesk.stack import Stack

PER_ADDRESS = 20  # the defaults (helpdesk/config.py)
PER_CONVERSATION = 5
CLOSE_TOO_MANY = 4429
CLOSE_SESSION_ENDED = 4401
CLI = ("-m", "helpdesk", "users")


def opened(sockets: ExitStack, url: str) -> tuple[ClientConnection, int | None]:
    """Open a socket and read until its first state (live: None) or its close (the close code)."""
    ws = sockets.enter_context(connect(url))
    try:
        receive_until(ws, lambda e: e["type"] == "state")
    except ConnectionClosed as closed:
        return ws, closed.rcvd.code if closed.rcvd is not None else None
    return ws, None


def test_sockets_past_the_cap_of_one_address_are_closed_with_4429_and_the_chat_still_answers(
    helpdesk_url: str, client: httpx.Client
) -> None:
    conversations = [say(client, "hello")["conversation_id"] for _ in range(10)]
    with ExitStack() as sockets:
        codes = [opened(sockets, ws_url(helpdesk_url, f"/api/chat/{conversations[i % 10]}/ws"))[1] for i in range(50)]
        assert codes[:PER_ADDRESS] == [None] * PER_ADDRESS, codes
        assert codes[PER_ADDRESS:] == [CLOSE_TOO_MANY] * (50 - PER_ADDRESS), codes
        reply = say(client, "how long does delivery take?", conversations[0])
        assert reply["replies"], reply
    # closed sockets free their places
    with ExitStack() as sockets:
        assert opened(sockets, ws_url(helpdesk_url, f"/api/chat/{conversations[1]}/ws"))[1] is None


def test_one_conversation_holds_at_most_five_sockets(helpdesk_url: str, client: httpx.Client) -> None:
    conversation = say(client, "hello")["conversation_id"]
    with ExitStack() as sockets:
        codes = [opened(sockets, ws_url(helpdesk_url, f"/api/chat/{conversation}/ws"))[1] for _ in range(7)]
    assert codes == [None] * PER_CONVERSATION + [CLOSE_TOO_MANY] * 2, codes


@pytest.fixture()
def dana(stack: Stack, helpdesk_url: str) -> Iterator[Console]:
    """A fresh agent logged in to the console (each test may end her session)."""
    import secrets

    name = f"dana-{secrets.token_hex(3)}"
    login = add_agent_accounts(stack.env["DATABASE_URL"], ((name, "agent", None, 3),))[name]
    console = Console(helpdesk_url)
    assert console.login(login.username, login.password).status_code == 200
    yield console
    console.close()


def console_socket(helpdesk_url: str, console: Console) -> ClientConnection:
    return connect(
        ws_url(helpdesk_url, "/api/agent/ws?after=0"),
        additional_headers={"Cookie": f"helpdesk_agent={console.session_cookie}"},
    )


def closed_within(ws: ClientConnection, seconds: float) -> int | None:
    """The close code once the server closes the socket (fails if it stays open `seconds`)."""
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            ws.recv(timeout=seconds)
    return closed.value.rcvd.code if closed.value.rcvd is not None else None


def test_logout_closes_the_console_socket(helpdesk_url: str, dana: Console) -> None:
    with console_socket(helpdesk_url, dana) as ws:
        receive_until(ws, lambda e: e["type"] == "ready")
        assert dana.post("/logout").status_code == 200
        assert closed_within(ws, 8) == CLOSE_SESSION_ENDED


def test_disabling_the_account_closes_its_console_socket(helpdesk_url: str, stack: Stack, dana: Console) -> None:
    with console_socket(helpdesk_url, dana) as ws:
        receive_until(ws, lambda e: e["type"] == "ready")
        disabled = subprocess.run(
            [str(PROJECT_ROOT / ".venv" / "bin" / "python"), *CLI, "disable", dana.agent["username"]],
            cwd=PROJECT_ROOT,
            env=stack.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert disabled.returncode == 0, disabled.stderr
        assert closed_within(ws, 8) == CLOSE_SESSION_ENDED


def test_an_expired_session_closes_the_console_socket(helpdesk_url: str, stack: Stack, dana: Console) -> None:
    with console_socket(helpdesk_url, dana) as ws:
        receive_until(ws, lambda e: e["type"] == "ready")
        db = sqlite3.connect(stack.workdir / "helpdesk.db", timeout=30)  # type: ignore[attr-defined]
        try:
            with db:
                db.execute(
                    "UPDATE agent_sessions SET expires_at = '2000-01-01 00:00:00.000000' WHERE agent_id = ?",
                    (dana.agent["id"],),
                )
        finally:
            db.close()
        assert closed_within(ws, 8) == CLOSE_SESSION_ENDED


def test_a_live_session_keeps_its_console_socket(helpdesk_url: str, dana: Console) -> None:
    with console_socket(helpdesk_url, dana) as ws:
        receive_until(ws, lambda e: e["type"] == "ready")
        with pytest.raises(TimeoutError):
            while True:
                ws.recv(timeout=5)  # nothing closes it: the session is live
