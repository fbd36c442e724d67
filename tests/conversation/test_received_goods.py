"""Goods of a named order that arrived wrong or damaged, through the running stack. The walkthrough of 2026-12-06:
"hi i got the wrong color cushion in order 100212, i ordered blue got green" got the handbook's wrong-item answer
"Please tell me your order number and send a photo …", although the message gave it, and nothing more; a damaged
item's answer said "Tell me your order number and I'll pass it on" before asking about that very order. Now the
answer leaves out its sentences asking to be told the order number, the photo is offered (wrong item), and the
return of that order follows, its identity check first.

Order 100160 (Aino Virtanen, delivered 23 days ago, Finland: a sage linen cushion cover and a waffle bath towel),
which no other test changes (100212 of the walkthrough gets returns booked by other tests in the same stack), is only
looked at: the tests stop at the return's summary, before its yes, so nothing is booked.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER, EMAIL = "100160", "aino.virtanen@example.com"


def answered_from(chat: Chat) -> list[str]:
    return [str(reply["article"]["id"]) for reply in chat.last["replies"] if isinstance(reply.get("article"), dict)]


def test_a_wrong_item_of_a_named_order_is_not_asked_for_the_order_number_and_its_return_follows(chat: Chat) -> None:
    chat(f"hi i got the wrong color cushion in order {ORDER}, i ordered blue got green")
    assert answered_from(chat) == ["wrong-item"], chat.texts
    assert "Sorry for the mix-up" in chat.text and "correct item" in chat.text, chat.texts
    assert "order number" not in chat.text.lower(), chat.texts  # the message gave it
    assert any(str(b["payload"]).startswith("photo:wrong_item") for b in chat.buttons), chat.buttons
    assert f"for order {ORDER}?" in chat.texts[-1], chat.texts  # that order's identity check comes next
    chat(EMAIL)
    # the answer promised "the correct item at no extra cost, or a full refund": which, is asked (lane ux)
    assert "Linen cushion cover" in chat.text and "the right item sent to you at no cost" in chat.text, chat.texts
    chat("a refund please")
    assert f"Here's the return for order {ORDER}:" in chat.text and "Linen cushion cover" in chat.text, chat.texts
    assert "bath towel" not in chat.text, chat.texts  # the cushion the message named, not the whole order


@pytest.mark.parametrize(
    "said",
    [
        f"你们发错货了，订单{ORDER}，我买的是蓝色的靠垫，收到的是绿色的",
        # the walkthrough of Chinese conversations (lane zhwalk): a wrong colour or model said without "sent wrong"
        # was read as changing the order's items ("orders can't be changed once placed") or asked back
        f"您好 我上周买的靠垫颜色不对 订单{ORDER}",
        f"亲，收到的靠垫套跟图片上的不一样，訂單{ORDER}",
    ],
)
def test_a_chinese_wrong_item_of_a_named_order_is_not_asked_for_the_order_number(chat: Chat, said: str) -> None:
    chat(said)
    assert answered_from(chat) == ["wrong-item"], chat.texts
    assert "很抱歉弄错了" in chat.text and "告诉我您的订单号" not in chat.text, chat.texts
    assert any(str(b["payload"]).startswith("photo:wrong_item") for b in chat.buttons), chat.buttons
    assert f"订单 {ORDER}" in chat.texts[-1], chat.texts


def test_a_damaged_item_of_a_named_order_is_not_asked_for_the_order_number(chat: Chat) -> None:
    chat(f"my bath towel arrived damaged!! order {ORDER}")
    assert answered_from(chat) == ["damaged-item"], chat.texts
    assert "free replacement" in chat.text and "Tell me your order number" not in chat.text, chat.texts
    assert f"for order {ORDER}?" in chat.texts[-1], chat.texts


def test_a_wrong_item_without_an_order_number_is_still_asked_for_it(chat: Chat) -> None:
    chat("I received a different item to the one I ordered")
    assert answered_from(chat) == ["wrong-item"], chat.texts
    assert "Please tell me your order number" in chat.text, chat.texts


@pytest.mark.parametrize(
    "said",
    [
        f"i got the wrong color cushion in order {ORDER}, i want to talk to a person",
        f"订单{ORDER}的靠垫颜色发错了，我要找人工",
        f"my vase arrived broken, order {ORDER}, let me speak to a human",
        # the walkthrough of 2026-12-06 (seventh session): the NLU sure of another reading (an order change 0.89) or
        # unsure with no person near the top: the answer and the identity check, the person asked for unheard
        f"杯子碎了两个，订单{ORDER}，转人工",
        f"我收到的杯子碎了两个，订单{ORDER}，我要找人工",
    ],
)
def test_goods_of_a_named_order_and_a_person_asked_for_get_the_answer_and_a_person(chat: Chat, said: str) -> None:
    """The walkthrough of 2026-12-06 (zh page, phone): "订单100212的靠垫颜色发错了，我要找人工" got the answer and the
    order's identity check, never the person asked for (the NLU, unsure, read a person likeliest); nor did the
    English ones, before or after the order's return followed the answer."""
    chat(said)
    assert answered_from(chat) in (["wrong-item"], ["damaged-item"]), chat.texts
    assert [b["payload"] for b in chat.last["replies"][-1]["buttons"]] == ["/request_human", "/deny"], chat.texts
    assert ORDER in chat.texts[-1] and "postcode" not in chat.text and "收货邮编" not in chat.text, chat.texts
    assert chat("/request_human")["mode"] == "queued", chat.texts


