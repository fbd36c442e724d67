"""A parcel the customer says never reached them (the walkthrough of 2026-12-06): "it says my order … was delivered
but i never got it" got the status alone ("was delivered on … you can return it until …"). Through the running stack
the status is followed by what to check and the carrier investigation, with a person offered; a plain status check,
or an order still on time, gets the status alone. Order 100212 (Ann Lee, delivered 5 days ago) and 100234 (shipped,
arriving in a few days), read only. Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat, another_address, client_from

POSTCODE = "2511 AB"
INVESTIGATION = ("investigation with the carrier", "向承运商发起调查")
PERSON = ("Talk to a person", "转人工客服")


@pytest.fixture()
def chat(helpdesk_url: str) -> Chat:
    return Chat(client_from(helpdesk_url, another_address()))


@pytest.mark.parametrize(
    "asked",
    [
        "it says my order 100212 was delivered but i never got it",
        "order 100212 tracking says delivered, parcel is missing",
        "订单100212显示已签收但是我没收到",
    ],
)
def test_a_delivered_parcel_that_never_arrived_gets_the_investigation_and_a_person(chat: Chat, asked: str) -> None:
    chat(asked)
    chat(POSTCODE)
    assert "100212" in chat.text, chat.texts  # the status first
    assert any(words in chat.text for words in INVESTIGATION), chat.texts
    assert any(b["title"] in PERSON for b in chat.buttons), chat.buttons


@pytest.mark.parametrize(
    "asked", ["where is my order 100212", "my order 100234 hasnt arrived yet", "订单100234怎么还没到"]
)
def test_a_status_check_or_an_order_still_on_time_gets_the_status_alone(chat: Chat, asked: str) -> None:
    chat(asked)
    chat(POSTCODE)
    assert "100212" in chat.text or "100234" in chat.text, chat.texts
    assert not any(words in chat.text for words in INVESTIGATION), chat.texts
