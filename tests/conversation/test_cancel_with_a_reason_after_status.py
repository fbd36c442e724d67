"""A cancellation asked for with the customer's reason beside it, right after the order's status (lane cwalk's widget
walk of 2026-12-07): "where is my order 100260", the proof, its status, then "i dont want it anymore, can i cancel"
got the handbook's policy answer ending "just tell me your 6-digit order number and I can cancel it for you here"
— the order just checked, asked for again. "can i cancel" alone already started that order's cancellation; the
reason beside it ("i dont want it anymore", "changed my mind") asks nothing of its own, so now it does too. Order
100260 (Matteo Ricci, paid) is only looked at: the cancellation is declined at its question. Messages written for
this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER, EMAIL = "100260", "matteo.ricci@example.net"


@pytest.mark.parametrize(
    "said", ["i dont want it anymore, can i cancel", "changed my mind, can i cancel it?", "can i cancel"]
)
def test_a_cancellation_with_a_reason_after_the_status_is_that_orders(chat: Chat, said: str) -> None:
    chat(f"where is my order {ORDER}")
    chat(EMAIL)
    assert f"Order {ORDER}" in chat.text, chat.texts
    chat(said)
    assert f"Cancelling order {ORDER} cancels all of it" in chat.text, chat.texts
    assert "6-digit order number" not in chat.text, chat.texts
    chat("no")
    assert "I haven't cancelled anything" in chat.text, chat.texts
