"""Agent accounts and sessions through the running stack: 401 without a session, CSRF, login limits, the CLI."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator

import httpx
import pytest
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import Console, hand_off, ws_url
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from helpdesk.config import PROJECT_ROOT
from helpdesk.stack import Stack

AGENT_ENDPOINTS = [
    ("POST", "/api/agent/logout"),
    ("GET", "/api/agent/me"),
    ("GET", "/api/agent/queue"),
    ("GET", "/api/agent/chats"),
    ("GET", "/api/agent/agents"),
    ("GET", "/api/agent/conversations/some-id"),
    ("POST", "/api/agent/conversations/some-id/claim"),
    ("POST", "/api/agent/conversations/some-id/messages"),
    ("POST", "/api/agent/conversations/some-id/notes"),
    ("POST", "/api/agent/conversations/some-id/resolve"),
    ("POST", "/api/agent/conversations/some-id/handback"),
    ("POST", "/api/agent/conversations/some-id/seen"),
    ("POST", "/api/agent/conversations/some-id/transfer"),
    ("POST", "/api/agent/conversations/some-id/typing"),
    ("GET", "/api/agent/conversations/some-id/suggestions"),
    ("GET", "/api/agent/canned"),
    ("POST", "/api/agent/canned"),
    ("PUT", "/api/agent/canned/1"),
    ("DELETE", "/api/agent/canned/1"),
    ("POST", "/api/agent/followups/1/email"),
    ("GET", "/api/agent/followups/1/email"),
    ("POST", "/api/agent/conversations/some-id/attachments"),
    ("GET", "/api/agent/conversations/some-id/attachments/1"),
    ("GET", "/api/agent/corrections"),
    ("GET", "/api/agent/corrections/choices"),
    ("POST", "/api/agent/corrections"),
    ("POST", "/api/agent/corrections/1/review"),
    ("DELETE", "/api/agent/corrections/1"),
    ("GET", "/api/agent/ws"),
    ("GET", "/api/agent/no-such-endpoint"),
]


@pytest.fixture()
def console(helpdesk_url: str) -> Iterator[Console]:
    c = Console(helpdesk_url)
    yield c
    c.close()


@pytest.mark.parametrize(("method", "path"), AGENT_ENDPOINTS)
def test_every_agent_endpoint_answers_401_without_a_session(client: httpx.Client, method: str, path: str) -> None:
    response = client.request(method, path, json={"text": "hi", "title": "t"})
    assert response.status_code == 401, response.text
    assert "log in" in response.json()["error"]
    forged = client.request(method, path, json={}, headers={"Cookie": "helpdesk_agent=not-a-real-session-token"})
    assert forged.status_code == 401


def test_console_socket_refuses_the_handshake_without_a_session(helpdesk_url: str) -> None:
    with pytest.raises(InvalidStatus) as refused, connect(ws_url(helpdesk_url, "/api/agent/ws")):
        pass
    assert refused.value.response.status_code == 401


def test_login_sets_a_strict_httponly_cookie_and_me_gives_the_csrf_token(
    console: Console, agent_accounts: dict[str, AgentLogin]
) -> None:
    ava = agent_accounts["ava"]
    response = console.login(ava.username, ava.password)
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("helpdesk_agent=")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "samesite", "path", "max-age"} <= attributes
    assert "samesite=strict" in cookie.lower() and "path=/api/agent" in cookie.lower()
    assert ava.password not in response.text
    me = console.get("/me")
    assert me.status_code == 200
    assert me.json()["agent"]["username"] == "ava" and me.json()["agent"]["role"] == "agent"
    assert me.json()["csrf_token"] == console.csrf and len(console.csrf) >= 32
    assert "password_hash" not in me.text


def test_wrong_password_is_401_then_the_account_is_rate_limited(helpdesk_url: str, stack: Stack) -> None:
    victim = add_agent_accounts(stack.env["DATABASE_URL"], (("locked", "agent", None, 3),))["locked"]
    console = Console(helpdesk_url)
    try:
        statuses = [console.login("locked", f"wrong-password-{i}").status_code for i in range(5)]
        assert statuses == [401] * 5
        assert console.login("no-such-agent", "whatever-at-all").status_code == 401
        limited = console.login("locked", "wrong-password-again")
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        # while the account is locked out even the right password is refused ...
        assert console.login("locked", victim.password).status_code == 429
        assert console.session_cookie == ""
    finally:
        console.close()


def test_other_accounts_are_not_locked_out_by_someone_elses_failures(
    console: Console, agent_accounts: dict[str, AgentLogin]
) -> None:
    for _ in range(3):
        assert console.login("ben", "not-his-password").status_code == 401
    assert console.login("ben", agent_accounts["ben"].password).status_code == 200


def test_login_refuses_form_posts_and_bad_bodies(client: httpx.Client) -> None:
    form = client.post("/api/agent/login", data={"username": "ava", "password": "x"})
    assert form.status_code == 415
    assert client.post("/api/agent/login", json={"username": "ava"}).status_code == 400
    assert client.post("/api/agent/login", json=["ava", "pw"]).status_code == 400


def test_state_changes_need_the_csrf_token(
    console: Console, agent_accounts: dict[str, AgentLogin], client: httpx.Client
) -> None:
    console.login("ava", agent_accounts["ava"].password)
    body = {"title": "Greeting", "text": "Hello! How can I help?"}
    missing = console.http.post("/api/agent/canned", json=body)
    assert missing.status_code == 403 and "X-CSRF-Token" in missing.json()["error"]
    wrong = console.http.post("/api/agent/canned", json=body, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    cross_site = console.http.post(
        "/api/agent/canned", json=body, headers={"X-CSRF-Token": console.csrf, "Origin": "https://evil.example"}
    )
    assert cross_site.status_code == 403
    conversation = hand_off(client)
    claim = console.http.post(f"/api/agent/conversations/{conversation}/claim")
    assert claim.status_code == 403
    assert console.get(f"/conversations/{conversation}").json()["conversation"]["mode"] == "queued"
    assert console.post(f"/conversations/{conversation}/claim").status_code == 200
    created = console.post("/canned", body)
    assert created.status_code == 201
    assert console.delete(f"/canned/{created.json()['id']}").status_code == 204
    assert console.post(f"/conversations/{conversation}/resolve").status_code == 200


def test_logout_ends_the_session(console: Console, agent_accounts: dict[str, AgentLogin], helpdesk_url: str) -> None:
    console.login("ava", agent_accounts["ava"].password)
    token = console.session_cookie
    assert console.post("/logout").status_code == 200
    replay = httpx.get(f"{helpdesk_url}/api/agent/me", headers={"Cookie": f"helpdesk_agent={token}"})
    assert replay.status_code == 401


def run_cli(stack: Stack, *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in stack.env.items() if k != "HELPDESK_PASSWORD"}
    if password is not None:
        env["HELPDESK_PASSWORD"] = password
    return subprocess.run(
        [str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "helpdesk", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_cli_adds_lists_and_disables_accounts(stack: Stack, helpdesk_url: str) -> None:
    password = "correct horse battery staple"
    added = run_cli(stack, "users", "add", "cli-agent", "--name", "Cli Agent", "--team", "orders", password=password)
    assert added.returncode == 0, added.stderr
    listed = run_cli(stack, "users", "list")
    line = next(row for row in listed.stdout.splitlines() if row.startswith("cli-agent "))
    assert "Cli Agent" in line and "orders" in line and "active" in line
    assert password not in listed.stdout

    console = Console(helpdesk_url)
    try:
        assert console.login("cli-agent", password).status_code == 200
        assert run_cli(stack, "users", "disable", "cli-agent").returncode == 0
        assert console.get("/me").status_code == 401  # the live session ended at once
        assert console.login("cli-agent", password).status_code == 401
    finally:
        console.close()
    assert "disabled" in next(r for r in run_cli(stack, "users", "list").stdout.splitlines() if "cli-agent" in r)


def test_cli_never_takes_a_password_on_the_command_line(stack: Stack) -> None:
    argv = run_cli(stack, "users", "add", "argv-agent", "--password", "in-the-process-list")
    assert argv.returncode != 0 and "unrecognized arguments" in argv.stderr
    no_password = run_cli(stack, "users", "add", "argv-agent")
    assert no_password.returncode != 0 and "HELPDESK_PASSWORD" in no_password.stderr
    short = run_cli(stack, "users", "add", "argv-agent", password="short")
    assert short.returncode != 0 and "at least" in short.stderr


def test_passwords_are_stored_as_argon2_hashes(agent_accounts: dict[str, AgentLogin], db: sqlite3.Connection) -> None:
    row = db.execute("SELECT password_hash FROM agents WHERE username = 'ava'").fetchone()
    assert row["password_hash"].startswith("$argon2id$")
    assert agent_accounts["ava"].password not in row["password_hash"]
    tokens = [r["token_hash"] for r in db.execute("SELECT token_hash FROM agent_sessions")]
    assert all(len(t) == 64 for t in tokens)  # sha-256 of the cookie, never the cookie itself
