"""Thanks, then a change of the order just checked, in Chinese (the orchestrator's walkthrough of 2026-12-07,
session nine): after order 100234's status, "thanks, can i still change the address?" got that order's own answer
(it has shipped: redirect it with DHL, or refuse it), but "谢谢，那可以改地址吗" / "謝謝，那可以改地址嗎" got the
handbook's general answer asking for the order number again: the "谢谢，" before the question kept it from being
read as the change of that order (a Chinese comma does not split it off as the English one does). Messages written
for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat


@pytest.mark.parametrize(
    ("status", "then", "refused"),
    [
        ("订单100234到哪了", "谢谢，那可以改地址吗", "订单 100234 已发货，无法再修改收货地址"),
        ("請問我的訂單100234到哪裡了", "謝謝，那可以改地址嗎", "訂單 100234 已發貨，無法再修改收貨地址"),
        ("where is my order 100234", "thanks, can i still change the address?", "Order 100234 has already shipped"),
    ],
)
def test_thanks_and_an_address_change_of_the_order_just_checked(
    chat: Chat, status: str, then: str, refused: str
) -> None:
    chat(status)
    chat("ann.lee@example.com")
    chat(then)
    assert refused in chat.text, chat.texts
    assert "订单号和新地址" not in chat.text and "訂單號和新地址" not in chat.text, chat.texts
