"""The customer and their orders in the agent console, and the changes an agent makes from there, through the real
stack (Rasa verifies the customer from the shop's signed token, the action server fills the slots) on a helpdesk
with its own demo shop, on SQLite and on PostgreSQL: the cards, the summary and its bound confirmation, the order
system's state afterwards, the note the customer sees, the audit row, and who may do it (403, CSRF)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from support.agent import HANDOFF_TEXT, history, say
from support.desk_orders import INGRID, OrdersDesk, orders_desk, signed_in_handoff

from helpdesk.stack import Stack


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def desk(request: pytest.FixtureRequest, stack: Stack) -> Iterator[OrdersDesk]:
    with orders_desk(stack, request.param) as running:
        yield running


def card(panel: dict[str, Any], number: str) -> dict[str, Any]:
    return next(o for o in panel["orders"] if o["number"] == number)


def test_an_agent_cancels_the_verified_customers_order_and_the_customer_sees_it(desk: OrdersDesk, stack: Stack) -> None:
    conversation = signed_in_handoff(desk, stack)
    olga, pete = desk.console("olga"), desk.console("pete")
    try:
        assert olga.post(f"/conversations/{conversation}/claim").status_code == 200
        panel = olga.get(f"/conversations/{conversation}/customer")
        assert panel.status_code == 200, panel.text
        data = panel.json()
        identity = data["identity"]
        assert identity["verified"] and identity["name"] == "Ingrid Berg"
        assert identity["in_words"] == "Verified: signed in on the shop's website"
        assert {o["number"] for o in data["orders"]} >= {"100257", "100124", "100024"}
        paid = card(data, "100257")
        assert paid["status"] == "paid" and paid["status_words"] == "Paid, waiting to be packed"
        assert paid["items"] and all(i["name"] and i["quantity"] >= 1 for i in paid["items"])
        assert paid["total"].startswith("€")
        actions = {a["action"]: a for a in paid["actions"]}
        assert actions["cancel"]["allowed"] and actions["change_address"]["allowed"]
        assert not actions["return"]["allowed"] and actions["return"]["why_not"]  # not delivered yet

        # another agent: not their conversation, not their customer
        assert pete.get(f"/conversations/{conversation}/customer").status_code == 403
        assert pete.post(f"/conversations/{conversation}/orders/100257/cancel/preview").status_code == 403
        # no CSRF token: refused like every other change in the console
        no_csrf = olga.http.post(f"/api/agent/conversations/{conversation}/orders/100257/cancel/preview", json={})
        assert no_csrf.status_code == 403
        # another customer's order (Ann Lee's): never
        foreign = olga.post(f"/conversations/{conversation}/orders/100247/cancel/preview")
        assert foreign.status_code == 403 and "not the verified customer's" in foreign.json()["error"]

        preview = olga.post(f"/conversations/{conversation}/orders/100257/cancel/preview")
        assert preview.status_code == 200, preview.text
        summary = preview.json()
        assert summary["title"] == "Cancel order 100257?" and summary["lines"] and summary["confirm"]
        assert desk.order_status("100257") == "paid"  # a summary changes nothing

        wrong = olga.post(f"/conversations/{conversation}/orders/100257/cancel", {"confirm": "0" * 32})
        assert wrong.status_code == 409 and desk.order_status("100257") == "paid"
        done = olga.post(f"/conversations/{conversation}/orders/100257/cancel", {"confirm": summary["confirm"]})
        assert done.status_code == 200, done.text
        assert done.json()["note"].startswith("Your order 100257 was cancelled by Olga Tester.")
        assert desk.order_status("100257") == "cancelled"

        with httpx.Client(base_url=desk.url, timeout=30) as client:
            seen = [m for m in history(client, conversation)["messages"] if m["sender"] == "system"]
        assert any(m["text"].startswith("Your order 100257 was cancelled by Olga Tester.") for m in seen)

        rows = desk.rows(
            "SELECT a.action, a.outcome, a.customer_id, g.username, m.text FROM order_actions a "
            "JOIN agents g ON g.id = a.agent_id JOIN messages m ON m.id = a.message_id "
            "WHERE a.conversation_id = ? AND a.order_number = ?",
            conversation,
            "100257",
        )
        assert len(rows) == 1
        action, outcome, customer, username, text = rows[0]
        assert (action, outcome, customer, username) == ("cancel", "done", INGRID, "olga")
        assert text.startswith("Your order 100257 was cancelled")

        again = olga.post(f"/conversations/{conversation}/orders/100257/cancel/preview")
        assert again.status_code == 409 and again.json()["reason_code"] == "already_cancelled"
        after = olga.get(f"/conversations/{conversation}/customer").json()
        assert card(after, "100257")["status"] == "cancelled"
        assert [(h["order_number"], h["action"], h["agent_name"]) for h in after["history"]] == [
            ("100257", "cancel", "Olga Tester")
        ]
        # a supervisor sees the panel of any conversation
        assert desk.console("sven").get(f"/conversations/{conversation}/customer").status_code == 200
    finally:
        olga.close()
        pete.close()


def test_a_return_with_chosen_items_and_an_address_change(desk: OrdersDesk, stack: Stack) -> None:
    if desk.backend != "sqlite":
        pytest.skip("the PostgreSQL run covers the cancellation and its rows")
    conversation = signed_in_handoff(desk, stack, "C1039")  # Freja Nielsen (VIP): 100244 paid, 100204 delivered
    olga = desk.console("olga")
    try:
        assert olga.post(f"/conversations/{conversation}/claim").status_code == 200
        panel = olga.get(f"/conversations/{conversation}/customer").json()
        assert panel["identity"]["tier"] == "vip"
        order = card(panel, "100204")
        assert {a["action"]: a for a in order["actions"]}["return"]["allowed"], order
        first = order["items"][0]
        base = f"/conversations/{conversation}/orders/100204/return"
        preview = olga.post(base + "/preview", {"items": {first["sku"]: 1}})
        assert preview.status_code == 200, preview.text
        assert preview.json()["lines"] == [f"1 × {first['name']}"]
        assert olga.post(base + "/preview", {"items": {"NOPE-1": 1}}).status_code == 400
        # the confirmation is bound to what was summed up: other items, another change
        other = olga.post(base, {"items": {order["items"][-1]["sku"]: 1}, "confirm": preview.json()["confirm"]})
        assert other.status_code == 409 and desk.order_status("100204") == "delivered"
        done = olga.post(base, {"items": {first["sku"]: 1}, "confirm": preview.json()["confirm"]})
        assert done.status_code == 200, done.text
        assert done.json()["result"]["rma"].startswith("RMA-100204-")
        assert desk.order_status("100204") == "return_requested"

        address = {"name": "Freja Nielsen", "street": "Jægergårdsgade 40", "postcode": "8000", "city": "Aarhus C",
                   "country": "DK"}  # fmt: skip
        moved = olga.post(f"/conversations/{conversation}/orders/100244/change_address/preview", {"address": address})
        assert moved.status_code == 200, moved.text
        assert moved.json()["facts"]["New address"] == "Freja Nielsen, Jægergårdsgade 40, 8000 Aarhus C, DK"
        done = olga.post(
            f"/conversations/{conversation}/orders/100244/change_address",
            {"address": address, "confirm": moved.json()["confirm"]},
        )
        assert done.status_code == 200, done.text
        assert done.json()["note"] == (
            "Olga Tester changed the delivery address of your order 100244 to Jægergårdsgade 40, 8000 Aarhus C."
        )
        with sqlite3.connect(f"file:{desk.shop}?mode=ro", uri=True) as shop:
            assert shop.execute("SELECT ship_street FROM orders WHERE number = '100244'").fetchone() == (
                "Jægergårdsgade 40",
            )
        delivered = olga.post(
            f"/conversations/{conversation}/orders/100183/change_address/preview", {"address": address}
        )
        assert delivered.status_code == 409 and delivered.json()["reason_code"] == "already_delivered"
        missing = olga.post(
            f"/conversations/{conversation}/orders/100244/change_address/preview", {"address": {"name": "x"}}
        )
        assert missing.status_code == 400
        rows = desk.rows(
            "SELECT action, outcome FROM order_actions WHERE conversation_id = ? ORDER BY id", conversation
        )
        assert rows == [("return", "done"), ("change_address", "done")]
    finally:
        olga.close()


def test_an_unverified_customer_has_no_orders_and_no_changes(desk: OrdersDesk) -> None:
    if desk.backend != "sqlite":
        pytest.skip("role and identity checks do not depend on the database")
    with httpx.Client(base_url=desk.url, timeout=60) as client:
        conversation = say(client, HANDOFF_TEXT)["conversation_id"]
    olga = desk.console("olga")
    try:
        queued = olga.get(f"/conversations/{conversation}/customer")
        assert queued.status_code == 200 and queued.json()["identity"]["verified"] is False
        assert (
            olga.post(f"/conversations/{conversation}/orders/100124/cancel/preview").status_code == 403
        )  # not claimed
        assert olga.post(f"/conversations/{conversation}/claim").status_code == 200
        refused = olga.post(f"/conversations/{conversation}/orders/100124/cancel/preview")
        assert refused.status_code == 403 and "not verified" in refused.json()["error"]
        assert desk.rows("SELECT count(*) FROM order_actions WHERE conversation_id = ?", conversation) == [(0,)]
    finally:
        olga.close()


def test_the_order_the_chat_is_about_comes_first_and_is_marked(desk: OrdersDesk) -> None:
    # the walkthrough of 2026-12-06 (sixth session): a customer verified with order 100234 and handed off; the panel
    # showed their newer order 100247 first and 100234 below the fold, with nothing saying which one the chat was about
    if desk.backend != "sqlite":
        pytest.skip("the cards' order does not depend on the database")
    with httpx.Client(base_url=desk.url, timeout=60) as client:
        first = say(client, "where is my order 100024? it's ingrid.berg@example.net")
        conversation = first["conversation_id"]
        assert "Order 100024" in "\n".join(r["text"] for r in first["replies"]), first
        assert say(client, HANDOFF_TEXT, conversation)["mode"] == "queued"
    olga = desk.console("olga")
    try:
        assert olga.post(f"/conversations/{conversation}/claim").status_code == 200
        orders = olga.get(f"/conversations/{conversation}/customer").json()["orders"]
        numbers = [o["number"] for o in orders]
        assert numbers[0] == "100024" and orders[0]["in_chat"] is True, numbers  # her oldest order, asked about
        assert set(numbers) >= {"100257", "100124"} and not any(o["in_chat"] for o in orders[1:]), numbers
        assert numbers[1:] == sorted(numbers[1:], reverse=True), numbers  # the others newest first, as before
    finally:
        olga.close()
