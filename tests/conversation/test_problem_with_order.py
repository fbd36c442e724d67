"""A problem with an order, not yet which one (the orchestrator's walkthrough of 2026-12-07, session nine):
"订单100219有点问题" (there's a bit of a problem with order 100219) got the handbook's answer about cancelling an
order, and "about 100234, something's off" a "Did you mean" with only an order check to pick. Through the running
stack both are asked what is wrong with that order, with the order's topics as buttons (as "hi, it's about my order
100234" is asked what to do with it); a message that says what to do is that request. Messages written for this
test."""

from __future__ import annotations

import pytest
from support.chat import Chat


@pytest.mark.parametrize("said", ["订单100219有点问题", "你好，我的订单100219出问题了", "关于订单100219想咨询一下"])
def test_a_chinese_problem_with_an_order_is_asked_about(chat: Chat, said: str) -> None:
    reply = chat(said)
    assert reply["faq"] is None, chat.texts  # no handbook answer (it was how to cancel an order)
    assert "100219" in chat.text and "取消订单" not in chat.text, chat.texts
    assert len(chat.buttons) >= 3, chat.buttons  # the order's topics


@pytest.mark.parametrize("said", ["about 100234, something's off", "there's a problem with my order 100234"])
def test_an_english_problem_with_an_order_is_asked_about(chat: Chat, said: str) -> None:
    chat(said)
    assert "Sorry to hear that. What's wrong with order 100234?" in chat.text, chat.texts
    assert {"Where is my order?", "Cancel my order", "Return an item"} <= {b["title"] for b in chat.buttons}


def test_a_problem_and_what_to_do_is_that_request(chat: Chat) -> None:
    chat("i have a problem with order 100262, can you cancel it")
    assert "what's the e-mail address or the delivery postcode for order 100262" in chat.text, chat.texts
