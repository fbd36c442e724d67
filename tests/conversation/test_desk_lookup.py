"""Two more things an agent does with the customer's orders from the console, through the real stack on a helpdesk
with its own demo shop: look a customer up by e-mail or order number when the bot could not verify them (read only,
logged with the agent's name, never shown to the customer), and send the customer an order's tracking (a note in
the chat with the agent's name); roles and CSRF."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from support.agent import HANDOFF_TEXT, history, say
from support.desk_orders import OrdersDesk, orders_desk, signed_in_handoff

from helpdesk.stack import Stack


@pytest.fixture(scope="module")
def desk(stack: Stack) -> Iterator[OrdersDesk]:
    with orders_desk(stack, "sqlite") as running:
        yield running


def test_an_agent_looks_up_an_unverified_customer_read_only_and_the_lookup_is_logged(desk: OrdersDesk) -> None:
    with httpx.Client(base_url=desk.url, timeout=60) as client:
        conversation = say(client, HANDOFF_TEXT)["conversation_id"]
    olga, pete = desk.console("olga"), desk.console("pete")
    lookup = f"/conversations/{conversation}/lookup"
    assert olga.post(lookup, {"email": "ann.lee@example.com"}).status_code == 403  # claim it first
    assert olga.post(f"/conversations/{conversation}/claim").status_code == 200
    assert pete.post(lookup, {"email": "ann.lee@example.com"}).status_code == 403  # not pete's chat
    assert olga.http.post("/api/agent" + lookup, json={"email": "ann.lee@example.com"}).status_code == 403  # no CSRF
    for bad in ({}, {"email": "not-an-address"}, {"order_number": "12ab"}, {"email": "a@b.cd", "order_number": "1"}):
        assert olga.post(lookup, bad).status_code == 400, bad
    with httpx.Client(base_url=desk.url, timeout=30) as anonymous:
        assert anonymous.post("/api/agent" + lookup, json={"email": "ann.lee@example.com"}).status_code == 401

    found = olga.post(lookup, {"email": "Ann.Lee@example.com"})
    assert found.status_code == 200, found.text
    panel = found.json()
    assert panel["identity"]["name"] == "Ann Lee" and panel["identity"]["looked_up"] is True
    assert panel["identity"]["verified"] is False and "Looked up by Olga Tester" in panel["identity"]["in_words"]
    assert panel["orders"] and all(not a["allowed"] for o in panel["orders"] for a in o["actions"])  # read only
    number = panel["orders"][0]["number"]
    assert olga.post(f"/conversations/{conversation}/orders/{number}/cancel/preview").status_code == 403
    by_order = olga.post(lookup, {"order_number": number})
    assert by_order.status_code == 200 and by_order.json()["identity"]["name"] == "Ann Lee"
    assert olga.post(lookup, {"email": "nobody-here@example.com"}).status_code == 404

    rows = desk.rows(
        "SELECT a.action, a.outcome, a.customer_id, g.username FROM order_actions a JOIN agents g ON g.id = a.agent_id "
        "WHERE a.conversation_id = ? ORDER BY a.id",
        conversation,
    )
    assert [(r[0], r[1], r[3]) for r in rows] == [("lookup", "done", "olga")] * 2 + [("lookup", "not_found", "olga")]
    assert rows[0][2] == rows[1][2] == "C1001"
    logged = olga.get(f"/conversations/{conversation}/customer").json()["history"]
    assert [h["request"] for h in logged] == [
        {"email": "Ann.Lee@example.com"}, {"order_number": number}, {"email": "nobody-here@example.com"},
    ]  # fmt: skip
    with httpx.Client(base_url=desk.url, timeout=30) as client:
        shown = " ".join(m["text"] for m in history(client, conversation)["messages"])
    assert "Ann" not in shown and "Looked up" not in shown  # the customer sees nothing of it
    assert olga.post(f"/conversations/{conversation}/resolve").status_code == 200


def test_an_agent_sends_the_tracking_of_a_shipped_order_and_the_customer_sees_it(
    desk: OrdersDesk, stack: Stack
) -> None:
    conversation = signed_in_handoff(desk, stack)
    olga = desk.console("olga")
    assert olga.post(f"/conversations/{conversation}/claim").status_code == 200
    panel = olga.get(f"/conversations/{conversation}/customer").json()
    with_tracking = [o for o in panel["orders"] if o["tracking_number"]]
    without = [o for o in panel["orders"] if not o["tracking_number"]]
    assert with_tracking and without
    send = {a["action"]: a for a in with_tracking[0]["actions"]}["resend_tracking"]
    assert send["allowed"] and send["label"] == "Send the tracking"
    refused = {a["action"]: a for a in without[0]["actions"]}["resend_tracking"]
    assert not refused["allowed"] and "no tracking number" in refused["why_not"]

    order = with_tracking[0]
    base = f"/conversations/{conversation}/orders/{order['number']}/resend_tracking"
    assert olga.http.post("/api/agent" + base, json={"confirm": "x"}).status_code == 403  # no CSRF
    preview = olga.post(base + "/preview")
    assert preview.status_code == 200, preview.text
    assert preview.json()["facts"]["Tracking number"] == order["tracking_number"]
    done = olga.post(base, {"confirm": preview.json()["confirm"]})
    assert done.status_code == 200, done.text
    with httpx.Client(base_url=desk.url, timeout=30) as client:
        notes = [m["text"] for m in history(client, conversation)["messages"] if m["sender"] == "system"]
    assert any(
        f"Olga Tester sent you the tracking of your order {order['number']}" in t and order["tracking_number"] in t
        for t in notes
    ), notes
    rows = desk.rows("SELECT action, outcome FROM order_actions WHERE conversation_id = ?", conversation)
    assert rows == [("resend_tracking", "done")]
    assert olga.post(f"/conversations/{conversation}/orders/{without[0]['number']}/resend_tracking/preview"
                     ).status_code == 409  # fmt: skip
    assert olga.post(f"/conversations/{conversation}/resolve").status_code == 200
