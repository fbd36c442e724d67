"""Two requests in one message, the second about another order the customer did not give the number of (the
orchestrator's walkthrough of 2026-12-07, session nine): "Hi!! I want to return something but also my other order
never came" started the return and, once it was done, said "What else can I help you with?": the other order was
lost. "帮我查下订单100234到哪了，还有一个订单我想取消" was read as cancelling 100234 ("it has shipped, it can't be
cancelled"), its status never given. Through the running stack: the first request runs, then "Now, your other
order", its number asked (not the order just done), its own proof, its request. Every change here is declined,
nothing is changed. Messages written for this test."""

from __future__ import annotations

from support.chat import Chat

OTHER_ORDER_EN, OTHER_ORDER_ZH = "Now, your other order.", "接下来看看您的另一个订单。"


def test_the_other_order_that_never_came_is_taken_up_after_the_return(chat: Chat) -> None:
    chat("Hi!! I want to return something but also my other order never came")
    assert "What's the order number?" in chat.text, chat.texts
    chat("100219")
    chat("luca.meier@example.org")
    assert "Here's the return for order 100219" in chat.text, chat.texts
    chat("no")
    assert "I haven't booked anything for order 100219" in chat.text, chat.texts
    assert OTHER_ORDER_EN in chat.text, chat.texts
    assert "Is it about order 100219 again?" not in chat.text, chat.texts  # the other one
    chat("100234")
    assert "what's the e-mail address or the delivery postcode for order 100234" in chat.text, chat.texts
    chat("ann.lee@example.com")
    assert "Order 100234 shipped" in chat.text, chat.texts


def test_a_status_and_another_orders_cancellation_in_chinese(chat: Chat) -> None:
    chat("帮我查下订单100234到哪了，还有一个订单我想取消")
    chat("ann.lee@example.com")
    assert "订单 100234 已于" in chat.text and "无法再取消" not in chat.text, chat.texts  # its status, not a refusal
    assert OTHER_ORDER_ZH in chat.text, chat.texts
    chat("100259")
    assert "请提供订单 100259 的下单邮箱或收货邮编" in chat.text, chat.texts  # another order: its own proof
    chat("thomas.leroy@example.com")
    assert "确定要取消订单 100259 吗" in chat.text, chat.texts
    chat("不用了")
    assert "我没有取消任何东西" in chat.text, chat.texts


def test_one_order_named_twice_is_no_other_order(chat: Chat) -> None:
    """Only another order starts another request: the status of the one named ends the conversation's requests."""
    chat("where is my order 100234? the parcel has not arrived")
    chat("ann.lee@example.com")
    assert "Order 100234 shipped" in chat.text and OTHER_ORDER_EN not in chat.text, chat.texts
