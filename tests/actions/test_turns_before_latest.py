"""The tracker's earlier turns as the actions read them (actions/turns.py): each earlier customer message with the
bot's answer to it, newest first; the bot's messages of the turn being answered belong to none; and the readers
built on it (the address given in two messages, "Did you mean" turns in a row, the bot's last messages); the latest
message as the rules read it (traditional Chinese as simplified) and a piece of it as the customer wrote it."""

from __future__ import annotations

import sys
from typing import Any

from rasa_sdk import Tracker

from helpdesk.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT))
from actions.faq import failed_turns_before  # noqa: E402
from actions.forms import earlier_partial_address  # noqa: E402
from actions.texts import address as address_en  # noqa: E402
from actions.texts import routing as routing_en  # noqa: E402
from actions.texts.zh import address as address_zh  # noqa: E402
from actions.turns import as_written, bot_messages_before_latest, said, turns_before_latest  # noqa: E402


def tracker(*turns: tuple[str, list[str]], answering: list[str] | None = None) -> Tracker:
    """A tracker from (customer text, bot texts) turns; `answering`: bot texts already sent for the latest one."""
    events: list[dict[str, Any]] = [{"event": "action", "name": "action_listen"}]
    for text, bot_texts in turns:
        events.append({"event": "user", "text": text, "parse_data": {"intent": {"name": "inform"}}})
        events.extend({"event": "bot", "text": bot} for bot in bot_texts)
        events.append({"event": "action", "name": "action_listen"})
    events.pop()
    events.extend({"event": "bot", "text": bot} for bot in answering or [])
    latest = next(e for e in reversed(events) if e["event"] == "user")
    return Tracker("c1", {}, latest, events, False, None, {}, "action_listen")


def test_earlier_turns_come_newest_first_with_the_bots_answers_in_order() -> None:
    t = tracker(("hi", ["Hello!", "How can I help?"]), ("my order", ["Which one?"]), ("100234", []), answering=["Ok"])
    turns = list(turns_before_latest(t))
    assert [turn.text for turn in turns] == ["my order", "hi"]
    assert [list(turn.bot_texts()) for turn in turns] == [["Which one?"], ["Hello!", "How can I help?"]]
    assert [e["text"] for e in bot_messages_before_latest(t)] == ["Which one?"]


def test_the_first_message_has_no_earlier_turn() -> None:
    t = tracker(("hi", []), answering=["Hello!"])
    assert list(turns_before_latest(t)) == []
    assert list(bot_messages_before_latest(t)) == []
    assert failed_turns_before(t) == 0
    assert earlier_partial_address(t) is None


def test_an_address_in_two_messages_is_read_from_the_turn_before_only() -> None:
    missing_en = address_en.PARTS_MISSING.split("{", 1)[0] + "…"
    missing_zh = address_zh.PARTS_MISSING.split("{", 1)[0] + "…"
    street = "Rue Sainte-Catherine 12"
    assert earlier_partial_address(tracker((street, [missing_en]), ("33000 Bordeaux", []))) == street
    assert earlier_partial_address(tracker((street, [missing_zh]), ("33000 Bordeaux", []))) == street
    assert earlier_partial_address(tracker((street, ["Thanks!"]), ("33000 Bordeaux", []))) is None
    # the parts were missing two turns ago, not in the answer to the message before this one
    assert earlier_partial_address(tracker((street, [missing_en]), ("hm", ["Ok"]), ("33000 Bordeaux", []))) is None
    # a "yes" in between, asked the missing part again: the address is still the one before it (it was "yes")
    yes_between = tracker((street, [missing_en]), ("yes", [missing_en]), ("33000 Bordeaux", []))
    assert earlier_partial_address(yes_between) == street
    yes_in_chinese = tracker((street, [missing_zh]), ("对", [missing_zh]), ("33000 Bordeaux", []))
    assert earlier_partial_address(yes_in_chinese) == street


def test_did_you_mean_turns_are_counted_in_a_row_from_the_latest() -> None:
    suggest = routing_en.SUGGEST
    t = tracker(("a", [suggest]), ("b", ["An answer"]), ("c", [suggest]), ("d", ["x", suggest]), ("e", []))
    assert failed_turns_before(t) == 2


def test_the_rules_read_traditional_chinese_as_simplified_and_keep_what_the_customer_wrote() -> None:
    t = tracker(("hi", ["Hello!"]), ("訂單100234的地址改成台北市信義路五段7號", []))
    assert said(t) == "订单100234的地址改成台北市信义路五段7号"
    # a piece of what the rules read (where to send the order) is kept as the customer wrote it
    assert as_written(t, "台北市信义路五段7号") == "台北市信義路五段7號"
    assert as_written(t, "不在消息里") == "不在消息里"  # not a piece of the message: itself
    english = tracker(("change the address to Rue Sainte-Catherine 12", []))
    assert said(english) == "change the address to Rue Sainte-Catherine 12"
    assert as_written(english, "Rue Sainte-Catherine 12") == "Rue Sainte-Catherine 12"
