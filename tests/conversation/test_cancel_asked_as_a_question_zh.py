""" "这个订单还能取消不" (an A-not-A question: can this order still be cancelled?) right after the order's status (the
session of 2026-12-07): nothing may be cancelled without the customer's yes, and the answer says whether it can be.
Checked through the running stack: the bot answered "还是订单 100262 吗？" and listed the customer's other orders,
though "这个订单" names the order just checked (English "can this order still be cancelled?" went straight on). Now
the cancellation's summary and its yes/no come at once ("this order can be cancelled, shall I?"); a no keeps it.

Order 100262 (Marco Rossi, placed) of the demo shop; every conversation ends with the no. Messages written for this
test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100262"
EMAIL = "marco.rossi@example.org"


# "还没发货能取消吗" (it hasn't shipped, can I cancel?), lane czh's walk: the handbook's answer asked for the order
# number
@pytest.mark.parametrize("asked", ["这个订单还能取消不", "这单还能取消吗", "这个订单能不能取消", "还没发货能取消吗"])
def test_this_order_can_it_still_be_cancelled_asks_for_the_yes(chat: Chat, asked: str) -> None:
    chat(f"我的订单{ORDER}到哪了")
    chat(EMAIL)
    assert "正在等待您付款" in chat.text, chat.texts
    chat(asked)
    assert "还是订单" not in chat.text, chat.texts
    assert f"确定要取消订单 {ORDER} 吗？" in chat.text, chat.texts
    keep = chat.buttons[-1]
    assert keep["title"] == "不，保留订单", chat.buttons
    chat(keep["payload"])
    assert f"我没有取消任何东西：订单 {ORDER} 会照常处理" in chat.text, chat.texts


def test_in_english_too(chat: Chat) -> None:
    chat(f"where is my order {ORDER}")
    chat(EMAIL)
    chat("can this order still be cancelled?")
    assert f"Shall I cancel order {ORDER}? (yes/no)" in chat.text, chat.texts
    chat(chat.buttons[-1]["payload"])
    assert "I haven't cancelled anything" in chat.text, chat.texts


@pytest.mark.parametrize("asked", ["我不想要了，能取消吗", "不想要了，能取消吗", "唉 买错了，可以取消嗎"])
def test_i_dont_want_it_any_more_is_about_the_order_just_checked(chat: Chat, asked: str) -> None:
    """ "我不想要了，能取消吗" (I don't want it any more, can I cancel?) right after the status: Chinese leaves out the
    "it" that takes the order in English ("I don't want it anymore, can I cancel"). The walkthrough of 2026-12-07 (czh
    lane): "还是订单 100262 吗？" and the customer's other orders (read as a cancellation), or the handbook's answer on
    cancellation fees (read as a handbook question)."""
    chat(f"我的订单{ORDER}到哪了")
    chat(EMAIL)
    assert "正在等待您付款" in chat.text, chat.texts
    chat(asked)
    assert "还是订单" not in chat.text, chat.texts
    assert f"确定要取消订单 {ORDER} 吗？" in chat.text or f"確定要取消訂單 {ORDER} 嗎？" in chat.text, chat.texts
    chat(chat.buttons[-1]["payload"])
    assert ORDER in chat.text and "取消" in chat.text, chat.texts
