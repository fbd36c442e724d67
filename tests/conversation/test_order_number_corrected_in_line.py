"""An order number corrected in the same line at the identity question, walked by lane czh (2026-12-07): after "我要取消
订单100262", "100262错了，应该是100259" was asked for 100262's proof again, and "100262 sorry i mean 100259" the same in
English; a correction whose proof was given with it ("not 100262, 100259 <e-mail>") was answered for 100259 and then
took 100262 up as "your other question". Through the running stack: the number meant is the one checked, and the one
corrected away is not another request. Two numbers with no correction are the first order's request and the other's,
as before (tests/conversation/test_dialogue_walk.py).

Orders 100259 (Thomas Leroy, placed) and 100262 (Marco Rossi, placed) of the demo shop; every conversation ends with a
no, so nothing is cancelled. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

EMAIL = "thomas.leroy@example.com"


@pytest.mark.parametrize(
    ("start", "corrected", "asks"),
    [
        ("我要取消订单100262", "100262错了，应该是100259", "订单 100259 用的是哪个邮箱"),
        ("我要取消订单100262", "订单号不对 不是100262 是100259", "订单 100259 用的是哪个邮箱"),
        ("cancel order 100262", "100262 sorry i mean 100259", "did you use for order 100259"),
    ],
)
def test_the_corrected_order_number_is_the_one_checked(chat: Chat, start: str, corrected: str, asks: str) -> None:
    chat(start)
    chat(corrected)
    assert asks in chat.text, chat.texts
    chat(EMAIL)
    assert "100259" in chat.text and "100262" not in chat.text, chat.texts
    chat(chat.buttons[-1]["payload"])  # keep the order
    assert "100259" in chat.text and "100262" not in chat.text, chat.texts


def test_the_number_corrected_away_is_no_other_request(chat: Chat) -> None:
    chat("where is my order 100262")
    chat(f"not 100262, 100259 {EMAIL}")
    assert "Order 100259 was placed" in chat.text, chat.texts
    assert "100262" not in chat.text, chat.texts
