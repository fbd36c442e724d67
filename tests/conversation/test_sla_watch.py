"""The SLA watch on a real database (SQLite, and PostgreSQL as with several helpdesk processes): which targets run,
warning before the miss, one breach row and one alert per handoff and kind however many processes look at once,
nothing out of business hours, nothing for a chat an agent has answered."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from support.helpdesks import postgres_database

from helpdesk.conversation.business_hours import BusinessHours, parse_schedule
from helpdesk.conversation.sla import SlaWatch, Targets, breach_counts
from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.db.models import Agent, Conversation, Handoff, Message, SlaBreach
from helpdesk.realtime.hub import MemoryHub

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # a Wednesday
TARGETS = Targets({"standard": {"queue_wait": 60, "first_response": 600}, "vip": {"queue_wait": 60}}, warn_at=0.75)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with contextlib.ExitStack() as cleanup:
        if request.param == "sqlite":
            found = f"sqlite:///{tmp_path_factory.mktemp('sla') / 'sla.db'}"
        else:
            found = cleanup.enter_context(postgres_database("helpdesk_sla"))
        migrate(found)
        yield found


async def seed(url: str) -> None:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as s:
            ava = Agent(username="ava", display_name="Ava", role="agent", password_hash="-", team="orders")
            s.add(ava)
            await s.flush()
            ago = lambda seconds: NOW - timedelta(seconds=seconds)  # noqa: E731
            # late: queued 100 s (standard: missed); close: VIP queued 50 s (warned); answered: with ava, replied
            s.add(Conversation(id="late", mode="queued", queued_at=ago(100), created_at=ago(110)))
            s.add(Conversation(id="close", mode="queued", customer_tier="vip", queued_at=ago(50), created_at=ago(60)))
            s.add(Conversation(id="answered", mode="agent", assigned_agent_id=ava.id, created_at=ago(900)))
            await s.flush()
            s.add_all(
                [
                    Handoff(conversation_id="late", reason="requested", created_at=ago(100)),
                    Handoff(conversation_id="close", reason="complaint", created_at=ago(50)),
                    Handoff(conversation_id="answered", reason="requested", created_at=ago(800)),
                    Message(
                        conversation_id="answered", sender="agent", text="Hi", agent_id=ava.id, created_at=ago(700)
                    ),
                ]
            )
            await s.commit()
    finally:
        await engine.dispose()


async def two_processes_look(url: str, hours: BusinessHours | None = None) -> tuple[list[Any], Any]:
    """Two SLA watches (as in two helpdesk processes) look at once, then again 5 s later: what each published."""
    engine = create_engine(url)
    try:
        sessions = session_factory(engine)
        hubs = MemoryHub(), MemoryHub()
        watches = [SlaWatch(sessions, hub, TARGETS, hours) for hub in hubs]
        results = await asyncio.gather(*(w.check(NOW) for w in watches))
        again = await asyncio.gather(*(w.check(NOW + timedelta(seconds=5)) for w in watches))
        async with sessions() as session:
            rows = (await session.execute(SlaBreach.__table__.select())).all()
            counts = await breach_counts(session, NOW - timedelta(days=1), NOW + timedelta(days=1))
        return [results, again], (rows, counts)
    finally:
        await engine.dispose()


def test_one_breach_per_handoff_and_kind_however_many_processes_look(url: str) -> None:
    asyncio.run(seed(url))
    (first, again), (rows, counts) = asyncio.run(two_processes_look(url))
    published = [e for result in first for e in result]
    breaches = [(e["conversation_id"], e["kind"]) for e in published if e["level"] == "breach"]
    assert breaches == [("late", "queue_wait")]  # once, by one of the two processes
    warnings = sorted((e["conversation_id"], e["kind"]) for e in published if e["level"] == "warning")
    assert warnings == [("close", "queue_wait"), ("close", "queue_wait")]  # each process warns its own consoles
    assert not any(e["conversation_id"] == "answered" for e in published)  # an agent replied: no clock runs
    assert [e for result in again for e in result] == []  # nothing twice
    assert [(r.conversation_id, r.kind, r.tier, r.target_seconds) for r in rows] == [
        ("late", "queue_wait", "standard", 60)
    ]
    assert counts["total"] == 1 and counts["by_tier"] == [{"group": "standard", "breaches": 1}]


def test_nobody_is_alerted_out_of_business_hours(url: str) -> None:
    asyncio.run(seed(url))
    closed = parse_schedule({"time_zone": "UTC", "weekly": {"monday": ["09:00-10:00"]}})
    (first, _), (rows, _) = asyncio.run(two_processes_look(url, closed))
    assert first == [[], []] and rows == []
