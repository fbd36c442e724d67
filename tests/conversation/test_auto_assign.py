"""Agent status and automatic assignment through the real stack.

Status (the session's stack, SQLite): chosen in the console, kept on the account (a reload shows it), away for
supervisors to see, offline at sign-out; roles and CSRF as everywhere in the console.

Assignment (two helpdesk processes on one PostgreSQL database, sharing Redis): two agents online with a console
open, one away; handoffs arrive through both processes; each conversation is assigned once, by load, under the
caps, never to the away agent; a freed chat pulls the next one in; manual claim still works.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import httpx
import psycopg
import pytest
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import HANDOFF_TEXT, Console, say, wait_for, ws_url
from support.helpdesks import extra_helpdesk, postgres_database
from websockets.sync.client import connect

from helpdesk.stack import Stack

REDIS_URL = "redis://127.0.0.1:6379/0"


# ---- status -------------------------------------------------------------------------------------------------
def test_status_is_chosen_kept_shown_to_supervisors_and_offline_at_sign_out(
    login: Callable[[str], Console], db: object
) -> None:
    ben = login("ben")
    assert ben.get("/me").json()["agent"]["status"] == "online"  # logging in: online
    assert ben.post("/status", {"status": "away"}).json() == {"status": "away", "returned_to_queue": []}
    assert ben.get("/me").json()["agent"]["status"] == "away"  # a reload shows it
    assert ben.post("/status", {"status": "busy"}).status_code == 400
    no_csrf = ben.http.post("/api/agent/status", json={"status": "online"})
    assert no_csrf.status_code == 403 and ben.get("/me").json()["agent"]["status"] == "away"

    sue = login("sue")
    listed = {a["username"]: a for a in sue.get("/agents").json()["agents"]}
    assert listed["ben"]["status"] == "away"

    again = login("ben")  # a second login keeps "away": only offline turns online by logging in
    assert again.get("/me").json()["agent"]["status"] == "away"
    assert again.post("/logout").status_code == 200
    row = db.execute("SELECT status, status_at IS NOT NULL FROM agents WHERE username = 'ben'").fetchone()  # type: ignore[attr-defined]
    assert tuple(row) == ("offline", 1)
    assert {a["username"]: a for a in sue.get("/agents").json()["agents"]}["ben"]["status"] == "offline"


# ---- assignment with two processes --------------------------------------------------------------------------
ACCOUNTS = (
    ("amy", "agent", None, 2),
    ("bob", "agent", None, 2),
    ("zed", "agent", None, 5),
    ("sal", "supervisor", None, 9),
)


@pytest.fixture(scope="module")
def two_processes(stack: Stack) -> Iterator[tuple[str, str, str, dict[str, AgentLogin]]]:
    """Two helpdesks assigning on one PostgreSQL database, their events and presence shared through Redis (a prefix
    of their own): (URL one, URL two, database URL, accounts)."""
    env = {"REDIS_URL": REDIS_URL, "REDIS_CHANNEL": f"test-assign-{secrets.token_hex(4)}", "AUTO_ASSIGN": "on",
           "AUTO_ASSIGN_SECONDS": "0.3"}  # fmt: skip
    with postgres_database("assign") as dsn:
        accounts = add_agent_accounts(dsn, ACCOUNTS)
        env["DATABASE_URL"] = dsn
        with extra_helpdesk(stack, "assign-one", env) as one, extra_helpdesk(stack, "assign-two", env) as two:
            yield one, two, dsn, accounts


def console(url: str, account: AgentLogin) -> Console:
    c = Console(url)
    assert c.login(account.username, account.password).status_code == 200
    return c


def assignments(dsn: str, conversations: list[str]) -> dict[str, list[str]]:
    """Per conversation, who it was given to (every stint, in order)."""
    with psycopg.connect(dsn) as db:
        rows = db.execute(
            "SELECT s.conversation_id, a.username FROM assignments s JOIN agents a ON a.id = s.agent_id "
            "WHERE s.conversation_id = ANY(%s) ORDER BY s.id",
            (conversations,),
        ).fetchall()
    found: dict[str, list[str]] = {c: [] for c in conversations}
    for conversation_id, username in rows:
        found[conversation_id].append(username)
    return found


def test_queued_chats_are_assigned_once_by_load_under_the_caps_across_two_processes(
    two_processes: tuple[str, str, str, dict[str, AgentLogin]],
) -> None:
    one, two, dsn, accounts = two_processes
    with ExitStack() as open_:
        amy, bob, zed = (
            open_.enter_context(_closing(console(u, accounts[n])))
            for u, n in ((one, "amy"), (two, "bob"), (two, "zed"))
        )
        assert zed.post("/status", {"status": "away"}).status_code == 200
        for c, url in ((amy, one), (bob, two), (zed, two)):  # consoles open: present in both processes
            open_.enter_context(
                connect(
                    ws_url(url, "/api/agent/ws"), additional_headers={"Cookie": f"helpdesk_agent={c.session_cookie}"}
                )
            )

        conversations = []
        with httpx.Client(base_url=one, timeout=60) as first, httpx.Client(base_url=two, timeout=60) as second:
            for i in range(5):  # arriving through both processes
                conversations.append(say((first, second)[i % 2], HANDOFF_TEXT)["conversation_id"])

        def settled() -> dict[str, list[str]] | None:
            found = assignments(dsn, conversations)
            return found if sum(len(v) for v in found.values()) >= 4 else None

        found = wait_for(settled, timeout=30)
        time.sleep(1.5)  # several more rounds in both processes: nothing more may happen
        found = assignments(dsn, conversations)
        assert all(len(agents) <= 1 for agents in found.values()), found  # never twice
        load = Counter(agents[0] for agents in found.values() if agents)
        assert load == Counter({"amy": 2, "bob": 2}), found  # by load, under the caps; away gets nothing
        waiting = [c for c, agents in found.items() if not agents]
        assert len(waiting) == 1
        with psycopg.connect(dsn) as db:
            joined = db.execute(
                "SELECT conversation_id, count(*) FROM messages WHERE sender = 'system' "
                "AND text LIKE '%%has joined the chat.' AND conversation_id = ANY(%s) GROUP BY conversation_id",
                (conversations,),
            ).fetchall()
            modes = dict(
                db.execute("SELECT id, mode FROM conversations WHERE id = ANY(%s)", (conversations,)).fetchall()
            )
        assert sorted(n for _, n in joined) == [1, 1, 1, 1]
        assert modes[waiting[0]] == "queued" and sum(m == "agent" for m in modes.values()) == 4

        # a chat amy resolves frees a place: the waiting one comes to her (the only agent with room)
        amys = next(c for c, agents in found.items() if agents == ["amy"])
        assert amy.post(f"/conversations/{amys}/resolve").status_code == 200
        wait_for(lambda: assignments(dsn, [waiting[0]])[waiting[0]] == ["amy"], timeout=20)

        # away: the chat bob answered stays his, the one he did not goes back to the queue (amy is full, zed away:
        # it waits); he gets nothing new even with room; manual claim still works for him
        bobs, unanswered = [c for c, agents in found.items() if agents == ["bob"]]
        assert bob.post(f"/conversations/{bobs}/messages", {"text": "Looking at it now."}).status_code == 201
        away = bob.post("/status", {"status": "away"})
        assert away.status_code == 200 and away.json()["returned_to_queue"] == [unanswered]
        with psycopg.connect(dsn) as db:
            (mode,) = db.execute("SELECT mode FROM conversations WHERE id = %s", (unanswered,)).fetchone()
        assert mode == "queued"
        assert bob.post(f"/conversations/{bobs}/resolve").status_code == 200
        with httpx.Client(base_url=one, timeout=60) as client:
            late = say(client, HANDOFF_TEXT)["conversation_id"]
        time.sleep(2)
        assert assignments(dsn, [late])[late] == []
        assert bob.post(f"/conversations/{late}/claim").status_code == 200
        assert assignments(dsn, [late])[late] == ["bob"]
        assert assignments(dsn, [unanswered])[unanswered] == ["bob"]  # not given to anyone since


class _closing:
    def __init__(self, c: Console) -> None:
        self.c = c

    def __enter__(self) -> Console:
        return self.c

    def __exit__(self, *exc: object) -> None:
        self.c.close()


# ---- the customer's language --------------------------------------------------------------------------------
LANGUAGE_ACCOUNTS = (("eva", "agent", None, 3), ("lin", "agent", None, 3))


@pytest.fixture(scope="module")
def language_desk(stack: Stack) -> Iterator[tuple[str, str, dict[str, AgentLogin]]]:
    """One helpdesk assigning on a PostgreSQL database of its own, with eva (working in English, created first) and
    lin (working in Chinese): (URL, database URL, accounts)."""
    env = {"AUTO_ASSIGN": "on", "AUTO_ASSIGN_SECONDS": "0.3"}
    with postgres_database("assignlang") as dsn:
        accounts = add_agent_accounts(dsn, LANGUAGE_ACCOUNTS)
        env["DATABASE_URL"] = dsn
        with extra_helpdesk(stack, "assign-lang", env) as url:
            yield url, dsn, accounts


def test_a_chinese_customers_chat_goes_to_the_agent_working_in_chinese(
    language_desk: tuple[str, str, dict[str, AgentLogin]],
) -> None:
    """Lane staff's walkthrough of 2026-12-07: a Chinese customer's handoff went to alice, whose console is English,
    while bruno worked in Chinese; assignment did not look at languages. With both free, the Chinese chat goes to
    lin (eva, created first, took the tie before) and the English one to eva; with lin full it goes to eva rather
    than wait."""
    url, dsn, accounts = language_desk
    with ExitStack() as open_:
        eva, lin = (open_.enter_context(_closing(console(url, accounts[n]))) for n in ("eva", "lin"))
        assert lin.put("/me/language", {"language": "zh"}).json() == {"language": "zh"}
        for c in (eva, lin):
            open_.enter_context(
                connect(
                    ws_url(url, "/api/agent/ws"), additional_headers={"Cookie": f"helpdesk_agent={c.session_cookie}"}
                )
            )
        with httpx.Client(base_url=url, timeout=60) as client:
            chinese = say(client, "我要转人工")["conversation_id"]
            wait_for(lambda: assignments(dsn, [chinese])[chinese] or None, timeout=30)
            english = say(client, HANDOFF_TEXT)["conversation_id"]
            wait_for(lambda: assignments(dsn, [english])[english] or None, timeout=30)
            assert assignments(dsn, [chinese, english]) == {chinese: ["lin"], english: ["eva"]}
            # lin full (3 chats): a fourth Chinese customer goes to eva rather than wait
            more = [say(client, "我要转人工")["conversation_id"] for _ in range(3)]
            wait_for(lambda: all(assignments(dsn, more).values()) or None, timeout=30)
        given = assignments(dsn, more)
        assert sorted(agents[0] for agents in given.values()) == ["eva", "lin", "lin"], given
