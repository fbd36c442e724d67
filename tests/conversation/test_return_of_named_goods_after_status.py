"""Goods of the order sent back, asked right after its status (the orchestrator's walk of 2026-12-07, session
eleven): "蜡烛能退吗" after order 100234's status got the handbook's candle-care answer (how to burn a candle),
"杯子可以退吗" after 100218's the general return policy, and neither started the return. Through the running stack:
that order's return, for the goods named (100218: Grace Murphy, delivered, tumblers and a tablecloth; 100234: Ann
Lee, on its way with DHL, so not returnable yet). A question with a condition ("用过的话能退吗") stays a policy
question. Each conversation ends with "不用了": nothing is booked. Messages written for this test."""

from __future__ import annotations

from support.chat import Chat

CANDLE_CARE = "第一次点燃"


def test_the_tumblers_asked_back_after_the_status_start_their_return(chat: Chat) -> None:
    chat("订单100218到哪了")
    chat("grace.murphy@example.net")
    assert "订单 100218" in chat.text, chat.texts
    chat("杯子可以退吗")
    assert "订单 100218 的退货如下" in chat.text and "条纹玻璃杯" in chat.text, chat.texts
    assert "桌布" not in chat.text, chat.texts  # the tumblers alone, not the tablecloth too
    chat("不用了")


def test_the_candles_of_an_order_on_its_way_are_not_returnable_yet(chat: Chat) -> None:
    chat("订单100234到哪了")
    chat("ann.lee@example.com")
    chat("蜡烛能退吗")
    assert CANDLE_CARE not in chat.text, chat.texts
    assert "暂时不能退货" in chat.text, chat.texts


def test_a_condition_on_the_return_stays_a_policy_question(chat: Chat) -> None:
    chat("订单100218到哪了")
    chat("grace.murphy@example.net")
    chat("杯子用过的话还能退吗")
    assert "的退货如下" not in chat.text, chat.texts


def test_the_tumblers_asked_back_in_english_after_the_status_start_their_return(chat: Chat) -> None:
    """The English twin (lane en, 2026-12-07): "can i return the tumblers?" right after 100218's status, read as
    unsure between the handbook and a return, starts that order's return of the tumblers alone, not "Did you mean"."""
    chat("where is my order 100218")
    chat("grace.murphy@example.net")
    assert "Order 100218 was delivered" in chat.text, chat.texts
    chat("can i return the tumblers?")
    assert "Here's the return for order 100218" in chat.text and "Ribbed tumblers" in chat.text, chat.texts
    assert "tablecloth" not in chat.text, chat.texts  # the tumblers alone
    assert "Did you mean" not in chat.text, chat.texts
    chat("no")
