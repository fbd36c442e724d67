"""A refund the customer expected and the order system does not show (the orchestrator's walk of 2026-12-07,
afternoon): "i asked for a refund a week ago and still nothing. order 100218" got "There's no refund on order 100218:
nothing from it has been returned or cancelled after payment." and nothing else, in English and in Chinese ("退款申请了
一周了还没到账 订单100218"): a dead end for a customer sure they had asked. Through the running stack: the same fact,
then what they can do (a person to look into it, or a return started here), with the "Talk to a person" button. Order
100218 (Grace Murphy, delivered, nothing returned) is only looked at. Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat


@pytest.mark.parametrize(
    ("asked", "none", "next_step", "person"),
    [
        (
            "i asked for a refund a week ago and still nothing. order 100218",
            "There's no refund on order 100218",
            "a member of our team can look into it",
            "Talk to a person",
        ),
        ("退款申请了一周了还没到账 订单100218", "订单 100218 没有退款", "我们的客服可以帮您核实", "转人工客服"),
    ],
)
def test_no_refund_on_record_says_what_the_customer_can_do(
    chat: Chat, asked: str, none: str, next_step: str, person: str
) -> None:
    chat(asked)
    chat("grace.murphy@example.net")
    assert none in chat.text and next_step in chat.text, chat.texts
    assert [button["title"] for button in chat.buttons] == [person], chat.buttons
    assert chat.buttons[0]["payload"] == "/request_human", chat.buttons
