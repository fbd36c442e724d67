"""The items question of a damage report or of wrong goods (the walkthrough of 2026-12-06, walk1): after "my carafe
arrived broken" and the order's check, the bot asked "Which items from order … would you like to return?", though the
customer reported damage and broken glass is not even sent back. Through the running stack it asks which items arrived
damaged (or are not what was ordered), in the customer's language; an ordinary return still asks which to return.
Orders 100207 (Sofia Papadopoulou, delivered) and 100210 (Ciarán Walsh, delivered) are only looked at: each test
stops at the items question, nothing is booked. Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

DAMAGED = "100207"
DAMAGED_EMAIL = "sofia.papadopoulou@example.net"
WRONG = "100210"
WRONG_EMAIL = "ciaran.walsh@example.org"


@pytest.mark.parametrize(
    ("reported", "email", "asked"),
    [
        (f"hi, something in order {DAMAGED} arrived broken", DAMAGED_EMAIL, f"from order {DAMAGED} arrived damaged?"),
        (f"订单{DAMAGED}的东西到的时候坏了", DAMAGED_EMAIL, f"订单 {DAMAGED} 里哪些商品到货时有损坏？"),
        (f"you sent me the wrong item in order {WRONG}", WRONG_EMAIL, f"from order {WRONG} aren't what you ordered?"),
    ],
)
def test_the_items_question_of_damaged_or_wrong_goods_asks_about_them(
    chat: Chat, reported: str, email: str, asked: str
) -> None:
    chat(reported)
    chat(email)
    assert asked in chat.text, chat.texts
    assert "would you like to return?" not in chat.text and "您想退回订单" not in chat.text, chat.texts


@pytest.mark.parametrize(
    ("reported", "email", "unclear", "again"),
    [
        (
            f"hi, something in order {DAMAGED} arrived broken",
            DAMAGED_EMAIL,
            "the thing",
            "Which of these arrived damaged?",
        ),
        (f"订单{DAMAGED}的东西到的时候坏了", DAMAGED_EMAIL, "那个东西", "其中哪些到货时有损坏？"),
        (
            f"you sent me the wrong item in order {WRONG}",
            WRONG_EMAIL,
            "the thing",
            "Which of these aren't what you ordered?",
        ),
    ],
)
def test_the_items_question_asked_again_still_asks_about_the_damaged_or_wrong_goods(
    chat: Chat, reported: str, email: str, unclear: str, again: str
) -> None:
    """The walkthrough of 2026-12-07 (walk1): an answer naming none of the items got "Sorry, I couldn't tell which
    items … you mean." and "Which of these would you like to return?", the return's question, for a damage report."""
    chat(reported)
    chat(email)
    chat(unclear)
    assert again in chat.text, chat.texts
    assert "would you like to return?" not in chat.text and "您想退回其中哪些" not in chat.text, chat.texts
    assert "。 " not in chat.text, chat.texts  # Chinese sentences run on without a space ("…您的订单。其中…")


def test_an_ordinary_return_still_asks_which_items_to_return(chat: Chat) -> None:
    chat(f"i want to return something from order {DAMAGED}")
    chat(DAMAGED_EMAIL)
    assert f"Which items from order {DAMAGED} would you like to return?" in chat.text, chat.texts
