""" "台灯坏了", "灯泡不亮" (my lamp is broken, the bulb won't light), no order named, the NLU unsure: it was
"我不确定有好的答案 … 要为您转接人工客服吗" at once, and "我的花瓶碎了" got "Did you mean" order status or a
return. The walkthrough of 2026-12-07 (czh lane, with cen's English twin). Now the handbook's answer for damaged or
faulty goods (free replacement or full refund; actions/faulty_item.py), or its 2-year guarantee for a fault after
months of use; the order number that follows, also written "订单100218" (read as unsure: "Did you mean" changing
or cancelling an order), starts that order's return of damaged goods.

Order 100218 (Grace Murphy, delivered: tumblers and a tablecloth) of the demo shop; nothing is booked (the items'
question is the last step). Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat


@pytest.mark.parametrize(
    ("said", "words"),
    [
        ("台灯坏了", "免费换新"),
        ("灯泡不亮", "免费换新"),
        ("我的花瓶碎了", "免费换新"),
        ("my lamp is broken, the bulb wont light", "free replacement"),
    ],
)
def test_a_broken_thing_gets_what_the_shop_does_about_faulty_goods(chat: Chat, said: str, words: str) -> None:
    chat(said)
    assert chat.last["mode"] == "bot" and chat.last["handoff"] is None, chat.last
    assert (chat.last["faq"] or {}).get("id") == "damaged-item", chat.last
    assert words in chat.text, chat.texts


def test_a_fault_after_months_of_use_gets_the_guarantee(chat: Chat) -> None:
    chat("台灯用了半年就不亮了")
    assert (chat.last["faq"] or {}).get("id") == "warranty", chat.last
    assert "2 年法定保修" in chat.text, chat.texts


def test_the_order_number_after_it_starts_that_orders_return_of_damaged_goods(chat: Chat) -> None:
    chat("我的杯子碎了")
    assert (chat.last["faq"] or {}).get("id") == "damaged-item", chat.last
    chat("订单100218")
    assert "您是想问" not in chat.text, chat.texts  # not "Did you mean"
    assert "订单 100218 的下单邮箱或收货邮编" in chat.text, chat.texts
    chat("grace.murphy@example.net")
    assert "订单 100218 里哪些商品到货时有损坏" in chat.text, chat.texts


def test_an_order_number_on_its_own_in_chinese_asks_what_to_do_with_it(chat: Chat) -> None:
    chat("订单号是100218")
    assert "您是想问" not in chat.text, chat.texts
    assert "订单 100218 需要我做什么" in chat.text, chat.texts
