"""A customer who typed their e-mail address in the conversation is not asked for it again when a person is offered,
whichever answer offers the person (the offer reads the conversation itself: actions/handoff.py ``offer_person``).
The session of 2026-12-07 saw the missing-item answer and the "only English and Chinese" answer end with "or leave
your e-mail address here" right after the customer had given it as the order's proof.

Order 100234 (Ann Lee, shipped) of the demo shop. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat, another_address, client_from

from helpdesk.orders.identity import sign_identity
from helpdesk.stack import Stack
from helpdesk.vocabulary import HANDOFF_REQUESTED

ORDER = "100234"
EMAIL = "ann.lee@example.com"
ASKS_FOR_EMAIL = ("leave your e-mail address", "留下邮箱")
OFFERED = ("get a person", "转接人工客服")


@pytest.mark.parametrize(
    ("asked", "then"),
    [
        (f"where is my order {ORDER}", f"one item is missing from order {ORDER}"),
        (f"我的订单{ORDER}到哪了", f"订单{ORDER}少了一件"),
        (f"where is my order {ORDER}", "hallo, ich habe eine frage zu meiner bestellung"),
    ],
)
def test_a_person_offered_after_the_email_was_given_does_not_ask_for_it(chat: Chat, asked: str, then: str) -> None:
    chat(asked)
    chat(EMAIL)
    assert "DHL" in chat.text, chat.texts
    chat(then)
    assert any(words in chat.text for words in OFFERED), chat.texts
    assert not any(words in chat.text for words in ASKS_FOR_EMAIL), chat.texts
    body = chat(chat.buttons[0]["payload"])
    assert body["mode"] == "queued" and (body["handoff"] or {}).get("reason"), chat.texts


def test_a_person_offered_before_any_email_still_says_an_email_will_do(chat: Chat) -> None:
    chat(f"one item is missing from order {ORDER}")
    assert any(words in chat.text for words in OFFERED), chat.texts
    assert any(words in chat.text for words in ASKS_FOR_EMAIL), chat.texts
    body = chat(chat.buttons[0]["payload"])
    assert body["mode"] == "queued" and (body["handoff"] or {}).get("reason") == HANDOFF_REQUESTED, chat.texts


def test_a_signed_in_customer_is_not_asked_for_an_email_when_a_person_is_offered(
    stack: Stack, helpdesk_url: str
) -> None:
    """Lane cen (2026-12-07): a customer the shop's website signed in (a signed customer token on each message, as
    the widget sends it) was offered a person "or leave your e-mail address here": the team has their address from
    their account. Ingrid Berg (C1034) of the demo shop."""
    token = sign_identity("C1034", stack.env["IDENTITY_SECRET"])
    with client_from(helpdesk_url, another_address()) as client:
        reply = client.post(
            "/api/chat",
            json={"conversation_id": None, "text": "can you recommend a good plumber", "customer_token": token},
        )
        assert reply.status_code == 200, reply.text
        texts = " ".join(str(r.get("text") or "") for r in reply.json()["replies"])
    assert "get a person" in texts, texts
    assert "leave your e-mail address" not in texts, texts
