"""actions/remedy.py: a question about a replacement or a refund is no choice of it ("how long will the replacement
take?" was read as choosing the replacement: lane cen5's walk of 2026-12-07); a choice asked for with a question
around it still is. Messages written for this test."""

from __future__ import annotations

import pytest

from actions.remedy import remedy_said
from helpdesk.orders import ReturnRemedy


@pytest.mark.parametrize(
    "text",
    [
        "how long will the replacement take?",
        "when would the refund come",
        "which is faster, refund or replacement?",
        "ok and how does the refund work?",
        "换货要多久",
        "退款几天到账？",
    ],
)
def test_a_question_about_a_remedy_chooses_none(text: str) -> None:
    assert remedy_said(text) is None


@pytest.mark.parametrize(
    ("text", "remedy"),
    [
        ("can i get a refund?", ReturnRemedy.REFUND),
        ("could you send a new one", ReturnRemedy.REPLACEMENT),
        ("is it possible to get a replacement", ReturnRemedy.REPLACEMENT),
        ("what about a refund", ReturnRemedy.REFUND),
        ("a replacement please", ReturnRemedy.REPLACEMENT),
        ("我要换货，多久能到", ReturnRemedy.REPLACEMENT),
        ("退款吧", ReturnRemedy.REFUND),
    ],
)
def test_a_choice_with_a_question_around_it_is_the_choice(text: str, remedy: ReturnRemedy) -> None:
    assert remedy_said(text) is remedy
