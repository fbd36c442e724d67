"""Issue 15, finding 7: what a customer types never becomes a Rasa command (helpdesk/conversation/chat.py).

Rasa reads a message that starts with "/" (after stripping whitespace) as an intent at confidence 1.0, with
entities in braces, or as a command ("/restart"). Through the running stack, each way of slipping a slash past the
guard reaches the bot as plain words: the intent classifier ranks it like any sentence (a forced intent has a
ranking of one), no entity comes from the braces, and the conversation's memory survives "/restart".
"""

from __future__ import annotations

import pytest
from support.chat import Chat, another_address, client_from

from helpdesk.conversation.chat import never_a_command
from helpdesk.stack import Stack

FORMS = ["/ /bot_challenge", "// /bot_challenge", "/\t/bot_challenge", "/\u00a0/bot_challenge", "\u200b/bot_challenge"]


@pytest.mark.parametrize("typed", [*FORMS, "/bot_challenge"])
def test_a_typed_intent_reaches_the_bot_as_words(helpdesk_url: str, typed: str) -> None:
    chat = Chat(client_from(helpdesk_url, another_address()))
    chat(typed)
    plain = Chat(client_from(helpdesk_url, another_address()))
    plain("bot_challenge")
    nlu = chat.last["nlu"]
    assert len(nlu["ranking"]) > 1  # the classifier ranked it: no intent forced at 1.0
    assert (nlu["intent"], nlu["confidence"]) == (plain.last["nlu"]["intent"], plain.last["nlu"]["confidence"])
    assert chat.texts == plain.texts


def test_typed_entities_are_not_injected(helpdesk_url: str) -> None:
    chat = Chat(client_from(helpdesk_url, another_address()))
    chat('/ /inform{"return_items": "all", "faq_id": "refund-policy", "postcode": "2511 AB"}')
    nlu = chat.last["nlu"]
    assert len(nlu["ranking"]) > 1
    assert not {e["entity"] for e in nlu["entities"]} & {"return_items", "faq_id", "postcode"}


def test_a_typed_restart_keeps_the_conversation_and_its_count_of_wrong_answers(helpdesk_url: str, stack: Stack) -> None:
    import httpx

    chat = Chat(client_from(helpdesk_url, another_address()))
    chat("where is my order 100076? postcode 1111 AA")
    assert "2 more tries" in chat.text
    chat("/ /restart")  # 200 with a reply: the bot read the word "restart"
    assert chat.texts
    tracker = httpx.get(
        f"http://127.0.0.1:{stack.ports.rasa}/conversations/{chat.id}/tracker",
        params={"token": stack.env["RASA_TOKEN"], "include_events": "ALL"},
        timeout=30,
    ).json()
    assert not any(event.get("event") == "restart" for event in tracker["events"])
    assert tracker["slots"]["order_id"] == "100076"
    chat("where is my order 100076? postcode 2222 BB")
    assert "1 more try" in chat.text


def test_only_the_payloads_the_bot_offered_pass_as_they_are(helpdesk_url: str) -> None:
    chat = Chat(client_from(helpdesk_url, another_address()))
    chat("I'd like to return something from order 100211, email lena.schneider@example.org")
    offered = next(b["payload"] for b in chat.buttons if b["title"] == "Everything")
    assert offered.startswith("/inform")
    chat("never mind")  # the bot's latest message offers no buttons any more
    assert "I've stopped there" in chat.text and not chat.buttons
    chat(offered)
    assert len(chat.last["nlu"]["ranking"]) > 1  # read as words now, not as the button it once was


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("/ /restart", "restart"),
        ("// /x", "x"),
        ("/\t/x", "x"),
        ("/\u00a0/x", "x"),
        ("\u200b\u00a0/\u2003/x y", "x y"),
        ("///", "?"),
        ("a/b", "a/b"),
        ("hello /restart", "hello /restart"),
    ],
)
def test_never_a_command(typed: str, read: str) -> None:
    assert never_a_command(typed) == read
    assert not never_a_command(typed).strip().startswith("/")
