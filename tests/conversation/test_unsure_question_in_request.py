"""A question the bot is unsure of, asked in the middle of a request (the walk of 2026-12-07, lane cen4, in the
widget): "do i need the original packaging?" at "what's the e-mail address or the delivery postcode for order
100213?" got that question again ("Which e-mail address or delivery postcode did you use …"), and at "How many of
them would you like to send back?" "Sorry, I couldn't tell which items …": the question was dropped without a word
(outside a request the same message gets "Did you mean" with the handbook's likely entries). Now it gets the same
"Did you mean" there too, and the request's question follows; in Chinese too. Through the running stack; nothing is
booked (each conversation stops at a question of the request).

Order 100213 (James Whitfield, delivered: a linen fitted sheet and 2 waffle bath towels) of the demo shop; no test
books anything on it. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100213"
EMAIL = "james.whitfield@example.net"


def suggested(chat: Chat) -> list[str]:
    """The payloads of the handbook entries offered under "Did you mean"."""
    return [button["payload"] for button in chat.buttons if button["payload"].startswith("/faq")]


@pytest.mark.parametrize(
    ("request_text", "question", "unsure", "asked_again"),
    [
        (
            f"hi i'd like to return the towel from order {ORDER}",
            "do i need the original packaging?",
            "Did you mean one of these?",
            f"Now, back to your order. Which e-mail address or delivery postcode did you use for order {ORDER}?",
        ),
        (
            f"我要退订单{ORDER}的浴巾",
            "可以自己送过去吗？",
            "您是想问下面这些吗？",
            f"订单 {ORDER} 用的是哪个邮箱或收货邮编？",
        ),
    ],
)
def test_an_unsure_question_at_the_identity_question_gets_did_you_mean(
    chat: Chat, request_text: str, question: str, unsure: str, asked_again: str
) -> None:
    chat(request_text)
    chat(question)
    assert unsure in chat.texts[0] and suggested(chat), chat.last["replies"]
    assert asked_again in chat.texts[-1], chat.texts
    chat(EMAIL)
    assert ORDER in chat.text and "2" in chat.text, chat.texts  # the request goes on: how many of the 2 towels


def test_an_unsure_question_at_how_many_gets_did_you_mean(chat: Chat) -> None:
    chat(f"hi i'd like to return the towel from order {ORDER}")
    chat(EMAIL)
    assert "How many of them would you like to send back?" in chat.text, chat.texts
    chat("do i need the original packaging?")
    assert "Did you mean one of these?" in chat.texts[0] and suggested(chat), chat.last["replies"]
    assert "couldn't tell which items" not in chat.text, chat.texts
    assert chat.texts[-1].startswith("Now, back to your order."), chat.texts
