"""Chinese typing slips in an order request (lane cust's walk, 2026-12-07): "定单100259可以改地只吗" (a pinyin
keyboard's 定单 for 订单, 地只 for 地址) was read as changing the order's items, and the customer got
"订单一旦提交就不能再更换…" with buttons instead of the address change of their placed order. The slips are
read as the words meant (actions/typos_zh.py) and the address change starts. Order 100259 (Thomas Leroy, placed) as in
tests/conversation/test_address_language.py: every change here is declined. Messages written for this test."""

from __future__ import annotations

from support.chat import Chat

ORDER = "100259"
EMAIL = "thomas.leroy@example.com"


def test_address_change_typed_with_slips_starts_the_address_change(chat: Chat) -> None:
    chat(f"定单{ORDER}可以改地只吗")
    assert "不能再更换" not in chat.text, chat.texts
    assert f"订单 {ORDER} 的下单邮箱" in chat.text, chat.texts
    chat(EMAIL)
    assert "新收货地址" in chat.text, chat.texts
    chat("不用了")


def test_cancellation_typed_with_a_slip_starts_the_cancellation(chat: Chat) -> None:
    chat(f"定单{ORDER}能取销吗")
    assert f"订单 {ORDER} 的下单邮箱" in chat.text, chat.texts
    chat(EMAIL)
    assert "取消" in chat.text and ORDER in chat.text, chat.texts
    chat("不用了")
