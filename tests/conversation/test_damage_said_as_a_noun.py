"""Damage said with a noun in Chinese, before the order number (lane cwalk's widget walk of 2026-12-07, zh page,
phone): "我想退貨，桌布有破損" (I want to return: the tablecloth is damaged), then the order and the proof, got an
ordinary return of the tablecloth with the €6.95 label deducted (order 100218 ships from the United Kingdom),
although damaged goods are the shop's fault: "桌布坏了" was already read as damage, "有破损" / "损坏" / "受损" were not.
Now the damaged-item answer comes first and the customer is asked for a replacement or the full refund. Order 100218
(Grace Murphy, delivered) as in tests/conversation/test_damage_told_during_return.py: nothing is booked here.
Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER, EMAIL = "100218", "grace.murphy@example.net"


@pytest.mark.parametrize(
    ("said", "choice"),
    [
        ("我想退货，桌布有破损", "免费给您寄一件新的，还是全额退款 €79.00"),
        ("我想退貨，桌布有破損", "免費給您寄一件新的，還是全額退款 €79.00"),  # traditional characters, answered in them
    ],
)
def test_a_chinese_return_of_goods_that_arrived_damaged_is_free(chat: Chat, said: str, choice: str) -> None:
    chat(said)
    chat(ORDER)
    chat(EMAIL)
    assert choice in chat.text, chat.texts
    assert "€6.95" not in chat.text and "扣除" not in chat.text, chat.texts
