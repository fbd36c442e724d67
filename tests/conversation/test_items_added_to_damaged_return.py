"""More damaged items told while a damaged return is under way (lane cen, 2026-12-07). "oh and the tumblers too" at
"What would you like for Oak wall shelf …: a new one … or a full refund?" was lost: the same question came again for
the shelf alone. "and the tumblers too" at the summary, with the "how many?" of a line of 2 answered "1", gave a
summary of the tumblers alone: the shelf, chosen before, was dropped. Now both stay, and the remedy question or the
summary covers both. Order 100194 (Aoife Byrne, delivered 11 days ago: an oak wall shelf and 2 sets of ribbed
tumblers), only read (nothing is booked). Messages written for this test. Lane cen2: "one set came chipped" is a
count of the 2 sets (no "how many?"); the tests of the count typed or tapped say "they came chipped" instead."""

from __future__ import annotations

import pytest
from support.chat import Chat

DAMAGED = "hi, the oak wall shelf from order 100194 arrived damaged, theres a big crack in it"


@pytest.mark.parametrize("tapped", [False, True])
def test_items_added_at_the_remedy_question_are_asked_about_with_the_first(chat: Chat, tapped: bool) -> None:
    """The count typed ("1") or tapped ("1 of them": in Chromium the tap, too, dropped the shelf)."""
    chat(DAMAGED)
    chat("aoife.byrne@example.com")
    assert "What would you like for Oak wall shelf 80 cm from order 100194" in chat.text, chat.texts
    chat("oh and the tumblers too, they came chipped")  # (which of the 2 sets: not said)
    assert "How many of them would you like to send back?" in chat.text, chat.texts
    chat(next(b["payload"] for b in chat.buttons if b["title"] == "1 of them") if tapped else "1")
    assert "What would you like for Oak wall shelf 80 cm and Ribbed tumblers, set of 6" in chat.text, chat.texts
    assert "€107.00" in chat.text, chat.texts  # 75.00 + 32.00
    chat("refund please")
    summary = chat.text
    assert "1 × Oak wall shelf 80 cm" in summary and "1 × Ribbed tumblers, set of 6" in summary, chat.texts


def test_an_item_added_at_the_summary_keeps_the_items_chosen_before(chat: Chat) -> None:
    chat(DAMAGED)
    chat("aoife.byrne@example.com")
    chat("a refund please")
    assert "1 × Oak wall shelf 80 cm" in chat.text and "Shall I book this return?" in chat.text, chat.texts
    chat("and the tumblers too")
    assert "How many of them would you like to send back?" in chat.text, chat.texts
    chat("1")
    summary = chat.text
    assert "1 × Oak wall shelf 80 cm" in summary and "1 × Ribbed tumblers, set of 6" in summary, chat.texts
    assert "€107.00" in summary, chat.texts


def test_one_set_of_two_said_beside_the_item_is_not_asked_how_many(chat: Chat) -> None:
    """Lane cen's walk (2026-12-07): "oh and the tumblers too, one set came chipped" (2 sets of tumblers ordered)
    still asked "How many of them would you like to send back?": "one set" was no count (only a number just before
    the item's name was). Now the remedy question covers the shelf and one set at once."""
    chat(DAMAGED)
    chat("aoife.byrne@example.com")
    chat("oh and the tumblers too, one set came chipped")
    assert "How many of them" not in chat.text, chat.texts
    assert "What would you like for Oak wall shelf 80 cm and Ribbed tumblers, set of 6" in chat.text, chat.texts
    assert "€107.00" in chat.text, chat.texts  # 75.00 + one set at 32.00
    chat("refund please")
    summary = chat.text
    assert "1 × Oak wall shelf 80 cm" in summary and "1 × Ribbed tumblers, set of 6" in summary, chat.texts


def test_one_set_of_two_said_in_chinese_returns_one_set(chat: Chat) -> None:
    """The same in Chinese (lane cen2's walk): "杯子也有问题，其中一套有缺口" at the remedy question put both sets of
    tumblers into the return (€139.00 = 75.00 + 2 × 32.00): 一套 was no count. Now one set (€107.00)."""
    chat("订单100194的搁板坏了")
    chat("aoife.byrne@example.com")
    assert "橡木墙搁板" in chat.text and "€75.00" in chat.text, chat.texts
    chat("杯子也有问题，其中一套有缺口")
    assert "€107.00" in chat.text and "€139.00" not in chat.text, chat.texts
    chat("退款")
    assert "1 × 条纹玻璃杯" in chat.text and "2 × 条纹玻璃杯" not in chat.text, chat.texts
