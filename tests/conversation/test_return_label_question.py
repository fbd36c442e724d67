"""What goes on the parcel, asked during a return (lane cust's walk, 2026-12-07): "what do I stick on the parcel" at
the return's summary got "I'm not sure I can answer that one" (read alone, the handbook ranks pick-up points,
tracking and refusing a parcel first); in a return it asks about the return label and the RMA number, the
how-to-return answer, and the summary comes again. What the label costs is not this question. Order 100218 (Grace
Murphy, delivered, United Kingdom) as in tests/conversation/test_damage_told_during_return.py: every summary here is
declined, nothing is booked. Messages written for this test."""

from __future__ import annotations

from support.chat import Chat

ORDER = "100218"
EMAIL = "grace.murphy@example.net"
SUMMARY = f"Here's the return for order {ORDER}"


def test_what_to_stick_on_the_parcel_at_the_summary_gets_how_to_return(chat: Chat) -> None:
    chat(f"i want to return order {ORDER}")
    chat(EMAIL)
    chat("the tablecloth")
    assert SUMMARY in chat.text, chat.texts
    reply = chat("what do I stick on the parcel")
    assert (reply["faq"] or {}).get("id") == "how-to-return", reply
    assert "Stick the label on the parcel" in chat.text and "not sure" not in chat.text, chat.texts
    assert SUMMARY in chat.texts[-1], chat.texts  # the return goes on where it was
    chat("no")
    assert "I haven't booked anything" in chat.text, chat.texts


def test_what_to_write_on_the_box_at_the_items_question_gets_how_to_return(chat: Chat) -> None:
    chat(f"i want to return order {ORDER}")
    chat(EMAIL)
    assert "Which items from order" in chat.text, chat.texts
    reply = chat("do i have to write anything on the box?")
    assert (reply["faq"] or {}).get("id") == "how-to-return", reply
    assert "Which of these would you like to return" in chat.texts[-1], chat.texts
