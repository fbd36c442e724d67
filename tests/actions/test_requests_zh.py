"""Chinese requests split as English ones are (issue 18): a question naming two options with 还是 / 或者 is asked once
per option ("支持支付宝还是微信支付"), as "paypal or klarna" is; once an order is known, a clause that is nothing but
the change ("能取消吗") asks for it on that order, as "cancel it" does. Through the stack: tests/conversation/
test_chinese_questions.py."""

from __future__ import annotations

import pytest

from actions.order_state import CANCEL, CHANGE_ADDRESS
from actions.requests import alternatives, option_words, questions_in, requests_in, zh_return_condition


@pytest.mark.parametrize(
    ("text", "asked", "words"),
    [
        ("支持支付宝还是微信支付", ["支持支付宝支付", "支持微信支付"], ["支付宝", "微信"]),
        ("可以用PayPal还是Klarna付款？", ["可以用PayPal付款？", "可以用Klarna付款？"], ["paypal", "klarna"]),
        ("能用Apple Pay或Google Pay吗", ["能用Apple Pay吗", "能用Google Pay吗"], ["apple pay", "google pay"]),
        ("毛巾或者铸铁锅怎么保养", ["毛巾怎么保养", "铸铁锅怎么保养"], ["毛巾", "铸铁锅"]),
        ("寄到挪威还是瑞士要几天", ["寄到挪威要几天", "寄到瑞士要几天"], ["挪威", "瑞士"]),
        ("can I pay with paypal or klarna", ["can I pay with paypal", "can I pay with klarna"], ["paypal", "klarna"]),
    ],
)
def test_a_question_naming_two_options_is_asked_once_per_option(text: str, asked: list[str], words: list[str]) -> None:
    assert alternatives(text) == asked
    assert option_words(text) == words


@pytest.mark.parametrize("text", ["快递还是没到", "我还是不退了", "或许明天就到了", "你们接受信用卡还是只能PayPal"])
def test_still_maybe_and_only_name_no_options(text: str) -> None:
    assert alternatives(text) == [] and option_words(text) == []


def test_a_bare_chinese_change_is_a_request_about_the_order_known() -> None:
    found = requests_in("能取消吗？另外退货运费多少", order_known=True)
    assert (found.flow, found.questions) == (CANCEL, ["退货运费多少"])
    assert requests_in("那就改地址吧", order_known=True).flow == CHANGE_ADDRESS
    # no order known yet, or a question about how cancelling works: no request
    assert requests_in("能取消吗？另外退货运费多少").flow is None
    for question in ("订单一般能取消吗", "怎么取消", "取消了会扣钱吗"):
        assert requests_in(question, order_known=True).flow is None, question


def test_the_customers_own_refund_asked_after_is_the_refund_request_not_a_question() -> None:
    # "我的退款到哪了？订单100165 邮编20121": the first clause is the refund's status asked for, its order in the next;
    # before, it was a handbook question beside the request and got the return-policy entry as a second answer
    found = requests_in("我的退款到哪了？订单100165 邮编20121")
    assert (found.flow, found.questions) == ("refund_status", []), found
    # a question about refunds in general stays a question
    assert requests_in("退款一般要几天？订单100165到哪了").questions == ["退款一般要几天？"]


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("訂單下了以後還能取消嗎，要怎麼操作", ["訂單下了以後還能取消嗎，要怎麼操作"]),
        ("能开发票吗？流程是什么？", ["能开发票吗？流程是什么？"]),
        ("退货运费谁出？另外一般几天能到", ["退货运费谁出？", "一般几天能到"]),
        ("paypal or klarna? also how long does delivery take", ["paypal or klarna?", "how long does delivery take"]),
    ],
)
def test_a_chinese_clause_that_only_asks_how_stays_with_the_clause_before(text: str, asked: list[str]) -> None:
    # alone, "要怎么操作" was looked up as a question of its own and answered from how-to-order beside the cancellation
    assert questions_in(text) == asked


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("你们是哪里发货的 几天能到上海", ["你们是哪里发货的", "几天能到上海"]),
        ("你们是哪里发货的，几天能到上海 另外能开发票吗", ["你们是哪里发货的", "几天能到上海", "能开发票吗"]),
        # a topic, then a question about it: one question
        ("改绑邮箱 怎么弄", ["改绑邮箱 怎么弄"]),
        ("寄到荷兰 几天", ["寄到荷兰 几天"]),
    ],
)
def test_a_space_between_two_chinese_questions_parts_them_as_a_comma_does(text: str, asked: list[str]) -> None:
    # "你们是哪里发货的 几天能到上海" was one question no entry answered surely: a person was offered instead of both
    # answers (through the stack: tests/conversation/test_chinese_two_questions.py)
    assert questions_in(text) == asked


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("我想退掉毯子，拆封了可以吗", "拆封了还能退货吗"),
        ("我想退掉毯子，已经拆封了，可以吗", "已经拆封了还能退货吗"),
        ("想退货，毯子用过一次了没问题吧", "毯子用过一次了还能退货吗"),
        ("我要退貨，吊牌剪了還行嗎？", "吊牌剪了还能退货吗"),
        ("订单100207想退货，拆封了能退吗", "拆封了还能退货吗"),
        # nothing told of the goods: the return itself asked for, no question beside it
        ("我想退掉毯子，可以吗", None),
        ("订单100207想退货，明天寄可以吗", None),
        ("想退货，100207可以吗", None),
        ("i want to return it, is that ok?", None),
    ],
)
def test_is_that_ok_beside_a_return_asks_whether_the_goods_can_still_go_back(text: str, asked: str | None) -> None:
    # through the stack: tests/conversation/test_chinese_followups_and_conditions.py
    assert zh_return_condition(text) == asked
