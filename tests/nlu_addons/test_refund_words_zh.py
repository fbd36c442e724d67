"""The Chinese words that settle which order flow a message asks for when the models leave two torn (issue 18): the
words beside 退 tell a refund's standing from starting one (nlu_addons.refund_words_zh), and a verb on goods beside an
order number makes a request of that order rather than bare order details. Messages written for this test.
"""

from __future__ import annotations

import numpy as np
import pytest
from support.arbiters import arbiter_torn

from nlu_addons.refund_words_zh import refund_reading_zh

IDS = ["refund-timing", "return-policy"]
FAR = np.array([[0.3, 0.2]], dtype=np.float32)  # no handbook entry near: the flows decide


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("寄回去的台灯，钱退了没有", "status"),
        ("退款进度帮我看看", "status"),
        ("我申请的退款到账了没", "status"),  # a status word wins: the refund was started before
        ("退款处理得怎么样了 100234", "status"),
        ("退款咋还没到", "status"),
        ("我要申请退款", "start"),
        ("麻烦给我退钱，订单100234", "start"),
        ("退款一般几天到", None),  # neither: a question about how refunds work
    ],
)
def test_the_words_beside_tui_say_status_or_start(text: str, reading: str | None) -> None:
    assert refund_reading_zh(text) == reading, text


@pytest.mark.parametrize(
    ("sure", "text", "destination"),
    [
        # torn either way, the words decide, and the two flows together make the bot sure
        ({"refund_status": 0.50, "request_refund": 0.48, "faq": 0.02}, "寄回去的花瓶，钱退了没有", "refund_status"),
        (
            {"request_refund": 0.50, "refund_status": 0.48, "faq": 0.02},
            "我上周退的货，退款进度怎么样了",
            "refund_status",
        ),
        (
            {"refund_status": 0.54, "request_refund": 0.44, "faq": 0.02},
            "退货退款在哪申请，订单号100234",
            "request_refund",
        ),
    ],
)
def test_a_refund_torn_between_its_standing_and_starting_one_goes_where_its_words_say(
    sure: dict[str, float], text: str, destination: str
) -> None:
    x, arbiter = arbiter_torn([text], FAR, sure)
    route = arbiter.route(x, FAR, IDS, text)
    assert route.destination == f"intent:{destination}", route


def test_refund_words_settle_nothing_when_they_say_neither_or_the_message_is_english() -> None:
    sure = {"refund_status": 0.50, "request_refund": 0.48, "faq": 0.02}
    for text in ["退款的事想问一下", "where is the refund for my return, I applied last week"]:
        x, arbiter = arbiter_torn([text], FAR, sure)
        assert arbiter.route(x, FAR, IDS, text).destination == "clarify", text


@pytest.mark.parametrize(
    ("text", "flow"),
    [
        ("100253 cushion换beige", "change_order"),  # 换 beside an order number: alter that order
        ("100262的蜡烛删一个", "change_order"),
        ("100218 桌布退了", "request_refund"),  # 退: goods sent back
    ],
)
def test_a_verb_on_goods_beside_an_order_number_starts_that_request(text: str, flow: str) -> None:
    sure = {"inform": 0.55, flow: 0.40, "faq": 0.05}
    x, arbiter = arbiter_torn([text], FAR, sure)
    route = arbiter.route(x, FAR, IDS, text)
    assert route.destination == f"intent:{flow}", route


def test_bare_order_details_stay_details() -> None:
    """No verb beside the number (an answer to a form's question), or a verb that asks for another flow: inform as
    before."""
    for text, flow in [("100253", "change_order"), ("订单号100253 邮箱ann.lee@example.com", "change_order"),
                       ("100218 桌布退了", "change_order")]:  # fmt: skip
        sure = {"inform": 0.55, flow: 0.40, "faq": 0.05}
        x, arbiter = arbiter_torn([text], FAR, sure)
        assert arbiter.route(x, FAR, IDS, text).destination != f"intent:{flow}", text


@pytest.mark.parametrize("text", ["100248换灰", "100248 毯子换灰色", "订单100248换个颜色"])
def test_a_swap_beside_an_order_number_is_never_a_cancellation(text: str) -> None:
    """换 beside an order number ("100248换灰", swap to grey) with the cancellation on top (lane czh2's lead: its
    summary of the whole order was one yes from cancelling it): the order change starts instead."""
    sure = {"cancel_order": 0.57, "inform": 0.38, "change_order": 0.01, "faq": 0.04}
    x, arbiter = arbiter_torn([text], FAR, sure)
    assert arbiter.route(x, FAR, IDS, text).destination == "intent:change_order", text


@pytest.mark.parametrize("text", ["100248换了，不要了", "取消100248，换别家买", "100248不要了"])
def test_words_calling_the_order_off_keep_the_cancellation(text: str) -> None:
    sure = {"cancel_order": 0.57, "inform": 0.38, "change_order": 0.01, "faq": 0.04}
    x, arbiter = arbiter_torn([text], FAR, sure)
    assert arbiter.route(x, FAR, IDS, text).destination == "intent:cancel_order", text
