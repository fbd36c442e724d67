"""The same chat API on PostgreSQL, and the widget endpoints' rate limits."""

from __future__ import annotations

import httpx
import psycopg


def test_conversation_is_stored_in_postgres(pg_helpdesk: tuple[str, str]) -> None:
    url, dsn = pg_helpdesk
    with httpx.Client(base_url=url, timeout=30) as client:
        first = client.post("/api/chat", json={"conversation_id": None, "text": "hello"}).json()
        second = client.post(
            "/api/chat", json={"conversation_id": first["conversation_id"], "text": "I need a human please"}
        ).json()
    assert first["nlu"]["intent"] == "greet"
    assert second["handoff"] == {"reason": "requested"} and second["mode"] == "queued"
    with psycopg.connect(dsn) as db:
        senders = [
            row[0]
            for row in db.execute(
                "SELECT sender FROM messages WHERE conversation_id = %s ORDER BY id", (first["conversation_id"],)
            )
        ]
        mode = db.execute("SELECT mode FROM conversations WHERE id = %s", (first["conversation_id"],)).fetchone()
        reason = db.execute(
            "SELECT reason FROM handoffs WHERE conversation_id = %s", (first["conversation_id"],)
        ).fetchone()
    assert senders == ["customer", "bot", "customer", "bot"]
    assert mode == ("queued",) and reason == ("requested",)


def test_too_many_messages_in_one_conversation_get_429(pg_helpdesk: tuple[str, str]) -> None:
    url, _ = pg_helpdesk
    with httpx.Client(base_url=url, timeout=30) as client:
        conversation = client.post("/api/chat", json={"conversation_id": None, "text": "I want a person"}).json()
        statuses = [
            client.post(
                "/api/chat", json={"conversation_id": conversation["conversation_id"], "text": f"message {i}"}
            ).status_code
            for i in range(8)
        ]
        refused = client.post("/api/chat", json={"conversation_id": conversation["conversation_id"], "text": "again"})
    assert statuses[:5] == [200] * 5  # the limit is 5 a minute per conversation in this process
    assert set(statuses[5:]) == {429}
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert "too many" in refused.json()["error"]


def test_feedback_on_postgresql_once_and_rate_limited(pg_helpdesk: tuple[str, str]) -> None:
    url, dsn = pg_helpdesk
    with httpx.Client(base_url=url, timeout=30) as client:
        question = {"conversation_id": None, "text": "What is your refund policy?"}
        answered = client.post("/api/chat", json=question).json()
        conversation_id, answer = answered["conversation_id"], answered["replies"][0]["id"]
        path = f"/api/chat/{conversation_id}/messages/{answer}/feedback"
        statuses = [client.post(path, json={"helpful": i % 2 == 0}).status_code for i in range(7)]
    assert statuses[:5] == [201, 409, 409, 409, 409]  # stored once; the others refused
    assert set(statuses[5:]) == {429}  # the limit is 5 a minute per conversation in this process
    with psycopg.connect(dsn) as db:
        row = db.execute("SELECT helpful, feedback_at IS NOT NULL FROM messages WHERE id = %s", (answer,)).fetchone()
    assert row == (True, True)
