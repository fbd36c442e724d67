"""actions/status_again.py: a status that has not moved ("tracking hasnt moved", "物流五天没更新了") is read as that
only right after the order's status was given (in the bot's replies to the customer's last few messages); "stuck" long
after is about something else. Trackers built from events; messages written for this test."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from rasa_sdk import Tracker

from helpdesk.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT))
from actions.status_again import says_status_stuck, status_again_for_stuck  # noqa: E402

STATUS = "Order 100234 shipped on Saturday 5 December with DHL."


def tracker(*turns: tuple[str, list[str]]) -> Tracker:
    """(customer text, bot texts) turns, the last one's text the latest message; order 100234's status checked."""
    events: list[dict[str, Any]] = []
    for text, bot_texts in turns:
        events.append({"event": "user", "text": text, "parse_data": {"intent": {"name": "faq"}}})
        events.extend({"event": "bot", "text": bot} for bot in bot_texts)
    slots = {"order_id": "100234", "last_flow": "order_status"}
    return Tracker("c1", slots, events[-1], events, False, None, {}, "action_listen")


@pytest.mark.parametrize(
    "text", ["tracking hasnt moved in 5 days, this is ridiculous", "it still says the same thing", "物流五天没更新了"]
)
def test_a_stuck_status_right_after_it_was_given_asks_for_it_again(text: str) -> None:
    assert says_status_stuck(text)
    checked = tracker(("where is 100234", ["E-mail?"]), ("ann@x.com", [STATUS]), (text, []))
    events = status_again_for_stuck(checked, text)
    assert events is not None and events[0]["value"] == "order_status"


def test_stuck_long_after_the_status_is_something_else() -> None:
    text = "the zip on my cushion is stuck"
    earlier = [("where is 100234", ["E-mail?"]), ("ann@x.com", [STATUS])]
    later = [("how long do refunds take", ["5 days"]), ("do you ship to norway", ["Yes"]), ("payment?", ["Cards"])]
    assert status_again_for_stuck(tracker(*earlier, *later, (text, [])), text) is None


@pytest.mark.parametrize("text", ["where is my order", "thanks!", "我的订单到哪了", "i never got it"])
def test_other_messages_are_not_a_stuck_status(text: str) -> None:
    assert not says_status_stuck(text)


@pytest.mark.parametrize(
    "text",
    [
        "the zip on my cushion cover is stuck, how do i wash it",
        "抱枕套的拉链卡住了，这个怎么洗",
        "this drawer is stuck",
        "the lid of the jar is stuck",
    ],
)
def test_another_thing_stuck_right_after_the_status_is_not_the_status(text: str) -> None:
    assert not says_status_stuck(text)
    checked = tracker(
        ("where is 100234", ["E-mail?"]), ("ann@x.com", [STATUS]), ("thanks", ["You're welcome!"]), (text, [])
    )
    assert status_again_for_stuck(checked, text) is None


@pytest.mark.parametrize(
    "text",
    [
        "my parcel is stuck in customs",
        "the candles are stuck in customs",
        "ive waited a whole week and its still stuck",
        "the dhl tracking is stuck",
    ],
)
def test_the_order_or_its_tracking_stuck_is_the_status(text: str) -> None:
    assert says_status_stuck(text)
