"""SLA alerts through a helpdesk process of its own with tiny targets (SLA_FILE: a queue wait of 3 s and a first
response of 20 s, warned at half): a supervisor's live channel gets the warning, then the breach; the breach is
stored once per handoff and kind and counted per tier, team and agent on the dashboard; an agent who does not have
the chat hears nothing; an admin-only change of the file is not needed (targets are configuration). Two helpdesk
processes sharing PostgreSQL and Redis (so one console channel) warn once and alert once per handoff and kind."""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import yaml
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import Console, hand_off, receive, ws_url
from support.helpdesks import extra_helpdesk, postgres_database
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from helpdesk.conversation.sla import SlaConfigError, parse_targets
from helpdesk.stack import Stack

TARGETS = {
    "warn_at": 0.5,
    "tiers": {"standard": {"queue_wait": 3, "first_response": 20}, "vip": {"queue_wait": 2, "first_response": 4}},
}


@pytest.fixture(scope="module")
def sla_desk(stack: Stack) -> Iterator[tuple[str, str, dict[str, AgentLogin]]]:
    workdir = stack.workdir / "sla-helpdesk"  # type: ignore[attr-defined]
    workdir.mkdir(exist_ok=True)
    sla_file = workdir / "sla.yml"
    sla_file.write_text(yaml.safe_dump(TARGETS))
    db_path = workdir / "helpdesk.db"
    database_url = f"sqlite+aiosqlite:///{db_path}"
    accounts = add_agent_accounts(
        database_url, (("suzy", "supervisor", None, 5), ("olly", "agent", "orders", 5), ("pete", "agent", None, 5))
    )
    env = {
        "DATABASE_URL": database_url,
        "BUSINESS_HOURS": "off",
        "SLA_FILE": str(sla_file),
        "AUTO_ASSIGN": "0",
        "SLA_CHECK_SECONDS": "0.5",
    }
    with extra_helpdesk(stack, "sla", env) as url:
        yield url, str(db_path), accounts


def sla_events(ws: Any, until: float, stop: tuple[str, str] | None = None) -> list[dict[str, Any]]:
    """The SLA events heard until the deadline, or until one of (kind, level) `stop`."""
    events = []
    while time.monotonic() < until:
        try:
            event = receive(ws, timeout=max(0.1, until - time.monotonic()))
        except (TimeoutError, ConnectionClosed):
            break
        if event.get("type") == "sla":
            events.append(event)
            if stop is not None and (event["kind"], event["level"]) == stop:
                break
    return events


def test_the_file_is_validated() -> None:
    with pytest.raises(SlaConfigError, match="warn_at"):
        parse_targets({"warn_at": 2, "tiers": {}})
    with pytest.raises(SlaConfigError, match="tiers.vip.queue_wait"):
        parse_targets({"tiers": {"vip": {"queue_wait": -1}}})
    with pytest.raises(SlaConfigError, match="tiers.vip"):
        parse_targets({"tiers": {"vip": {"coffee": 3}}})


