"""A change-of-mind reason given instead of the items to return (actions/return_reasons.py)."""

from __future__ import annotations

import pytest

from actions.return_reasons import change_of_mind_said
from actions.texts.catalog import returns as return_texts
from helpdesk import i18n


@pytest.mark.parametrize(
    ("text", "acknowledgement"),
    [
        ("i dont like the colour", "REASON_COLOUR"),
        ("not a fan of the color tbh", "REASON_COLOUR"),
        ("too small for our table", "REASON_SIZE"),
        ("it doesn't fit the bed", "REASON_SIZE"),
        ("doesnt go with our sofa", "REASON_OTHER"),
        ("不喜欢颜色", "REASON_COLOUR"),
        ("尺寸太小了", "REASON_SIZE"),
        ("和沙发不搭", "REASON_OTHER"),
    ],
)
def test_a_reason_is_acknowledged(text: str, acknowledgement: str) -> None:
    language = "zh" if any("\u4e00" <= c <= "\u9fff" for c in text) else "en"
    with i18n.speaking(language):
        assert change_of_mind_said(text) == getattr(return_texts, acknowledgement)


@pytest.mark.parametrize(
    "text",
    [
        "the tablecloth",
        "我要退桌布",
        "yes",
        "the vase arrived broken",
        "颜色发错了",
        "they sent the wrong colour",
        "i dont want to return it anymore",
        "我还是不退了",
    ],
)
def test_no_reason_is_read_where_none_is_given(text: str) -> None:
    assert change_of_mind_said(text) is None
