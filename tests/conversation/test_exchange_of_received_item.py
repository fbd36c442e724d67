"""A received item asked to be swapped for another size (lane cen, 2026-12-07): "the tablecloth i got is lovely but
too small for our table, can i swap it for the bigger one? order 100218" was read as changing the order's items:
"items can't be swapped … cancel the order free of charge as long as it hasn't shipped" for a delivered order, then
"What would you like me to do with order 100218". Now the handbook's exchanges answer (return it, order the other
size) and that order's return of the tablecloth; the summary is declined, nothing is booked. Order 100218 (Grace
Murphy, delivered). Messages written for this test."""

from __future__ import annotations

from support.chat import Chat


def test_a_received_item_to_swap_for_another_size_gets_the_exchange_answer_and_its_return(chat: Chat) -> None:
    body = chat(
        "hiii so the tablecloth i got is lovely but too small for our table, can i swap it for the bigger one? "
        "order 100218"
    )
    assert (body["faq"] or {}).get("id") == "exchanges", body
    assert "We don't do direct exchanges" in chat.text, chat.texts
    assert "cancel the order" not in chat.text and "Tell me your order number" not in chat.text, chat.texts
    assert "for order 100218?" in chat.texts[-1], chat.texts  # the return's identity check
    chat("grace.murphy@example.net")
    assert "Here's the return for order 100218" in chat.text, chat.texts
    assert "Washed linen tablecloth" in chat.text and "Ribbed tumblers" not in chat.text, chat.texts
    chat("no")


def test_in_chinese_too(chat: Chat) -> None:
    """Lane czh (2026-12-07): "收到的桌布太小了 能换大一号的吗 订单100218" got the same "items can't be changed …
    cancel the order" answer for the delivered order."""
    body = chat("收到的桌布太小了 能换大一号的吗 订单100218")
    assert (body["faq"] or {}).get("id") == "exchanges", body
    assert "我们不提供直接换货" in chat.text and "取消订单" not in chat.text, chat.texts
    chat("grace.murphy@example.net")
    assert "订单 100218 的退货如下" in chat.text, chat.texts
    assert "水洗亚麻桌布" in chat.text and "条纹玻璃杯" not in chat.text, chat.texts
    chat("不用了")
