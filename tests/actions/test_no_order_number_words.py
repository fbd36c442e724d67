"""Which messages say the customer has no order number (actions/no_order_number.py)."""

from __future__ import annotations

import pytest

from actions.no_order_number import says_no_order_number


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("i want to cancel my order but i dont have the order number", False),
        ("lost my order no", False),
        ("where do i find my order number", False),
        ("i dont know the order number but my email is ann.lee@example.com", False),
        ("我找不到订单号", False),
        ("订单号忘了", False),
        ("i dont have it", True),
        ("no idea", True),
        ("can't find it", True),
        ("不知道", True),
        ("没有", True),
    ],
)
def test_no_order_number_is_read(text: str, asked: bool) -> None:
    assert says_no_order_number(text, asked)


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("i dont have it", False),  # not asked for the number: "it" is something else
        ("i dont have the order number, its 100234", False),
        ("I didn't receive my order confirmation email", False),
        ("i don't have a account", False),
        ("do you have my order number", False),
        ("where is my order", True),
        ("有订单号吗", False),
    ],
)
def test_other_messages_say_nothing_of_it(text: str, asked: bool) -> None:
    assert not says_no_order_number(text, asked)
