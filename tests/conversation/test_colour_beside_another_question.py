"""A product's colour asked beside another question (lane cen, 2026-12-07): "is the linen duvet cover available in a
king size? also do you have it in green" got the bedding size guide alone; "do you have it in green" was dropped
without a word. Now both are answered, the colour from the handbook's product-availability entry (colours and sizes
shown on the product page, each with its own stock), after the word that both things are taken in turn; the same
beside an order request. Messages written for this test."""

from __future__ import annotations

from support.chat import Chat

TWO_THINGS = "You've asked two things"
OPTIONS = "availability can differ per option"  # the product-availability entry's answer


def test_a_colour_asked_beside_a_size_question_is_answered_too(chat: Chat) -> None:
    chat("hi, is the linen duvet cover available in a king size? also do you have it in green")
    assert TWO_THINGS in chat.text, chat.texts
    assert "240×220 (king)" in chat.text, chat.texts  # the size guide
    assert OPTIONS in chat.text, chat.texts


def test_a_colour_asked_beside_an_order_request_is_answered_and_the_request_goes_on(chat: Chat) -> None:
    chat("where is my order 100234? and does the chunky knit throw come in other colours")
    assert OPTIONS in chat.text, chat.texts
    assert "order 100234?" in chat.texts[-1], chat.texts  # the order's identity check follows
