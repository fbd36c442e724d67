"""A part of the new address put right at its summary (lane cen, 2026-12-07): "oh wait, its via roma 15 not 5" at
"Shall I change the delivery address of order 100262 to Marco Rossi, via roma 5, …?" got the same summary again,
with number 5, and a yes would have booked it. Now the summary comes with the part put right (the house number, or
the postcode). Order 100262 (Marco Rossi, placed, Italy); each conversation ends with a "no": nothing is changed.
Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

SUMMARY = "Shall I change the delivery address of order 100262 to Marco Rossi, "


@pytest.mark.parametrize(
    ("correction", "corrected"),
    [
        ("oh wait, its via roma 15 not 5", "via roma 15, 00184 roma, Italy?"),
        ("sorry it's 00185, not 00184", "via roma 5, 00185 roma, Italy?"),
    ],
)
def test_a_part_put_right_at_the_summary_is_in_the_next_summary(chat: Chat, correction: str, corrected: str) -> None:
    chat("need to change the address on 100262 to via roma 5, 00184 roma pls")
    chat("its marco.rossi@example.org")
    assert SUMMARY + "via roma 5, 00184 roma, Italy?" in chat.text, chat.texts
    chat(correction)
    assert SUMMARY + corrected in chat.text, chat.texts
    chat("no")
    assert "left the delivery address of order 100262 as it was" in chat.text, chat.texts
