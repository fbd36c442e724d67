"""The return's item question answered in ways the bot can't read (the walkthrough of 2026-12-06, second session):
"the lamp" (not in the order), then "the lamp!!": the same "Sorry, I couldn't tell which items …" and the same
question again, with no way out but guessing. The second time a person is a button away; "actually both items" for
an order of two takes both. Order 100162 (Camille Dubois, delivered, two items), read only: no return is booked
(the conversation ends at the summary). Messages written for this test. Since the third session of 2026-12-06 a lamp,
which no line of the order is, gets "I can't see the item you mentioned in order …" instead (tests/conversation/
test_item_not_in_order.py); "the lamp!!" again still brings the person button."""

from __future__ import annotations

from support.chat import Chat

ORDER, EMAIL = "100162", "camille.dubois@example.net"
UNCLEAR = f"I can't see the item you mentioned in order {ORDER}."


def test_unclear_twice_offers_a_person_and_both_takes_both(chat: Chat) -> None:
    chat(f"i want to return something from order {ORDER}")
    chat(EMAIL)
    chat("the lamp")
    assert UNCLEAR in chat.text, chat.texts
    assert not any(b["title"] == "Talk to a person" for b in chat.buttons), chat.texts
    chat("the lamp!!")
    assert UNCLEAR in chat.text, chat.texts
    assert any(b["title"] == "Talk to a person" for b in chat.buttons), chat.buttons
    chat("actually both items")
    assert UNCLEAR not in chat.text, chat.texts
    assert "Linen cushion cover" in chat.text and "Stoneware bowls" in chat.text, chat.texts
