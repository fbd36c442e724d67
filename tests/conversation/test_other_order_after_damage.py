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


def test_a_dented_lamp_not_in_the_order_and_the_other_order(chat: Chat) -> None:
    """A lamp that "came with a dent" was no damage report (a dent was not among the damage words): the bot gave
    order 100218's status, the damage dropped and the other order's question answered with this order. The lamp is
    not in 100218 (a tablecloth and tumblers): said so, the damaged item asked, then the other order."""
    chat("hi my lamp from order 100218 came with a dent and also when does my other order ship?")
    chat("grace.murphy@example.net")
    assert "Order 100218 was delivered" not in chat.text, chat.texts  # no status of this order
    assert "I can't see the item you mentioned in order 100218" in chat.text, chat.texts
    assert "Which items from order 100218 arrived damaged?" in chat.text, chat.texts
    chat("Ribbed tumblers, set of 6")
    chat("Send a replacement")
    assert "Here's the replacement for order 100218" in chat.text, chat.texts
    chat("no")
    assert OTHER_ORDER_EN in chat.text, chat.texts


def test_a_dented_lamp_not_in_the_order_and_the_other_order_in_chinese(chat: Chat) -> None:
    """The same in Chinese: "有个凹痕" (a dent, as a noun) was no damage report either."""
    chat("订单100218里的台灯到的时候有个凹痕，另外一个订单什么时候发货？")
    chat("grace.murphy@example.net")
    assert "订单 100218 已于" not in chat.text, chat.texts  # no status of this order
    assert "订单 100218 里好像没有您说的这件商品" in chat.text, chat.texts
    assert "订单 100218 里哪些商品到货时有损坏" in chat.text, chat.texts
    chat("条纹玻璃杯，6 只装")
    chat("换货（免费补发）")
    assert "订单 100218 的换货如下" in chat.text, chat.texts
    chat("不用了")
    assert OTHER_ORDER_ZH in chat.text, chat.texts
