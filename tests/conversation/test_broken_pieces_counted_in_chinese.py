"""The count of broken pieces said after the damage in Chinese (lane cust's note, 2026-12-07): "订单100218的杯子碎了
两个" reported the whole set of 6 tumblers (a new set, or a full refund of €32.00) where English "two of them" gave the
2 glasses at their share of the set (€10.66). Order 100218 (Grace Murphy, delivered), as in
tests/conversation/test_damage_told_during_return.py; nothing is booked (the conversation stops at the question).
Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100218"
EMAIL = "grace.murphy@example.net"


@pytest.mark.parametrize(
    ("report", "pieces", "share"),
    [(f"订单{ORDER}的杯子碎了两个", 2, "€10.66"), (f"订单{ORDER}的玻璃杯裂了一个", 1, "€5.33")],
)
def test_two_broken_glasses_are_those_two_glasses(chat: Chat, report: str, pieces: int, share: str) -> None:
    chat(report)
    chat(EMAIL)
    asked = chat.texts[-1]
    assert f"条纹玻璃杯，6 只装（其中 {pieces} 件）" in asked and "€32.00" not in chat.text, chat.texts
    assert share in asked, chat.texts  # the glasses' share of the set's €32.00
