"""A thing said to be broken or not working, with no order named (lane cen, 2026-12-07): "my lamp is broken, the bulb
wont light" was offered a person ("I'm not sure I have a good answer to that"). The handbook answers it: its
damaged-item entry ("What if my item arrived damaged or faulty?": a free replacement or a full refund), then the order
number given next starts that order's free return of damaged goods. A thing that broke in use, some time after it
came, gets the guarantee's answer (the warranty entry). Order 100218 (Grace Murphy, delivered); nothing is booked.
Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat


@pytest.mark.parametrize("message", ["my lamp is broken, the bulb wont light", "the kettle doesnt turn on"])
def test_a_faulty_thing_gets_the_damaged_or_faulty_answer(chat: Chat, message: str) -> None:
    reply = chat(message)
    assert reply["mode"] == "bot" and reply["handoff"] is None, reply
    assert "free replacement" in chat.text and "full refund" in chat.text, chat.texts
    assert "I'm not sure I have a good answer" not in chat.text, chat.texts
    assert (reply["faq"] or {}).get("id") == "damaged-item", reply


def test_the_order_number_then_starts_its_damaged_return(chat: Chat) -> None:
    chat("my lamp is broken, the bulb wont light")
    chat("100218")
    chat("grace.murphy@example.net")
    assert "Which items from order 100218 arrived damaged?" in chat.text, chat.texts


def test_a_thing_broken_after_a_year_of_use_gets_the_guarantee(chat: Chat) -> None:
    reply = chat("after a year the lamp is broken, the bulb wont light anymore")
    assert "2-year legal guarantee" in chat.text, chat.texts
    assert (reply["faq"] or {}).get("id") == "warranty", reply


def test_a_faulty_thing_of_a_named_order_goes_back_free(chat: Chat) -> None:
    # "doesnt work properly, it leaks" with the order number got "Did you mean: Return an item for a refund" (an
    # ordinary return, the label at the customer's cost); now the damaged-or-faulty answer and that order's free return
    chat("hello, the tumblers from order 100218 dont work properly, they leak")
    assert "Did you mean" not in chat.text and "free replacement" in chat.text, chat.texts
    assert "for order 100218?" in chat.texts[-1], chat.texts
    chat("grace.murphy@example.net")
    assert "Ribbed tumblers" in chat.text and "a new one sent to you at no cost" in chat.text, chat.texts


@pytest.mark.parametrize("message", ["台灯坏了", "灯泡不亮", "我的花瓶碎了"])
def test_a_faulty_thing_in_chinese_gets_the_damaged_or_faulty_answer(chat: Chat, message: str) -> None:
    """The czh lane's walk (2026-12-07): "台灯坏了", "灯泡不亮" got "我不确定有好的答案 … 要为您转接人工客服吗" at once,
    "我的花瓶碎了" "Did you mean" order status or a return."""
    reply = chat(message)
    assert reply["mode"] == "bot" and reply["handoff"] is None, reply
    assert (reply["faq"] or {}).get("id") == "damaged-item", reply
    assert "免费换新" in chat.text and "您是想问" not in chat.text, chat.texts


def test_a_thing_broken_after_half_a_year_in_chinese_gets_the_guarantee(chat: Chat) -> None:
    reply = chat("台灯用了半年就不亮了")
    assert (reply["faq"] or {}).get("id") == "warranty", reply
    assert "2 年法定保修" in chat.text, chat.texts


def test_the_order_number_written_chinese_style_then_starts_its_damaged_return(chat: Chat) -> None:
    """ "订单100218" after the answer (read as unsure: "Did you mean" changing or cancelling an order, where "100218"
    alone went on): an order number given on its own, as the bare number is."""
    chat("我的杯子碎了")
    assert (chat.last["faq"] or {}).get("id") == "damaged-item", chat.last
    chat("订单100218")
    assert "您是想问" not in chat.text, chat.texts
    assert "订单 100218 的下单邮箱或收货邮编" in chat.text, chat.texts
    chat("grace.murphy@example.net")
    # the report's words are read once the order is open (lane cen4, 71d511f): its cups are the order's tumblers, so
    # "replacement or refund?" for them, not "which items were damaged?"
    assert "订单 100218 的条纹玻璃杯" in chat.text and "€32.00" in chat.text, chat.texts


def test_an_order_number_on_its_own_in_chinese_asks_what_to_do_with_it(chat: Chat) -> None:
    chat("订单100218")  # read as unsure: "Did you mean" changing or cancelling an order
    assert "您是想问" not in chat.text, chat.texts
    assert "订单 100218 需要我做什么" in chat.text, chat.texts


@pytest.mark.parametrize(
    "message",
    [
        "my ikea lamp is broken, the bulb wont light",
        "the kettle i bought from another shop doesnt turn on",
        "其他品牌的台灯坏了能换吗",
        "别家买的水壶不加热了",
    ],
)
def test_a_thing_bought_elsewhere_gets_no_damaged_answer(chat: Chat, message: str) -> None:
    reply = chat(message)
    assert (reply["faq"] or {}).get("id") != "damaged-item", reply
    assert "free replacement" not in chat.text, chat.texts


@pytest.mark.parametrize(
    "message",
    [
        "the rug just doesn't work in our living room, can I send it back",
        "hmm the cushion cover doesnt really work with our sofa, can i return it",
    ],
)
def test_a_thing_that_does_not_suit_the_room_is_an_ordinary_return(chat: Chat, message: str) -> None:
    """ "doesn't work in our living room" says it does not suit the customer, not that it is faulty: it got the
    damaged-or-faulty answer ("We're sorry! Damage should be reported within 14 days…") and a free return."""
    reply = chat(message)
    assert (reply["faq"] or {}).get("id") != "damaged-item", reply
    assert "Damage should be reported" not in chat.text and "free replacement" not in chat.text, chat.texts
    assert "I can start a return" in chat.text, chat.texts
