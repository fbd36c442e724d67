"""Issue 15, finding 1 (order takeover) and the confirmation binding of finding 5, through the running stack.

Wrong answers to the identity check are counted per client address, signed-in customer and order across
conversations (helpdesk/orders/attempts.py); a postcode opens an order for reading only; a verified order opens
the same customer's other orders for reading only; a "yes" confirms only the change the open question described
(actions/changes.py). Each test speaks from a client address of its own (tests/support/chat.py) about demo orders
no other test uses, so the shared counts of one test never touch another.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import time
from typing import Any

import httpx
from support.chat import Chat, another_address, client_from

from helpdesk.config import PROJECT_ROOT
from helpdesk.orders import sign_identity
from helpdesk.stack import Stack

sys.path.insert(0, str(PROJECT_ROOT))  # the actions package lives at the project root
from actions.texts import identity as say  # noqa: E402
from actions.texts.orders import NOTHING_TO_CONFIRM as NOTHING_TO_CONFIRM_TEXT  # noqa: E402

# what must not be shown before the right proof: order state, the street address, the customer's name
ORDER_DETAILS = re.compile(r"shipped|delivered on|packed|paid and|waiting for your payment|refund of|€", re.IGNORECASE)


def chat_from_elsewhere(helpdesk_url: str) -> Chat:
    return Chat(client_from(helpdesk_url, another_address()))


def order_row(stack: Stack, number: str) -> dict[str, Any]:
    path = stack.workdir / "demo-shop.db"  # type: ignore[attr-defined]
    with sqlite3.connect(path, timeout=30) as db:
        db.row_factory = sqlite3.Row
        return dict(db.execute("SELECT * FROM orders WHERE number = ?", (number,)).fetchone())


def person_offered(chat: Chat) -> bool:
    return {"title": "Talk to a person", "payload": "/request_human"} in chat.buttons


# ---- wrong answers count across conversations ---------------------------------------------------


def test_wrong_guesses_spread_over_new_conversations_lock_the_client_out(helpdesk_url: str) -> None:
    guesses = {  # 8 wrong postcodes, 2 per new conversation, about four of James Whitfield's and Inês Costa's orders
        "100146": ("1011 AA", "BS8 1TA"),
        "100179": ("BS1 1AA", "BS8 2TH"),
        "100189": ("BS8 1TJ", "2511 AB"),
        "100217": ("4050-263", "4000-262"),
    }
    client = client_from(helpdesk_url, another_address())
    replies = []
    for order, (first, second) in guesses.items():
        chat = Chat(client)  # a new conversation each time: no per-conversation count to hide behind
        chat(f"where is my order {order}? postcode {first}")
        replies.append(chat.text)
        chat(second)
        replies.append(chat.text)
        assert chat.last["handoff"] is None  # no queue flooding: two wrong answers per conversation never hand off
    assert not any(ORDER_DETAILS.search(text) for text in replies)
    assert "2 more tries" in replies[0] and "1 more try" in replies[3]  # the count went on in the second chat
    assert say.TOO_MANY_ATTEMPTS in replies[4]  # the fifth wrong answer: locked, whatever the conversation

    chat = Chat(client)
    body = chat("where is my order 100146? postcode BS8 1TH")  # the right postcode, from the same client
    assert not ORDER_DETAILS.search(chat.text)
    assert say.TOO_MANY_ATTEMPTS in chat.text and person_offered(chat)
    assert body["handoff"] is None and body["mode"] == "bot"

    # the lock is the client's: the owner, from another address, gets the status of the same order
    owner = chat_from_elsewhere(helpdesk_url)
    owner("where is my order 100146? postcode BS8 1TH")
    assert "Order 100146 was delivered" in owner.text


def test_wrong_answers_about_one_order_from_many_clients_lock_that_order(helpdesk_url: str, stack: Stack) -> None:
    for postcode in ("N1 0PA", "N1 0PB", "N1 0PC", "N1 0PD", "N1 0PE"):  # five clients, one wrong answer each
        chat_from_elsewhere(helpdesk_url)(f"where is order 100063? postcode {postcode}")
    chat = chat_from_elsewhere(helpdesk_url)
    chat("where is order 100063? my email is oliver.smith@example.com")  # right, but the order is locked
    assert say.TOO_MANY_ATTEMPTS in chat.text and not ORDER_DETAILS.search(chat.text)
    # the shop's own login (a signed identity token) still opens the customer's order: no knowledge check needed
    token = sign_identity("C1035", stack.env["IDENTITY_SECRET"])
    response = client_from(helpdesk_url, another_address()).post(
        "/api/chat", json={"conversation_id": None, "text": "where is order 100063?", "customer_token": token}
    )
    assert "Order 100063 was delivered" in "\n".join(r["text"] for r in response.json()["replies"])


# ---- a postcode shows the status, never changes the order ---------------------------------------


def test_an_address_change_with_only_a_postcode_shows_no_address_and_changes_nothing(
    helpdesk_url: str, stack: Stack
) -> None:
    before = order_row(stack, "100254")
    chat = chat_from_elsewhere(helpdesk_url)
    chat("I need to change the delivery address of order 100254")
    chat("1070")  # the right postcode
    said = [chat.text]
    assert "to change the delivery address I need the e-mail address you ordered with" in chat.text
    chat("Mariahilfer Straße 1, 1060 Wien")
    said.append(chat.text)
    chat("yes")
    said.append(chat.text)
    everything = "\n".join(said)
    assert "Neubaugasse" not in everything and "Julia" not in everything and "Gruber" not in everything
    assert "Mariahilfer" not in everything  # no "Shall I change it to ...": nothing was offered
    assert order_row(stack, "100254") == before

    # the e-mail on the order opens it for the change (the address sent meanwhile may be taken up, or asked for);
    # the old address is still never shown
    chat("julia.gruber@example.net")
    assert "Neubaugasse" not in chat.text
    asked = r"What's the new delivery address for order 100254\?|Shall I change the delivery address of order 100254"
    assert re.search(asked, chat.text)


def test_a_postcode_is_enough_for_the_status(helpdesk_url: str) -> None:
    chat = chat_from_elsewhere(helpdesk_url)
    chat("where is my order 100244? postcode 8000")
    assert "Order 100244 (placed on" in chat.text and "is paid" in chat.text


def test_a_verified_order_opens_the_customers_other_orders_for_reading_only(helpdesk_url: str, stack: Stack) -> None:
    chat = chat_from_elsewhere(helpdesk_url)
    chat("has the refund for order 100165 been paid? marco.rossi@example.org")  # order A, by its e-mail
    assert "Your refund of €189.00 for order 100165 was sent" in chat.text
    chat("where is my order 100262?")  # order B, same customer: its status without another proof
    assert "Order 100262 was placed on" in chat.text
    chat("cancel order 100262")  # a change to B asks for proof of B itself
    assert "I need proof for order 100262 itself" in chat.text and "Shall I cancel" not in chat.text
    chat("yes")
    assert order_row(stack, "100262")["status"] == "placed"
    assert "Done" not in chat.text


# ---- a yes confirms exactly the change that was asked about -------------------------------------


def test_a_yes_with_nothing_pending_does_nothing(helpdesk_url: str) -> None:
    chat = chat_from_elsewhere(helpdesk_url)
    body = chat("yes")
    assert chat.texts == [NOTHING_TO_CONFIRM_TEXT] and body["handoff"] is None


def test_a_yes_after_the_bot_lost_the_conversation_confirms_nothing(helpdesk_url: str, stack: Stack) -> None:
    chat = chat_from_elsewhere(helpdesk_url)
    chat("cancel order 100246, email eva.novakova@example.com")
    assert chat.texts[-1].endswith("Shall I cancel order 100246? (yes/no)")
    # the bot's memory of the conversation is wiped (what a restart without a persistent tracker store does)
    response = httpx.post(
        f"http://127.0.0.1:{stack.ports.rasa}/conversations/{chat.id}/tracker/events",
        params={"token": stack.env["RASA_TOKEN"]},
        json={"event": "restart", "timestamp": time.time()},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    chat("yes")
    assert chat.texts == [NOTHING_TO_CONFIRM_TEXT]
    assert order_row(stack, "100246")["status"] == "paid"


def test_a_yes_after_the_question_was_dropped_for_another_request_cancels_nothing(
    helpdesk_url: str, stack: Stack
) -> None:
    chat = chat_from_elsewhere(helpdesk_url)
    chat("cancel order 100260, email matteo.ricci@example.net")
    assert chat.texts[-1].endswith("Shall I cancel order 100260? (yes/no)")
    chat("hang on, where is my order 100112?")  # another request: the question is dropped
    assert "Order 100112 was delivered" in chat.text
    chat("yes")
    assert chat.texts == [NOTHING_TO_CONFIRM_TEXT]
    assert order_row(stack, "100260")["status"] == "paid"