def test_a_supervisor_is_warned_then_alerted_and_the_breach_is_counted_once(
    sla_desk: tuple[str, str, dict[str, AgentLogin]],
) -> None:
    url, db_path, accounts = sla_desk
    suzy, pete, olly = Console(url), Console(url), Console(url)
    for console, name in ((suzy, "suzy"), (pete, "pete"), (olly, "olly")):
        assert console.login(name, accounts[name].password).status_code == 200
    headers = lambda c: {"Cookie": f"helpdesk_agent={c.session_cookie}"}  # noqa: E731
    with (
        connect(ws_url(url, "/api/agent/ws"), additional_headers=headers(suzy)) as watching,
        connect(ws_url(url, "/api/agent/ws"), additional_headers=headers(pete)) as bystander,
        httpx.Client(base_url=url, timeout=60) as customer,
    ):
        conversation = hand_off(customer, "hello")
        heard = sla_events(watching, time.monotonic() + 14, stop=("queue_wait", "breach"))
        seen = [e for e in heard if e["conversation_id"] == conversation]
        levels = [(e["kind"], e["level"]) for e in seen]
        assert ("queue_wait", "warning") in levels and ("queue_wait", "breach") in levels, seen
        assert levels.index(("queue_wait", "warning")) < levels.index(("queue_wait", "breach"))
        breach = next(e for e in seen if e["level"] == "breach" and e["kind"] == "queue_wait")
        assert breach["tier"] == "standard" and breach["target_seconds"] == 3 and breach["elapsed_seconds"] >= 3
        assert not [e for e in sla_events(bystander, time.monotonic() + 0.5) if e["conversation_id"] == conversation]

        # olly claims it but does not answer: the first response target is missed on him
        assert olly.post(f"/conversations/{conversation}/claim").status_code == 200
        heard = sla_events(watching, time.monotonic() + 30, stop=("first_response", "breach"))
        later = [e for e in heard if e["conversation_id"] == conversation]
        assert ("first_response", "breach") in [(e["kind"], e["level"]) for e in later], later

    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT kind, tier, team, agent_id FROM sla_breaches WHERE conversation_id = ? ORDER BY id", (conversation,)
        ).fetchall()
    finally:
        connection.close()
    assert rows == [("queue_wait", "standard", None, None), ("first_response", "standard", "orders", olly.agent["id"])]
    today = datetime.now(UTC).date().isoformat()
    counts = suzy.get("/metrics/sla", params={"from": today, "to": today, "tz": "UTC"}).json()
    assert counts["total"] == 2
    assert counts["by_tier"] == [{"group": "standard", "breaches": 2}]
    assert {"group": "Olly Tester", "breaches": 1} in counts["by_agent"]
    assert {"group": "orders", "breaches": 1} in counts["by_team"]
    assert counts["targets"]["tiers"]["vip"] == {"queue_wait": 2, "first_response": 4}
    assert olly.get("/metrics/sla").status_code == 403  # agents do not see the dashboard
    for console in (suzy, pete, olly):
        console.close()


@pytest.mark.postgres
def test_two_processes_sharing_redis_warn_and_alert_once(stack: Stack) -> None:
    workdir = stack.workdir / f"sla-two-{secrets.token_hex(3)}"  # type: ignore[attr-defined]
    workdir.mkdir()
    sla_file = workdir / "sla.yml"
    sla_file.write_text(yaml.safe_dump(TARGETS))
    with postgres_database("helpdesk_sla_two") as dsn:
        accounts = add_agent_accounts(dsn, (("suzy", "supervisor", None, 5),))
        env = {
            "DATABASE_URL": dsn,
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "REDIS_CHANNEL": f"helpdesk-test-{secrets.token_hex(4)}",  # keys and channel of this test's own
            "BUSINESS_HOURS": "off",
            "SLA_FILE": str(sla_file),
            "AUTO_ASSIGN": "0",
            "SLA_CHECK_SECONDS": "0.5",  # both processes look every half second
        }
        with extra_helpdesk(stack, "sla-two-1", env) as one, extra_helpdesk(stack, "sla-two-2", env) as two:
            suzy = Console(two)
            assert suzy.login("suzy", accounts["suzy"].password).status_code == 200
            cookie = {"Cookie": f"helpdesk_agent={suzy.session_cookie}"}
            with (
                connect(ws_url(two, "/api/agent/ws"), additional_headers=cookie) as watching,
                httpx.Client(base_url=one, timeout=60) as customer,
            ):
                conversation = hand_off(customer, "hello")
                heard = sla_events(watching, time.monotonic() + 14, stop=("queue_wait", "breach"))
                heard += sla_events(watching, time.monotonic() + 2)  # a late second copy would come by now
            suzy.close()
    levels = [(e["kind"], e["level"]) for e in heard if e["conversation_id"] == conversation]
    assert levels.count(("queue_wait", "warning")) == 1, levels
    assert levels.count(("queue_wait", "breach")) == 1, levels
    assert levels.index(("queue_wait", "warning")) < levels.index(("queue_wait", "breach"))
