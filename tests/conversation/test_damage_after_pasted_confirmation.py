"""Damage told right after the customer pasted an order confirmation (lane cen, 2026-12-07): the paste was answered
"What would you like me to do with order 100218", then "the tablecloth came torn" got "Did you mean" with the
damaged-item entry and the textile-care one, although the order and the item were plain. Now it is the damaged-item
answer (without asking for the order number again) and that order's damaged return: its proof, then the tablecloth's
replacement or refund, free. Order 100218 (Grace Murphy, delivered); nothing is booked (the choice is not made).
Messages written for this test."""

from __future__ import annotations

from support.chat import Chat

ORDER = "100218"
PASTE = (
    f"Your Larkspur order #{ORDER}\nOrder date: 30 November 2026\n1 x Ribbed tumblers, set of 6  €32.00\n"
    "1 x Washed linen tablecloth 160x250  €79.00\nTotal: €111.00"
)


def test_damage_after_the_paste_is_reported_for_that_order(chat: Chat) -> None:
    chat(PASTE)
    chat("the tablecloth came torn")
    assert "Did you mean" not in chat.text, chat.texts
    assert "Damage should be reported within 14 days" in chat.text, chat.texts
    assert "Tell me your order number" not in chat.text, chat.texts
    assert f"for order {ORDER}?" in chat.texts[-1], chat.texts  # that order's identity check
    chat("grace.murphy@example.net")
    assert "Washed linen tablecloth" in chat.text and "a new one sent to you at no cost" in chat.text, chat.texts
    assert "Ribbed tumblers" not in chat.text, chat.texts
