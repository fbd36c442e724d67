"""An item named by its kind rather than by the shop's name for it (the walkthrough of 2026-12-07, walk1): order
100218 holds "Ribbed tumblers, set of 6" and a linen tablecloth; "one of the glasses from order 100218 came cracked"
was asked "Which items from order 100218 arrived damaged?", and "just the glass please" there (or at a return's
question) got "Sorry, I couldn't tell which items from order 100218 you mean", again and again: the customer calls
them glasses. Through the running stack the glass is the tumblers, the one line of that kind in the order; a kind two
lines share, or one the order lacks, is still asked about. Order 100218 (Grace Murphy, delivered) as in
tests/conversation/test_return_part_of_a_set.py: every summary here is declined, nothing is booked. Messages written
for this test."""

from __future__ import annotations

from support.chat import Chat

ORDER = "100218"
EMAIL = "grace.murphy@example.net"
TUMBLERS, TABLECLOTH = "Ribbed tumblers, set of 6", "Washed linen tablecloth"
UNCLEAR = "I couldn't tell which items"


def return_started(chat: Chat) -> None:
    """A return of order 100218 asked for and its proof given: the bot asks which items."""
    chat(f"i want to return something from {ORDER}")
    chat(EMAIL)


def test_the_glass_that_came_cracked_is_the_orders_tumblers(chat: Chat) -> None:
    chat(f"one of the glasses from order {ORDER} came cracked")
    chat(EMAIL)
    # one of them cracked: that one glass of the set (lane cen5: it was the whole set)
    assert f"What would you like for {TUMBLERS} – single piece from order {ORDER}" in chat.text, chat.texts
    assert TABLECLOTH not in chat.text and "Which items" not in chat.text, chat.texts
    chat("send a replacement")
    assert f"1 × {TUMBLERS} – single piece" in chat.text and TABLECLOTH not in chat.text, chat.texts
    chat("no")
    assert "I haven't booked anything" in chat.text, chat.texts


def test_just_the_glass_picks_the_tumblers_for_a_return_and_the_tablecloth_can_be_added(chat: Chat) -> None:
    return_started(chat)
    assert "Which items from order" in chat.text, chat.texts
    chat("just the glass please")
    assert UNCLEAR not in chat.text, chat.texts
    assert f"1 × {TUMBLERS}" in chat.text and TABLECLOTH not in chat.text, chat.texts
    chat("actually the tablecloth too")
    assert f"1 × {TUMBLERS}" in chat.text and f"1 × {TABLECLOTH}" in chat.text, chat.texts
    chat("no")


def test_one_item_named_by_its_kind_and_one_by_its_name_are_both_returned(chat: Chat) -> None:
    """The walkthrough of 2026-12-07 (cust3): "the glass and the tablecloth" summed up the tablecloth only."""
    return_started(chat)
    assert "Which items from order" in chat.text, chat.texts
    chat("the glass and the tablecloth")
    assert f"1 × {TUMBLERS}" in chat.text and f"1 × {TABLECLOTH}" in chat.text, chat.texts
    chat("no")


def test_a_kind_the_order_does_not_have_is_still_asked_about(chat: Chat) -> None:
    return_started(chat)
    chat("just the lamp please")
    assert "1 ×" not in chat.text, chat.texts  # no summary: which items is asked again
    chat("no")
