"""A thumbs-up after an answer, and "how ya doin". Seen in the walkthrough of 2026-12-06 (sixth session): "👍" (and
"👌🏻") right after the delivery-time answer got "I'm not sure I have a good answer to that, and I'd rather not
guess. Shall I get a person?", a person offered for an "ok". Now a message of acknowledging emoji alone is
answered as "ok" is; a thumbs down is still offered a person. Through the running stack; messages written for
this test."""

from __future__ import annotations

import pytest
from support.chat import Chat


@pytest.mark.parametrize("reaction", ["👍", "👌🏻", "🙏"])
def test_an_emoji_acknowledgement_is_an_ok(chat: Chat, reaction: str) -> None:
    chat("how long does delivery take to germany")
    chat(reaction)
    assert chat.texts == ["Great! What else can I help you with?"], chat.texts
    assert chat.last["mode"] == "bot" and not chat.buttons, chat.last


def test_a_thumbs_down_is_still_offered_a_person(chat: Chat) -> None:
    chat("how long does delivery take to germany")
    chat("👎")
    assert "Shall I get a person?" in chat.text, chat.texts


@pytest.mark.parametrize("greeting", ["how ya doin", "hey how are you doing today"])
def test_how_are_you_in_chat_spelling_is_answered_as_such(chat: Chat, greeting: str) -> None:
    # the same walkthrough: "how ya doin" got "Okay! I can help with your orders, …" (small talk of no kind known)
    chat(greeting)
    assert chat.texts[0].startswith("I'm doing well, thanks for asking!"), chat.texts
