"""An order number typed in two pieces is read as one (nlu_addons.order_number_text); other numbers in pieces stay."""

from __future__ import annotations

import pytest

from nlu_addons.order_number_text import joined_order_numbers


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("where is my order 100 234??", "where is my order 100234??"),
        ("我的订单 100 234 到哪了", "我的订单 100234 到哪了"),
        ("订单100 234", "订单100234"),
        ("order #100-234 where is it", "order #100234 where is it"),
        ("order nr 100\u2013234.", "order nr 100234."),
        ("100 234 and 100 247", "100234 and 100247"),
        ("100\u00a0234, ann.lee@example.com", "100234, ann.lee@example.com"),
    ],
)
def test_an_order_number_in_two_pieces_is_one(typed: str, read: str) -> None:
    assert joined_order_numbers(typed) == read


@pytest.mark.parametrize(
    "typed",
    [
        "+31 612 345 678",  # a phone number
        "call 020 123 456 7",
        "Na Příkopě 12, 110 00 Praha",  # a postcode in two pieces
        "between 100 and 200",
        "it costs 1 299,00",
        "order 100 2345",  # seven digits: not an order number, told so as before
        "12 100 234",
        "Via Roma 100, 20121 Milano",
    ],
)
def test_other_numbers_in_pieces_stay_as_typed(typed: str) -> None:
    assert joined_order_numbers(typed) == typed
