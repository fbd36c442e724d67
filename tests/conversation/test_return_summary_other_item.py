"""An item the order does not hold, named at a return's summary (lane cen, 2026-12-07): "wait no, the tablecloth,
not the glasses" for an order of tumblers only got the same summary again without a word, and "yes, and the candle
too" booked the tumblers alone at once. Now the bot says it can't see that item in the order (another order's number
is welcome) and the summary comes again; nothing is booked. Order 100219 (Luca Meier, delivered: ribbed tumblers),
only read. Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

NOT_IN_ORDER = "I can't see the item you mentioned in order 100219"


@pytest.mark.parametrize("correction", ["wait no, the tablecloth, not the glasses", "yes, and the candle too"])
def test_an_item_of_another_kind_at_the_summary_is_said_to_be_missing_from_the_order(
    chat: Chat, correction: str
) -> None:
    chat("i want to return something from 100219")
    chat("luca.meier@example.org")
    assert "Here's the return for order 100219" in chat.text, chat.texts
    chat(correction)
    assert NOT_IN_ORDER in chat.text, chat.texts
    assert "Here's the return for order 100219" in chat.text and "Shall I book this return" in chat.text, chat.texts
    assert "RMA-" not in chat.text and "booked" not in chat.text, chat.texts
