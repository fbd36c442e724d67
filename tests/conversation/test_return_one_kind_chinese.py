"""A Chinese return that names one item of several pieces without a count (the session of 2026-12-07): "只退桌布" for
an order with 2 tablecloths put both into the summary, while "only the tablecloth" asks how many. A Chinese noun says
no number: through the running stack, the bot asks how many go back (with the buttons), and a count or 都 says it.

Order 100156 (Ciarán Walsh, delivered: 2 washed linen tablecloths, a throw, a shelf) of the demo shop, which no other
test uses; every conversation stops before the return is booked. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

START = "我想退订单100156的东西 ciaran.walsh@example.org"
ASKS_HOW_MANY = "您想退回其中几件"


@pytest.mark.parametrize("only", ["只退桌布", "桌布", "退桌布就行"])
def test_one_kind_named_without_a_count_asks_how_many(chat: Chat, only: str) -> None:
    chat(START)
    chat(only)
    assert ASKS_HOW_MANY in chat.text, chat.texts
    assert "2 × 水洗亚麻桌布" not in chat.text, chat.texts
    titles = [b["title"] for b in chat.buttons]
    assert len(titles) == 2, titles
    chat(chat.buttons[0]["payload"])  # one of them
    assert "1 × 水洗亚麻桌布" in chat.text, chat.texts


@pytest.mark.parametrize("every", ["两条桌布都退", "桌布都退"])
def test_a_count_or_all_says_how_many(chat: Chat, every: str) -> None:
    chat(START)
    chat(every)
    assert "2 × 水洗亚麻桌布" in chat.text, chat.texts
