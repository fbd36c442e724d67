"""Wrong goods reported right after an order's status (the orchestrator's walk of 2026-12-07, afternoon): "you sent
the wrong colour pillowcases, i want to return them" after order 100196's status got the wrong-item answer with "Please
tell me your order number and send a photo …", although the conversation had just checked that order (and went on
with its return); "枕套颜色和图片不一样 想退" the same in Chinese ("请告诉我您的订单号"). Through the running stack: the
answer does not ask for the order, the return of that order follows. Order 100196 (Freja Nielsen, delivered:
pillowcases and a laundry bag); nothing is booked (the conversations stop at "replacement or refund?"). Messages
written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

EMAIL = "freja.nielsen@example.org"


@pytest.mark.parametrize(
    ("status", "wrong", "asks_number", "remedy"),
    [
        (
            "order 100196 status",
            "you sent the wrong colour pillowcases, i want to return them",
            "tell me your order number",
            "What would you like for Percale pillowcases",
        ),
        ("订单100196到哪了", "枕套颜色和图片不一样 想退", "告诉我您的订单号", "订单 100196 的精梳棉枕套"),
    ],
)
def test_the_wrong_item_answer_does_not_ask_for_the_order_just_checked(
    chat: Chat, status: str, wrong: str, asks_number: str, remedy: str
) -> None:
    chat(status)
    chat(EMAIL)
    assert "100196" in chat.text, chat.texts
    chat(wrong)
    assert asks_number not in chat.text, chat.texts
    assert remedy in chat.text, chat.texts
