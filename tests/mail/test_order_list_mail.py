"""A customer without their order number gets the list of their orders by e-mail (lane fixes). Before: "I lost my
order number", then the e-mail address ordered with, got "What would you like me to do with that: check an order's
status, cancel it, or start a return?" (or the order number asked for again): a dead end for someone who cannot find
the number. Now, on a helpdesk that sends e-mail, the bot offers the list and asks for the address; the list goes to
that address through the outbox (the local SMTP server is the customers' mailbox), never into the chat, and the
customer goes on with the number. An address without orders gets no mail, and the chat says the same for it. Through
the real stack (Rasa, actions, a helpdesk with e-mail on); messages written for this test. Orders are only read."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from email.message import EmailMessage
from typing import TYPE_CHECKING

import pytest
from support.chat import Chat, another_address, client_from

if TYPE_CHECKING:  # the mail tests' conftest (imported by name it would clash with the other folders' in one run)
    from conftest import Mailbox, MailDesk

POLL = 0.5  # MAIL_POLL_SECONDS of the mail helpdesk (tests/mail/conftest.py)


def body_of(message: EmailMessage, kind: str) -> str:
    part = message.get_body(preferencelist=(kind,))
    assert part is not None
    return str(part.get_content())


ANN = "ann.lee@example.com"  # Ann Lee: 100234 shipped, 100247 and others
LOST = "I lost my order number"
OFFER = "Tell me the e-mail address you ordered with"
SENT = "their list is on its way to that address"


@pytest.fixture()
def chat(mail_desk: MailDesk) -> Iterator[Chat]:
    """A customer on a client address of their own (the lists are limited per client address)."""
    with client_from(mail_desk.url, another_address()) as client:
        yield Chat(client)


def is_list(mail: EmailMessage) -> bool:
    return str(mail["Subject"]) in (
        "Your orders at Larkspur Home",
        "您在 Larkspur Home 的订单",
        "您在 Larkspur Home 的訂單",
    )


def test_the_list_of_orders_goes_to_the_address_and_the_customer_goes_on(chat: Chat, mailbox: Mailbox) -> None:
    before = len([m for m in mailbox.to(ANN) if is_list(m)])
    chat(LOST)
    assert OFFER in chat.text and chat.last["handoff"] is None, chat.texts
    chat(f"sure, it's {ANN}")
    assert SENT in chat.text and ANN in chat.text, chat.texts
    assert "100234" not in chat.text, chat.texts  # no order shown in the chat
    mails = mailbox.wait_for(ANN, count=before + 1, where=is_list)
    text = body_of(mails[-1], "plain")
    assert text.startswith("Hello Ann Lee,") and "Order 100234, placed " in text and "on its way" in text, text
    assert "100234" in body_of(mails[-1], "html")
    chat("found it, 100234")
    assert "Order 100234 shipped on" in chat.text or "order 100234" in chat.text, chat.texts


def test_inside_a_request_the_list_is_sent_and_the_request_goes_on(chat: Chat, mailbox: Mailbox) -> None:
    before = len([m for m in mailbox.to(ANN) if is_list(m)])
    chat("where is my order? i dont have the order number")
    assert OFFER in chat.text, chat.texts
    chat(ANN)
    assert SENT in chat.text, chat.texts
    mailbox.wait_for(ANN, count=before + 1, where=is_list)
    chat("100234")  # the address given is the proof: the status at once
    assert "Order 100234 shipped on" in chat.text, chat.texts


def test_an_address_without_orders_gets_no_mail_and_the_same_words(chat: Chat, mailbox: Mailbox) -> None:
    stranger = f"nobody-{secrets.token_hex(4)}@customer.test"
    chat(LOST)
    chat(stranger)
    assert SENT in chat.text and stranger in chat.text, chat.texts
    time.sleep(POLL * 8)  # several rounds of the mail worker
    assert mailbox.to(stranger) == []


def test_in_chinese(chat: Chat, mailbox: Mailbox) -> None:
    before = len([m for m in mailbox.to(ANN) if is_list(m)])
    chat("我不记得订单号")
    assert "告诉我您下单时用的邮箱地址" in chat.text, chat.texts
    chat(ANN)
    assert "订单列表正在发往这个邮箱" in chat.text, chat.texts
    mails = mailbox.wait_for(ANN, count=before + 1, where=is_list)
    assert mails[-1]["Subject"] == "您在 Larkspur Home 的订单"
    assert "订单 100234，下单日期" in body_of(mails[-1], "plain") and "运送中" in body_of(mails[-1], "plain")


def test_in_traditional_characters(chat: Chat, mailbox: Mailbox) -> None:
    """A customer writing traditional characters reads the offer and the mail in them, the shop's words too (the
    status and the product names)."""
    before = len([m for m in mailbox.to(ANN) if is_list(m)])
    chat("我不記得訂單號了")
    assert "告訴我您下單時用的郵箱地址" in chat.text, chat.texts
    chat(ANN)
    mails = mailbox.wait_for(ANN, count=before + 1, where=is_list)
    assert mails[-1]["Subject"] == "您在 Larkspur Home 的訂單"
    text = body_of(mails[-1], "plain")
    assert "訂單 100234，下單日期" in text and "運送中" in text, text


def test_a_client_gets_a_few_lists_an_hour(mail_desk: MailDesk, mailbox: Mailbox) -> None:
    """One client opening conversation after conversation to send lists (the mail helpdesk allows 2 per client
    address per hour here; 5 by default): past the limit no mail goes out, and the chat says the same."""
    address = another_address()
    before = len([m for m in mailbox.to(ANN) if is_list(m)])
    with client_from(mail_desk.url, address) as client:
        for _ in range(3):
            chat = Chat(client)
            chat(LOST)
            chat(ANN)
            assert SENT in chat.text, chat.texts
    mailbox.wait_for(ANN, count=before + 2, where=is_list)
    time.sleep(POLL * 8)  # several rounds of the mail worker: the third never comes
    assert len([m for m in mailbox.to(ANN) if is_list(m)]) == before + 2