def test_damaged_goods_from_switzerland_go_back_without_the_label_fee(chat: Chat) -> None:
    """Lane ux2's walkthrough: damaged goods of an order from Switzerland were taken into the return with the
    ordinary return's €6.95 label deducted, although the handbook says returning damaged or wrong goods is always
    free. Order 100219 (Luca Meier, Basel, delivered 2 days ago: ribbed tumblers, €32.00), which no other test
    changes, is only looked at: the summary is declined, nothing is booked."""
    chat("my tumblers arrived broken, order 100219")
    assert answered_from(chat) == ["damaged-item"], chat.texts
    assert "for order 100219?" in chat.texts[-1], chat.texts
    chat("luca.meier@example.org")
    assert "a new one sent to you at no cost, or a full refund of €32.00" in chat.text, chat.texts
    chat("I'd rather have my money back")
    summary = chat.text
    assert "Here's the return for order 100219:" in summary and "Ribbed tumblers" in summary, chat.texts
    assert "You get €32.00 back" in summary and "6.95" not in summary and "deduct" not in summary, chat.texts
    # broken glass is disposed of, not sent back, as the damaged-item answer says (config/orders.yml
    # dispose_when_damaged): no label at all, the refund follows the booking
    assert "You don't need to send anything back: please dispose of the broken pieces safely." in summary, chat.texts
    assert "label" not in summary and "after the parcel reaches us" not in summary, chat.texts
    chat("no")
    assert "I haven't booked anything for order 100219" in chat.text, chat.texts


def test_a_chinese_wrong_item_from_norway_goes_back_without_the_label_fee(chat: Chat) -> None:
    """The same in Chinese, a wrong item: order 100171 (Lars Haugen, Oslo, delivered 19 days ago: a scented candle,
    €28.00), which no other test changes, is only looked at (the test stops at the summary)."""
    chat("订单100171发错货了，我买的是蜡烛，收到的是别的东西")
    assert answered_from(chat) == ["wrong-item"], chat.texts
    assert "订单 100171" in chat.texts[-1], chat.texts
    chat("lars.haugen@example.net")
    assert "免费给您补发正确的商品，还是全额退款 €28.00" in chat.text, chat.texts
    chat("退款吧")
    summary = chat.text
    assert "订单 100171 的退货如下" in summary and "退货运单免费" in summary and "€28.00 将退回" in summary, chat.texts
    assert "6.95" not in summary and "扣除" not in summary, chat.texts


def test_chinese_glasses_that_came_in_pieces_are_a_damage_report_not_a_cancellation(chat: Chat) -> None:
    """The orchestrator's walkthrough of 2026-12-07 (session nine): "你好，我上周买的花瓶到了是碎的，订单100219"
    (the vase came in pieces; here the order's glasses) was unsure between a cancellation and a return, asked for
    the proof, then answered "订单 100219 已签收，无法再取消" (it can't be cancelled) to a customer who never asked
    to cancel. Order 100219 as above: the summary is declined, nothing is booked."""
    chat("你好，我上周买的杯子到了是碎的，订单100219")  # the order's tumblers
    assert answered_from(chat) == ["damaged-item"], chat.texts
    chat("luca.meier@example.org")
    assert "无法再取消" not in chat.text, chat.texts
    assert "免费给您寄一件新的，还是全额退款 €32.00" in chat.text, chat.texts
    chat("退款吧")
    assert "€32.00" in chat.text and "€6.95" not in chat.text, chat.texts
    chat("不用了")


def test_goods_that_do_not_suit_the_customer_are_an_ordinary_return(chat: Chat) -> None:
    # lane cen's walk of 2026-12-07: "theyre the wrong colour for my kitchen" got the wrong-item answer ("Sorry for
    # the mix-up! We'll send you the correct item …") and a free replacement: nothing was sent wrong, the colour does
    # not suit the kitchen; it is the customer's return, summed up as one (stopped before its yes). Order 100183
    # (Freja Nielsen, delivered), only read: 100198 is booked by test_broken_glass.py earlier in the session, which
    # made this test fail in a run of both ("A return for order 100198 has already been booked")
    chat("hi i want to retrun the plates from 100183, theyre the wrong colour for my kitchen")
    assert "Sorry for the mix-up" not in chat.text and answered_from(chat) == [], chat.texts
    chat("freja.nielsen@example.org")
    assert "Here's the return for order 100183" in chat.text and "Stoneware dinner plates" in chat.text, chat.texts
    assert "replacement" not in chat.text.lower(), chat.texts
