"""A handbook question beside damaged goods of a named order (the orchestrator's walk of 2026-12-07, session eleven,
the widget at 1280x800): "hiya, ordered some tumblers (order 100218) and 2 of them came chipped :( also can i change
my email on my account" got the damaged-item answer and the order's return, and the account question was dropped
without a word, then and after the return was booked. Through the running stack: the account question answered
(edit-account) as well as the damage, the return of order 100218 going on (its identity check). Messages written for
this test; nothing is booked (no proof is given)."""

from __future__ import annotations

import pytest
from support.chat import Chat


@pytest.mark.parametrize(
    ("message", "account", "damage", "proof"),
    [
        (
            "hiya, ordered some tumblers (order 100218) and 2 of them came chipped :( also can i change my email on "
            "my account",
            "**Change email**",
            "Damage should be reported within 14 days",
            "what's the e-mail address or the delivery postcode for order 100218",
        ),
        (
            "订单100218的杯子收到时碎了两个，另外账户邮箱可以换吗",
            "**更改邮箱**",
            "14 天内",
            "请提供订单 100218 的下单邮箱或收货邮编",
        ),
    ],
)
def test_the_question_beside_damaged_goods_is_answered(
    chat: Chat, message: str, account: str, damage: str, proof: str
) -> None:
    chat(message)
    assert account in chat.text, chat.texts  # the edit-account answer
    assert damage in chat.text, chat.texts
    assert proof in chat.text, chat.texts
