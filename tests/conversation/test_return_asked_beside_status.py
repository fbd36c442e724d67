"""A return of the order's goods asked beside its status in the same message, walked by lane czh (2026-12-07):
"…订单号好像是100234吧 邮箱ann.lee@example.com 想问问到哪了 另外蜡烛能退吗" and "where is my order 100234 …, also can i
return the candles" got the handbook's candle-care answer (how to burn a candle) before the status, and the return was
never taken up. Through the running stack: no candle care; the status, then that order's return, which for 100234
(Ann Lee, shipped with DHL, not delivered yet) says it can be returned once it arrives. Messages written for this
test; nothing is booked (the order is still on its way)."""

from __future__ import annotations

import pytest
from support.chat import Chat

CANDLE_CARE = ("First burn", "第一次点燃")
NOT_YET = ("it can't be returned yet", "暂时不能退货")


@pytest.mark.parametrize(
    "asked",
    [
        "你好呀 我上周在你们家买了毯子和蜡烛 订单号好像是100234吧 邮箱ann.lee@example.com 想问问到哪了 另外蜡烛能退吗",
        "where is my order 100234 ann.lee@example.com, also can i return the candles",
    ],
)
def test_the_return_beside_the_status_is_that_orders_return(chat: Chat, asked: str) -> None:
    chat(asked)
    assert not any(words in chat.text for words in CANDLE_CARE), chat.texts
    assert "DHL" in chat.text, chat.texts
    assert any(words in chat.text for words in NOT_YET), chat.texts
