"""The dashboard's API through the real running stack: who may see it (401 / 403 / 200 on every endpoint),
the figures and the CSV export for one agent's real conversation, and the live queue figures."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import Console, console_open, hand_off

from helpdesk.stack import Stack

ENDPOINTS = ("/metrics", "/metrics.csv", "/metrics/live", "/metrics/conversations?figure=all")
DASH_ACCOUNTS = (
    ("dash-admin", "admin", None, 5),
    ("dash-editor", "editor", None, 5),
    ("dash-agent", "agent", "dashteam", 5),
    ("dash-idle", "agent", None, 5),
)


@pytest.fixture(scope="module")
def dash_accounts(stack: Stack) -> dict[str, AgentLogin]:
    return add_agent_accounts(stack.env["DATABASE_URL"], DASH_ACCOUNTS)


@pytest.fixture()
def login(
    console_for: Callable[[AgentLogin], Console],
    agent_accounts: dict[str, AgentLogin],
    dash_accounts: dict[str, AgentLogin],
) -> Callable[[str], Console]:
    accounts = {**agent_accounts, **dash_accounts}
    return lambda username: console_for(accounts[username])


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def test_every_endpoint_needs_a_session(client: httpx.Client) -> None:
    for path in ENDPOINTS:
        response = client.get("/api/agent" + path)
        assert response.status_code == 401, path
        assert response.json()["error"]


def test_agents_and_editors_are_refused(login: Callable[[str], Console]) -> None:
    for username in ("ava", "dash-editor"):
        console = login(username)
        for path in ENDPOINTS:
            response = console.get(path)
            assert response.status_code == 403, (username, path)
            assert response.json()["error"]


def test_supervisors_and_admins_see_the_figures(login: Callable[[str], Console]) -> None:
    for username in ("sue", "dash-admin"):
        console = login(username)
        figures = console.get("/metrics", params={"from": today(), "to": today(), "tz": "Europe/Amsterdam"})
        assert figures.status_code == 200, figures.text
        body = figures.json()
        assert body["range"]["tz"] == "Europe/Amsterdam"
        assert {"summary", "funnel", "queue_sla", "volume", "handoff_reasons", "live"} <= set(body)
        exported = console.get("/metrics.csv", params={"from": today(), "to": today()})
        assert exported.status_code == 200
        assert exported.headers["content-type"].startswith("text/csv")
        assert f'filename="helpdesk-metrics-{today()}-to-{today()}.csv"' in exported.headers["content-disposition"]
        assert exported.text.splitlines()[0] == "section,group,metric,value"
        assert console.get("/metrics/live").status_code == 200


def test_bad_ranges_are_400(login: Callable[[str], Console]) -> None:
    sue = login("sue")
    for params in (
        {"from": "2026-03-10", "to": "2026-03-01"},
        {"tz": "Nowhere/Special"},
        {"from": "yesterday"},
        {"agent": "ava"},
    ):
        for path in ("/metrics", "/metrics.csv"):
            response = sue.get(path, params=params)
            assert response.status_code == 400, (path, params)
            assert response.json()["error"]


def rows_of(text: str) -> dict[tuple[str, str, str], str]:
    reader = csv.reader(io.StringIO(text))
    assert next(reader) == ["section", "group", "metric", "value"]
    return {(section, group, metric): value for section, group, metric, value in reader}


def test_one_agents_conversation_in_the_figures_and_the_csv(
    client: httpx.Client, login: Callable[[str], Console], db: sqlite3.Connection
) -> None:
    agent = login("dash-agent")
    conversation = hand_off(client, "hello")
    assert agent.post(f"/conversations/{conversation}/claim").status_code == 200
    assert agent.post(f"/conversations/{conversation}/messages", {"text": "Hi, how can I help?"}).status_code == 201
    assert agent.post(f"/conversations/{conversation}/resolve").status_code == 200
    assert client.post(f"/api/chat/{conversation}/rating", json={"score": 4}).status_code == 201

    sue = login("sue")
    query = {"from": today(), "to": today(), "tz": "UTC", "agent": str(agent.agent["id"])}
    body = sue.get("/metrics", params=query).json()
    summary = body["summary"]
    assert (summary["conversations"], summary["handed_off"], summary["resolved_by_agent"]) == (1, 1, 1)
    assert summary["csat"] == {"count": 1, "average": 4.0, "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0}}
    assert summary["handling_time"]["count"] == 1 and summary["queue_wait"]["count"] == 1
    shown = db.execute(
        "SELECT count(*) FROM messages WHERE conversation_id = ? AND sender != 'system'", (conversation,)
    ).fetchone()[0]
    assert summary["messages_per_conversation"] == shown  # customer, bot and agent messages, no notices
    assert body["handoff_reasons"] == [{"reason": "requested", "count": 1, "rate": 1.0}]
    assert body["funnel"]["stages"]["triage"]["handoff"] == 1
    assert body["funnel"]["stages"]["feedback"]["count"] == 1
    outcome = body["funnel"]["stages"]["outcome"]
    assert outcome["count"] == sum(v for k, v in outcome.items() if k != "count") == 1
    assert outcome["agent_resolved"] == 1
    # the figures click through to this very conversation
    for figure in ("all", "resolved_by_agent", "reason:requested", "by_agent:Dash-Agent Tester", "rating:4"):
        behind = sue.get("/metrics/conversations", params={**query, "figure": figure})
        assert behind.status_code == 200, behind.text
        assert [c["conversation_id"] for c in behind.json()["conversations"]] == [conversation], figure
    assert sue.get("/metrics/conversations", params={**query, "figure": "contained"}).json()["count"] == 0
    assert sue.get("/metrics/conversations", params=query).status_code == 400  # which figure?
    assert [row["group"] for row in body["by_agent"]] == ["Dash-Agent Tester"]
    assert [row["group"] for row in body["by_team"]] == ["dashteam"]

    exported = sue.get("/metrics.csv", params=query)
    rows = rows_of(exported.text)
    assert rows[("range", "", "from")] == today() and rows[("filter", "", "agent_id")] == query["agent"]
    assert rows[("summary", "", "conversations")] == "1"
    assert rows[("summary", "", "resolution_rate")] == "1.0"
    assert rows[("summary", "", "csat.average")] == "4.0"
    assert rows[("summary", "", "csat.distribution.4")] == "1"
    assert rows[("handoff_reason", "requested", "count")] == "1"
    assert rows[("by_agent", "Dash-Agent Tester", "csat_average")] == "4.0"
    assert sum(int(v) for (section, _, _), v in rows.items() if section == "volume_by_hour") == 1

    same_team = sue.get("/metrics", params={**query, "agent": "", "team": "dashteam"}).json()["summary"]
    assert same_team == summary


def test_live_queue_figures(
    client: httpx.Client,
    login: Callable[[str], Console],
    db: sqlite3.Connection,
    dash_accounts: dict[str, AgentLogin],
) -> None:
    sue = login("sue")
    assert sue.post("/status", {"status": "online"}).status_code == 200
    waiting = hand_off(client, "hello")
    live = sue.get("/metrics/live").json()
    queued = db.execute("SELECT count(*) FROM conversations WHERE mode = 'queued'").fetchone()[0]
    assert live["waiting"] == queued >= 1
    assert sum(live["waiting_by_tier"].values()) == queued
    assert live["longest_wait_seconds"] >= 0
    names = [a["name"] for a in live["agents"]]
    assert live["agents_online"] == len(names)
    assert "Dash-Idle Tester" not in names  # never logged in

    # "agents online" is the console's team count (status Online with a console open, tests/browser/
    # test_dashboard_team_count_browser.py): sue, logged in here without a console, is listed as such, not counted
    assert "Sue Tester" not in names and "Sue Tester" in names_of(live["agents_console_closed"])
    with console_open(sue):
        live = sue.get("/metrics/live").json()
        assert "Sue Tester" in names_of(live["agents"]) and live["agents_online"] == len(live["agents"])

        idle = login("dash-idle")
        with console_open(idle):
            assert "Dash-Idle Tester" in names_of(sue.get("/metrics/live").json()["agents"])

            # an editor at work on the handbook takes no chats: not one of the agents online (walkthrough of
            # 2026-12-05: "Agents online 4" with two agents and the editor counted)
            editor = login("dash-editor")
            assert editor.get("/handbook").status_code == 200
            live = sue.get("/metrics/live").json()
            names = names_of(live["agents"])
            assert "Dash-Editor Tester" not in names and live["agents_online"] == len(names)
            assert "Dash-Editor Tester" not in names_of(live["agents_away"] + live["agents_console_closed"])

            # an agent who set Away takes no new chats: listed apart, not one of the agents online (walkthrough of
            # 2026-12-06: "Agents online" counted anyone at a console, whatever their Online/Away status)
            assert idle.post("/status", {"status": "away"}).status_code == 200
            live = sue.get("/metrics/live").json()
            names = names_of(live["agents"])
            assert "Dash-Idle Tester" not in names and live["agents_online"] == len(names)
            assert "Dash-Idle Tester" in names_of(live["agents_away"])
            assert idle.post("/status", {"status": "online"}).status_code == 200
            live = sue.get("/metrics/live").json()
            assert "Dash-Idle Tester" in names_of(live["agents"])
            assert "Dash-Idle Tester" not in names_of(live["agents_away"])

        # idle closed the console without logging out, Online by status: not there to take a chat, so not counted
        # (the dashboard counted anyone who had used the console's API in the last 5 minutes: "Agents online 3" beside
        # the console's "Team 2", walkthrough of 2026-12-07)
        live = sue.get("/metrics/live").json()
        assert "Dash-Idle Tester" not in names_of(live["agents"]) and live["agents_online"] == len(live["agents"])
        assert "Dash-Idle Tester" in names_of(live["agents_console_closed"])
        # an agent who logged out (Offline) is none of them: "away" listed every agent seen lately not Online, and the
        # dashboard said "away: Dana" of an agent who had logged out minutes before (lane ux2's run of 2026-12-06)
        assert idle.post("/logout").status_code == 200
        live = sue.get("/metrics/live").json()
        everyone = names_of(live["agents"] + live["agents_away"] + live["agents_console_closed"])
        assert "Dash-Idle Tester" not in everyone, live

    assert sue.post(f"/conversations/{waiting}/claim").status_code == 200  # tidy: nobody waits after this test
    assert sue.post(f"/conversations/{waiting}/resolve").status_code == 200
    assert sue.get("/metrics/live").json()["waiting"] == queued - 1


def names_of(agents: list[dict[str, object]]) -> list[object]:
    return [a["name"] for a in agents]
