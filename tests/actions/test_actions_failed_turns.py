"""Counting the bot's failed turns in a row (two "Did you mean" replies in a row → a person takes over)."""

from __future__ import annotations

import sys
from typing import Any

from rasa_sdk import Tracker

from helpdesk.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT))
from actions.faq import failed_turns_before  # noqa: E402
from actions.texts.routing import SUGGEST as SUGGEST_TEXT  # noqa: E402


def tracker(*turns: tuple[str, list[str]]) -> Tracker:
    """A tracker from (customer text, bot texts) turns; the last turn's bot texts are not yet sent."""
    events: list[dict[str, Any]] = []
    for text, bot_texts in turns:
        events.append({"event": "user", "text": text, "parse_data": {"intent": {"name": "faq"}}})
        events.extend({"event": "bot", "text": bot} for bot in bot_texts)
    return Tracker(
        "c1", {}, events[-1 if events[-1]["event"] == "user" else 0], events, False, None, {}, "action_listen"
    )


def test_first_turn_has_no_failures() -> None:
    assert failed_turns_before(tracker(("hello?", []))) == 0


def test_one_suggestion_before_counts_one() -> None:
    assert failed_turns_before(tracker(("wibble", [SUGGEST_TEXT]), ("wobble", []))) == 1


def test_an_answer_in_between_resets_the_count() -> None:
    turns = (("wibble", [SUGGEST_TEXT]), ("how long is delivery", ["3-5 days"]), ("wobble", []))
    assert failed_turns_before(tracker(*turns)) == 0


def test_two_suggestions_in_a_row_count_two() -> None:
    turns = (("a", [SUGGEST_TEXT]), ("b", [SUGGEST_TEXT]), ("c", []))
    assert failed_turns_before(tracker(*turns)) == 2
