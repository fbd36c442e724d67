"""A refund of one item of an order not shipped yet (lane cen, 2026-12-07): "I want a refund for the pillowcases in
order 100262" was told there was nothing to return and offered the whole order's cancellation, as if that were the
refund asked for, without a word about the candles in it. Now the customer is told that items can't be taken out
of a placed order (the handbook's change-order-items answer) and what can be done: cancel the whole order free and
order again what they want, or keep it and return the pillowcases after delivery. The whole order's return keeps
the plain refusal. Order 100262 (Marco Rossi, placed: 2 dinner candles, pillowcases); nothing is cancelled.
Messages written for this test."""

from __future__ import annotations

from support.chat import Chat


def test_one_item_of_an_unshipped_order_is_explained(chat: Chat) -> None:
    chat("I want a refund for the pillowcases in order 100262")
    chat("marco.rossi@example.org")
    said = chat.text
    assert "Order 100262 hasn't shipped yet" in said, chat.texts
    assert 'I can\'t take just "Percale pillowcases, pair" out of it' in said, chat.texts
    assert "cancel the whole order free of charge" in said and "within 30 days of delivery" in said, chat.texts
    assert "Cancel my order" in [b["title"] for b in chat.buttons], chat.buttons
    chat("/cancel_order" + '{"order_id": "100262"}')
    assert "Cancelling order 100262 cancels all of it" in chat.text, chat.texts
    chat("no")
    assert "I haven't cancelled anything" in chat.text, chat.texts


def test_the_whole_unshipped_order_keeps_the_plain_refusal(chat: Chat) -> None:
    chat("i want to return order 100262")
    chat("marco.rossi@example.org")
    assert "You can still cancel it free of charge instead" in chat.text, chat.texts
    assert "I can't take just" not in chat.text, chat.texts
