"""Damage told in the middle of an ordinary return (the orchestrator's walkthrough of 2026-12-07, session nine): a
customer returning order 100218's tumblers wrote "two of them arrived chipped tho" at the return's summary and got
"sold as one set, so it can only go back whole" and the same summary again, with the €6.95 label deducted from
the refund; the Chinese "有两个杯子到的时候就碎了" got the summary again and nothing else. Goods that arrived
damaged are the shop's fault (the handbook's damaged-item answer: a free replacement or a full refund, broken glass
not sent back). Through the running stack the return becomes a damage report: said once, "replacement or refund?"
asked, the full amount refunded, no label cost. Order 100218 (Grace Murphy, delivered) as in
tests/conversation/test_items_named_by_kind.py: every summary here is declined, nothing is booked. Messages written
for this test."""

from __future__ import annotations

from support.chat import Chat

ORDER = "100218"
EMAIL = "grace.murphy@example.net"
TUMBLERS = "Ribbed tumblers, set of 6"
LABEL_DEDUCTED = "which we deduct from your refund"


def test_damage_told_at_the_summary_makes_the_return_free_with_a_choice_of_remedy(chat: Chat) -> None:
    chat(f"i want to return something from {ORDER}")
    chat(EMAIL)
    chat("the tumblers")
    assert f"1 × {TUMBLERS}" in chat.text and LABEL_DEDUCTED in chat.text, chat.texts  # an ordinary return
    chat("two of them arrived chipped tho")
    assert "I'm sorry it arrived damaged" in chat.text, chat.texts
    assert "can only go back whole" not in chat.text, chat.texts
    assert f"What would you like for {TUMBLERS} from order {ORDER}" in chat.text, chat.texts
    chat("refund please")
    assert f"1 × {TUMBLERS}" in chat.text and "€32.00" in chat.text, chat.texts
    assert LABEL_DEDUCTED not in chat.text and "€6.95" not in chat.text, chat.texts
    chat("no")
    assert "I haven't booked anything" in chat.text, chat.texts


def test_damage_named_with_the_items_is_a_damage_report_at_once(chat: Chat) -> None:
    chat(f"i want to return something from {ORDER}")
    chat(EMAIL)
    assert "Which items from order" in chat.text, chat.texts
    chat("the tumblers, two of them arrived chipped")
    assert "I'm sorry it arrived damaged" in chat.text, chat.texts
    # two glasses of the set, at their share of it (lane cen5: it was the whole set)
    assert f"What would you like for {TUMBLERS} – single pieces from order {ORDER}" in chat.text, chat.texts
    assert "€10.66" in chat.text and LABEL_DEDUCTED not in chat.text, chat.texts
    chat("send a replacement")
    assert f"2 × {TUMBLERS} – single pieces" in chat.text, chat.texts
    chat("no")


def test_a_chinese_customer_who_says_the_glasses_came_broken_is_not_charged_for_the_label(chat: Chat) -> None:
    chat(f"我要退货 订单{ORDER}")
    chat(EMAIL)
    chat("杯子")
    assert "€6.95" in chat.text, chat.texts  # an ordinary return from the United Kingdom: the label deducted
    chat("有两个杯子到的时候就碎了")
    assert "很抱歉商品到货时就有损坏" in chat.text, chat.texts
    assert "免费给您寄一件新的，还是全额退款" in chat.text, chat.texts
    chat("退款吧")
    assert "€32.00" in chat.text and "€6.95" not in chat.text, chat.texts
    chat("不用了")
