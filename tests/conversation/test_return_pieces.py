"""A line of several pieces named in the singular at a return (lane fixes): "just the towel" for an order with
2 bath towels put both in the summary, so a "yes" would have booked both. Now the bot asks how many go back, with
buttons, and takes the answer typed or pressed; "both", a plural or a count say it at once. Through the running
stack; order 100156 (Ciarán Walsh, delivered 25 days ago: 2 linen tablecloths, a throw and a shelf), which no other
test uses, is only quoted, never booked (no "yes"). Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100156"
EMAIL = "ciaran.walsh@example.org"
HOW_MANY = f"Order {ORDER} has 2 × Washed linen tablecloth 160×250. How many of them would you like to send back?"
SUMMARY = f"Here's the return for order {ORDER}:"


@pytest.mark.parametrize(("answer", "pieces"), [("just one", 1), ("both", 2), ("1 of them", 1)])
def test_the_tablecloth_asks_how_many(chat: Chat, answer: str, pieces: int) -> None:
    chat(f"I want to return something from order {ORDER}")
    chat(EMAIL)
    chat("just the tablecloth")
    assert HOW_MANY in chat.text and SUMMARY not in chat.text, chat.texts
    assert [b["title"] for b in chat.buttons] == ["1 of them", "All 2"], chat.buttons
    if answer == "1 of them":
        chat(chat.buttons[0]["payload"])
    else:
        chat(answer)
    assert SUMMARY in chat.text and f"{pieces} × Washed linen tablecloth 160×250" in chat.text, chat.texts
    assert "Chunky knit throw" not in chat.text, chat.texts


def test_a_correction_at_the_summary_asks_how_many_too(chat: Chat) -> None:
    chat(f"I want to return order {ORDER}, email {EMAIL}")
    chat("everything")
    assert "2 × Washed linen tablecloth 160×250" in chat.text, chat.texts
    chat("no, just the tablecloth")
    assert HOW_MANY in chat.text and "Shall I book" not in chat.text, chat.texts


def test_both_or_a_plural_say_it_at_once(chat: Chat) -> None:
    chat(f"I want to return both tablecloths from order {ORDER}, email {EMAIL}")
    assert SUMMARY in chat.text and "2 × Washed linen tablecloth 160×250" in chat.text, chat.texts
    assert "How many of them" not in chat.text, chat.texts
