"""A damage report that names a second order (lane cust's walk, 2026-12-07): "the plates in order 100207 arrived
broken. and where is 100234?" got the damaged-item answer, then the damage report moved to order 100234 ("The
carrier's tracking still shows order 100234 on its way … As it has reached you damaged") and order 100207 got a
status answer: Rasa's form filled the order slot again with the last number named as it started. The damage report
stays with the order its words name, and the other order's question follows it. A number corrected in the same line
("… order 100218, sorry i mean order 100207") is the one meant. Orders 100207 (Sofia Papadopoulou, delivered) and
100234 (Ann Lee, shipped): every summary here is declined, nothing is booked. Messages written for this test."""

from __future__ import annotations

from support.chat import Chat

DAMAGED = "100207"
DAMAGED_EMAIL = "sofia.papadopoulou@example.net"
OTHER = "100234"


def test_the_damage_report_stays_with_its_order_and_the_other_question_follows(chat: Chat) -> None:
    chat(f"the plates in order {DAMAGED} arrived broken. and where is {OTHER}?")
    assert "We're sorry! Damage should be reported" in chat.text, chat.texts
    assert f"delivery postcode for order {DAMAGED}?" in chat.texts[-1], chat.texts
    chat(DAMAGED_EMAIL)
    assert f"What would you like for Stoneware dinner plates, set of 4 from order {DAMAGED}" in chat.text, chat.texts
    chat("refund please")
    assert f"Here's the return for order {DAMAGED}" in chat.text and "€59.00" in chat.text, chat.texts
    chat("no")
    assert f"your other question: order {OTHER}" in chat.text, chat.texts
    chat("2511 AB")
    assert f"Order {OTHER} shipped" in chat.text, chat.texts


def test_a_damage_report_whose_order_number_is_corrected_is_for_the_corrected_one(chat: Chat) -> None:
    chat(f"the plates from order 100218 arrived broken, sorry i mean order {DAMAGED}")
    assert f"delivery postcode for order {DAMAGED}?" in chat.texts[-1], chat.texts
    chat(DAMAGED_EMAIL)
    assert f"from order {DAMAGED}" in chat.text, chat.texts
