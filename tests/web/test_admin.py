"""The admin screens' API (/api/agent/admin) through a real helpdesk process of its own (its own SQLite database
and business-hours file, the stack's Rasa and actions): admins only, CSRF on every change, every change in the
audit trail; users, teams, business hours (validated as the file is; handoffs follow at once) and canned replies
with placeholders and shortcuts."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import HANDOFF_TEXT, Console, history, say
from support.helpdesks import extra_helpdesk

from helpdesk.conversation.business_hours import DAYS
from helpdesk.stack import Stack

OPEN_ALWAYS = {"time_zone": "UTC", "weekly": {day: ["00:00-24:00"] for day in DAYS}, "holidays": []}
CLOSED_ALWAYS = {"time_zone": "Europe/Amsterdam", "weekly": {}, "holidays": ["2026-12-25"]}  # never open
ACCOUNTS = (
    ("root", "admin", None, 5),
    ("sup", "supervisor", None, 5),
    ("agt", "agent", "orders", 5),
    ("edi", "editor", None, 5),
)
# (method, path, body) for every admin endpoint; changes need the CSRF token
ENDPOINTS: tuple[tuple[str, str, dict[str, Any] | None], ...] = (
    ("GET", "/admin", None),
    ("GET", "/admin/audit", None),
    ("GET", "/admin/hours", None),
    ("PUT", "/admin/hours", OPEN_ALWAYS),
    ("POST", "/admin/users", {"username": "nobody1"}),
    ("PATCH", "/admin/users/1", {"role": "agent"}),
    ("POST", "/admin/users/1/password", None),
    ("POST", "/admin/teams", {"name": "nowhere"}),
    ("PATCH", "/admin/teams/orders", {"name": "orders2"}),
    ("DELETE", "/admin/teams/orders", None),
    ("POST", "/admin/canned", {"title": "t", "text": "x"}),
    ("PUT", "/admin/canned/1", {"title": "t", "text": "x"}),
    ("DELETE", "/admin/canned/1", None),
    ("POST", "/admin/canned/starter", None),
)


class AdminDesk:
    def __init__(self, url: str, db_path: Path, accounts: dict[str, AgentLogin]) -> None:
        self.url, self.db_path, self.accounts = url, db_path, accounts

    def rows(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        connection = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        connection.row_factory = sqlite3.Row
        try:
            return connection.execute(sql, args).fetchall()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def admin_desk(stack: Stack) -> Iterator[AdminDesk]:
    workdir = stack.workdir / "admin-helpdesk"  # type: ignore[attr-defined]
    workdir.mkdir(exist_ok=True)
    schedule = workdir / "business_hours.yml"
    schedule.write_text(yaml.safe_dump(OPEN_ALWAYS))
    db_path = workdir / "helpdesk.db"
    database_url = f"sqlite+aiosqlite:///{db_path}"
    accounts = add_agent_accounts(database_url, ACCOUNTS)
    env = {"DATABASE_URL": database_url, "BUSINESS_HOURS": "on", "BUSINESS_HOURS_FILE": str(schedule)}
    with extra_helpdesk(stack, "admin", env) as url:
        yield AdminDesk(url, db_path, accounts)


@pytest.fixture()
def login(admin_desk: AdminDesk) -> Iterator[Callable[[str], Console]]:
    consoles: list[Console] = []

    def log_in(username: str, password: str | None = None) -> Console:
        console = Console(admin_desk.url)
        response = console.login(username, password or admin_desk.accounts[username].password)
        assert response.status_code == 200, response.text
        consoles.append(console)
        return console

    yield log_in
    for console in consoles:
        console.close()


def call(
    console: Console, method: str, path: str, body: dict[str, Any] | None = None, csrf: bool = True
) -> httpx.Response:
    headers = {"X-CSRF-Token": console.csrf} if csrf else {}
    return console.http.request(method, "/api/agent" + path, json=body, headers=headers)


def test_every_endpoint_is_for_logged_in_admins_and_every_change_needs_the_csrf_token(
    admin_desk: AdminDesk, login: Callable[[str], Console]
) -> None:
    with httpx.Client(base_url=admin_desk.url, timeout=30) as anonymous:
        for method, path, body in ENDPOINTS:
            assert anonymous.request(method, "/api/agent" + path, json=body).status_code == 401, path
        assert anonymous.get("/api/agent/canned/1/fill", params={"conversation_id": "x"}).status_code == 401
    for username in ("sup", "agt", "edi"):
        console = login(username)
        for method, path, body in ENDPOINTS:
            response = call(console, method, path, body)
            assert response.status_code == 403, (username, method, path, response.text)
            assert response.json()["error"]
    root = login("root")
    before = len(admin_desk.rows("SELECT id FROM audit_log"))
    for method, path, body in ENDPOINTS:
        if method != "GET":
            response = call(root, method, path, body, csrf=False)
            assert response.status_code == 403, (method, path)
            assert "X-CSRF-Token" in response.json()["error"]
    assert len(admin_desk.rows("SELECT id FROM audit_log")) == before  # nothing changed
    page = httpx.get(admin_desk.url + "/agent/admin")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]


def test_an_admin_adds_changes_disables_and_resets_a_user_and_every_change_is_audited(
    admin_desk: AdminDesk, login: Callable[..., Console]
) -> None:
    root = login("root")
    added = call(root, "POST", "/admin/users", {"username": "dana", "display_name": "Dana Li", "team": "billing"})
    assert added.status_code == 201, added.text
    user, password = added.json()["user"], added.json()["password"]
    assert (user["role"], user["team"], user["max_concurrent"], user["active"]) == ("agent", "billing", 3, True)
    dana = login("dana", password)
    assert dana.agent["display_name"] == "Dana Li"
    assert call(root, "POST", "/admin/users", {"username": "dana"}).status_code == 409
    assert call(root, "POST", "/admin/users", {"username": "x"}).status_code == 400
    assert call(root, "POST", "/admin/users", {"username": "erik", "role": "boss"}).status_code == 400

    edited = call(root, "PATCH", f"/admin/users/{user['id']}", {"role": "supervisor", "max_concurrent": 7})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["user"]["role"], edited.json()["user"]["max_concurrent"]) == ("supervisor", 7)
    assert call(root, "PATCH", f"/admin/users/{user['id']}", {"max_concurrent": 99}).status_code == 400

    assert call(root, "PATCH", f"/admin/users/{user['id']}", {"active": False}).status_code == 200
    assert dana.get("/me").status_code == 401  # her session ended
    assert Console(admin_desk.url).login("dana", password).status_code == 401
    assert call(root, "PATCH", f"/admin/users/{user['id']}", {"active": True}).status_code == 200
    reset = call(root, "POST", f"/admin/users/{user['id']}/password")
    assert reset.status_code == 200
    assert Console(admin_desk.url).login("dana", password).status_code == 401
    assert login("dana", reset.json()["password"]).agent["role"] == "supervisor"

    root_id = root.agent["id"]
    refused = call(root, "PATCH", f"/admin/users/{root_id}", {"role": "agent"})
    assert refused.status_code == 409 and "last active admin" in refused.json()["error"]

    trail = call(root, "GET", "/admin/audit").json()["audit"]
    actions = [(a["action"], a["target"]) for a in trail if a["target"] in ("dana", "billing")]
    assert actions[::-1] == [
        ("team.add", "billing"),
        ("user.add", "dana"),
        ("user.edit", "dana"),
        ("user.edit", "dana"),
        ("user.edit", "dana"),
        ("user.reset_password", "dana"),
    ]
    assert all(a["actor"] == "Root Tester" for a in trail)
    assert next(a for a in trail if a["action"] == "user.edit" and "role" in a["detail"])["detail"]["role"] == [
        "agent",
        "supervisor",
    ]
    assert not any(password in str(a) or reset.json()["password"] in str(a) for a in trail)  # never a password


def test_teams_are_added_renamed_and_deleted_only_when_empty(
    admin_desk: AdminDesk, login: Callable[[str], Console]
) -> None:
    root = login("root")
    assert call(root, "POST", "/admin/teams", {"name": "returns-eu"}).status_code == 201
    assert call(root, "POST", "/admin/teams", {"name": "returns-eu"}).status_code == 409
    assert call(root, "POST", "/admin/teams", {"name": "<b>"}).status_code == 400
    assert call(root, "PATCH", "/admin/teams/orders", {"name": "orders-nl"}).status_code == 200
    assert admin_desk.rows("SELECT team FROM agents WHERE username = 'agt'")[0]["team"] == "orders-nl"
    refused = call(root, "DELETE", "/admin/teams/orders-nl")
    assert refused.status_code == 409 and "member" in refused.json()["error"]
    assert call(root, "DELETE", "/admin/teams/returns-eu").status_code == 204
    names = [t["name"] for t in call(root, "GET", "/admin").json()["teams"]]
    assert "orders-nl" in names and "returns-eu" not in names


def test_business_hours_are_validated_as_the_file_is_and_handoffs_follow_the_change(
    admin_desk: AdminDesk, login: Callable[[str], Console]
) -> None:
    root = login("root")
    bad = call(root, "PUT", "/admin/hours", {"time_zone": "Mars/Base", "weekly": {}})
    assert bad.status_code == 400 and "not a known time zone" in bad.json()["error"]
    bad = call(root, "PUT", "/admin/hours", {"time_zone": "UTC", "weekly": {"monday": ["17:00-09:00"]}})
    assert bad.status_code == 400 and "must end after it starts" in bad.json()["error"]
    bad = call(root, "PUT", "/admin/hours", {"time_zone": "UTC", "weekly": {"funday": ["09:00-17:00"]}})
    assert bad.status_code == 400 and "unknown days" in bad.json()["error"]

    with httpx.Client(base_url=admin_desk.url, timeout=60) as customer:
        assert customer.get("/api/chat/status").json()["business_hours"]["open"] is True
        closed = CLOSED_ALWAYS
        saved = call(root, "PUT", "/admin/hours", closed)
        assert saved.status_code == 200, saved.text
        assert saved.json()["source"] == "the admin screen" and saved.json()["status"]["open"] is False
        assert customer.get("/api/chat/status").json()["business_hours"]["open"] is False
        body = say(customer, HANDOFF_TEXT)
        assert body["mode"] == "queued"
        assert "Our support team is away right now" in body["replies"][-1]["text"]
        assert history(customer, body["conversation_id"])["business_hours"]["open"] is False

        assert call(root, "PUT", "/admin/hours", OPEN_ALWAYS).status_code == 200
        assert customer.get("/api/chat/status").json()["business_hours"]["open"] is True
        body = say(customer, HANDOFF_TEXT)
        assert not any("away right now" in r["text"] for r in body["replies"])
    stored = admin_desk.rows("SELECT value FROM helpdesk_settings WHERE key = 'business_hours'")
    assert len(stored) == 1
    assert [a["action"] for a in call(root, "GET", "/admin/audit").json()["audit"][:2]] == ["business_hours.save"] * 2


def test_canned_replies_with_placeholders_shortcuts_and_the_starter_set(
    admin_desk: AdminDesk, login: Callable[[str], Console]
) -> None:
    root = login("root")
    bad = call(root, "POST", "/admin/canned", {"title": "x", "text": "Hi {{customer.shoe_size}}"})
    assert bad.status_code == 400 and "customer.shoe_size" in bad.json()["error"]
    assert call(root, "POST", "/admin/canned", {"title": "x", "text": "y", "shortcut": "Bad Cut!"}).status_code == 400
    added = call(
        root,
        "POST",
        "/admin/canned",
        {"title": "Hello", "text": "Hi {{customer.first_name}}, {{agent.first_name}} here.", "shortcut": "hi"},
    )
    assert added.status_code == 201, added.text
    assert call(root, "POST", "/admin/canned", {"title": "Again", "text": "y", "shortcut": "hi"}).status_code == 409
    starter = call(root, "POST", "/admin/canned/starter")
    assert starter.status_code == 200 and starter.json()["added"] == 10
    assert call(root, "POST", "/admin/canned/starter").json()["added"] == 0  # shortcuts taken: nothing twice
    agent = login("agt")
    canned = agent.get("/canned").json()["canned"]
    shortcuts = {c["shortcut"] for c in canned}
    assert {"hi", "hello", "bye", "nihao", "ordernum"} <= shortcuts
    # a Chinese chat is offered the Chinese starter replies, not the English ones (and an English chat the English)
    by_language = {
        lang: {c["shortcut"] for c in agent.get("/canned", params={"language": lang}).json()["canned"]}
        for lang in ("en", "zh")
    }
    assert {"nihao", "chaxun", "zaijian"} <= by_language["zh"] and not {"hello", "bye", "anything"} & by_language["zh"]
    assert {"hello", "bye", "anything"} <= by_language["en"] and not {"nihao", "zaijian"} & by_language["en"]

    with httpx.Client(base_url=admin_desk.url, timeout=60) as customer:
        conversation = say(customer, HANDOFF_TEXT)["conversation_id"]
    assert agent.post(f"/conversations/{conversation}/claim").status_code == 200
    hello = next(c for c in canned if c["shortcut"] == "hi")
    filled = agent.get(f"/canned/{hello['id']}/fill", params={"conversation_id": conversation})
    assert filled.status_code == 200, filled.text
    # the bot verified nobody and no name was left: the greeting's neutral form, not the braces for the agent to fill
    # (lane fixes: "Hi {{customer.first_name}}, …" came into the box as it stands)
    assert filled.json() == {"text": "Hi, Agt here.", "missing": []}
    look = next(c for c in canned if c["shortcut"] == "look")
    filled_look = agent.get(f"/canned/{look['id']}/fill", params={"conversation_id": conversation}).json()
    assert filled_look == {
        "text": "Thanks, I'm looking into order {{order.number}} now — this takes a minute or two.",
        "missing": ["order.number"],
    }
    # sent as it stands, the customer would read the braces: refused, nothing stored or shown to them
    unfilled = agent.post(f"/conversations/{conversation}/messages", {"text": filled_look["text"]})
    assert unfilled.status_code == 400, unfilled.text
    assert unfilled.json()["error"] == (
        "fill in {{order.number}} before sending: the customer would read it as it stands"
    )
    assert "{{" not in str(agent.get(f"/conversations/{conversation}").json()["messages"])
    assert agent.post(f"/conversations/{conversation}/messages", {"text": "Hi Ann, Agt here."}).status_code == 201
    other = login("sup")  # supervisors may look at any chat
    assert other.get(f"/canned/{hello['id']}/fill", params={"conversation_id": conversation}).status_code == 200
    assert agent.get(f"/canned/{hello['id']}/fill", params={"conversation_id": "nope"}).status_code == 404
