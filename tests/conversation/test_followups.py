"""Follow-up tasks through the real stack (a 1-2 rating, a hand-back), their console API (assign, comment, done),
who sees them, the editor role's limits; and the queue sweep for abandoned conversations on a database of its own."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select
from support.accounts import EDITOR
from support.agent import HANDOFF_TEXT, Console, hand_off, say

from helpdesk.conversation.followups import abandoned_conversations, record, sweep_abandoned
from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.db.models import Conversation, FollowUp, FollowUpComment, Handoff, Message
from helpdesk.realtime.hub import MemoryHub


def resolved_by(console: Console, client: httpx.Client) -> str:
    conversation = hand_off(client, "hello")
    assert console.post(f"/conversations/{conversation}/claim").status_code == 200
    assert console.post(f"/conversations/{conversation}/resolve").status_code == 200
    return conversation


def follow_ups_of(db: sqlite3.Connection, conversation: str) -> list[sqlite3.Row]:
    return db.execute("SELECT * FROM follow_ups WHERE conversation_id = ? ORDER BY id", (conversation,)).fetchall()


def listed_ids(console: Console, status: str | None = None) -> list[int]:
    response = console.get("/followups", params={"status": status} if status else None)
    assert response.status_code == 200, response.text
    return [f["id"] for f in response.json()["follow_ups"]]


def test_a_low_rating_opens_a_follow_up_that_a_supervisor_assigns_and_the_agent_closes(
    client: httpx.Client, login: Callable[[str], Console], db: sqlite3.Connection
) -> None:
    ava, ben, sue = login("ava"), login("ben"), login("sue")
    unhappy = resolved_by(ava, client)
    happy = resolved_by(ava, client)
    assert (
        client.post(f"/api/chat/{unhappy}/rating", json={"score": 2, "comment": "Nobody solved it"}).status_code == 201
    )
    assert client.post(f"/api/chat/{happy}/rating", json={"score": 4}).status_code == 201
    assert client.post(f"/api/chat/{unhappy}/rating", json={"score": 1}).status_code == 409  # rated once

    assert follow_ups_of(db, happy) == []
    rows = follow_ups_of(db, unhappy)
    assert len(rows) == 1
    task = rows[0]
    assert (task["reason"], task["status"], task["assignee_id"], task["done_at"]) == ("low_rating", "open", None, None)
    # whose help was rated: whoever gets back to the customer reads it on the task (it said "rated 2/5" only)
    assert task["detail"] == "rated Ava Tester 2/5: “Nobody solved it”"
    latest_handoff = db.execute("SELECT MAX(id) FROM handoffs WHERE conversation_id = ?", (unhappy,)).fetchone()[0]
    assert task["handoff_id"] == latest_handoff

    # supervisors see every task; agents only those assigned to them
    assert task["id"] in listed_ids(sue, "open")
    assert task["id"] not in listed_ids(ava)
    assert ava.get(f"/followups/{task['id']}").status_code == 404
    assert ava.post(f"/followups/{task['id']}/assign", {"agent_id": ava.agent["id"]}).status_code == 403

    assigned = sue.post(f"/followups/{task['id']}/assign", {"agent_id": ava.agent["id"]})
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["assignee_name"] == "Ava Tester"
    assert assigned.json()["rating"] == {
        "score": 2,
        "comment": "Nobody solved it",
        "created_at": assigned.json()["rating"]["created_at"],
        "agent_name": "Ava Tester",
    }
    assert any(m["sender"] == "customer" and m["text"] == "hello" for m in assigned.json()["transcript"])
    assert task["id"] in listed_ids(ava, "open")
    assert task["id"] not in listed_ids(ben)
    assert ben.get(f"/followups/{task['id']}").status_code == 404

    commented = ava.post(f"/followups/{task['id']}/comments", {"text": "Called the customer, sending a voucher."})
    assert commented.status_code == 201 and commented.json()["author"] == "Ava Tester"
    assert ava.post(f"/followups/{task['id']}/comments", {"text": "   "}).status_code == 400
    done = ava.post(f"/followups/{task['id']}/status", {"status": "done"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert [c["text"] for c in done.json()["comments_list"]] == ["Called the customer, sending a voucher."]
    stored = db.execute("SELECT status, done_at, done_by FROM follow_ups WHERE id = ?", (task["id"],)).fetchone()
    assert stored["status"] == "done" and stored["done_at"] is not None and stored["done_by"] == ava.agent["id"]
    assert task["id"] not in listed_ids(sue, "open") and task["id"] in listed_ids(sue, "done")
    assert sue.post(f"/followups/{task['id']}/status", {"status": "later"}).status_code == 400
    reopened = sue.post(f"/followups/{task['id']}/status", {"status": "open"})
    assert reopened.status_code == 200 and reopened.json()["done_at"] is None


def test_handing_back_to_the_bot_opens_a_follow_up_once_per_episode(
    client: httpx.Client, login: Callable[[str], Console], db: sqlite3.Connection
) -> None:
    ava = login("ava")
    conversation = hand_off(client, "hello")
    assert ava.post(f"/conversations/{conversation}/claim").status_code == 200
    assert ava.post(f"/conversations/{conversation}/handback").status_code == 200
    rows = follow_ups_of(db, conversation)
    assert [(r["reason"], r["status"]) for r in rows] == [("handed_back", "open")]
    assert "Ava Tester handed it back" in rows[0]["detail"]

    # a second handoff is a new episode: resolved and rated 5, it opens nothing more
    assert say(client, HANDOFF_TEXT, conversation)["mode"] == "queued"
    assert ava.post(f"/conversations/{conversation}/claim").status_code == 200
    assert ava.post(f"/conversations/{conversation}/resolve").status_code == 200
    assert client.post(f"/api/chat/{conversation}/rating", json={"score": 5}).status_code == 201
    assert len(follow_ups_of(db, conversation)) == 1


def test_every_follow_up_endpoint_needs_a_session_and_editors_see_no_conversations(
    client: httpx.Client, login: Callable[[str], Console], helpdesk_url: str
) -> None:
    anonymous = httpx.Client(base_url=helpdesk_url, timeout=30)
    try:
        for method, path in (
            ("GET", "/api/agent/followups"),
            ("GET", "/api/agent/followups/1"),
            ("POST", "/api/agent/followups/1/assign"),
            ("POST", "/api/agent/followups/1/comments"),
            ("POST", "/api/agent/followups/1/status"),
        ):
            assert anonymous.request(method, path, json={}).status_code == 401, path
    finally:
        anonymous.close()

    editor, sue = login(EDITOR), login("sue")
    assert editor.agent["role"] == "editor"
    conversation = hand_off(client, "hello")
    for path in (
        "/followups",
        "/followups/1",
        "/queue",
        "/chats",
        "/agents",
        "/canned",
        f"/conversations/{conversation}",
        f"/conversations/{conversation}/suggestions",
    ):
        assert editor.get(path).status_code == 403, path
        assert sue.get(path).status_code in (200, 404), path
    for path, body in (
        (f"/conversations/{conversation}/claim", {}),
        (f"/conversations/{conversation}/notes", {"text": "x"}),
        ("/canned", {"title": "t", "text": "x"}),
        ("/followups/1/comments", {"text": "x"}),
    ):
        assert editor.post(path, body).status_code == 403, path
    me = editor.get("/me")
    assert me.status_code == 200 and me.json()["agent"]["role"] == "editor"
    # editors are nobody's transfer target or follow-up assignee
    assert editor.agent["id"] not in [a["id"] for a in sue.get("/agents").json()["agents"]]
    ws = httpx.get(
        f"{helpdesk_url}/api/agent/ws",
        headers={
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        },
        cookies={"helpdesk_agent": editor.session_cookie},
    )
    assert ws.status_code == 403


# ---- the sweep, on a database of its own ------------------------------------------------------------


def test_the_sweep_opens_one_follow_up_for_a_conversation_left_waiting(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'sweep.db'}"
    migrate(url)
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    ago = lambda minutes: now - timedelta(minutes=minutes)  # noqa: E731

    async def run() -> None:
        engine = create_engine(url)
        sessions = session_factory(engine)
        hub = MemoryHub()
        try:
            async with sessions() as session:
                # waited 40 min, customer silent for 35: abandoned
                session.add(Conversation(id="left", mode="queued", queued_at=ago(40), created_at=ago(45)))
                session.add(Message(conversation_id="left", sender="customer", text="hello?", created_at=ago(35)))
                session.add(Handoff(conversation_id="left", reason="requested", created_at=ago(40)))
                # waited 40 min but wrote 5 min ago: still there
                session.add(Conversation(id="waiting", mode="queued", queued_at=ago(40), created_at=ago(45)))
                session.add(Message(conversation_id="waiting", sender="customer", text="still here", created_at=ago(5)))
                # queued only 10 min
                session.add(Conversation(id="recent", mode="queued", queued_at=ago(10), created_at=ago(12)))
                # a message left out of hours waits for the team
                session.add(Conversation(id="offline", mode="queued", queued_at=ago(300), left_message_at=ago(300)))
                # with an agent: not waiting
                session.add(Conversation(id="served", mode="agent", queued_at=ago(90)))
                await session.commit()
            async with sessions() as session:
                assert await abandoned_conversations(session, 30, now) == ["left"]
            async with hub.subscribe("console") as subscription:
                opened = await sweep_abandoned(sessions, hub, 30, now)
                assert [f.conversation_id for f in opened] == ["left"]
                event = await asyncio.wait_for(subscription.get(), 2)
                assert event is not None and event["type"] == "follow_up" and event["conversation_id"] == "left"
            assert await sweep_abandoned(sessions, hub, 30, now) == []  # once per episode

            async with sessions() as session:
                # a second reason in the same episode becomes a comment on the same task
                assert await record(session, "left", "low_rating", "rated 1/5") is None
                await session.commit()
                tasks = list(await session.scalars(select(FollowUp)))
                assert [(t.conversation_id, t.reason) for t in tasks] == [("left", "abandoned")]
                comments = list(await session.scalars(select(FollowUpComment)))
                assert [c.text for c in comments] == ["Also rated the help: rated 1/5"]
                # a new handoff is a new episode
                session.add(Handoff(conversation_id="left", reason="requested"))
                await session.flush()
                assert await record(session, "left", "low_rating", "rated 1/5") is not None
                await session.commit()
        finally:
            await engine.dispose()

    asyncio.run(run())
