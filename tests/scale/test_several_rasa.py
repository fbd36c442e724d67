"""Several Rasa processes serve one shop (issue 22): two Rasa processes, each with its own action server, share the
trackers (PostgreSQL) and the conversation locks (Redis); the helpdesk spreads the conversations over them.

The module starts its own stack that way (`Ports.spare(rasa_processes=2)`, as `RASA_PROCESSES=2 make run` does on
the DESIGN.md ports), on a fresh PostgreSQL database, a Redis key prefix of its own and a fresh demo shop.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from support.helpdesks import postgres_database
from support.stacks import running_stack

from helpdesk.clients.action_server import ActionServerClient
from helpdesk.clients.rasa import RasaClient
from helpdesk.stack import Ports, Stack

pytestmark = pytest.mark.postgres

SOPHIE = "sophie.martin@example.org"


@pytest.fixture(scope="module")
def two_rasa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("two-rasa")
    with postgres_database("two_rasa") as dsn:
        env = {
            "DATABASE_URL": dsn,  # the helpdesk's tables and Rasa's trackers (nlu_addons/tracker_store.py)
            "REDIS_URL": "redis://127.0.0.1:6379/0",  # Rasa's locks, the helpdesk's fan-out
            "REDIS_CHANNEL": f"tworasa{secrets.token_hex(4)}:events",  # keys of this module's own
        }
        ports = Ports.spare(rasa_processes=2)
        with running_stack(workdir, ports, env, timeout=480, what="the two-Rasa stack") as running:
            yield running


def rasa_say(stack: Stack, rasa_port: int, sender: str, text: str) -> list[dict[str, Any]]:
    """One customer message straight to one Rasa process's channel (as the helpdesk sends it): the bot's
    messages."""
    response = httpx.post(
        f"http://127.0.0.1:{rasa_port}/webhooks/rest_nlu/webhook",
        json={"sender": sender, "message": text},
        headers={"Authorization": f"Bearer {stack.env['RASA_TOKEN']}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return list(response.json()["messages"])


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m["text"] for m in messages if m.get("text"))


def shop_status(stack: Stack, number: str) -> str:
    connection = sqlite3.connect(Path(stack.workdir) / "demo-shop.db", timeout=30)  # type: ignore[attr-defined]
    try:
        return str(connection.execute("SELECT status FROM orders WHERE number = ?", (number,)).fetchone()[0])
    finally:
        connection.close()


def test_turns_alternating_between_two_rasa_processes_complete_an_order_form_and_a_return(two_rasa: Stack) -> None:
    """Each turn goes to the other Rasa process than the one before: the form's questions, the slots filled and
    the verified identity carry over through the shared tracker store."""
    first, second = (rasa for rasa, _ in two_rasa.ports.bots())
    sender = f"alternate-{secrets.token_hex(4)}"
    turns = iter([first, second] * 10)

    def say(text: str) -> str:
        return texts(ask(text))

    def ask(text: str) -> list[dict[str, Any]]:
        return rasa_say(two_rasa, next(turns), sender, text)

    assert "order number" in say("where is my order?")  # the form starts on the first process
    assert "e-mail address or the delivery postcode for order 100234" in say("100234")  # the second asks on
    assert "Order 100234 shipped" in say("2511ab")  # and the first finishes it
    say("I'd like to return something from order 100199")
    question = ask(SOPHIE)
    assert "Which items from order 100199" in texts(question), question
    buttons = [b for m in question for b in m.get("buttons") or []]
    plates = next(b["payload"] for b in buttons if b["title"].startswith("Stoneware dinner plates"))
    assert "Here's the return for order 100199:\n- 1 × Stoneware dinner plates, set of 4 (€59.00)" in say(plates)
    booked = say("yes")
    assert re.search(r"RMA-100199-[0-9A-Z]{4} \(Stoneware dinner plates, set of 4\)", booked), booked
    assert shop_status(two_rasa, "100199") == "return_requested"


def converse(base_url: str, texts: list[str], results: list[dict[str, Any]], errors: list[str]) -> None:
    """One customer's conversation through the helpdesk's chat API; every answer (or failure) is recorded."""
    with httpx.Client(base_url=base_url, timeout=60) as client:
        conversation_id = None
        for text in texts:
            try:
                response = client.post("/api/chat", json={"conversation_id": conversation_id, "text": text})
            except httpx.HTTPError as exc:
                errors.append(f"{text!r}: {exc.__class__.__name__}")
                return
            if response.status_code != 200 or not response.json().get("replies"):
                errors.append(f"{text!r}: {response.status_code} {response.text[:200]}")
                return
            body = response.json()
            conversation_id = body["conversation_id"]
            results.append({"conversation": conversation_id, "text": text, "reply": body["replies"][-1]["text"]})


def test_a_rasa_process_stopped_mid_load_fails_no_turn_and_its_conversations_go_on(two_rasa: Stack) -> None:
    """Customers chat while the second Rasa process is stopped: every turn is answered, and conversations that
    began there finish their order form on the first one. (The module's last test: the process stays stopped.)"""
    script = ["where is my order?", "100234", "2511ab", "thanks!"]
    results: list[dict[str, Any]] = []
    errors: list[str] = []
    customers = [
        threading.Thread(target=converse, args=(two_rasa.url, script, results, errors)) for _ in range(8)
    ]
    for customer in customers[:4]:
        customer.start()
    for customer in customers[:4]:
        customer.join(120)
    second = two_rasa.rasa_names[1]
    stopper = threading.Thread(target=two_rasa.stop_service, args=(second,))
    for customer in customers[4:]:
        customer.start()
    stopper.start()  # while the second wave of customers is mid-conversation
    for thread in [*customers[4:], stopper]:
        thread.join(180)
    assert not errors, errors
    finished = [r for r in results if r["text"] == "2511ab"]
    assert len(finished) == 8 and all("Order 100234 shipped" in r["reply"] for r in finished)
    # with the second process gone, conversations whose first choice it is are answered by the first (the client's
    # choice is a stable hash of the conversation id, the same in every helpdesk process)
    spread = RasaClient(two_rasa.env["RASA_URLS"].split(","), "", 1.0, ActionServerClient("http://127.0.0.1:1"))
    gone = spread.urls[1]
    moved: list[dict[str, Any]] = []
    for _ in range(40):
        more: list[dict[str, Any]] = []
        converse(two_rasa.url, script[:3], more, errors)
        assert not errors, errors
        if more and spread.order(more[0]["conversation"])[0] == gone:
            moved += more
        if len(moved) >= 9:
            break
    assert len(moved) == 9 and sum("Order 100234 shipped" in r["reply"] for r in moved) == 3
    health = httpx.get(f"{two_rasa.url}/healthz", timeout=10).json()
    assert health["status"] == "ok" and health["rasa_processes"] == {spread.urls[0]: True, gone: False}
