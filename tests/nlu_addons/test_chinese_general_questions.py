"""Chinese first messages the bot used to get confidently wrong (issue 18): a question about how things work in general
read as a request about a specific order, and another service's, device's, bank card's or seller's matter answered
from the shop's handbook. The cues: nlu_addons.arbiter.general_question_zh and nlu_addons.order_cues.another_companys.
"""

from __future__ import annotations

import numpy as np
import pytest

from nlu_addons.arbiter import StackedArbiter, features, general_question_zh, order_evidence
from nlu_addons.order_cues import another_companys


@pytest.mark.parametrize(
    "text",
    [
        "我想问下退款一般退回哪个账户",  # the asker's 我, the usual case
        "我想知道你们通常几天发货",
        "请问我要怎么申请退货",
        "我下单以后多久能改地址",
        "我能不能取消订单",
        "订单一般几天能到",  # no 我 and no question particle
        "平时退款退到原来的卡上",
    ],
)
def test_a_chinese_question_about_how_things_work_is_no_request_about_an_order(text: str) -> None:
    assert general_question_zh(text), text
    assert not order_evidence(text), text


@pytest.mark.parametrize(
    "text",
    [
        "我的订单一般几天能到",  # the customer's order named
        "我订单里的台灯能不能换个颜色",
        "我上周买的毯子怎么退",
        "这个订单多久能发货",
        "订单100234一般几天到",  # an order number
        "钱怎么还没打回我卡上",  # still waiting
        "我的包裹还要多久才到",
        "我等的快递怎么一直不动",
        "能不能帮我把订单取消",  # asks the bot to do it
        "麻烦看下我的退款到哪了",
    ],
)
def test_a_chinese_question_naming_the_order_or_waiting_for_it_is_still_about_it(text: str) -> None:
    assert not general_question_zh(text), text
    assert order_evidence(text), text


def test_the_general_question_rule_is_chinese_only() -> None:
    # English has its own how-question rule (the arbiter's HOW_QUESTION, for the handbook over a flow)
    assert not general_question_zh("how long does a refund usually take")
    assert order_evidence("how long does my refund usually take")


def test_an_order_flow_read_into_a_general_chinese_question_is_answered_from_the_handbook() -> None:
    """An arbiter sure of refund_status whatever it is shown: a general question goes to the handbook entry near it
    (or is asked back about when none is near enough), the customer's own refund still starts the flow."""
    texts = ["我想问下退款一般退回哪个账户", "我的退款退回哪个账户了"]
    scores = np.array([[0.8, 0.3]] * 2, dtype=np.float32)
    x = features(np.array([[0.98, 0.02]] * len(texts)), scores, texts)
    arbiter = StackedArbiter(answer_at=0.5, clarify_at=0.1).fit(
        np.vstack([x, x]), ["refund_status"] * len(texts) + ["faq"] * len(texts)
    )
    sure = [0.99 if name == "refund_status" else 0.01 for name in arbiter.classes]
    arbiter._model.predict_proba = lambda rows: np.tile(sure, (len(rows), 1))
    ids = ["refund-policy", "refund-timing"]
    general = arbiter.route(x[:1], scores[:1], ids, texts[0])
    assert general.destination == "clarify" and "faq:refund-policy" in general.offered, general
    arbiter.faq_no_order_from = 0.65
    assert arbiter.route(x[:1], scores[:1], ids, texts[0]).destination == "faq:refund-policy"
    assert arbiter.route(x[1:], scores[1:], ids, texts[1]).destination == "intent:refund_status"


@pytest.mark.parametrize(
    ("text", "theirs"),
    [
        ("QQ会员到期了怎么续", True),  # another service's membership
        ("微信的支付密码改不了", True),  # a payment app's own password
        ("家里wifi的密码换了连不上", True),  # a device's
        ("平板的开机密码记不得了", True),
        ("信用卡的额度不够了吗", True),  # a bank card's limit and fees
        ("储蓄卡还款日是哪天", True),
        ("在别家超市买的锅漏水了", True),  # bought from another seller
        ("别的网站买的椅子能在你们这修吗", True),
        ("其他品牌的台灯坏了能换吗", True),  # another brand's, after the sale
        ("密码忘了怎么办", False),  # the shop's account
        ("用微信账号登录你们网站", False),  # a login to the shop with it
        ("用手机登录密码一直错误", False),
        ("用支付宝付款可以吗", False),  # a payment method the shop takes
        ("信用卡付款老是失败", False),
        ("别家卖得比你们便宜，能退差价吗", False),  # the shop's price-match question
        ("别家买到了，这单不要了", False),  # the reason to cancel the shop's order
        ("你们其他门店买的能在网上退吗", False),  # the shop's own stores
        ("有没有其他品牌的枕头", False),  # a question about what the shop sells
    ],
)
def test_another_services_devices_cards_and_sellers_things_are_theirs_in_chinese(text: str, theirs: bool) -> None:
    assert another_companys(text) is theirs


def test_another_sellers_goods_are_neither_answered_nor_taken_for_an_order() -> None:
    """An arbiter sure of the handbook whatever it is shown: a device's password and another seller's goods are
    refused with a person offered, the shop's own password question is answered."""
    texts = ["平板的开机密码记不得了", "在别家超市买的锅漏水了", "密码忘了怎么办"]
    scores = np.array([[0.8, 0.3]] * 3, dtype=np.float32)
    x = features(np.array([[0.98, 0.02]] * len(texts)), scores, texts)
    arbiter = StackedArbiter(answer_at=0.5, clarify_at=0.1).fit(
        np.vstack([x, x]), ["faq"] * len(texts) + ["greet"] * len(texts)
    )
    sure = [0.99 if name == "faq" else 0.01 for name in arbiter.classes]
    arbiter._model.predict_proba = lambda rows: np.tile(sure, (len(rows), 1))
    ids = ["password-reset", "warranty"]
    for row in (0, 1):
        route = arbiter.route(x[row : row + 1], scores[row : row + 1], ids, texts[row])
        assert (route.destination, route.offered) == ("handoff:low_confidence", []), (texts[row], route)
    assert arbiter.route(x[2:], scores[2:], ids, texts[2]).destination == "faq:password-reset"
