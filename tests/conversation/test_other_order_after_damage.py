"""A damage report and a question about another order in one message (the orchestrator's walkthrough of
2026-12-07, 12:15): "hi the tablecloth from order 100218 came torn, and when does my other order ship?" booked the
replacement and then said nothing of the other order: "when does … ship" was no status question, so the other order
was lost. Through the running stack: the replacement (declined here: nothing is changed), then "Now, your other
order", its number asked, its own proof, its status; in Chinese too, where the damage and the other order came in
one clause. Messages written for this test."""

from __future__ import annotations

from support.chat import Chat

OTHER_ORDER_EN, OTHER_ORDER_ZH = "Now, your other order.", "接下来看看您的另一个订单。"


def test_the_other_order_is_taken_up_after_a_torn_tablecloth(chat: Chat) -> None:
    chat("hi the tablecloth from order 100218 came torn, and when does my other order ship?")
    chat("grace.murphy@example.net")
    chat("Send a replacement")
    assert "100218" in chat.text, chat.texts
    chat("no")
    assert OTHER_ORDER_EN in chat.text, chat.texts
    assert "Is it about order 100218 again?" not in chat.text, chat.texts  # the other one
    chat("100234")
    assert "what's the e-mail address or the delivery postcode for order 100234" in chat.text, chat.texts
    chat("ann.lee@example.com")
    assert "Order 100234 shipped" in chat.text, chat.texts


def test_the_other_order_is_taken_up_after_a_torn_pillowcase_in_chinese(chat: Chat) -> None:
    """The damage and "另一个订单什么时候发货" in one clause (no full stop): the other order's words are still read.
    Order 100196 (Freja Nielsen, delivered: pillowcases and a laundry bag), which no other test books a return of (a
    return of 100198 booked by test_broken_glass.py earlier in the same stack made this test fail)."""
    chat("订单100196的枕套收到时破了，另一个订单什么时候发货？")
    chat("freja.nielsen@example.org")
    chat("换货（免费补发）")
    assert "订单 100196 的换货如下" in chat.text, chat.texts
    chat("不用了")
    assert OTHER_ORDER_ZH in chat.text, chat.texts
    chat("100234")
    assert "请提供订单 100234 的下单邮箱或收货邮编" in chat.text, chat.texts  # another order: its own proof
    chat("ann.lee@example.com")
    assert "订单 100234 已于" in chat.text, chat.texts
