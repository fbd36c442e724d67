"""Turns right after an order was named: a handbook question naming it by a pronoun, its e-mail address sent alone. Seen
in the walkthrough of 2026-12-06 (sixth session): right after order 100260's status, "ok and can i still add
something to it" was read as an opener and got "Sure, what is it? You can type your question or pick a topic."

Now such an English question is the same question about "my order", answered when the handbook is sure of it (the entry
on changing an order's items). Through the running stack; messages written for this test."""

from __future__ import annotations

from support.chat import Chat


def articles(chat: Chat) -> list[str]:
    return [reply["article"]["id"] for reply in chat.last["replies"] if reply.get("article")]


def test_a_question_about_the_order_just_checked_is_answered(chat: Chat) -> None:
    chat("wheres my order 100247?? ann.lee@example.com")
    assert "Order 100247" in chat.text, chat.texts
    chat("ok and can i still add something to it")
    assert articles(chat) == ["change-order-items"], chat.texts
    assert "what is it?" not in chat.text, chat.texts


def test_without_an_order_known_it_is_still_an_opener(chat: Chat) -> None:
    chat("can i still add something to it")
    assert articles(chat) == [], chat.texts


def test_an_email_sent_after_what_to_do_with_the_order_is_noted(chat: Chat) -> None:
    # the same walkthrough: "100219", then the e-mail address, got "What would you like me to do with order 100219:
    # check where it is, …?" twice, word for word, as if the address had not been read
    chat("100219")
    asked = chat.text
    assert "What would you like me to do with order 100219" in asked, chat.texts
    chat("luca.meier@example.org")
    assert chat.text.startswith("Got it, thanks: that's how I'll check it's your order."), chat.texts
    assert chat.text != asked and [b["title"] for b in chat.buttons][0] == "Where is my order?", chat.texts
    chat("/order_status")
    assert chat.texts[0].startswith("Order 100219 was delivered on"), chat.texts  # the proof is not asked again
