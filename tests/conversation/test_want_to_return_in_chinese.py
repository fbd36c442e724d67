""" "想退" (want to send it back) said of a named order beside a question (the orchestrator's walk of 2026-12-07,
session eleven, the widget at 390x844 in Chinese): "在吗 我上周买的毯子 订单100207 还没用过 想退 顺便问下你们支持
支付宝吗" was read as a refund status ("订单 100207 没有退款"), and the payment question was dropped. The order
request's own clause says which flow it is (actions/requests.py FLOW_WORDS): 想退/要退 is a return, as 退货 is;
不想退/不要退 is not. Through the running stack: the payment question answered, then order 100207's return (Sofia
Papadopoulou, delivered: plates and a throw), its identity check first; the conversation ends with "不用了":
nothing is booked. Messages written for this test."""

from __future__ import annotations

from support.chat import Chat


def test_want_to_return_beside_a_question_is_the_orders_return(chat: Chat) -> None:
    chat("在吗 我上周买的毯子 订单100207 还没用过 想退 顺便问下你们支持支付宝吗")
    assert "结账时可以使用" in chat.text, chat.texts  # the payment methods answer
    assert "请提供订单 100207 的下单邮箱或收货邮编" in chat.text, chat.texts
    chat("sofia.papadopoulou@example.net")
    assert "没有退款" not in chat.text, chat.texts  # not a refund status
    assert "订单 100207 的退货如下" in chat.text or "退哪件商品" in chat.text or "哪些商品" in chat.text, chat.texts
    chat("不用了")


def test_not_wanting_to_return_it_any_more_is_no_return(chat: Chat) -> None:
    chat("订单100207 不要退了 帮我查下到哪了")
    chat("sofia.papadopoulou@example.net")
    assert "订单 100207" in chat.text and "退货如下" not in chat.text, chat.texts
