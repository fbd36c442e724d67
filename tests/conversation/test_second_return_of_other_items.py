"""A second return of the same order, for other items (the walk of 2026-12-07, lane cen5, in the widget): a customer
who had booked the return of one item and came back for another got "A return for order … has already been
booked" and a person, whatever they asked for. Now the items the first return left go back in a return of their
own (a second RMA, in the demo shop's returns table); an item already in a return is said to be, and the others are
offered.

Order 100217 (Inês Costa, Porto, delivered 2 days ago: a duvet cover, a laundry bag, a scented candle), which no
other test books: this test books two returns on it. Messages written for this test.
"""

from __future__ import annotations

import re
import sqlite3

from support.chat import Chat, another_address, client_from

from helpdesk.stack import Stack

ORDER = "100217"
EMAIL = "ines.costa@example.com"
RMA = re.compile(r"RMA-\d{6}-[0-9A-Z]{4}")


def returns_of(stack: Stack) -> list[str]:
    path = stack.workdir / "demo-shop.db"  # type: ignore[attr-defined]
    with sqlite3.connect(path, timeout=30) as db:
        return [row[0] for row in db.execute("SELECT skus FROM returns WHERE order_number = ?", (ORDER,))]


def test_other_items_go_back_in_a_return_of_their_own(chat: Chat, stack: Stack, helpdesk_url: str) -> None:
    chat(f"hi i want to return the laundry bag from order {ORDER}, {EMAIL}")
    assert f"Here's the return for order {ORDER}:" in chat.text and "Linen laundry bag" in chat.text, chat.texts
    chat("yes")
    first = RMA.search(chat.text)
    assert first and f"Your return for order {ORDER} is booked" in chat.text, chat.texts

    later = Chat(client_from(helpdesk_url, another_address()))  # the customer comes back in a new chat
    later(f"I'd also like to send back the duvet cover from order {ORDER}")
    later(EMAIL)
    assert "has already been booked" not in later.text, later.texts
    assert f"Here's the return for order {ORDER}:" in later.text and "Percale duvet cover" in later.text, later.texts
    assert "Linen laundry bag" not in later.text, later.texts
    later("yes")
    second = RMA.search(later.text)
    assert second and second.group(0) != first.group(0), later.texts
    assert sorted(returns_of(stack)) == ["LH-BED-0201", "LH-STO-0604"], returns_of(stack)

    again = Chat(client_from(helpdesk_url, another_address()))
    again(f"can i return the laundry bag from {ORDER}")
    again(EMAIL)
    assert f"Linen laundry bag from order {ORDER} is already in the return you booked." in again.text, again.texts
    assert [b["title"] for b in again.buttons] == ["Fig & cedar scented candle", "Everything"], again.buttons

    # at the summary of what is left, the item taken before is said to be in its return (it was "I can't see the
    # item you mentioned in order 100217")
    last = Chat(client_from(helpdesk_url, another_address()))
    last(f"i want to return something from order {ORDER}")
    last(EMAIL)
    assert f"Here's the return for order {ORDER}:" in last.text and "Fig & cedar scented candle" in last.text
    last("the laundry bag")
    assert last.texts[0] == (
        f"Linen laundry bag from order {ORDER} is already in the return you booked. The order's other items can "
        "still go back in a return of their own."
    ), last.texts
    last("no")
    assert f"I haven't booked anything for order {ORDER}" in last.text, last.texts
