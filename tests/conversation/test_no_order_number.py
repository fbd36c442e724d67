"""A customer without their order number (the walkthrough of 2026-12-06, seventh session): "i dont have it" at "What's
the order number?" got "I'm not sure I can answer that one, sorry. Now, back to your order. What's the 6-digit order
number?", and "i dont have my order number" or "我找不到订单号" alone got "Did you mean" with an order check: a dead
end. Now: where the number is, a person a button away (who can look the order up), and the request goes on when the
number is found. Through the running stack; messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

WHERE_EN = "it's in the order confirmation e-mail we sent when you ordered"
WHERE_ZH = "在您下单后收到的订单确认邮件里"


def test_no_number_at_the_question_says_where_it_is_and_the_request_goes_on(chat: Chat) -> None:
    chat("where is my order")
    chat("i dont have it")
    assert chat.texts[0].startswith("No problem.") and WHERE_EN in chat.text, chat.texts
    assert "back to your order" not in chat.text and "not sure" not in chat.text, chat.texts
    assert [b["payload"] for b in chat.buttons] == ["/request_human"], chat.texts
    chat("found it, 100234")
    assert "e-mail address or the delivery postcode for order 100234" in chat.text, chat.texts
    chat("ann.lee@example.com")
    assert chat.texts[0].startswith("Order 100234 shipped on"), chat.texts


@pytest.mark.parametrize(
    ("first", "where"),
    [
        ("i want to cancel my order but i dont have the order number", WHERE_EN),
        ("i dont have my order number", WHERE_EN),
        ("where do i find my order number", WHERE_EN),
        ("我找不到订单号", WHERE_ZH),
    ],
)
def test_a_first_message_without_the_number_says_where_it_is(chat: Chat, first: str, where: str) -> None:
    chat(first)
    assert where in chat.text and chat.last["handoff"] is None, chat.texts
    assert [b["payload"] for b in chat.buttons] == ["/request_human"], chat.texts


def test_no_number_in_chinese_then_a_person(chat: Chat) -> None:
    chat("我的快递到哪了")
    chat("不知道")
    assert WHERE_ZH in chat.text, chat.texts
    chat(chat.buttons[0]["payload"])
    assert chat.last["mode"] == "queued", chat.texts


def test_a_missing_confirmation_email_is_still_the_handbooks(chat: Chat) -> None:
    chat("I didn't receive my order confirmation email")
    assert chat.last["faq"] is not None and chat.last["faq"]["id"] == "order-confirmation-email", chat.texts


def test_an_email_address_instead_of_the_number_is_noted_and_the_number_still_asked(chat: Chat) -> None:
    # lane cen's walk of 2026-12-07: "i dont have the order number", then "its ines.costa@example.com" got the bare
    # "What's the 6-digit order number?", as if the address had not been read; it is noted (it proves the order once
    # the number comes), the customer is told orders are not looked up by it, and a person is a button away
    chat("wheres my stuff?? ordered last week and nothing yet")
    chat("i dont have the order number")
    chat("its ines.costa@example.com")
    assert "I've noted your e-mail address" in chat.text and "can't look orders up by e-mail" in chat.text, chat.texts
    assert [b["payload"] for b in chat.buttons] == ["/request_human"], chat.texts
    chat("oh found it, 100248")
    assert chat.texts[0].startswith("Order 100248 is packed"), chat.texts  # the address was the proof
