"""Issue 16, items 1 and 6, through the running stack: no change to an order the customer did not confirm, with a
summary of exactly what will happen (items, amounts, label cost, dates); items picked in the customer's own words
and corrected at the summary; a person offered when a change was wrong; order answers with the expected delivery
and the items. The demo shop's orders (knowledge/demo/shop.yml); each test speaks from an address of its own.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import pytest
from support.chat import Chat, another_address, client_from

from helpdesk.stack import Stack


@pytest.fixture()
def chat(helpdesk_url: str) -> Chat:
    return Chat(client_from(helpdesk_url, another_address()))


def shop_rows(stack: Stack, query: str, *args: Any) -> list[sqlite3.Row]:
    path = stack.workdir / "demo-shop.db"  # type: ignore[attr-defined]
    with sqlite3.connect(path, timeout=30) as db:
        db.row_factory = sqlite3.Row
        return db.execute(query, args).fetchall()


def returns_of(stack: Stack, number: str) -> list[sqlite3.Row]:
    return shop_rows(stack, "SELECT * FROM returns WHERE order_number = ?", number)


def order_status(stack: Stack, number: str) -> str:
    return str(shop_rows(stack, "SELECT status FROM orders WHERE number = ?", number)[0]["status"])


# ---- returns: the customer's own words, a summary, then a yes ----------------------------------


def test_send_one_item_back_and_keep_the_others(chat: Chat, stack: Stack) -> None:
    chat(
        "I'd like to send the candle back but keep the pillowcases and soap dish. Order 100176, "
        "max.hoffmann@example.org"
    )
    summary = chat.texts[-1]
    assert summary.startswith("Here's the return for order 100176:\n- 1 × Fig & cedar scented candle (€28.00)\n")
    assert "pillowcases" not in summary.lower() and "soap dish" not in summary.lower()
    assert "You get €28.00 back" in summary and "The return label is free" in summary
    assert re.search(r"Please send the parcel by \w+day \d+ \w+\.", summary)
    assert [b["title"] for b in chat.buttons] == ["Yes, book it", "No"]
    assert returns_of(stack, "100176") == []  # nothing booked before the yes
    chat("yes please")
    booked = r"Your return for order 100176 is booked: RMA-100176-[0-9A-Z]{4} \(Fig & cedar scented candle\)"
    assert re.search(booked, chat.text)
    assert [row["skus"] for row in returns_of(stack, "100176")] == ["LH-CAN-0501"]
    assert {"title": "That's not what I wanted", "payload": "/request_human"} in chat.buttons


def test_return_only_the_brass_candle_holders(chat: Chat, stack: Stack) -> None:
    chat("return only the brass candle holders from order 100177, my email is pieter.bakker@example.net")
    assert "- 1 × Brass candle holders, pair (€36.00)" in chat.text and "scented candle" not in chat.text
    assert "You get €36.00 back" in chat.text
    chat("yes")
    assert [row["skus"] for row in returns_of(stack, "100177")] == ["LH-DEC-0312"]
    # the customer says it was wrong: no undo here, a person is offered at once
    chat("no")
    assert "a member of our support team can put it right" in chat.text
    assert {"title": "Yes, get a person", "payload": "/request_human"} in chat.buttons


def test_a_correction_at_the_summary_and_a_paid_label_booked_only_after_its_cost_was_seen(
    chat: Chat, stack: Stack
) -> None:
    chat("I want to return something from order 100150")
    chat("oliver.smith@example.com")
    question = chat.last["replies"][-1]
    assert question["text"].startswith("Which items from order 100150 would you like to return?")
    titles = [b["title"] for b in question["buttons"]]
    assert titles == ["Brass candle holders, pair", "Round mirror 60 cm", "Everything"]
    chat("the candle holders and the mirror")
    assert "- 1 × Brass candle holders, pair (€36.00)\n- 1 × Round mirror 60 cm (€119.00)" in chat.text
    assert "The prepaid return label from the United Kingdom costs €6.95" in chat.text
    assert "you get €148.05 back" in chat.text and "label included?" in chat.text
    chat("no no only the candle holders!!")  # a correction, not a no
    assert "- 1 × Brass candle holders, pair (€36.00)\n" in chat.text and "mirror" not in chat.text
    assert "costs €6.95" in chat.text and "you get €29.05 back" in chat.text
    assert returns_of(stack, "100150") == []  # no label bought yet
    chat("yes")
    assert "from the United Kingdom it costs €6.95, which we deduct from your refund" in chat.text
    [booked] = returns_of(stack, "100150")
    assert (booked["skus"], booked["label_fee_cents"], booked["refund_cents"]) == ("LH-DEC-0312", 695, 2905)


def test_everything_except_one_item(chat: Chat, stack: Stack) -> None:
    chat("please return everything except the candle from order 100187, marie.claes@example.net")
    assert "- 1 × Rattan pendant shade (€89.00)\n- 1 × Waffle bath towel, stone (€24.95)\n" in chat.text
    assert "candle" not in chat.text.lower() and "You get €113.95 back" in chat.text
    chat("and the candle too")  # more at the summary
    assert "- 1 × Fig & cedar scented candle (€28.00)" in chat.text and "You get €141.95 back" in chat.text
    chat("no")
    assert "I haven't booked anything for order 100187" in chat.text
    assert returns_of(stack, "100187") == [] and order_status(stack, "100187") == "delivered"


def test_one_of_two_pieces(chat: Chat, stack: Stack) -> None:
    chat("I'd like to return one of the two bath towels from order 100213, james.whitfield@example.net")
    assert "- 1 × Waffle bath towel, stone (€24.95)\n" in chat.text
    assert "costs €6.95" in chat.text and "you get €18.00 back" in chat.text
    chat("yes")
    assert [row["skus"] for row in returns_of(stack, "100213")] == ["LH-TXT-0420:1"]


# ---- cancellation and address: what will happen, then a yes ------------------------------------


def test_an_address_correction_at_the_summary(chat: Chat, stack: Stack) -> None:
    chat("change the delivery address of order 100257 to Hornsgatan 1, 118 20 Stockholm, email ingrid.berg@example.net")
    assert "Shall I change the delivery address of order 100257 to Ingrid Berg, Hornsgatan 1, 118 20 Stockholm" in (
        chat.text
    )
    chat("sorry, it's Hornsgatan 10, 118 20 Stockholm")
    assert "Shall I change the delivery address of order 100257 to Ingrid Berg, Hornsgatan 10, 118 20 Stockholm" in (
        chat.text
    )
    assert "Haga Nygata" not in chat.text  # the old address is never shown
    chat("yes")
    assert "Done: order 100257 will now be delivered to Ingrid Berg, Hornsgatan 10, 118 20 Stockholm" in chat.text
    [row] = shop_rows(stack, "SELECT ship_street, ship_city FROM orders WHERE number = ?", "100257")
    assert (row["ship_street"], row["ship_city"]) == ("Hornsgatan 10", "Stockholm")


def test_a_cancellation_summary_for_an_unpaid_order(chat: Chat, stack: Stack) -> None:
    chat("please cancel order 100255, anna.horvath@example.com")
    assert "Cancelling order 100255 cancels all of it:\n- 2 × Linen laundry bag (€48.00)\nTotal: €48.00." in chat.text
    assert "Nothing has been charged yet, so there's nothing to refund." in chat.text
    assert order_status(stack, "100255") == "placed"
    chat("yes, cancel it")
    assert "Done: order 100255 is cancelled." in chat.text and order_status(stack, "100255") == "cancelled"


# ---- order answers -----------------------------------------------------------------------------


def test_status_says_when_it_should_arrive_and_what_is_in_it(chat: Chat) -> None:
    chat("where is my order 100248? ines.costa@example.com")
    assert re.search(
        r"Order 100248 is packed and about to be handed to the carrier, and should arrive by \w+day \d+ \w+\.",
        chat.text,
    )
    assert chat.text.endswith("What's in it:\n- 1 × Merino wool blanket, charcoal")
