"""An address change asked as "change where <order> is going" (the session of 2026-12-07): "100260 - i need to change
where its going" started a status check (its "where" read as one), and "i need to change where 100260 is going"
started the change but first said "100260 isn't a postcode in Italy" (the words after "need to" read as the new
address). Through the running stack: after the identity check, the new address is asked for, and nothing else.

Order 100260 (Matteo Ricci, paid, Italy) of the demo shop: every conversation stops at the address question or says
no, so nothing changes it. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100260"
EMAIL = "matteo.ricci@example.net"
ASKS_NEW_ADDRESS = f"What's the new delivery address for order {ORDER}?"


@pytest.mark.parametrize(
    "asked",
    [
        f"i need to change where {ORDER} is going",
        f"{ORDER} - i need to change where its going",
        f"{ORDER} - can you change where it goes",
        f"please change where order {ORDER} gets delivered",
    ],
)
def test_change_where_the_order_is_going_asks_for_the_new_address(chat: Chat, asked: str) -> None:
    chat(asked)
    chat(EMAIL)
    assert len(chat.texts) == 1 and chat.texts[0].startswith(ASKS_NEW_ADDRESS), chat.texts


def test_the_new_address_named_in_the_request_is_still_read(chat: Chat) -> None:
    chat(f"i need to change where {ORDER} is going to Via Roma 3, 20121 Milano, Italy")
    chat(EMAIL)
    assert any(
        f"Shall I change the delivery address of order {ORDER} to Matteo Ricci, Via Roma 3, 20121 Milano, Italy" in t
        for t in chat.texts
    ), chat.texts
    chat("no")
    assert "left the delivery address" in chat.text, chat.texts
