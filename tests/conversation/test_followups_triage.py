"""Follow-up triage through the real stack: each task shows what the customer wanted (their real question, not
"hello" or "a person please"), identical reasons are grouped, several tasks are assigned and closed at once (assign:
supervisors only; an agent may close only theirs), and a task's transcript carries the agents' internal notes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import httpx
from support.agent import Console, say
from support.followups import handed_back


def test_previews_groups_bulk_actions_and_notes_in_the_transcript(
    client: httpx.Client, login: Callable[[str], Console], db: sqlite3.Connection
) -> None:
    ava, ben, sue = login("ava"), login("ben"), login("sue")
    first = handed_back(ava, client, "my blender arrived with a cracked jug", note="Customer sent a photo of the jug")
    second = handed_back(ava, client, "the lamp I ordered flickers")
    ids = [
        db.execute("SELECT id FROM follow_ups WHERE conversation_id = ?", (c,)).fetchone()[0] for c in (first, second)
    ]

    listed = sue.get("/followups", params={"status": "open"}).json()
    mine = {t["id"]: t for t in listed["follow_ups"] if t["id"] in ids}
    assert mine[ids[0]]["preview"] == "my blender arrived with a cracked jug"
    assert mine[ids[1]]["preview"] == "the lamp I ordered flickers"
    group = next(g for g in listed["groups"] if g["group"] == mine[ids[0]]["group"])
    assert group["reason"] == "handed_back" and set(ids) <= set(group["ids"]) and group["count"] == len(group["ids"])

    # bulk: an agent may not assign; a supervisor assigns both to ben, who closes them
    assert ava.post("/followups/bulk", {"ids": ids, "action": "assign", "agent_id": ava.agent["id"]}).status_code == 403
    assert sue.post("/followups/bulk", {"ids": ids, "action": "explode"}).status_code == 400
    assert sue.post("/followups/bulk", {"ids": [], "action": "close"}).status_code == 400
    assigned = sue.post("/followups/bulk", {"ids": ids, "action": "assign", "agent_id": ben.agent["id"]})
    assert assigned.status_code == 200 and assigned.json()["changed"] == 2
    rows = db.execute(f"SELECT assignee_id, status FROM follow_ups WHERE id IN ({ids[0]}, {ids[1]})").fetchall()
    assert [tuple(r) for r in rows] == [(ben.agent["id"], "open")] * 2
    assert ava.post("/followups/bulk", {"ids": ids, "action": "close"}).json()["changed"] == 0  # not hers
    closed = ben.post("/followups/bulk", {"ids": ids, "action": "close"})
    assert closed.status_code == 200 and closed.json()["changed"] == 2
    rows = db.execute(f"SELECT status, done_by FROM follow_ups WHERE id IN ({ids[0]}, {ids[1]})").fetchall()
    assert [tuple(r) for r in rows] == [("done", ben.agent["id"])] * 2
    assert not set(ids) & {t["id"] for t in sue.get("/followups", params={"status": "open"}).json()["follow_ups"]}

    # the agent's note is in the task's transcript, in its place, marked as a note
    transcript = sue.get(f"/followups/{ids[0]}").json()["transcript"]
    senders = [m["sender"] for m in transcript]
    note = next(m for m in transcript if m["sender"] == "note")
    assert note["text"] == "Customer sent a photo of the jug" and note["author"] == "Ava Tester"
    assert senders.index("note") > max(i for i, s in enumerate(senders) if s == "customer")
    customer_view = client.get(f"/api/chat/{first}/messages").text
    assert "photo of the jug" not in customer_view


def test_a_tasks_preview_is_the_question_not_the_e_mail_address_given_after_it(
    client: httpx.Client, login: Callable[[str], Console], db: sqlite3.Connection
) -> None:
    """The staff walkthrough of 2026-12-07: a Chinese customer's broken cups, the order's e-mail address the bot asked
    for, then a person; the follow-up said the customer wanted “grace.murphy@example.net”."""
    ava, sue = login("ava"), login("sue")
    question = "你好，我的订单100218收到的杯子碎了两个"
    conversation = say(client, question)["conversation_id"]
    say(client, "grace.murphy@example.net", conversation)
    assert say(client, "我要找人工客服", conversation)["mode"] == "queued"
    assert ava.post(f"/conversations/{conversation}/claim").status_code == 200
    assert ava.post(f"/conversations/{conversation}/handback").status_code == 200
    task = db.execute("SELECT id FROM follow_ups WHERE conversation_id = ?", (conversation,)).fetchone()[0]
    listed = {t["id"]: t for t in sue.get("/followups", params={"status": "open"}).json()["follow_ups"]}
    assert listed[task]["preview"] == question
    assert sue.post("/followups/bulk", {"ids": [task], "action": "close"}).status_code == 200
