"""An order number and an e-mail address typed in a Chinese keyboard's full-width mode, walked by lane czh
(2026-12-07): "订单１００２３４到哪了" was asked for the order number it gave, and "ann.lee＠example.com" /
"ann.lee@example。com" at the identity question were asked for the e-mail address again (the second was told it
"doesn't look like a complete e-mail address"). Through the running stack: both are read as typed in ASCII
(nlu_addons/fullwidth_text.py), and the order's status follows.

Order 100234 (Ann Lee, shipped with DHL) of the demo shop. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat


@pytest.mark.parametrize(
    ("asked", "email"),
    [
        ("订单１００２３４到哪了", "ann.lee@example.com"),
        ("我的订单100234到哪了", "ann.lee＠example.com"),
        ("我的订单100234到哪了", "ann.lee@example。com"),
        ("訂單號１００２３４，寄到哪了", "ａｎｎ．ｌｅｅ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
    ],
)
def test_full_width_order_number_and_email_are_read(chat: Chat, asked: str, email: str) -> None:
    chat(asked)
    assert "100234" in chat.text, chat.texts  # its proof asked for, not the number
    chat(email)
    assert "DHL" in chat.text, chat.texts
    assert "邮箱地址" not in chat.text and "郵箱地址" not in chat.text, chat.texts
