"""An order number typed or pasted in two pieces ("100 234", "#100-234") through the running stack (the walkthrough
of 2026-12-07, walk1): "hi, where is my order 100 234??" was told "“100” doesn't look like one of our order numbers"
and asked for the number it had just been given, in English and in Chinese; the number sent again with a dash was
refused the same way. Now the order is the one named. Order 100234 (Ann Lee, shipped) is only read."""

from __future__ import annotations

import pytest
from support.chat import Chat

REFUSED = ("doesn't look like one of our order numbers", "不像是我们的订单号")


@pytest.mark.parametrize(
    ("first", "asked"),
    [
        ("hi, where is my order 100 234??", "what's the e-mail address or the delivery postcode for order 100234?"),
        ("我的订单 100 234 到哪了", "请提供订单 100234 的下单邮箱或收货邮编"),
    ],
)
def test_an_order_number_in_two_pieces_is_that_order(chat: Chat, first: str, asked: str) -> None:
    chat(first)
    assert not any(refused in chat.text for refused in REFUSED), chat.texts
    assert asked in chat.text, chat.texts
    chat("2511 AB")
    assert "Order 100234 shipped" in chat.text or "订单 100234" in chat.text, chat.texts


def test_an_order_number_with_a_dash_answers_the_question_for_it(chat: Chat) -> None:
    chat("where is my parcel")
    assert "What's the order number?" in chat.text, chat.texts
    chat("#100-234, postcode 2511 AB")
    assert not any(refused in chat.text for refused in REFUSED), chat.texts
    assert "Order 100234 shipped" in chat.text, chat.texts
