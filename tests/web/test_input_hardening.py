"""Odd input (issue 15, finding 12): NUL characters, lone surrogates, deeply nested JSON and integers over 2^31 get a
clear 400 on SQLite and PostgreSQL alike (PostgreSQL used to answer 500 and lose the message)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx
import pytest
from support.accounts import add_agent_accounts
from support.agent import Console, ws_url
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

BIG = 2**31  # one past what an INTEGER column holds


@pytest.fixture(params=["sqlite", "postgresql"])
def helpdesk(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """(base URL, database URL) of the session's helpdesk (SQLite) or the PostgreSQL one."""
    if request.param == "sqlite":
        stack = request.getfixturevalue("stack")
        yield stack.url, stack.env["DATABASE_URL"]
    else:
        yield request.getfixturevalue("pg_helpdesk")


def raw_chat(http: httpx.Client, body: str) -> httpx.Response:
    return http.post("/api/chat", content=body.encode(), headers={"Content-Type": "application/json"})


def test_unstorable_text_and_deep_nesting_in_a_chat_message_are_a_clear_400(helpdesk: tuple[str, str]) -> None:
    url, _ = helpdesk
    with httpx.Client(base_url=url, timeout=60) as http:
        nul = http.post("/api/chat", json={"conversation_id": None, "text": "my order\x00 is late"})
        assert nul.status_code == 400 and "NUL" in nul.json()["error"], nul.text
        surrogate = raw_chat(http, '{"conversation_id": null, "text": "where is my order \\ud800"}')
        assert surrogate.status_code == 400 and "surrogate" in surrogate.json()["error"], surrogate.text
        deep = raw_chat(http, '{"conversation_id": null, "text": "hi", "x": ' + "[" * 50_000 + "]" * 50_000 + "}")
        assert deep.status_code == 400 and "nested too deeply" in deep.json()["error"], deep.text
        nested = raw_chat(http, '{"conversation_id": null, "text": "hi", "x": ' + "[" * 40 + "]" * 40 + "}")
        assert nested.status_code == 400
        key = raw_chat(http, '{"conversation_id": null, "text": "hi", "\\u0000": 1}')
        assert key.status_code == 400


def test_ids_over_2_to_the_31_and_nul_in_paths_are_a_clear_400(helpdesk: tuple[str, str]) -> None:
    url, _ = helpdesk
    with httpx.Client(base_url=url, timeout=60) as http:
        started = http.post("/api/chat", json={"conversation_id": None, "text": "hello"})
        assert started.status_code == 200, started.text
        conversation = started.json()["conversation_id"]
        after = http.get(f"/api/chat/{conversation}/messages", params={"after": str(BIG)})
        assert after.status_code == 400 and "after" in after.json()["error"], after.text
        assert http.get(f"/api/chat/{conversation}/messages", params={"after": "-1"}).status_code == 400
        assert http.get(f"/api/chat/{conversation}/messages", params={"after": str(BIG - 1)}).status_code == 200
        feedback = http.post(f"/api/chat/{conversation}/messages/{BIG * 4}/feedback", json={"helpful": True})
        assert feedback.status_code == 400, feedback.text
        nul_path = http.get("/api/chat/abc%00def/messages")  # (paths are not unquoted: no NUL reaches the database)
        assert nul_path.status_code == 404, nul_path.text
        nul_query = http.get(f"/api/chat/{conversation}/messages", params={"after": "1", "x": "a\x00b"})
        assert nul_query.status_code == 400
        # the conversation is fine afterwards
        assert http.get(f"/api/chat/{conversation}/messages").status_code == 200


def test_the_console_refuses_oversized_ids_with_a_400(helpdesk: tuple[str, str]) -> None:
    url, database_url = helpdesk
    name = f"odd-{secrets.token_hex(3)}"
    account = add_agent_accounts(database_url, ((name, "supervisor", None, 5),))[name]
    console = Console(url)
    try:
        assert console.login(account.username, account.password).status_code == 200
        assert console.put(f"/canned/{BIG}", {"title": "t", "text": "x"}).status_code == 400
        assert console.delete(f"/canned/{BIG * 8}").status_code == 400
        assert console.get(f"/followups/{BIG}").status_code == 400
        transfer = console.post("/conversations/some-id/transfer", {"agent_id": BIG * 2})
        assert transfer.status_code == 400, transfer.text
        assert console.get("/metrics", params={"agent": str(BIG)}).status_code == 400
        note = console.post("/canned", {"title": "NUL\x00", "text": "x"})
        assert note.status_code == 400
    finally:
        console.close()


def test_one_size_limit_for_bodies_and_socket_frames(helpdesk: tuple[str, str]) -> None:
    url, _ = helpdesk
    with httpx.Client(base_url=url, timeout=60) as http:
        big = http.post("/api/chat", json={"conversation_id": None, "text": "x" * (300 * 1024)})
        assert big.status_code == 413
        conversation = http.post("/api/chat", json={"conversation_id": None, "text": "hello"}).json()["conversation_id"]
    with connect(ws_url(url, f"/api/chat/{conversation}/ws"), max_size=None) as ws:
        ws.send('{"type": "ping"}')
        assert '"pong"' in next(m for m in iter(lambda: ws.recv(timeout=10), None) if "pong" in m)
        with pytest.raises(ConnectionClosed) as closed:
            ws.send('{"type": "typing", "pad": "' + "x" * (300 * 1024) + '"}')
            while True:
                ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009  # message too big
