"""Two returns on one order, one refund shown (lane cust's walk, 2026-12-07): Marco Rossi's coffee set from order
100206 is on its way back (€44.00); he books the tumblers' return in the chat (€32.00) and asks where his refund is:
"Your return for order 100206 is booked … your refund of €32.00", the coffee set's refund gone from the answer. The
answer names both returns and what comes back in all. This test BOOKS the tumblers' return of order 100206 (no other
test books anything on it). Messages written for this test."""

from __future__ import annotations

from support.chat import Chat

ORDER = "100206"
EMAIL = "marco.rossi@example.org"


def test_the_refund_status_waits_for_both_returns_of_the_order(chat: Chat) -> None:
    chat(f"i want to return the tumblers from {ORDER}")
    chat(EMAIL)
    assert f"Here's the return for order {ORDER}" in chat.text and "€32.00" in chat.text, chat.texts
    chat("yes")
    assert f"Your return for order {ORDER} is booked" in chat.text, chat.texts
    chat(f"where is my refund for {ORDER}")
    assert f"Your 2 returns for order {ORDER} are booked" in chat.text, chat.texts
    assert "€76.00 in all" in chat.text, chat.texts
