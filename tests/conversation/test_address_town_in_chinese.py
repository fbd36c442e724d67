"""A new address whose town a Chinese customer writes in Chinese ("米兰 Via Roma 5, 20121", "Via Roma 5, 20121 米蘭"),
walked by lane czh (2026-12-07): the summary and the order's new address read "20121 米兰, 意大利", a label the Italian
courier cannot read. Through the running stack: a town the shop knows by its Chinese name is written as its country
writes it (Milano), whichever side of the street it stands; a town it doesn't know is asked for in Latin letters, and
no change is offered until then. "收件地址：" before the address was read as the town.

Order 100262 (Marco Rossi, placed, Italy) of the demo shop; every conversation ends with a no, so the order keeps its
address. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

START = "我要改订单100262的地址 marco.rossi@example.org"
SUMMARY = "Marco Rossi, Via Roma 5, 20121 Milano, 意大利"
KEPT = ("收货地址保持不变", "收貨地址保持不變")  # the reply follows the customer's script


@pytest.mark.parametrize(
    "address",
    [
        "米兰 Via Roma 5, 20121",
        "Via Roma 5, 20121 米蘭",
        "意大利米兰市 Via Roma 5 20121",
        "收件地址：Via Roma 5, 20121 Milano",
    ],
)
def test_a_town_named_in_chinese_is_written_as_italy_writes_it(chat: Chat, address: str) -> None:
    chat(START)
    chat(address)
    assert SUMMARY in chat.text, chat.texts
    assert "米兰" not in chat.text and "米蘭" not in chat.text, chat.texts
    chat("不用了")
    assert any(words in chat.text for words in KEPT), chat.texts


def test_a_town_it_does_not_know_is_asked_for_in_latin_letters(chat: Chat) -> None:
    chat(START)
    chat("Via Roma 5, 20900 蒙扎")  # Monza
    assert "拉丁字母" in chat.text, chat.texts
    assert "蒙扎, 意大利" not in chat.text and not chat.buttons, chat.texts
    chat("Via Roma 5, 20900 Monza")
    assert "Marco Rossi, Via Roma 5, 20900 Monza, 意大利" in chat.text, chat.texts
    chat("不用了")
    assert any(words in chat.text for words in KEPT), chat.texts


@pytest.mark.parametrize("address", ["Via Dante 12，20121 Milano，意大利", "Via Dante 12，20121 米兰，意大利"])
def test_a_chinese_keyboards_commas_part_the_address(chat: Chat, address: str) -> None:
    """ "Via Dante 12，20121 Milano，意大利" (full-width commas, as a Chinese keyboard types them) was one part: the
    street "Via Dante 12，" in the town "Milano，意大利" (with 米兰: asked for Latin letters)."""
    chat(START)
    chat(address)
    assert "Marco Rossi, Via Dante 12, 20121 Milano, 意大利" in chat.text, chat.texts
    chat("不用了")
    assert any(words in chat.text for words in KEPT), chat.texts
