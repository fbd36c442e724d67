"""What a Chinese message asks to be done with goods, read from its verb (nlu_addons.goods_verbs_zh), and how the
arbiter uses it (issue 18): a return is no order change, and a swap of goods the customer has or a report of a
missing item is no order change either.
"""

from __future__ import annotations

import numpy as np
import pytest
from support.arbiters import arbiter_torn

from nlu_addons.arbiter import order_evidence
from nlu_addons.goods_verbs_zh import reading_zh


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("订单100211的碗我只想退一个，颜色不对", "return"),
        ("我想把订单里的台灯退了", "return"),
        ("毯子摸着太薄了，能退吗", "return"),
        ("订单里的抱枕删掉一个", "change"),
        ("那套碗我不想要了，别的东西还是要的", "change"),
        ("刚才下错款式了，帮我改一下", "change"),
        ("订单里再加一条浴巾", "change"),
        ("订单里的床单换成米色的", "change"),  # a swap of goods in an order named: the order changes
        ("100245里的cushion换成blue的", "change"),  # named by its number
        ("枕套想换个颜色", "exchange"),  # goods the customer has, swapped
        ("我想换一条长一点的窗帘", "exchange"),
        ("订单里的vase没在箱子里", None),  # a report
        ("毛毯是什么材质", None),
    ],
)
def test_the_verb_says_what_is_asked_of_the_goods(text: str, reading: str | None) -> None:
    assert reading_zh(text, order_number=any(ch.isdigit() for ch in text)) == reading, text


def test_only_a_chinese_change_verb_is_evidence_for_the_order_change_flow() -> None:
    assert order_evidence("订单里的抱枕删掉一个", "change_order")
    assert not order_evidence("我想换一条长一点的窗帘", "change_order")  # an exchange
    assert not order_evidence("订单里的vase没在箱子里", "change_order")  # a report
    assert not order_evidence("我只想退一个花瓶", "change_order")  # a return
    # the other flows keep their evidence, and English is not read by the Chinese verbs
    assert order_evidence("我只想退一个花瓶", "request_refund")
    assert order_evidence("I want to swap the cushion in my order", "change_order")


@pytest.mark.parametrize(
    ("sure", "text"),
    [
        ({"change_order": 0.84, "request_refund": 0.15, "faq": 0.01}, "订单100211的碗我只想退一个，颜色不对"),
        ({"change_order": 0.37, "request_refund": 0.62, "faq": 0.01}, "我想把订单里的台灯退了"),
    ],
)
def test_an_order_change_torn_with_the_refund_flow_is_a_return_when_the_verb_is_tui(
    sure: dict[str, float], text: str
) -> None:
    scores = np.array([[0.4, 0.3]], dtype=np.float32)
    x, arbiter = arbiter_torn([text], scores, sure)
    route = arbiter.route(x, scores, ["size-guide", "wrong-item"], text)
    assert route.destination == "intent:request_refund", route
    # the same probabilities for a change verb: the order change as before (or asked back about when unsure)
    changed = text.replace("退", "删")
    x, arbiter = arbiter_torn([changed], scores, sure)
    assert arbiter.route(x, scores, ["size-guide", "wrong-item"], changed).destination != "intent:request_refund"


def test_an_order_change_read_into_a_swap_or_a_report_is_answered_from_the_handbook() -> None:
    """The order change is likeliest, but the verb alters no order: the best entry answers once it clears the gate,
    and the bot asks back when it does not; a real change still starts the flow."""
    sure = {"change_order": 0.85, "faq": 0.14, "out_of_scope": 0.01}
    ids = ["exchanges", "wrong-item"]
    clear = np.array([[0.66, 0.45]], dtype=np.float32)
    for text in ["我想换一条长一点的窗帘", "订单里的vase没在箱子里"]:
        x, arbiter = arbiter_torn([text], clear, sure)
        arbiter.faq_answer_from = 0.62
        assert arbiter.route(x, clear, ids, text).destination == "faq:exchanges", text
        far = np.array([[0.5, 0.45]], dtype=np.float32)  # below the gate: asked back, the entry offered
        route = arbiter.route(x, far, ids, text)
        assert route.destination == "clarify" and "faq:exchanges" in route.offered, route
    change = "订单里的窗帘删掉一条"
    x, arbiter = arbiter_torn([change], clear, sure)
    assert arbiter.route(x, clear, ids, change).destination == "intent:change_order"
    asked = "帮我把订单里的窗帘弄一下"  # the bot asked to act, its verb not read: asked back, not answered
    x, arbiter = arbiter_torn([asked], clear, sure)
    assert arbiter.route(x, clear, ids, asked).destination == "clarify"
