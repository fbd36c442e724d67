"""A no to a change with another wish beside it (the orchestrator's walkthrough of 2026-12-07, session nine): at
"Shall I cancel order 100262?" the customer changed their mind, "wait actually dont cancel, can i just add another
item to it instead?", and read "Alright, I haven't cancelled anything" and nothing more: the wish to add an item
was dropped. Through the running stack the no is taken (nothing cancelled) and the other wish answered: a placed
order's items can't be changed, with the ways forward (cancel and order again, a new address, a person). Order 100262
(Marco Rossi, placed): nothing is changed here. Messages written for this test."""

from __future__ import annotations

from support.chat import Chat

ORDER, EMAIL = "100262", "marco.rossi@example.org"


def test_a_no_to_the_cancellation_with_an_item_to_add_is_answered_both_ways(chat: Chat) -> None:
    chat(f"cancel {ORDER} pls")
    chat(EMAIL)
    assert f"Shall I cancel order {ORDER}?" in chat.text, chat.texts
    chat("wait actually dont cancel, can i just add another item to it instead?")
    assert "I haven't cancelled anything" in chat.text, chat.texts
    assert "can't be swapped, added or removed" in chat.text, chat.texts
    assert {"Cancel my order", "Talk to a person"} <= {b["title"] for b in chat.buttons}, chat.buttons


def test_a_chinese_customer_who_keeps_the_order_and_wants_one_more_item(chat: Chat) -> None:
    chat(f"取消订单{ORDER}")
    chat(EMAIL)
    assert f"确定要取消订单 {ORDER} 吗" in chat.text, chat.texts
    chat("算了不取消了，我想再加一件")
    assert "我没有取消任何东西" in chat.text, chat.texts
    assert "不能再更换、添加或删除商品" in chat.text, chat.texts


def test_a_no_to_the_cancellation_with_a_question_about_shipping_is_answered_both_ways(chat: Chat) -> None:
    """The orchestrator's walkthrough of 2026-12-07 (session ten): "actually no wait, dont cancel it. can you just tell
    me when it ships" was answered with the no alone."""
    chat(f"i want to cancle order {ORDER}")
    chat(EMAIL)
    chat("actually no wait, dont cancel it. can you just tell me when it ships")
    assert "I haven't cancelled anything" in chat.text, chat.texts
    assert chat.text.count(f"Order {ORDER} was placed on") == 1 and "we pack it as soon as it arrives" in chat.text, (
        chat.texts
    )


def test_a_chinese_customer_who_keeps_the_order_and_asks_when_it_ships(chat: Chat) -> None:
    """Answered before the English case was (the request taken back, the status asked instead): once, not twice."""
    chat(f"取消订单{ORDER}")
    chat(EMAIL)
    chat("算了不取消了，帮我查一下什么时候发货")
    assert "我没有取消任何东西" in chat.text, chat.texts
    assert chat.text.count(f"订单 {ORDER} 于") == 1 and "正在等待您付款" in chat.text, chat.texts


def test_a_plain_no_is_only_a_no(chat: Chat) -> None:
    chat(f"cancel {ORDER} pls")
    chat(EMAIL)
    chat("no, keep it")
    assert "I haven't cancelled anything" in chat.text and "can't be swapped" not in chat.text, chat.texts
    assert "was placed on" not in chat.text, chat.texts
