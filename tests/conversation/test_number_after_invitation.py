"""An order number sent right after a handbook answer that said what it would do with it (lane cen, 2026-12-07):
"…just tell me your 6-digit order number and I'll look up the current status", "Tell me your order number and I can
start the return for you", "…I can check whether it can still be cancelled for free". The number got "What would you
like me to do with order …: check where it is, cancel it, or start a return?", the question the answer had answered.
Now that request starts for the number (its identity check first). Orders 100234 (Ann Lee, shipped), 100196 (Freja
Nielsen, delivered; no test books its return, as other tests do 100212's), 100262 (Marco Rossi, placed): only read,
each conversation ends before any yes. Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

ASKED_AGAIN = "What would you like me to do with order"


@pytest.mark.parametrize(
    ("question", "number", "proof", "next_step"),
    [
        ("how do i track my order", "100234", "ann.lee@example.com", "Order 100234 shipped"),
        ("whats ur refund policy", "ok 100196", "freja.nielsen@example.org", "Which items from order 100196"),
        ("is there a fee for cancelling", "100262", "marco.rossi@example.org", "Shall I cancel order 100262?"),
    ],
)
def test_the_number_after_an_answer_that_asked_for_it_starts_what_the_answer_offered(
    chat: Chat, question: str, number: str, proof: str, next_step: str
) -> None:
    chat(question)
    assert "order number" in chat.text, chat.texts  # the answer asks for it
    chat(number)
    assert ASKED_AGAIN not in chat.text, chat.texts
    assert "To keep your details safe" in chat.text, chat.texts
    chat(proof)
    assert next_step in chat.text, chat.texts
