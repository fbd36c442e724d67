"""Labels, search and the customer's history through a running helpdesk, on SQLite (FTS5) and on PostgreSQL
(tsvector): supervisors keep the labels, agents apply them, a resolved chat is found again by what was written, its
label, the customer's name and its language, the CSV carries the labels; roles and CSRF on every new endpoint; an
agent who goes away gives their unanswered chats back to the queue."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterator

import httpx
import pytest
from support.agent import say, wait_for
from support.desk_orders import OrdersDesk, orders_desk, signed_in_handoff

from helpdesk.stack import Stack


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def desk(stack: Stack, request: pytest.FixtureRequest) -> Iterator[OrdersDesk]:
    with orders_desk(stack, request.param) as running:
        yield running


def found_ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [c["conversation_id"] for c in response.json()["conversations"]]


def test_a_labelled_resolved_chat_is_found_by_text_label_name_and_language(desk: OrdersDesk, stack: Stack) -> None:
    sven, olga, pete = desk.console("sven"), desk.console("olga"), desk.console("pete")
    name = f"Damaged {secrets.token_hex(3)}"

    # supervisors keep the list; agents may not; bad input is refused
    assert olga.post("/labels", {"name": name}).status_code == 403
    created = sven.post("/labels", {"name": name, "colour": "#B42318"})
    assert created.status_code == 201, created.text
    label = created.json()
    assert label["colour"] == "#b42318"
    assert sven.post("/labels", {"name": name.upper()}).status_code == 409  # names are unique, any case
    assert sven.post("/labels", {"name": "x", "colour": "red; background:url(x)"}).status_code == 400
    assert sven.post("/labels", {"name": " "}).status_code == 400

    conversation = signed_in_handoff(desk, stack)
    word = f"zebrawood{secrets.token_hex(3)}"
    with httpx.Client(base_url=desk.url, timeout=60) as customer:
        say(customer, f"The {word} shelf in my order arrived split in two", conversation)
    assert olga.post(f"/conversations/{conversation}/claim").status_code == 200
    # another agent's live chat: not theirs to label
    assert pete.post(f"/conversations/{conversation}/labels", {"label_id": label["id"]}).status_code == 403
    labelled = olga.post(f"/conversations/{conversation}/labels", {"label_id": label["id"]})
    assert labelled.status_code == 200 and [x["name"] for x in labelled.json()["labels"]] == [name]
    assert olga.post(f"/conversations/{conversation}/labels", {"label_id": 999999}).status_code == 404
    assert olga.post(f"/conversations/{conversation}/messages", {"text": "A new one is on its way."}).status_code == 201
    assert olga.post(f"/conversations/{conversation}/resolve").status_code == 200

    # found again once resolved, by an agent too: by a word the customer wrote, the label, the customer's name
    for who in (olga, pete, sven):
        result = who.get("/search", params={"q": word})
        assert found_ids(result) == [conversation]
        card = result.json()["conversations"][0]
        assert card["mode"] == "closed" and [x["name"] for x in card["labels"]] == [name]
        assert word in card["snippet"]
        assert card["first_question"] == "where is my last order?"  # not "I want to talk to a real person"
    assert found_ids(olga.get("/search", params={"q": word[:-2]})) == [conversation]  # a word being typed
    assert conversation in found_ids(pete.get("/search", params={"label": label["id"]}))
    assert conversation in found_ids(pete.get("/search", params={"q": "Ingrid", "state": "closed"}))
    assert found_ids(pete.get("/search", params={"q": word, "language": "zh"})) == []
    assert found_ids(pete.get("/search", params={"q": word, "language": "en", "state": "open"})) == []
    assert found_ids(pete.get("/search", params={"q": word, "from": "2000-01-01", "to": "2000-12-31"})) == []
    for bad in ({"language": "fr"}, {"state": "lost"}, {"from": "yesterday"}, {"label": "x"}, {"q": "x" * 201}):
        assert pete.get("/search", params=bad).status_code == 400, bad
    # search syntax typed by someone is words, not FTS or tsquery operators
    for odd in ('"', "NEAR(", "a & | !", "*", "100% _off_", "'; DROP TABLE messages; --"):
        assert pete.get("/search", params={"q": odd}).status_code == 200, odd

    # the CSV of a search, for supervisors: with the label
    exported = sven.get("/search.csv", params={"label": label["id"]})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = {r["conversation_id"]: r for r in csv.DictReader(io.StringIO(exported.text))}
    assert rows[conversation]["labels"] == name and rows[conversation]["state"] == "closed"
    assert olga.get("/search.csv", params={"label": label["id"]}).status_code == 403

    # the list counts its use; taking the label off (an agent may, on a chat they can see) unfinds it
    listed = {x["id"]: x for x in olga.get("/labels").json()["labels"]}
    assert listed[label["id"]]["conversations"] == 1
    assert pete.delete(f"/conversations/{conversation}/labels/{label['id']}").status_code == 200
    assert conversation not in found_ids(sven.get("/search", params={"label": label["id"]}))
    assert olga.delete(f"/labels/{label['id']}").status_code == 403
    assert sven.delete(f"/labels/{label['id']}").status_code == 204
    assert all(x["id"] != label["id"] for x in olga.get("/labels").json()["labels"])


def test_the_side_panel_lists_the_customers_earlier_conversations(desk: OrdersDesk, stack: Stack) -> None:
    olga = desk.console("olga")
    first = signed_in_handoff(desk, stack)
    second = signed_in_handoff(desk, stack)
    assert first != second
    # who the customer is comes with the bot's slots, gathered just after the handoff
    earlier = wait_for(lambda: (ids := found_ids(olga.get(f"/conversations/{second}/history"))) and ids, timeout=30)
    assert first in earlier and second not in earlier
    other = signed_in_handoff(desk, stack, customer="C1001")
    assert first not in found_ids(olga.get(f"/conversations/{other}/history"))


def test_new_endpoints_need_a_login_and_changes_need_the_csrf_token(desk: OrdersDesk, stack: Stack) -> None:
    conversation = signed_in_handoff(desk, stack)
    with httpx.Client(base_url=desk.url, timeout=30) as anonymous:
        for path in ("/labels", "/search?q=x", "/search.csv", f"/conversations/{conversation}/history",
                     f"/conversations/{conversation}/labels"):  # fmt: skip
            assert anonymous.get("/api/agent" + path).status_code == 401, path
        assert anonymous.post("/api/agent/labels", json={"name": "x"}).status_code == 401
    sven = desk.console("sven")
    label = sven.post("/labels", {"name": f"csrf {secrets.token_hex(3)}"}).json()
    no_token = [
        ("POST", "/api/agent/labels", {"name": "sneaky"}),
        ("PUT", f"/api/agent/labels/{label['id']}", {"name": "sneaky"}),
        ("DELETE", f"/api/agent/labels/{label['id']}", None),
        ("POST", f"/api/agent/conversations/{conversation}/labels", {"label_id": label["id"]}),
        ("DELETE", f"/api/agent/conversations/{conversation}/labels/{label['id']}", None),
    ]
    for method, path, body in no_token:
        response = sven.http.request(method, path, json=body)  # the session cookie, without the CSRF header
        assert response.status_code == 403, (method, path, response.text)
    assert [x["id"] for x in sven.get(f"/conversations/{conversation}/labels").json()["labels"]] == []
    assert any(x["id"] == label["id"] and x["name"] == label["name"] for x in sven.get("/labels").json()["labels"])


def test_an_agent_going_away_gives_back_the_chats_they_have_not_answered(desk: OrdersDesk, stack: Stack) -> None:
    pete = desk.console("pete")
    assert pete.post("/status", {"status": "online"}).status_code == 200
    unanswered, answered = signed_in_handoff(desk, stack), signed_in_handoff(desk, stack)
    for conversation in (unanswered, answered):
        assert pete.post(f"/conversations/{conversation}/claim").status_code == 200
    assert pete.post(f"/conversations/{answered}/messages", {"text": "Looking at it now."}).status_code == 201

    away = pete.post("/status", {"status": "away"})
    assert away.status_code == 200 and away.json()["returned_to_queue"] == [unanswered]
    modes = dict(desk.rows("SELECT id, mode FROM conversations WHERE id IN (?, ?)", unanswered, answered))
    assert modes == {unanswered: "queued", answered: "agent"}
    sven = desk.console("sven")
    assert unanswered in [q["conversation_id"] for q in sven.get("/queue").json()["conversations"]]
    # the customer is told, and the next agent can take it
    notices = wait_for(
        lambda: [
            text
            for (text,) in desk.rows(
                "SELECT text FROM messages WHERE conversation_id = ? AND sender = 'system' ORDER BY id", unanswered
            )
            if "colleague" in text
        ]
    )
    assert notices
    olga = desk.console("olga")
    assert olga.post(f"/conversations/{unanswered}/claim").status_code == 200
    assert pete.post("/status", {"status": "online"}).status_code == 200
    assert pete.post(f"/conversations/{answered}/resolve").status_code == 200
    assert olga.post(f"/conversations/{unanswered}/resolve").status_code == 200
