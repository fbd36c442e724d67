"""A change-of-mind reason given at a return's "which items?" question instead of the items (lane cust3,
2026-12-07): "不喜欢颜色" got "好的！" and "好，我们继续处理您的订单。…" (read as small talk), "i dont like the colour"
got "Sorry, I couldn't tell which items from order 100218 you mean." Now the reason is acknowledged ("明白，颜色不合您
的心意。", "Got it, the colour isn't right.") and the question comes again with its buttons. Through the running
stack; nothing is booked (each conversation stops at the question, or at the summary after the items).

Order 100218 (Grace Murphy, delivered: a linen tablecloth and a set of tumblers), which these tests only read.
Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100218"
EMAIL = "grace.murphy@example.net"


@pytest.mark.parametrize(
    ("opening", "reason", "acknowledged", "asked"),
    [
        (
            f"i want to return something from order {ORDER}",
            "i dont like the colour",
            "Got it, the colour isn't right.",
            "Which of these would you like to return?",
        ),
        (
            f"i want to return something from order {ORDER}",
            "too small for our table",
            "Got it, the size isn't right.",
            "Which of these would you like to return?",
        ),
        (f"订单{ORDER}想退货", "不喜欢颜色", "明白，颜色不合您的心意。", "您想退回其中哪些？"),
        (f"订单{ORDER}想退货", "尺寸太小了", "明白，尺寸不合适。", "您想退回其中哪些？"),
    ],
)
def test_the_reason_is_acknowledged_and_the_items_asked_again(
    chat: Chat, opening: str, reason: str, acknowledged: str, asked: str
) -> None:
    chat(opening)
    chat(EMAIL)
    chat(reason)
    assert chat.texts[0] == acknowledged, chat.texts
    assert asked in chat.texts[-1], chat.texts
    assert "couldn't tell which items" not in chat.text and "继续处理" not in chat.text and "好的！" not in chat.text
    assert len(chat.buttons) == 3, chat.buttons  # the tablecloth, the tumblers, everything


def test_the_items_named_after_the_reason_are_taken(chat: Chat) -> None:
    chat(f"i want to return something from order {ORDER}")
    chat(EMAIL)
    chat("i dont like the colour")
    chat("the tablecloth")
    assert f"Here's the return for order {ORDER}:" in chat.text and "tablecloth" in chat.text, chat.texts
    chat("no")
    assert f"I haven't booked anything for order {ORDER}" in chat.text, chat.texts


def test_a_reason_with_the_item_takes_the_item(chat: Chat) -> None:
    chat(f"i want to return something from order {ORDER}")
    chat(EMAIL)
    chat("the tablecloth, i dont like the colour")
    assert "Got it" not in chat.text and f"Here's the return for order {ORDER}:" in chat.text, chat.texts
    chat("no")
