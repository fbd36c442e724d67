"""Two different problems told in one angry first message (lane cen, 2026-12-07): "you charged me twice AND my parcel
still hasnt come, ridiculous" got "Did you mean" a payment problem or an order's status: whichever the customer
picked, the other was dropped. Now both are said back, and a person is called (complaints go to people), who reads
both at the top of the conversation. One problem alone keeps its own answer; a double charge beside an order request
is taken up once that request is done. Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat


@pytest.mark.parametrize(
    "message",
    [
        "you charged me twice AND my parcel still hasnt come, ridiculous",
        "my parcel never arrived and on top of that i was double charged!!",
    ],
)
def test_both_problems_are_taken_up_by_a_person(chat: Chat, message: str) -> None:
    reply = chat(message)
    assert "the double charge" in chat.text and "the parcel that hasn't arrived" in chat.text, chat.texts
    assert "Did you mean" not in chat.text, chat.texts
    assert reply["mode"] == "queued" and reply["handoff"]["reason"] == "complaint", reply


def test_a_chinese_customer_with_both_problems_is_heard_on_both(chat: Chat) -> None:
    reply = chat("我被扣了两次钱，包裹到现在还没到，太过分了")
    assert "重复扣款" in chat.text and "还没送到的包裹" in chat.text, chat.texts
    assert reply["mode"] == "queued", reply


def test_one_problem_alone_keeps_its_answer(chat: Chat) -> None:
    reply = chat("you charged me twice for my order")
    assert reply["mode"] == "bot", reply
    assert "noted both" not in chat.text, chat.texts


def test_a_double_charge_beside_an_order_request_follows_it(chat: Chat) -> None:
    # lane cen's walk: "where is my order 100234?? also you charged me twice" got the status and nothing about the
    # charge; now the status, then the double-charge answer for that order and a person offered for the check
    chat("where is my order 100234?? also you charged me twice")
    chat("ann.lee@example.com")
    assert chat.texts[0].startswith("Order 100234 shipped on"), chat.texts
    assert "Now, your other request about order 100234." in chat.texts, chat.texts
    assert "temporary authorisation" in chat.text, chat.texts
    assert "check the payment for order 100234" in chat.text, chat.texts
    assert "/request_human" in [b["payload"] for b in chat.buttons], chat.buttons
