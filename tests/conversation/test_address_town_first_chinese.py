"""A Chinese customer's new address written town first, before a Latin-script street (the session of 2026-12-07):
"巴黎 75001 12 rue de Rivoli" was read as the street "巴黎" in the town "75001 12 rue de Rivoli", and "巴黎 12 rue de
Rivoli" was told its town was missing. Through the running stack: the town is Paris (as the French courier reads it,
tests/conversation/test_address_town_in_chinese.py), the street "12 rue de Rivoli";
without a postcode only the postcode is asked for. Every conversation ends with a no or before the change, so the
order is not changed.

Order 100259 (Thomas Leroy, placed, France) as in tests/conversation/test_address_missing_part.py. Messages written for
this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

START = "我要改订单100259的地址 thomas.leroy@example.com"


@pytest.mark.parametrize(
    "address", ["巴黎 75001 12 rue de Rivoli", "巴黎，75001，12 rue de Rivoli", "法国巴黎 75001 12 rue de Rivoli"]
)
def test_a_town_before_a_latin_street_is_the_town(chat: Chat, address: str) -> None:
    chat(START)
    chat(address)
    assert "Thomas Leroy, 12 rue de Rivoli, 75001 Paris, 法国" in chat.text, chat.texts
    chat("不用了")
    assert "订单 100259" in chat.text, chat.texts


def test_without_a_postcode_only_the_postcode_is_asked_for(chat: Chat) -> None:
    chat(START)
    chat("巴黎 12 rue de Rivoli")
    assert "缺少邮编" in chat.text and "城市" not in chat.texts[0], chat.texts
    chat("75001")  # the postcode alone completes it
    assert "Thomas Leroy, 12 rue de Rivoli, 75001 Paris, 法国" in chat.text, chat.texts
    chat("不用了")
