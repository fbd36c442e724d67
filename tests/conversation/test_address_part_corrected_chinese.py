"""A part of the new address put right at its summary in Chinese, as lane cen made it for English
(tests/conversation/test_address_part_corrected.py): "不对 是15号 不是5号" at "要把订单 100262 的收货地址改为
Marco Rossi, Via Roma 5, …吗？" got the same summary with number 5 (walked by lane czh, 2026-12-07), and a yes would
have booked it. Now the summary comes with the house number or the postcode put right. Order 100262 (Marco Rossi,
placed, Italy); each conversation ends with 不用了: nothing is changed. Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

SUMMARY = "要把订单 100262 的收货地址改为 Marco Rossi, "


@pytest.mark.parametrize(
    ("correction", "corrected"),
    [
        ("不对 是15号 不是5号", "Via Roma 15, 20121 Milano, 意大利"),
        ("不是5号，是15号", "Via Roma 15, 20121 Milano, 意大利"),
        ("邮编不是20121 是20122", "Via Roma 5, 20122 Milano, 意大利"),
    ],
)
def test_a_part_put_right_at_the_summary_is_in_the_next_summary(chat: Chat, correction: str, corrected: str) -> None:
    chat("我要改订单100262的地址 marco.rossi@example.org")
    chat("Via Roma 5, 20121 Milano")
    assert SUMMARY + "Via Roma 5, 20121 Milano, 意大利" in chat.text, chat.texts
    chat(correction)
    assert SUMMARY + corrected in chat.text, chat.texts
    chat("不用了")
    assert "收货地址保持不变" in chat.text, chat.texts
