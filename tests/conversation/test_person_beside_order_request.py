"""A person asked for in so many words beside an order request the NLU is sure of (the walkthrough of 2026-12-07,
walk1): "my order 100253 still hasnt arrived and its been ages, i want to talk to someone" was read as a status
check (0.87) and got "To keep your details safe: what's the e-mail address or the delivery postcode for order
100253?", the person never mentioned; "我的订单100253到哪了？等了好久了，我要找人工" (a status, 0.98) and
"取消订单100247，我要跟真人客服说" (a cancellation) the same in Chinese. When the NLU was unsure the words already
decided (actions/faq.py); now they do beside a sure order request too. Through the running stack: the conversation
is queued for a person, nothing about the order is asked. Orders 100253 (James Whitfield, paid) and 100247 (Ann Lee,
paid) are only named: nothing is read or changed. Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

PROOF_ASKED = ("delivery postcode for order", "下单邮箱或收货邮编")


@pytest.mark.parametrize(
    "said",
    [
        "my order 100253 still hasnt arrived and its been ages, i want to talk to someone",
        "我的订单100253到哪了？等了好久了，我要找人工",
        "取消订单100247，我要跟真人客服说",
    ],
)
def test_a_person_asked_for_beside_an_order_request_is_a_person(chat: Chat, said: str) -> None:
    body = chat(said)
    assert body["nlu"]["intent"] in ("order_status", "cancel_order", "request_human"), body["nlu"]
    assert body["mode"] == "queued" and body["handoff"] == {"reason": "requested"}, chat.texts
    assert not any(asked in chat.text for asked in PROOF_ASKED), chat.texts


def test_a_person_declined_beside_an_order_request_is_no_person(chat: Chat) -> None:
    body = chat("where is my order 100253? i don't want to talk to a person, just tell me")
    assert body["mode"] == "bot" and body["handoff"] is None, chat.texts
    assert PROOF_ASKED[0] in chat.text, chat.texts
