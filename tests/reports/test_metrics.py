"""The dashboard's figures (helpdesk/reports/metrics.py) over a seeded history with known timestamps, on a real SQLite
database and a fresh PostgreSQL database, both brought to the schema by the migrations.

The seed, all on 2026-03-10 (UTC) unless noted; `now` is 2026-03-12 12:00 UTC, so every bot episode is over:
  c1  09:00 greet → FAQ answer → goodbye                        contained, answered from the FAQ
  c2  10:00 order_status, bot answers, silence                  contained
  c3  11:00 order_status, bot answers; 13:00 again (2 h later)   two episodes: the first reopened, the second contained
  c4  12:00 VIP asks for a person; ava claims after 60 s, first reply at 90 s, resolves after 600 s; rated 5
  c5  14:00 (whatsapp) low confidence; ben claims after 300 s, replies at 360 s, transfers to ava after 120 s;
      ava resolves after 600 s; rated 2 (ava's); a follow-up task 1 s after the rating
  c6  15:00 complaint handoff, never claimed
  c9  16:00 asks for a person; ben claims after 120 s, replies at 180 s, hands back after 120 s; goodbye at 16:10
  c7  23:30 greet (00:30 on 11 March in Amsterdam)            no answer: not resolved (silence alone never counts)
  c8  9 March 23:30 greet (00:30 on 10 March in Amsterdam)
(bot answers that asked "Did this help?" carry asks_feedback, as helpdesk/conversation/feedback.py stores them)

12 March, the day `now` falls in (12:00 UTC), for containment with episodes in progress:
  d1  08:00 order_status, answered, 👍, silence                 bot-resolved (the customer said it helped)
  d2  09:00 FAQ answer, 👎                                       not resolved
  d3  10:00 FAQ answer, "thanks"                                bot-resolved (thanks after an answer)
  d4  11:00 FAQ answer, silence since 11:00:03                   awaiting: ended after an answer under 24 h ago
  d6  10:30 greet, "Hello!", silence                             not resolved (no answer)
  d5  11:50 question answered 11:50:02: under 30 min            in progress (bot)
  d7  11:30 asks for a person, ava has it                       in progress (with an agent)
  hand-computed containment: finished with a known outcome d1 d2 d3 d6 → 2 of 4 = 50 %
  (the old rule, silence = success and in-progress handoffs counted, said d1 d2 d3 d4 d6 of 6 = 83 %)
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from support.helpdesks import postgres_database

from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.db.models import (
    Agent,
    Assignment,
    Conversation,
    FollowUp,
    Handoff,
    Message,
    Rating,
)
from helpdesk.reports.metrics import (
    Filters,
    agent_directory,
    conversations_behind,
    csv_rows,
    load_episodes,
    report,
)
from helpdesk.reports.periods import DateRange, RangeError

NOW = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
SLA = 120


def at(hour: int, minute: int, second: int = 0, day: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, minute, second, tzinfo=UTC)


def nlu(intent: str) -> dict[str, Any]:
    return {"intent": intent, "confidence": 0.9, "ranking": [{"name": intent, "confidence": 0.9}], "entities": []}


async def seed(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as s:
            ava = Agent(username="ava", display_name="Ava Tester", role="agent", password_hash="-", team="orders")
            ben = Agent(username="ben", display_name="Ben Tester", role="agent", password_hash="-", team="returns")
            sue = Agent(username="sue", display_name="Sue Tester", role="supervisor", password_hash="-")
            s.add_all([ava, ben, sue])
            await s.flush()

            stints: list[Assignment] = []  # added once the conversations are stored (no ORM relationship orders them)

            def conversation(cid: str, mode: str, created: datetime, **extra: Any) -> None:
                s.add(Conversation(id=cid, mode=mode, created_at=created, updated_at=created, **extra))

            def msg(cid: str, sender: str, when: datetime, text: str = "…", **extra: Any) -> None:
                s.add(Message(conversation_id=cid, sender=sender, text=text, created_at=when, **extra))

            # c1: FAQ answer, then goodbye
            conversation("c1", "bot", at(9, 0))
            msg("c1", "customer", at(9, 0, 0), "hi", nlu=nlu("greet"))
            msg("c1", "bot", at(9, 0, 2), "Hello!")
            msg("c1", "customer", at(9, 1, 0), "what is your refund policy", nlu=nlu("nlu_fallback"))
            msg("c1", "bot", at(9, 1, 3), "30 days…", faq={"id": "refund-policy", "score": 0.91})
            msg("c1", "customer", at(9, 2, 0), "bye", nlu=nlu("goodbye"))
            msg("c1", "bot", at(9, 2, 1), "Bye!")
            # c2: answered, then silence
            conversation("c2", "bot", at(10, 0))
            msg("c2", "customer", at(10, 0, 0), "where is my order", nlu=nlu("order_status"))
            msg("c2", "bot", at(10, 0, 4), "It has shipped.", asks_feedback=True)
            # c3: back two hours later: the first episode was not resolved
            conversation("c3", "bot", at(11, 0))
            msg("c3", "customer", at(11, 0, 0), "where is my order", nlu=nlu("order_status"))
            msg("c3", "bot", at(11, 0, 5), "It has shipped.", asks_feedback=True)
            msg("c3", "customer", at(13, 0, 0), "it still is not here", nlu=nlu("order_status"))
            msg("c3", "bot", at(13, 0, 3), "Give it a day.", asks_feedback=True)
            # c4: VIP, requested, ava, resolved, rated 5
            conversation(
                "c4", "closed", at(12, 0), customer_tier="vip", queued_at=at(12, 0, 1), closed_at=at(12, 11, 1)
            )
            msg("c4", "customer", at(12, 0, 0), "a person please", nlu=nlu("request_human"))
            msg("c4", "bot", at(12, 0, 1), "Connecting you.")
            s.add(Handoff(conversation_id="c4", reason="requested", created_at=at(12, 0, 1)))
            a4 = Assignment(
                conversation_id="c4",
                agent_id=ava.id,
                assigned_at=at(12, 1, 1),
                ended_at=at(12, 11, 1),
                end_reason="resolved",
            )
            stints.append(a4)
            msg("c4", "system", at(12, 1, 1), "Ava Tester has joined the chat.")
            msg("c4", "agent", at(12, 1, 31), "Hi, Ava here.", agent_id=ava.id)
            msg("c4", "customer", at(12, 5, 0), "thanks, that helps")
            msg("c4", "system", at(12, 11, 1), "Ava Tester closed the chat.")
            # c5: whatsapp, low confidence, ben then ava, rated 2, follow-up
            conversation("c5", "closed", at(14, 0), channel="whatsapp", queued_at=at(14, 0, 2), closed_at=at(14, 17, 2))
            msg("c5", "customer", at(14, 0, 0), "my blender smells of smoke", nlu=nlu("nlu_fallback"))
            msg("c5", "bot", at(14, 0, 2), "Let me find a person.")
            h5 = Handoff(conversation_id="c5", reason="low_confidence", created_at=at(14, 0, 2))
            s.add(h5)
            stints.append(
                Assignment(
                    conversation_id="c5",
                    agent_id=ben.id,
                    assigned_at=at(14, 5, 2),
                    ended_at=at(14, 7, 2),
                    end_reason="transferred",
                )
            )
            a5 = Assignment(
                conversation_id="c5",
                agent_id=ava.id,
                assigned_at=at(14, 7, 2),
                ended_at=at(14, 17, 2),
                end_reason="resolved",
            )
            stints.append(a5)
            msg("c5", "system", at(14, 5, 2), "Ben Tester has joined the chat.")
            msg("c5", "agent", at(14, 6, 2), "Oh no, let me look.", agent_id=ben.id)
            msg("c5", "system", at(14, 7, 2), "Ava Tester has joined the chat.")
            msg("c5", "system", at(14, 17, 2), "Ava Tester closed the chat.")
            # c6: complaint, never claimed
            conversation("c6", "queued", at(15, 0), queued_at=at(15, 0, 1))
            msg("c6", "customer", at(15, 0, 0), "this is outrageous", nlu=nlu("complaint"))
            msg("c6", "bot", at(15, 0, 1), "I'm sorry: a colleague will take over.")
            s.add(Handoff(conversation_id="c6", reason="complaint", created_at=at(15, 0, 1)))
            # c9: requested, ben, handed back, goodbye
            conversation("c9", "bot", at(16, 0), queued_at=at(16, 0, 1))
            msg("c9", "customer", at(16, 0, 0), "a person please", nlu=nlu("request_human"))
            msg("c9", "bot", at(16, 0, 1), "Connecting you.")
            s.add(Handoff(conversation_id="c9", reason="requested", created_at=at(16, 0, 1)))
            stints.append(
                Assignment(
                    conversation_id="c9",
                    agent_id=ben.id,
                    assigned_at=at(16, 2, 1),
                    ended_at=at(16, 4, 1),
                    end_reason="handed_back",
                )
            )
            msg("c9", "system", at(16, 2, 1), "Ben Tester has joined the chat.")
            msg("c9", "agent", at(16, 3, 1), "The bot can do this one.", agent_id=ben.id)
            msg("c9", "system", at(16, 4, 1), "You're back with our virtual assistant.")
            msg("c9", "customer", at(16, 10, 0), "ok bye", nlu=nlu("goodbye"))
            msg("c9", "bot", at(16, 10, 1), "Bye!")
            # c7 and c8: the time-zone edges
            conversation("c7", "bot", at(23, 30))
            msg("c7", "customer", at(23, 30, 0), "hello", nlu=nlu("greet"))
            msg("c7", "bot", at(23, 30, 2), "Hello!")
            conversation("c8", "bot", at(23, 30, day=9))
            msg("c8", "customer", at(23, 30, 0, day=9), "hello", nlu=nlu("greet"))
            msg("c8", "bot", at(23, 30, 1, day=9), "Hello!")

            # 12 March
            def day12(hour: int, minute: int, second: int = 0) -> datetime:
                return at(hour, minute, second, day=12)

            conversation("d1", "bot", day12(8, 0))
            msg("d1", "customer", day12(8, 0), "where is order 100200", nlu=nlu("order_status"))
            msg("d1", "bot", day12(8, 0, 3), "It has shipped.", asks_feedback=True, helpful=True)
            conversation("d2", "bot", day12(9, 0))
            msg("d2", "customer", day12(9, 0), "can I pay by invoice", nlu=nlu("nlu_fallback"))
            msg(
                "d2",
                "bot",
                day12(9, 0, 2),
                "Cards only…",
                faq={"id": "payment-methods", "score": 0.8},
                asks_feedback=True,
                helpful=False,
            )
            conversation("d3", "bot", day12(10, 0))
            msg("d3", "customer", day12(10, 0), "how long is delivery", nlu=nlu("nlu_fallback"))
            msg(
                "d3", "bot", day12(10, 0, 2), "3-5 days.", faq={"id": "delivery-time", "score": 0.9}, asks_feedback=True
            )
            msg("d3", "customer", day12(10, 1), "thanks!", nlu=nlu("thank"))
            msg("d3", "bot", day12(10, 1, 1), "You're welcome!")
            conversation("d4", "bot", day12(11, 0))
            msg("d4", "customer", day12(11, 0), "do you ship abroad", nlu=nlu("nlu_fallback"))
            msg(
                "d4",
                "bot",
                day12(11, 0, 3),
                "To the EU.",
                faq={"id": "delivery-options", "score": 0.8},
                asks_feedback=True,
            )
            conversation("d6", "bot", day12(10, 30))
            msg("d6", "customer", day12(10, 30), "hello", nlu=nlu("greet"))
            msg("d6", "bot", day12(10, 30, 1), "Hello!")
            conversation("d5", "bot", day12(11, 50))
            msg("d5", "customer", day12(11, 50), "where is order 100201", nlu=nlu("order_status"))
            msg("d5", "bot", day12(11, 50, 2), "It is packed.", asks_feedback=True)
            conversation("d7", "agent", day12(11, 30), queued_at=day12(11, 30, 1), assigned_agent_id=ava.id)
            msg("d7", "customer", day12(11, 30), "a person please", nlu=nlu("request_human"))
            msg("d7", "bot", day12(11, 30, 1), "Connecting you.")
            s.add(Handoff(conversation_id="d7", reason="requested", created_at=day12(11, 30, 1)))
            stints.append(Assignment(conversation_id="d7", agent_id=ava.id, assigned_at=day12(11, 31, 1)))
            await s.flush()
            s.add_all(stints)
            await s.flush()
            s.add(Rating(conversation_id="c4", assignment_id=a4.id, agent_id=ava.id, score=5, created_at=at(12, 12, 1)))
            s.add(Rating(conversation_id="c5", assignment_id=a5.id, agent_id=ava.id, score=2, created_at=at(14, 18, 2)))
            s.add(FollowUp(conversation_id="c5", handoff_id=h5.id, reason="low_rating", created_at=at(14, 18, 3)))
            await s.commit()
            return {"ava": ava.id, "ben": ben.id, "sue": sue.id}
    finally:
        await engine.dispose()


async def _figures(url: str, span: DateRange, filters: Filters) -> dict[str, Any]:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as s:
            episodes = await load_episodes(s, span.start, span.end, NOW)
            directory = await agent_directory(s)
        return report(episodes, directory, span, filters, SLA, NOW)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[str, int]]]:
    """A migrated database holding the seed: (URL, agent ids by username)."""
    with contextlib.ExitStack() as cleanup:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('metrics') / 'metrics.db'}"
        else:
            url = cleanup.enter_context(postgres_database("helpdesk_metrics"))  # dropped afterwards
        migrate(url)
        ids = asyncio.run(seed(url))
        yield url, ids


def figures(
    seeded: tuple[str, dict[str, int]], first: str, last: str, tz: str = "UTC", **filters: Any
) -> dict[str, Any]:
    url, _ = seeded
    return asyncio.run(_figures(url, DateRange.parse(first, last, tz), Filters(**filters)))


def test_every_figure_for_a_day_in_utc(seeded: tuple[str, dict[str, int]]) -> None:
    data = figures(seeded, "2026-03-10", "2026-03-10")
    s = data["summary"]
    assert s["conversations"] == 9  # c3 twice; c8 was on the 9th
    assert (s["finished"], s["in_progress"]) == (8, 1)  # c6 still waits in the queue
    # c1, c2, c3's second episode; not c3's first (came back), c7 (no answer), nor the handed-off c4 c5 c9
    assert (s["decided"], s["contained"], s["containment_rate"], s["awaiting"]) == (8, 3, 0.375, 0)
    assert (s["handed_off"], s["handoff_rate"]) == (4, 0.4444)
    assert (s["resolved_by_agent"], s["resolution_rate"]) == (2, 0.5)
    assert s["bot_first_response"] == {"count": 9, "mean": 2.3, "median": 2.0, "p90": 5.0}
    assert s["agent_first_response"] == {"count": 3, "mean": 210.0, "median": 180.0, "p90": 360.0}
    # c4 60 s, c9 120 s, c5 300 s, and c6 still waiting: 45 h less a second by now
    assert s["queue_wait"] == {"count": 4, "mean": 40619.8, "median": 210.0, "p90": 161999.0}
    assert s["waiting_now"] == 1
    assert s["handling_time"] == {"count": 4, "mean": 360.0, "median": 360.0, "p90": 600.0}
    assert s["csat"] == {"count": 2, "average": 3.5, "distribution": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}}
    assert s["messages_per_conversation"] == 3.11  # 28 customer, bot and agent messages over 9

    assert data["handoff_reasons"] == [
        {"reason": "requested", "count": 2, "rate": 0.2222},
        {"reason": "complaint", "count": 1, "rate": 0.1111},
        {"reason": "low_confidence", "count": 1, "rate": 0.1111},
    ]
    sla = data["queue_sla"]
    assert sla["target_seconds"] == SLA
    assert sla["by_tier"] == [
        {
            "tier": "standard",
            "target_seconds": SLA,
            "handed_off": 3,
            "claimed": 2,
            "unclaimed_over_target": 1,  # c6
            "within_target": 1,  # c9 at exactly 120 s
            "within_target_share": 0.3333,
            "wait": {"count": 2, "mean": 210.0, "median": 210.0, "p90": 300.0},
            "wait_with_waiting": {"count": 3, "mean": 54139.7, "median": 300.0, "p90": 161999.0},
        },
        {
            "tier": "vip",
            "target_seconds": SLA,
            "handed_off": 1,
            "claimed": 1,
            "unclaimed_over_target": 0,
            "within_target": 1,
            "within_target_share": 1.0,
            "wait": {"count": 1, "mean": 60.0, "median": 60.0, "p90": 60.0},
            "wait_with_waiting": {"count": 1, "mean": 60.0, "median": 60.0, "p90": 60.0},
        },
    ]
    hours = {row["hour"]: row["conversations"] for row in data["volume"]["by_hour"]}
    assert hours == {h: (1 if h in (9, 10, 11, 12, 13, 14, 15, 16, 23) else 0) for h in range(24)}
    assert data["volume"]["by_day"] == [{"day": "2026-03-10", "conversations": 9}]


def test_the_process_funnel(seeded: tuple[str, dict[str, int]]) -> None:
    funnel = figures(seeded, "2026-03-10", "2026-03-10")["funnel"]
    assert funnel["stages"] == {
        "intake": {"count": 9, "finished": 8, "in_progress": 1},
        "triage": {"count": 9, "bot_understood": 4, "faq": 1, "handoff": 4},
        "outcome": {
            "count": 9,
            "bot_resolved": 3,
            "bot_awaiting": 0,
            "bot_unresolved": 2,
            "bot_in_progress": 0,
            "agent_resolved": 2,
            "agent_not_resolved": 1,
            "with_agent": 0,
            "waiting": 1,
            "left_unclaimed": 0,
        },
        "feedback": {"count": 2, "rated_high": 1, "rated_3": 0, "rated_low": 1},
        "follow_up": {"count": 1, "by_reason": {"low_rating": 1}},
    }
    assert_boxes_equal_their_rows(funnel)
    assert funnel["median_seconds"] == {
        "intake_to_triage": 2.0,
        "triage_to_bot_resolved": 0.0,  # c1 119 s, c2, c3's second episode and c7 0 s
        "triage_to_agent": 120.0,
        "outcome_to_feedback": 60.0,
        "feedback_to_follow_up": 1.0,
    }


def assert_boxes_equal_their_rows(funnel: dict[str, Any]) -> None:
    stages = funnel["stages"]
    assert stages["intake"]["count"] == stages["intake"]["finished"] + stages["intake"]["in_progress"]
    for name in ("triage", "outcome", "feedback"):
        rows = {k: v for k, v in stages[name].items() if k != "count"}
        assert stages[name]["count"] == sum(rows.values()), name
    assert stages["follow_up"]["count"] == sum(stages["follow_up"]["by_reason"].values())


def test_containment_of_a_day_with_chats_in_progress_equals_the_hand_computed_figure(
    seeded: tuple[str, dict[str, int]],
) -> None:
    data = figures(seeded, "2026-03-12", "2026-03-12")
    s = data["summary"]
    assert (s["conversations"], s["finished"], s["in_progress"]) == (7, 5, 2)  # d5 with the bot, d7 with ava
    assert (s["contained"], s["decided"], s["containment_rate"]) == (2, 4, 0.5)  # d1 d3 of d1 d2 d3 d6
    assert s["awaiting"] == 1  # d4
    outcome = data["funnel"]["stages"]["outcome"]
    assert (outcome["bot_in_progress"], outcome["with_agent"], outcome["bot_awaiting"]) == (1, 1, 1)
    assert_boxes_equal_their_rows(data["funnel"])

    url, _ = seeded

    async def behind(figure: str) -> list[str]:
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as session:
                span = DateRange.parse("2026-03-12", "2026-03-12", "UTC")
                episodes = await load_episodes(session, span.start, span.end, NOW)
                directory = await agent_directory(session)
            listed = conversations_behind(episodes, directory, Filters(), figure, SLA, NOW)
            return sorted(row["conversation_id"] for row in listed["conversations"])
        finally:
            await engine.dispose()

    # every figure clicks through to the conversations it counts
    assert asyncio.run(behind("contained")) == ["d1", "d3"]
    assert asyncio.run(behind("decided")) == ["d1", "d2", "d3", "d6"]
    assert asyncio.run(behind("in_progress")) == ["d5", "d7"]
    assert asyncio.run(behind("bot_awaiting")) == ["d4"]
    assert asyncio.run(behind("by_intent:nlu_fallback")) == ["d2", "d3", "d4"]
    assert asyncio.run(behind("by_agent:Ava Tester")) == ["d7"]


def test_a_day_in_amsterdam_starts_and_ends_an_hour_earlier(seeded: tuple[str, dict[str, int]]) -> None:
    data = figures(seeded, "2026-03-10", "2026-03-10", "Europe/Amsterdam")
    assert data["range"]["start_utc"] == "2026-03-09T23:00:00+00:00"
    assert data["range"]["end_utc"] == "2026-03-10T23:00:00+00:00"
    assert data["summary"]["conversations"] == 9  # c8 (00:30 local) is in, c7 (00:30 on the 11th) is out
    hours = {row["hour"]: row["conversations"] for row in data["volume"]["by_hour"]}
    assert hours[0] == 1 and hours[23] == 0  # c8 at 00:30 local; nothing at 23:xx local
    assert [h for h, n in hours.items() if n] == [0, 10, 11, 12, 13, 14, 15, 16, 17]
    next_day = figures(seeded, "2026-03-11", "2026-03-11", "Europe/Amsterdam")
    assert next_day["summary"]["conversations"] == 1  # c7
    assert next_day["volume"]["by_day"] == [{"day": "2026-03-11", "conversations": 1}]
    assert figures(seeded, "2026-03-11", "2026-03-11")["summary"]["conversations"] == 0  # UTC: nothing on the 11th


def test_an_empty_range(seeded: tuple[str, dict[str, int]]) -> None:
    data = figures(seeded, "2026-02-01", "2026-02-02")
    s = data["summary"]
    assert s["conversations"] == 0
    assert s["containment_rate"] is None and s["handoff_rate"] is None and s["resolution_rate"] is None
    assert s["bot_first_response"] == {"count": 0, "mean": None, "median": None, "p90": None}
    assert s["csat"] == {"count": 0, "average": None, "distribution": {str(i): 0 for i in range(1, 6)}}
    assert s["messages_per_conversation"] is None
    assert data["handoff_reasons"] == [] and data["queue_sla"]["by_tier"] == []
    assert data["volume"]["by_day"] == [
        {"day": "2026-02-01", "conversations": 0},
        {"day": "2026-02-02", "conversations": 0},
    ]
    assert data["funnel"]["stages"]["intake"] == {"count": 0, "finished": 0, "in_progress": 0}
    assert set(data["funnel"]["median_seconds"].values()) == {None}
    assert data["by_intent"] == [] and data["by_agent"] == []


def test_filters_by_channel_intent_agent_and_team(seeded: tuple[str, dict[str, int]]) -> None:
    _, ids = seeded
    day = ("2026-03-10", "2026-03-10")
    whatsapp = figures(seeded, *day, channel="whatsapp")["summary"]
    assert (whatsapp["conversations"], whatsapp["handoff_rate"], whatsapp["csat"]["average"]) == (1, 1.0, 2.0)

    orders = figures(seeded, *day, intent="order_status")["summary"]
    assert (orders["conversations"], orders["containment_rate"]) == (3, 0.6667)

    ava = figures(seeded, *day, agent_id=ids["ava"])["summary"]
    assert ava["conversations"] == 2  # c4 and c5
    assert ava["handling_time"] == {"count": 2, "mean": 600.0, "median": 600.0, "p90": 600.0}  # her stints only
    assert ava["csat"]["average"] == 3.5

    ben = figures(seeded, *day, agent_id=ids["ben"])["summary"]
    assert ben["conversations"] == 2  # c5 and c9
    assert ben["handling_time"]["mean"] == 120.0
    assert ben["csat"]["count"] == 0  # c5's rating was for ava, who resolved it
    assert figures(seeded, *day, team="returns")["summary"] == ben
    assert figures(seeded, *day, team="orders", agent_id=ids["ben"])["summary"]["conversations"] == 0


def test_breakdowns_and_choices(seeded: tuple[str, dict[str, int]]) -> None:
    data = figures(seeded, "2026-03-10", "2026-03-10")
    by_agent = {row["group"]: row for row in data["by_agent"]}
    assert set(by_agent) == {"Ava Tester", "Ben Tester"}
    assert (by_agent["Ava Tester"]["conversations"], by_agent["Ava Tester"]["handling_time_mean"]) == (2, 600.0)
    assert (by_agent["Ben Tester"]["csat_count"], by_agent["Ben Tester"]["resolution_rate"]) == (0, 0.5)
    assert [(r["group"], r["conversations"]) for r in data["by_channel"]] == [("web", 8), ("whatsapp", 1)]
    by_intent = {row["group"]: row["conversations"] for row in data["by_intent"]}
    assert by_intent == {"greet": 2, "order_status": 3, "request_human": 2, "nlu_fallback": 1, "complaint": 1}
    assert [r["group"] for r in data["by_team"]] == ["orders", "returns"]
    assert data["choices"]["channels"] == ["web", "whatsapp"]
    assert data["choices"]["teams"] == ["orders", "returns"]


def test_csv_rows_carry_the_same_figures(seeded: tuple[str, dict[str, int]]) -> None:
    rows = csv_rows(figures(seeded, "2026-03-10", "2026-03-10"))
    found = {(section, group, metric): value for section, group, metric, value in rows}
    assert found[("summary", "", "conversations")] == 9
    assert found[("summary", "", "containment_rate")] == 0.375
    assert found[("summary", "", "csat.distribution.2")] == 1
    assert found[("handoff_reason", "requested", "count")] == 2
    assert found[("queue_sla", "vip", "within_target_share")] == 1.0
    assert found[("volume_by_hour", "23", "conversations")] == 1
    assert found[("funnel", "triage", "faq")] == 1
    assert found[("funnel", "outcome", "waiting")] == 1
    assert found[("funnel", "median_seconds", "triage_to_agent")] == 120.0
    assert found[("by_agent", "Ava Tester", "conversations")] == 2


def test_queue_wait_targets_per_tier(seeded: tuple[str, dict[str, int]]) -> None:
    url, _ = seeded

    async def run() -> dict[str, Any]:
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as s:
                span = DateRange.parse("2026-03-10", "2026-03-10", "UTC")
                episodes = await load_episodes(s, span.start, span.end, NOW)
                directory = await agent_directory(s)
            return report(episodes, directory, span, Filters(), {"standard": 300, "vip": 30}, NOW)
        finally:
            await engine.dispose()

    tiers = {row["tier"]: row for row in asyncio.run(run())["queue_sla"]["by_tier"]}
    # standard 300 s: c5 (300 s) and c9 (120 s) within, c6 still waiting past it; vip 30 s: c4 (60 s) missed
    assert (tiers["standard"]["target_seconds"], tiers["standard"]["within_target"]) == (300, 2)
    assert (tiers["vip"]["target_seconds"], tiers["vip"]["within_target"], tiers["vip"]["claimed"]) == (30, 0, 1)


def test_bad_ranges_are_refused() -> None:
    with pytest.raises(RangeError):
        DateRange.parse("2026-03-10", "2026-03-09", "UTC")
    with pytest.raises(RangeError):
        DateRange.parse("2026-03-10", "2026-03-10", "Mars/Olympus_Mons")
    with pytest.raises(RangeError):
        DateRange.parse("10/03/2026", None, None)
    with pytest.raises(RangeError):
        DateRange.parse("2024-01-01", "2026-01-01", None)
    default = DateRange.parse(None, None, "Europe/Amsterdam", today=date(2026, 3, 29))
    assert (default.first, default.last) == (date(2026, 3, 23), date(2026, 3, 29))
    # the day the clocks go forward has 23 hours
    assert default.end - DateRange.parse("2026-03-29", "2026-03-29", "Europe/Amsterdam").start == timedelta(hours=23)
