"""Business hours through the real stack: in hours a handoff promises a wait; out of hours (a second helpdesk
whose team is away, `closed_helpdesk` in conftest.py) the customer is told when the team is back, no wait is
promised, and a message they leave lands in the queue, marked, with its contact."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from support.agent import HANDOFF_TEXT, Console, hand_off, history, receive_until, say, ws_url
from support.helpdesks import ClosedHelpdesk
from websockets.sync.client import connect

COMPLAINT = "This is unacceptable, the courier threw my parcel over the fence and it broke. I'm furious!"


def back_text(desk: ClosedHelpdesk) -> str:
    return f"on {desk.next_open.strftime('%A')} at 09:00 (Auckland time)"


@pytest.fixture()
def away(closed_helpdesk: ClosedHelpdesk) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=closed_helpdesk.url, timeout=60) as http:
        yield http


@pytest.fixture()
def night_agent(closed_helpdesk: ClosedHelpdesk) -> Iterator[Console]:
    console = Console(closed_helpdesk.url)
    assert console.login(closed_helpdesk.agent.username, closed_helpdesk.agent.password).status_code == 200
    yield console
    console.close()


def queue_entry(console: Console, conversation_id: str) -> dict:
    entries = console.get("/queue").json()["conversations"]
    return next(e for e in entries if e["conversation_id"] == conversation_id)


def leave(client: httpx.Client, conversation_id: str, **body: object) -> httpx.Response:
    return client.post(f"/api/chat/{conversation_id}/offline-message", json=body)


# ---- in hours (the main stack: no schedule, always open) ------------------------------------------------


def test_in_hours_the_team_is_in_and_a_handoff_promises_a_wait(client: httpx.Client) -> None:
    assert client.get("/api/chat/status").json()["business_hours"] == {
        "open": True,
        "next_open": None,
        "time_zone": "UTC",
        "back": None,
        "back_zh": None,
        "back_zh_hant": None,
    }
    body = say(client, HANDOFF_TEXT)
    assert body["mode"] == "queued" and body["handoff"] == {"reason": "requested"}
    assert not any("away" in reply["text"] for reply in body["replies"])
    status = history(client, body["conversation_id"])
    assert status["business_hours"]["open"] is True
    assert status["queue"]["estimated_wait_seconds"] > 0
    assert status["left_message_at"] is None


# ---- out of hours -------------------------------------------------------------------------------------


def test_out_of_hours_the_status_says_when_the_team_is_back(
    away: httpx.Client, closed_helpdesk: ClosedHelpdesk
) -> None:
    hours = away.get("/api/chat/status").json()["business_hours"]
    assert hours["open"] is False
    assert hours["time_zone"] == "Pacific/Auckland"
    assert datetime.fromisoformat(hours["next_open"]) == closed_helpdesk.next_open
    assert hours["back"] == back_text(closed_helpdesk)


def test_a_handoff_out_of_hours_says_when_the_team_is_back_and_promises_no_wait(
    away: httpx.Client, closed_helpdesk: ClosedHelpdesk
) -> None:
    body = say(away, HANDOFF_TEXT)
    assert body["mode"] == "queued" and body["handoff"] == {"reason": "requested"}
    told = body["replies"][-1]["text"]
    assert "Our support team is away right now" in told
    assert f"We're back {back_text(closed_helpdesk)}." in told
    assert "leave us a message" in told

    status = history(away, body["conversation_id"])
    assert status["mode"] == "queued"
    assert status["queue"]["position"] >= 1
    assert status["queue"]["estimated_wait_seconds"] is None
    assert status["business_hours"]["open"] is False and status["business_hours"]["back"] == back_text(closed_helpdesk)
    assert status["left_message_at"] is None
    assert status["messages"][-1]["sender"] == "bot" and status["messages"][-1]["text"] == told  # stored


@pytest.mark.parametrize(
    ("asked", "away_notice", "now"),
    [
        (HANDOFF_TEXT, "Our support team is away right now", ("connecting you", " now.")),
        ("我要找人工客服", "我们的客服团队现在不在线", ("现在为您转接", "正在为您转接")),
    ],
)
def test_a_handoff_out_of_hours_does_not_say_a_person_is_coming_now(
    away: httpx.Client, asked: str, away_notice: str, now: tuple[str, ...]
) -> None:
    """The walkthrough of 2026-12-07 (walk1, phone, 02:58 in Amsterdam): "I need a person" got "Of course. I'm
    connecting you with a member of our support team now." and, right under it, "Our support team is away right
    now. We're back today at 08:30"; in Chinese "我现在为您转接人工客服" then "我们的客服团队现在不在线".
    The bot's words now hold in hours and out of them alike (the conversation goes to the team; the helpdesk says
    when someone comes)."""
    body = say(away, asked)
    assert body["mode"] == "queued" and body["handoff"] == {"reason": "requested"}, body
    *before, told = [reply["text"] for reply in body["replies"]]
    assert away_notice in told, body["replies"]
    assert before and not any(word in text for text in before for word in now), before


def test_every_trigger_out_of_hours_gets_the_same_answer(away: httpx.Client, closed_helpdesk: ClosedHelpdesk) -> None:
    complaint = say(away, COMPLAINT)
    assert complaint["handoff"] == {"reason": "complaint"}
    assert f"We're back {back_text(closed_helpdesk)}." in complaint["replies"][-1]["text"]
    widget = say(away, "/request_human")  # the widget's "Talk to a person" control
    assert widget["handoff"] == {"reason": "requested"}
    assert f"We're back {back_text(closed_helpdesk)}." in widget["replies"][-1]["text"]


def test_a_left_message_lands_queued_and_marked_with_its_contact(
    away: httpx.Client, closed_helpdesk: ClosedHelpdesk, night_agent: Console
) -> None:
    conversation = hand_off(away, "hello")
    before = datetime.now(UTC)
    left = leave(
        away,
        conversation,
        name="Ann Lee",
        email="ann.lee@example.com",
        text="My order 100234 has not arrived, please mail me.",
    )
    assert left.status_code == 201, left.text
    body = left.json()
    assert body["mode"] == "queued"
    customer, confirmation = body["messages"]
    assert (customer["sender"], customer["text"]) == ("customer", "My order 100234 has not arrived, please mail me.")
    assert confirmation["sender"] == "bot"
    assert confirmation["text"] == (
        "Thanks, Ann Lee! We've got your message and will answer by e-mail at ann.lee@example.com, "
        f"or here in this chat, when we're back {back_text(closed_helpdesk)}."
    )

    row = closed_helpdesk.stored(conversation)
    assert row["mode"] == "queued"
    assert json.loads(row["offline_contact"]) == {"name": "Ann Lee", "email": "ann.lee@example.com"}
    left_at = datetime.fromisoformat(row["left_message_at"]).replace(tzinfo=UTC)
    assert before.replace(microsecond=0) <= left_at.replace(microsecond=0) <= datetime.now(UTC)

    entry = queue_entry(night_agent, conversation)
    assert entry["handoff_reason"] == "requested"
    assert entry["preview"] == "My order 100234 has not arrived, please mail me."
    assert entry["offline_message"]["contact"] == {"name": "Ann Lee", "email": "ann.lee@example.com"}
    assert datetime.fromisoformat(entry["offline_message"]["left_at"]) == left_at

    status = history(away, conversation)
    assert datetime.fromisoformat(status["left_message_at"]) == left_at
    assert [m["id"] for m in status["messages"][-2:]] == [customer["id"], confirmation["id"]]

    # a second message keeps the first arrival time and the contact already given
    again = leave(away, conversation, text="Also: the tracking link does not work.")
    assert again.status_code == 201
    assert "by e-mail at ann.lee@example.com" in again.json()["messages"][1]["text"]
    assert queue_entry(night_agent, conversation)["offline_message"]["left_at"] == entry["offline_message"]["left_at"]

    # the agent who comes in sees the message in the transcript, with where to answer
    assert night_agent.post(f"/conversations/{conversation}/claim").status_code == 200
    texts = [m["text"] for m in night_agent.get(f"/conversations/{conversation}").json()["messages"]]
    assert "My order 100234 has not arrived, please mail me." in texts
    assert any("ann.lee@example.com" in text for text in texts)
    night_agent.post(f"/conversations/{conversation}/resolve")


def test_a_message_left_without_contact_or_handoff_first_still_queues(
    away: httpx.Client, closed_helpdesk: ClosedHelpdesk, night_agent: Console
) -> None:
    conversation = say(away, "hello")["conversation_id"]
    left = leave(away, conversation, text="Do you ship to Norway?")
    assert left.status_code == 201
    assert left.json()["messages"][1]["text"] == (
        "Thanks! We've got your message and will answer here in this chat "
        f"when we're back {back_text(closed_helpdesk)}."
    )
    row = closed_helpdesk.stored(conversation)
    assert row["mode"] == "queued" and row["left_message_at"] is not None and row["offline_contact"] is None
    entry = queue_entry(night_agent, conversation)
    assert entry["handoff_reason"] == "left_message"
    assert entry["offline_message"]["contact"] == {}


def test_leaving_a_message_is_refused_when_malformed_unknown_or_an_agent_is_there(
    away: httpx.Client, night_agent: Console
) -> None:
    conversation = hand_off(away)
    for body, problem in (
        ({"text": "  "}, "text is missing"),
        ({"email": "ann@example.com"}, "text is missing"),
        ({"text": "hi", "email": "not an address"}, "e-mail address"),
        ({"text": "hi", "name": ["Ann"]}, "name must be a string"),
        ({"text": "x" * 2001}, "too long"),
    ):
        refused = leave(away, conversation, **body)
        assert refused.status_code == 400 and problem in refused.json()["error"], (body, refused.text)
    bad_json = away.post(f"/api/chat/{conversation}/offline-message", content=b"{nope")
    assert bad_json.status_code == 400
    assert leave(away, "no-such-conversation", text="hello").status_code == 404
    assert stored_mode_and_flag(away, conversation) == ("queued", None)

    assert night_agent.post(f"/conversations/{conversation}/claim").status_code == 200
    busy = leave(away, conversation, text="are you there?")
    assert busy.status_code == 409 and "just send your message" in busy.json()["error"]
    night_agent.post(f"/conversations/{conversation}/resolve")


def stored_mode_and_flag(client: httpx.Client, conversation_id: str) -> tuple[str, str | None]:
    status = history(client, conversation_id)
    return status["mode"], status["left_message_at"]


def test_queue_updates_out_of_hours_carry_no_wait_but_when_the_team_is_back(
    away: httpx.Client, closed_helpdesk: ClosedHelpdesk, night_agent: Console
) -> None:
    first = hand_off(away)
    second = hand_off(away)
    with connect(ws_url(closed_helpdesk.url, f"/api/chat/{second}/ws")) as ws:
        state = receive_until(ws, lambda e: e["type"] == "state")[-1]
        assert state["queue"]["estimated_wait_seconds"] is None
        assert state["business_hours"]["open"] is False and state["left_message_at"] is None
        night_agent.post(f"/conversations/{first}/claim")
        update = receive_until(ws, lambda e: e["type"] == "queue")[-1]
        assert update["position"] == state["queue"]["position"] - 1
        assert update["estimated_wait_seconds"] is None
        assert update["business_hours"]["back"] == back_text(closed_helpdesk)

        leave(away, second, text="Call me back tomorrow please", email="bo@example.org")
        live = receive_until(ws, lambda e: e["type"] == "message" and e["message"]["sender"] == "bot")
        texts = [e["message"]["text"] for e in live if e["type"] == "message"]
        assert texts[0] == "Call me back tomorrow please"
        assert "bo@example.org" in texts[-1]
    night_agent.post(f"/conversations/{first}/resolve")
