"""The part of an address the bot said was missing, and a "yes" in its place (the walkthrough of 2026-12-07, walk1).

"Via Roma 5, 20121" got "I couldn't find the town or city in that address."; the customer answered "yes" (or "ok",
or "对" in Chinese) and the bot asked "Shall I change the delivery address of order … to …, 20121 yes, Italy?": the
yes had become the town, and a second yes would have sent the parcel there. "ok Milano" and "oh sorry, milano" made
the town "ok Milano" and "oh sorry". Through the running stack: a yes alone asks for the missing part again, and the
words before the town are not part of it.

Order 100259 (Thomas Leroy, placed, France) as in tests/conversation/test_dialogue.py: every conversation here ends
with a no, so nothing changes it. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100259"
EMAIL = "thomas.leroy@example.com"


@pytest.mark.parametrize("yes", ["yes", "ok", "yep"])
def test_a_yes_where_the_town_is_missing_is_not_the_town(chat: Chat, yes: str) -> None:
    chat(f"I need to change the delivery address of order {ORDER}, {EMAIL}")
    chat("Rue Sainte-Catherine 12, 33000")
    assert "I couldn't find the town or city in that address." in chat.texts, chat.texts
    chat(yes)
    assert "Shall I change" not in chat.text, chat.texts
    assert "I couldn't find the town or city in that address." in chat.texts, chat.texts  # not every part
    chat("Bordeaux")
    assert (
        f"Shall I change the delivery address of order {ORDER} to Thomas Leroy, Rue Sainte-Catherine 12, 33000 "
        "Bordeaux, France? (yes/no)" in chat.texts
    ), chat.texts
    chat("no")
    assert "left the delivery address" in chat.text, chat.texts


@pytest.mark.parametrize("town", ["ok Bordeaux", "oh sorry, bordeaux", "yes, Bordeaux"])
def test_the_words_before_the_missing_town_are_not_part_of_it(chat: Chat, town: str) -> None:
    chat(f"I need to change the delivery address of order {ORDER}, {EMAIL}")
    chat("Rue Sainte-Catherine 12, 33000")
    chat(town)
    assert "Rue Sainte-Catherine 12, 33000 Bordeaux, France? (yes/no)" in chat.text.replace("bordeaux", "Bordeaux"), (
        chat.texts
    )
    chat("no")


def test_a_yes_in_chinese_where_the_town_is_missing_is_not_the_town(chat: Chat) -> None:
    chat(f"我要修改订单{ORDER}的收货地址，邮箱 {EMAIL}")
    chat("Rue Sainte-Catherine 12, 33000")
    assert "这个地址里缺少城市。" in chat.texts, chat.texts
    chat("对")
    assert "要把订单" not in chat.text, chat.texts
    assert "这个地址里缺少城市。" in chat.texts, chat.texts
    chat("Bordeaux")
    assert "Thomas Leroy, Rue Sainte-Catherine 12, 33000 Bordeaux" in chat.text, chat.texts
    chat("不用了")
