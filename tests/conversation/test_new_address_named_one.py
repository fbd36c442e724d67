"""A new address given in the first message as "new one is …" (the orchestrator's walk of 2026-12-07, afternoon): "my
order number is 100259, i need to change the adress before it ships!! new one is 14 rue de la paix 75002 paris" was
asked, once the order was verified, "What's the new delivery address for order 100259?": the address the customer had
typed was lost. Through the running stack: the summary offers that address for the yes. Order 100259 (Thomas Leroy,
placed) of the demo shop; the conversation ends with a no, so nothing changes. Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat


@pytest.mark.parametrize(
    "first",
    [
        "my order number is 100259, i need to change the adress before it ships!! "
        "new one is 14 rue de la paix 75002 paris",
        "order 100259 - wrong address, the new one is 14 Rue de la Paix, 75002 Paris",
    ],
)
def test_the_new_address_typed_first_is_offered_after_the_check(chat: Chat, first: str) -> None:
    chat(first)
    chat("thomas.leroy@example.com")
    assert "What's the new delivery address" not in chat.text, chat.texts
    assert "Shall I change the delivery address of order 100259" in chat.text, chat.texts
    assert "14 rue de la paix" in chat.text.lower() and "75002 paris" in chat.text.lower(), chat.texts
    chat("no")
