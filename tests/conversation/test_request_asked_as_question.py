"""A request asked as a question beside the order's number is the request, not two things (the walkthrough of
2026-12-06, second session): "can I change my delivery adress? order 100259" got "You've asked two things, so let me
take them in turn.", the handbook's address answer telling the customer to "give me your order number and the new
address" (they just had), and only then the identity check. Now the identity check for that change comes at once.
Through the running stack; messages written for this test. Orders as in test_taking_back.py (100259, placed) and
a Chinese one (100247 is changed by other tests: only its identity question is read here).
"""

from __future__ import annotations

import pytest
from support.chat import Chat

TWO_THINGS = ("You've asked two things", "您问了两件事")


@pytest.mark.parametrize(
    ("asked", "identity"),
    [
        ("can I change my delivery adress? order 100259", "for order 100259"),
        ("can i cancel my order? its 100259", "for order 100259"),
        ("订单能改地址吗？订单号100259", "订单 100259"),
    ],
)
def test_a_request_asked_as_a_question_beside_its_number_starts_at_once(chat: Chat, asked: str, identity: str) -> None:
    chat(asked)
    assert not any(t in chat.text for t in TWO_THINGS), chat.texts
    assert identity in chat.text, chat.texts
    assert "Give me your order number" not in chat.text and "告诉我订单号" not in chat.text, chat.texts


def test_a_real_second_question_beside_an_order_request_is_still_answered(chat: Chat) -> None:
    chat("where is order 100259? and do you ship to norway?")
    assert "for order 100259" in chat.text, chat.texts
    assert "Norway" in chat.text, chat.texts
