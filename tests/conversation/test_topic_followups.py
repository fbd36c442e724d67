"""A short follow-up with no subject of its own is read in the section of the answer just before (the walkthrough of
2026-12-06, second session): after the how-to-return answer, "who pays the postage" got the delivery prices and
"那运费呢" the delivery costs (€4.95, free over €50): read alone they ask about delivery. Now the return label's cost
comes, and "要多久" the refund's timing. A question of its own ("do you ship to norway") keeps its own answer.
Through the running stack; messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat


@pytest.mark.parametrize(
    ("first", "followup", "expected"),
    [
        ("how do i send something back", "who pays the postage", "return-shipping-cost"),
        ("怎么退货", "那运费呢", "return-shipping-cost"),
        ("怎么退货啊，东西不喜欢", "运费谁出", "return-shipping-cost"),
        ("how do i send something back", "is it free?", "return-shipping-cost"),
    ],
)
def test_a_short_followup_is_read_in_the_section_of_the_answer_before(
    chat: Chat, first: str, followup: str, expected: str
) -> None:
    chat(first)
    assert (chat.last.get("faq") or {}).get("id") == "how-to-return", chat.texts
    chat(followup)
    assert (chat.last.get("faq") or {}).get("id") == expected, chat.texts


@pytest.mark.parametrize(
    ("followup", "expected"),
    [("do you ship to norway", "international-shipping"), ("你们支持支付宝吗", "payment-methods")],
)
def test_a_question_of_its_own_after_an_answer_keeps_its_own_answer(chat: Chat, followup: str, expected: str) -> None:
    chat("how do i send something back")
    chat(followup)
    assert (chat.last.get("faq") or {}).get("id") == expected, chat.texts


# lane zhwalk's walkthrough of Chinese conversations: at "which items do you want to return?" (the return under way,
# no answer before it) "那运费谁出" got the delivery prices. Orders 100210 (Ciarán Walsh) and 100215 (Marco Rossi),
# delivered days ago, which no other test uses: the tests stop at the return's items question, nothing is booked
@pytest.mark.parametrize(
    ("request_", "followup", "items_asked"),
    [
        ("掌柜，订单100210能退吗 ciaran.walsh@example.org", "那运费谁出", "您想退回其中哪些"),
        ("i want to return order 100215 marco.rossi@example.org", "who pays the postage?", "Which of these would you"),
    ],
)
def test_a_short_followup_during_a_return_is_read_in_the_returns_section(
    chat: Chat, request_: str, followup: str, items_asked: str
) -> None:
    chat(request_)
    assert chat.buttons, chat.texts  # the items to return are offered
    chat(followup)
    assert (chat.last.get("faq") or {}).get("id") == "return-shipping-cost", chat.texts
    assert items_asked in chat.texts[-1], chat.texts  # and the return goes on


def test_a_short_followup_during_a_cancellation_keeps_its_own_answer(chat: Chat) -> None:
    """Order 100251 (Max Hoffmann, packed), which no other test uses: the test stops at the cancellation's yes/no."""
    chat("我想取消订单100251 max.hoffmann@example.org")
    assert "确定要取消订单 100251 吗" in chat.text, chat.texts
    chat("那运费呢")
    assert (chat.last.get("faq") or {}).get("id") == "shipping-costs", chat.texts


def test_a_pronoun_followup_after_the_shipping_answer_gets_the_delivery_time(chat: Chat) -> None:
    """The walkthrough of 2026-12-06 (fifth session): "and how long does it take" after the international-shipping
    answer got "Did you mean: How long does delivery take?" (its subject read as "international" alone)."""
    chat("hi do u ship to switzerland and how much is it")
    assert (chat.last.get("faq") or {}).get("id") == "international-shipping", chat.texts
    chat("and how long does it take")
    assert (chat.last.get("faq") or {}).get("id") == "delivery-time", chat.texts
