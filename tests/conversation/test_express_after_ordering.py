"""An order asked to go by express after it was placed (lane cen's walk of 2026-12-07): "can i change my order 100262
to express shipping" was read as an address change (0.75): the bot asked for the order's proof, then for a new
delivery address nobody wanted. Now the handbook's express-delivery answer: express can't be added to a placed order,
one not shipped yet can be cancelled free and ordered again with express. No order flow starts. Messages written
for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat


@pytest.mark.parametrize(
    "asked",
    ["can i change my order 100262 to express shipping", "can i upgrade to express delivery? order 100262"],
)
def test_express_asked_for_a_placed_order_gets_the_handbooks_answer(chat: Chat, asked: str) -> None:
    reply = chat(asked)
    assert "Express can't be added to an order that's already placed" in chat.text, chat.texts
    assert "e-mail address or the delivery postcode" not in chat.text, chat.texts
    assert (reply["faq"] or {}).get("id") == "express-delivery", reply
    chat("marco.rossi@example.org")
    assert "new delivery address" not in chat.text, chat.texts
