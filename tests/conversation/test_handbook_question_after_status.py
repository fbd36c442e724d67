"""A handbook question with "it" in it a few messages after an order's status ("the zip on my cushion cover is stuck,
how do i wash it"): the walkthrough of 2026-12-07 saw order 100234's status offered again ("shows nothing newer than
what I told you above": the "stuck" read as the parcel's, the "it" as the order). Through the running stack: the
washing answer, not the order.

Order 100234 (Ann Lee, shipped with DHL) of the demo shop. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100234"
EMAIL = "ann.lee@example.com"


@pytest.mark.parametrize(
    ("asked", "thanks", "question", "answer"),
    [
        (
            f"where is my order {ORDER}",
            "thanks",
            "the zip on my cushion cover is stuck, how do i wash it",
            "care label",
        ),
        (f"我的订单{ORDER}到哪了", "谢谢", "抱枕套的拉链卡住了，这个怎么洗", "洗涤标签"),
    ],
)
def test_a_washing_question_after_a_status_gets_the_washing_answer(
    chat: Chat, asked: str, thanks: str, question: str, answer: str
) -> None:
    chat(asked)
    chat(EMAIL)
    assert "DHL" in chat.text, chat.texts
    chat(thanks)
    chat(question)
    assert ORDER not in chat.text and "carrier" not in chat.text and "承运商" not in chat.text, chat.texts
    assert answer in chat.text and "°C" in chat.text, chat.texts
