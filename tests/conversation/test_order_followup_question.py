"""A handbook question about the order just looked at, naming it by a pronoun. Seen in the walkthrough of 2026-12-06
(sixth session): right after order 100260's status, "ok and can i still add something to it" was read as an opener
and got "Sure, what is it? You can type your question or pick a topic."

Now such an English question is the same question about "my order", answered when the handbook is sure of it (the
entry on changing an order's items). Through the running stack; messages written for this test."""

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
