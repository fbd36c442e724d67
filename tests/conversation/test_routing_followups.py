"""Short follow-ups about the order already talked about, and a question naming two ways to pay (issue 17's
walkthrough misses), through the running stack: "cancel it pls" and "when will it arrive?" once an order is known
act on that order instead of asking "Did you mean"; "can i pay with paypal or klarna?" gets the one answer that
covers both, not the same question answered twice; two handbook questions in one message get both answers, also
when a greeting comes first (the walkthrough of 2026-12-04: "hey how long does delivery take … and can i pay with
paypal" got a "Did you mean" about delivery only).

Order 100259 (Thomas Leroy, placed, France) as in tests/conversation/test_dialogue_walk.py: nothing here changes it.
Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat, another_address, client_from

ORDER = "100259"
EMAIL = "thomas.leroy@example.com"
DID_YOU_MEAN = "Did you mean"


@pytest.fixture()
def chat(helpdesk_url: str) -> Chat:
    return Chat(client_from(helpdesk_url, another_address()))


def test_cancel_it_after_the_order_was_looked_up_starts_the_cancellation(chat: Chat) -> None:
    chat(f"where is order {ORDER}? {EMAIL}")
    assert f"Order {ORDER}" in chat.text, chat.texts
    chat("cancel it pls")
    assert DID_YOU_MEAN not in chat.text and f"Cancelling order {ORDER}" in chat.text, chat.texts
    chat("no")  # not now after all: nothing is cancelled


def test_when_will_it_arrive_after_the_order_was_named_checks_that_order(chat: Chat) -> None:
    chat(f"hi, it's about my order {ORDER}")
    assert f"What would you like me to do with order {ORDER}" in chat.text, chat.texts
    chat("when will it arrive?")
    assert DID_YOU_MEAN not in chat.text, chat.texts
    assert ORDER in chat.text, chat.texts  # the order-status request for that order goes on (its check first)


def test_two_ways_to_pay_get_one_answer_that_covers_both(chat: Chat) -> None:
    chat("can i pay with paypal or klarna?")
    text = chat.text.lower()
    assert "paypal" in text and "klarna" in text, chat.texts
    answers = [t for t in chat.texts if "paypal" in t.lower() or "klarna" in t.lower()]
    assert len(answers) == 1, chat.texts


def test_two_handbook_questions_in_one_message_get_both_answers(chat: Chat) -> None:
    chat("paypal or klarna? also how long does delivery take")
    text = chat.text.lower()
    assert "paypal" in text and "klarna" in text, chat.texts  # payment methods
    assert "business days" in text, chat.texts  # and delivery times
    assert DID_YOU_MEAN not in chat.text, chat.texts


def test_two_handbook_questions_after_a_greeting_get_both_answers(chat: Chat) -> None:
    chat("hey how long does delivery take to germany and can i pay with paypal")
    text = chat.text.lower()
    assert "business days" in text and "paypal" in text, chat.texts
    assert DID_YOU_MEAN not in chat.text, chat.texts
