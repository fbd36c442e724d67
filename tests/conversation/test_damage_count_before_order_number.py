"""A damage report whose order number comes in the next message (the walk of 2026-12-07, lane cen4): "one bowl of the
set arrived broken", then "100193" (2 sets of stoneware bowls) and the e-mail offered a replacement or a refund of
both sets, €98.00: the report's words were dropped when the bare number started the return. Now they are read once
the order is open, as when the number comes in the report: one set, €49.00. Through the running stack; the
conversation stops at "replacement or refund?", nothing is booked.

Order 100193 (Lena Schneider, delivered: 2 × stoneware bowls, set of 4, €49.00 each) of the demo shop; no conversation
test books anything on it. Messages written for this test.
"""

from __future__ import annotations

from support.chat import Chat

ORDER = "100193"
EMAIL = "lena.schneider@example.org"


def test_one_broken_bowl_then_the_order_number_is_one_set(chat: Chat) -> None:
    chat("one bowl of the set arrived broken")
    chat(ORDER)
    chat(EMAIL)
    asked = chat.texts[-1]
    assert asked.startswith(f"What would you like for Stoneware bowls, set of 4 from order {ORDER}:"), chat.texts
    assert "€49.00" in asked and "€98.00" not in asked, chat.texts


def test_one_broken_bowl_of_a_set_in_chinese_is_one_set(chat: Chat) -> None:
    """The Chinese twin (the orchestrator's walk, afternoon): "一套碗里有一个碎了" ("in one set of bowls one is broken")
    named no bowls ("碗里": the bowl's one character before 里 was not read as a word), so the return took both sets,
    €98.00, whether the order number came in the message or after it."""
    chat("一套碗里有一个碎了")
    chat(ORDER)
    chat(EMAIL)
    asked = chat.texts[-1]
    assert asked.startswith(f"订单 {ORDER} 的炻瓷碗"), chat.texts
    assert "€49.00" in asked and "€98.00" not in asked, chat.texts
