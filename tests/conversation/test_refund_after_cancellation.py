"""The refund asked about right after a cancellation (lane fixes, from the last session's walkthrough): "what about my
refund?" once order 100253 was cancelled got "Sure, what would you like to know about returns or refunds?" with the
handbook's topics (the NLU reads a vague opener), though the conversation had just cancelled that order. Now it is
that order's refund status, in English and Chinese. Through the running stack; order 100253 (James Whitfield, paid)
is cancelled and put back as it was after each test (its refund row removed), so other tests find it paid. Messages
written for this test."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from support.chat import Chat

from helpdesk.stack import Stack

ORDER = "100253"
EMAIL = "james.whitfield@example.net"


@pytest.fixture()
def order_put_back(stack: Stack) -> Iterator[None]:
    yield
    connection = sqlite3.connect(stack.workdir / "demo-shop.db", timeout=30)  # type: ignore[attr-defined]
    try:
        with connection:
            connection.execute("UPDATE orders SET status = 'paid', cancelled_at = NULL WHERE number = ?", (ORDER,))
            connection.execute("DELETE FROM refunds WHERE order_number = ? AND reason = 'cancellation'", (ORDER,))
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("cancel", "yes", "asked", "refund"),
    [
        (f"please cancel order {ORDER}, my email is {EMAIL}", "yes", "what about my refund?", f"for order {ORDER}"),
        (f"取消订单{ORDER}，邮箱 {EMAIL}", "是的", "那退款呢？", f"订单 {ORDER}"),
    ],
)
def test_the_refund_asked_right_after_a_cancellation_is_that_orders(
    chat: Chat, order_put_back: None, cancel: str, yes: str, asked: str, refund: str
) -> None:
    chat(cancel)
    chat(yes)
    assert "cancelled" in chat.text or "已取消" in chat.text, chat.texts
    chat(asked)
    assert refund in chat.text and ("€" in chat.text), chat.texts
    assert "what would you like to know about returns or refunds" not in chat.text, chat.texts
    assert (
        chat.last["handoff"] is None
        and not chat.buttons
        or all(b["payload"] != "/request_refund" for b in chat.buttons)
    ), chat.texts
