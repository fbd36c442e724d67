"""The handbook answers that offer to carry out an order request given the order number (actions/handbook_followup.py
INVITED_FLOWS) exist in the handbook and do offer it: a renamed entry or a reworded answer must not leave the mapping
pointing at nothing. Through the stack: tests/conversation/test_routing_followups.py."""

from __future__ import annotations

import pytest

from actions.handbook_followup import BARE_QUESTION_RE, INVITED_FLOWS, PRONOUN_RE, subject_of, subjects_of
from helpdesk.config import PROJECT_ROOT
from helpdesk.knowledge.handbook import load_handbook


@pytest.mark.parametrize("entry_id", sorted(INVITED_FLOWS))
def test_each_inviting_entry_asks_for_the_order_number(entry_id: str) -> None:
    entries = load_handbook(PROJECT_ROOT / "knowledge" / "faq").entries
    assert entry_id in entries
    assert "order number" in entries[entry_id].answer


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("can i pay with them for sale items", True),
        ("are they valid abroad", True),
        ("can i use it on sale items", True),
        ("is it possible to pay later", False),
        ("what is it made of", False),
    ],
)
def test_a_pronoun_naming_the_subject_is_found(text: str, names: bool) -> None:
    assert bool(PRONOUN_RE.search(text)) is names


@pytest.mark.parametrize(
    ("text", "bare"),
    [("how much", True), ("and how long does it take?", True), ("how do i return an item?", False)],
)
def test_a_question_with_nothing_but_the_asking_is_bare(text: str, bare: bool) -> None:
    assert bool(BARE_QUESTION_RE.match(text)) is bare


def test_the_subject_is_the_entrys_own_tag_not_its_section() -> None:
    assert subject_of(("gifts", "gift-wrapping", "orders")) == "gift wrapping"
    assert subject_of(("products", "candles")) == "candles"
    assert subject_of(("delivery", "shipping")) == "delivery"


def test_a_lone_word_subject_is_tried_with_its_section_too() -> None:
    assert subjects_of(("delivery", "international")) == ["international", "international delivery"]
    assert subjects_of(("gifts", "gift-wrapping", "orders")) == ["gift wrapping"]  # a compound names itself
    assert subjects_of(("delivery", "shipping")) == ["delivery"]  # broad only: nothing to add
    assert subjects_of(("care",)) == ["care"] and subjects_of(()) == []
