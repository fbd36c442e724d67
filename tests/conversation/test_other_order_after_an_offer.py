"""Another order asked about right after the offer of a person for one order (lane cust's note, 2026-12-07): "ok
thanks but where is my other order" after order 100234's missing item asked for 100234's e-mail or postcode, the
other order lost. Its number is asked for now; "where is my order" there still means 100234. Order 100234 (Ann Lee,
shipped): nothing is changed here. Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

MISSING = "my order 100234 arrived with an item missing"
OFFERED = "Shall I get a person to check the packing record of order 100234"


OTHER = ["ok thanks but where is my other order", "thx. my other parcel hasnt arrived either"]


@pytest.mark.parametrize("other", OTHER)
def test_the_other_orders_number_is_asked_for(chat: Chat, other: str) -> None:
    chat(MISSING)
    assert OFFERED in chat.text, chat.texts
    chat(other)
    assert "What's the order number?" in chat.text and "order 100234" not in chat.text, chat.texts


def test_the_order_talked_about_is_still_that_order(chat: Chat) -> None:
    chat(MISSING)
    chat("ok and where is my order now")
    assert "order 100234" in chat.text and "What's the order number?" not in chat.text, chat.texts
