"""A first message that gets a handbook answer and starts the order form (the walkthrough of 2026-12-06, second
session): "hi my order 100171 arrived and the mug is cracked" got the damaged-item answer, then "Now, back to your
order. To keep your details safe: …", though nothing had been said about the order before; and the answer asked the
customer to "contact us as soon as possible … with your order number" while they were doing just that. The form's
first question now comes plain, and the answer says when and how damage is reported. A real digression inside the
form still gets "Now, back to your order." Order 100171 (Norway, delivered), read only. Messages written for this
test."""

from __future__ import annotations

from support.chat import Chat

ORDER = "100171"


def test_a_form_started_by_the_first_message_resumes_nothing(chat: Chat) -> None:
    chat(f"hi my order {ORDER} arrived and the mug is cracked")
    assert (chat.last.get("faq") or {}).get("id") == "damaged-item", chat.texts
    assert "contact us as soon as possible" not in chat.text, chat.texts
    assert f"for order {ORDER}" in chat.text, chat.texts
    assert "Now, back to your order" not in chat.text, chat.texts


def test_a_handbook_question_inside_the_form_still_comes_back_to_it(chat: Chat) -> None:
    chat(f"where is my order {ORDER}?")
    chat("btw do you ship to switzerland?")
    assert "Now, back to your order." in chat.text, chat.texts


def test_what_do_i_do_inside_the_form_is_told_what_is_needed(chat: Chat) -> None:
    """ "what do i do" at the identity question got "Sure, ask away." (a vague opener read as asking leave to ask):
    it is told what is needed, and the question follows; nothing is counted as a failed identity check."""
    chat(f"hi my order {ORDER} arrived and the mug is cracked")
    chat("what do i do")
    assert "Sure, ask away" not in chat.text, chat.texts
    assert "Here's what I need from you to go on:" in chat.text, chat.texts
    assert f"for order {ORDER}" in chat.text and "more tries" not in chat.text, chat.texts
