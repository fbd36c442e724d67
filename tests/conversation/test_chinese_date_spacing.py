"""Chinese replies with a date (the session of 2026-12-07): the date is written "2026年12月5日（星期六）" and the
templates put a space after it, as after a number, so customers read "已于 2026年12月5日（星期六） 由 DHL 发出" and
"请在 2026年12月21日（星期一） 前寄出包裹": Chinese writing has no space after a full-width bracket. Through the
running stack: no space follows a full-width closing bracket in these replies (the space before the date, like the
one around an order number, is the codebase's way and stays).

Orders of the demo shop: 100234 (shipped), 100262 (placed), 100218 (delivered; the return stops at its summary, so
nothing is booked). Messages written for this test.
"""

from __future__ import annotations

import re

import pytest
from support.chat import Chat

SPACE_AFTER_BRACKET = re.compile(r"[）】」』][ \u3000]")


@pytest.mark.parametrize(
    "said",
    [
        ["我的订单100234到哪了", "ann.lee@example.com"],
        ["我的订单100262到哪了", "marco.rossi@example.org"],
        ["我想退订单100218的东西 grace.murphy@example.net", "全部"],
    ],
)
def test_no_space_after_the_dates_bracket(chat: Chat, said: list[str]) -> None:
    for text in said:
        chat(text)
    assert "（星期" in chat.text, chat.texts  # the reply has its date
    assert not SPACE_AFTER_BRACKET.search(chat.text), chat.texts
