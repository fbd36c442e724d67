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


def offered(*entries: str) -> list[dict[str, str]]:
    """A "Did you mean" message's buttons for handbook entries, with the way out to a person."""
    buttons = [{"title": e, "payload": '/faq{"faq_id": "' + e + '"}'} for e in entries]
    return [*buttons, {"title": "None of these: talk to a person", "payload": "/request_human"}]


def tracker_with_buttons(*turns: tuple[str, list[dict[str, str]] | None]) -> Tracker:
    """A tracker from (customer text, the "Did you mean" buttons that answered it, or None for an answer) turns."""
    events: list[dict[str, Any]] = []
    for text, buttons in turns:
        events.append({"event": "user", "text": text, "parse_data": {"intent": {"name": "faq"}}})
        if buttons is not None:
            events.append({"event": "bot", "text": SUGGEST_TEXT, "data": {"buttons": buttons}})
    return Tracker("c1", {}, events[-1], events, False, None, {}, "action_listen")


def choices_of(buttons: list[dict[str, str]]) -> frozenset[str]:
    return frozenset(b["payload"] for b in buttons if b["payload"] != "/request_human")


def test_a_new_question_after_a_suggestion_is_not_counted_as_stuck() -> None:
    """The walkthrough of 2026-12-05: "whats the warranty on the casserole" went to a person because the turn before
    had been a "Did you mean" about something else."""
    t = tracker_with_buttons(("hmm the thing with the lid", offered("missing-item")), ("warranty casserole?", None))
    assert failed_turns_before(t, choices_of(offered("warranty", "product-care-cookware"))) == 0


def test_the_same_choices_again_count_as_stuck() -> None:
    t = tracker_with_buttons(("the pan thing", offered("product-care-cookware")), ("pans thing", None))
    assert failed_turns_before(t, choices_of(offered("product-care-cookware"))) == 1
    shared = tracker_with_buttons(
        ("a", offered("warranty", "missing-item")), ("b", offered("missing-item")), ("c", None)
    )
    assert failed_turns_before(shared, choices_of(offered("missing-item", "damaged-item"))) == 2
    assert failed_turns_before(shared, choices_of(offered("warranty"))) == 0  # the newest one is about else
