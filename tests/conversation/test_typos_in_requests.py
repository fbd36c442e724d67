"""An order request with typos in its words (the walkthrough of 2026-12-06): "helo i whant to retrun my order 100212
the carafe is to small" got "Did you mean" (change items / cancel / return), and the e-mail typed next got "What would
you like me to do with order 100212". The message names the order and, read with its typos fixed, the return: the
return starts for that order, with the item it names. Orders 100159 (Giulia Romano, delivered 24 days ago: an olive
wood serving board, two blankets) and 100154 (Luca Meier, Switzerland: a mirror, a serving board, a blanket), which no
other test changes; the summary's "no" books nothing. Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat, another_address, client_from


@pytest.mark.parametrize(
    ("asked", "order", "email", "named", "not_named"),
    [
        # read as changing the items (the NLU's change_order)
        ("helo i whant to retrun my order 100159 the serving board is to small", "100159", "giulia.romano@example.org",
         "serving board", "blanket"),
        # read as unsure ("Did you mean" among the order flows)
        ("helo i whant to retrun my order 100154 the mirror is to big", "100154", "luca.meier@example.org", "mirror",
         "blanket"),
    ],
)  # fmt: skip
def test_a_return_with_typos_starts_the_return_of_the_item_named(
    helpdesk_url: str, asked: str, order: str, email: str, named: str, not_named: str
) -> None:
    chat = Chat(client_from(helpdesk_url, another_address()))
    chat(asked)
    assert "Did you mean" not in chat.text and order in chat.text, chat.texts
    chat(email)
    assert f"Here's the return for order {order}" in chat.text and named in chat.text.lower(), chat.texts
    assert not_named not in chat.text.lower(), chat.texts  # only the item named
    chat("no")
