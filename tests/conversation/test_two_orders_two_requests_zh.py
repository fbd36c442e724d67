"""Two orders and two requests in one Chinese message (the orchestrator's walk of 2026-12-07, afternoon):
"100234到哪了？另外100262我不要了帮我取消" was read whole as a cancellation, so order 100234, on its way, got "已发货，
无法再取消" and its status was never given, though the cancellation of 100262 then followed. Through the running
stack: 100234's status first, then 100262's cancellation, as in English. Orders 100234 (Ann Lee, shipped) and 100262
(Marco Rossi, placed); the cancellation is declined at the summary, so nothing changes. Messages written for this
test."""

from __future__ import annotations

import pytest
from support.chat import Chat


@pytest.mark.parametrize(
    "first",
    ["100234到哪了？另外100262我不要了帮我取消", "帮我看下100234到哪了，还有100262帮我取消掉"],
)
def test_the_first_orders_status_then_the_second_orders_cancellation(chat: Chat, first: str) -> None:
    chat(first)
    chat("ann.lee@example.com")
    assert "无法再取消" not in chat.text, chat.texts
    assert "订单 100234 已于" in chat.text and "DHL" in chat.text, chat.texts
    assert "100262" in chat.text, chat.texts  # the other order taken up next
    chat("marco.rossi@example.org")
    assert "确定要取消订单 100262 吗" in chat.text, chat.texts
    chat("算了不取消了")
    assert "订单 100262 会照常处理" in chat.text, chat.texts
