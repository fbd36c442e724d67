"""A customer who says they paid, about an order still waiting for payment (lane cen's walk of 2026-12-07): "order
100259 - i paid yesterday but it still says waiting for payment??" got the status ("… is waiting for your payment; we
pack it as soon as it arrives") and nothing more, as if they had not said it. The bot can't see payments: after the
status a person is offered to check the payment of that order. A plain status question gets no such offer. Order
100259 (Thomas Leroy, placed, unpaid) is only read. Messages written for this test."""

from __future__ import annotations

from support.chat import Chat

ORDER, EMAIL = "100259", "thomas.leroy@example.com"


def test_paid_but_still_waiting_gets_the_status_and_a_payment_check(chat: Chat) -> None:
    chat(f"order {ORDER} - i paid yesterday but it still says waiting for payment??")
    chat(EMAIL)
    assert chat.texts[0].startswith(f"Order {ORDER} was placed on"), chat.texts
    assert f"shall I get a person to check the payment for order {ORDER}?" in chat.text, chat.texts
    assert "/request_human" in [b["payload"] for b in chat.buttons], chat.buttons


def test_a_plain_status_question_gets_no_payment_check(chat: Chat) -> None:
    chat(f"where is my order {ORDER}")
    chat(EMAIL)
    assert "check the payment" not in chat.text, chat.texts
