"""nlu_addons.tracker_store: where Rasa keeps conversations and locks, from the helpdesk's own settings.

Runs in Rasa's virtualenv (a child process printing JSON): the URL each DATABASE_URL maps to, a real SQLite
tracker store that keeps a conversation across two store objects (a restart), and the lock store REDIS_URL picks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.helpdesks import postgres_database
from support.rasa import run_probe

PROBE = r"""
import asyncio, json, os, tempfile

from nlu_addons.tracker_store import ProjectLockStore, ProjectTrackerStore, tracker_database_url
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

urls = {
    url: tracker_database_url({"DATABASE_URL": url})
    for url in (
        "sqlite+aiosqlite:////srv/larkspur/helpdesk.db",
        "postgresql+asyncpg://shop:pw@db.internal:5432/larkspur",
        "postgresql://shop@127.0.0.1/larkspur",
    )
}
explicit = tracker_database_url({"DATABASE_URL": "sqlite:////x.db", "TRACKER_STORE_URL": "sqlite:////elsewhere.db"})

directory = tempfile.mkdtemp()
os.environ["DATABASE_URL"] = f"sqlite+aiosqlite:///{directory}/helpdesk.db"
domain = Domain.from_dict({"slots": {"order_id": {"type": "text", "mappings": [{"type": "custom"}]}}})


async def remembered():
    first = ProjectTrackerStore(domain=domain)
    tracker = DialogueStateTracker("c1", domain.slots)
    tracker.update(UserUttered("where is 100212", {"name": "order_status"}, message_id="m1"))
    tracker.update(SlotSet("order_id", "100212"))
    await first.save(tracker)
    parse = first.parse_data_of("m1")
    again = ProjectTrackerStore(domain=domain)  # a new process would build a new store on the same file
    back = await again.retrieve("c1")
    return parse["intent"]["name"], back.get_slot("order_id"), sorted(os.listdir(directory))


intent, slot, files = asyncio.run(remembered())
in_memory = type(ProjectLockStore()).__name__
os.environ["REDIS_URL"] = "redis://:secret@127.0.0.1:6390/2"
os.environ["REDIS_CHANNEL"] = "shop-a:events"
redis_store = ProjectLockStore()
kwargs = redis_store.red.connection_pool.connection_kwargs
print(json.dumps({
    "urls": urls, "explicit": explicit, "intent": intent, "slot": slot, "files": files,
    "in_memory": in_memory, "redis": [c.__name__ for c in type(redis_store).__mro__], "prefix": redis_store.key_prefix,
    "redis_at": [kwargs["host"], kwargs["port"], kwargs["db"], kwargs["password"]],
}))
"""


def test_rasa_keeps_conversations_in_the_projects_database_and_locks_in_redis_when_set() -> None:
    result = run_probe(PROBE)
    assert result["urls"] == {
        "sqlite+aiosqlite:////srv/larkspur/helpdesk.db": "sqlite:////srv/larkspur/helpdesk.rasa.db",
        "postgresql+asyncpg://shop:pw@db.internal:5432/larkspur": "postgresql://shop:pw@db.internal:5432/larkspur",
        "postgresql://shop@127.0.0.1/larkspur": "postgresql://shop@127.0.0.1/larkspur",
    }
    assert result["explicit"] == "sqlite:////elsewhere.db"
    # the slot set before the "restart" is there in a new store object; the helpdesk's own file is untouched
    assert result["slot"] == "100212" and result["intent"] == "order_status"
    # (its write-ahead log beside it: -wal, -shm)
    assert "helpdesk.rasa.db" in result["files"] and all(f.startswith("helpdesk.rasa.db") for f in result["files"])
    assert result["in_memory"] == "InMemoryLockStore"
    assert "RedisLockStore" in result["redis"] and result["redis_at"] == ["127.0.0.1", 6390, 2, "secret"]
    assert result["prefix"].startswith("shopaevents")


CACHE_PROBE = r"""
import asyncio, json, os, tempfile

import sqlalchemy as sa
from nlu_addons.tracker_store import ProjectTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered

directory = tempfile.mkdtemp()
os.environ["DATABASE_URL"] = f"sqlite+aiosqlite:///{directory}/helpdesk.db"
domain = Domain.from_dict({"slots": {"order_id": {"type": "text", "mappings": [{"type": "custom"}]}}})


def stored_rows(store, sender):
    with store.session_scope() as session:
        rows = session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender).order_by(store.SQLEvent.id)
        return [(r.type_name, json.loads(r.data).get("text") or json.loads(r.data).get("name")) for r in rows]


async def turn(store, sender, text, slot=None):
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(UserUttered(text, {"name": "inform"}))
    if slot:
        tracker.update(SlotSet("order_id", slot))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)


async def main():
    one, two = ProjectTrackerStore(domain=domain), ProjectTrackerStore(domain=domain)  # two Rasa processes
    first = await one.get_or_create_tracker("c1")
    first.update(ActionExecuted("action_session_start"))
    first.update(SessionStarted())
    first.update(ActionExecuted("action_listen"))
    await one.save(first)
    await turn(one, "c1", "hello")
    hits_after_own_turns = one.cache_hits
    await turn(two, "c1", "100212", slot="100212")  # the other process takes a turn
    back = await one.retrieve("c1")  # the first process must see it
    saw_other = back.get_slot("order_id")
    await one.save(back)
    # a turn that fails half-way (an event added, never saved): the next turn starts from what is stored
    broken = await one.retrieve("c1")
    broken.update(SlotSet("order_id", "999999"))
    after_failure = (await one.retrieve("c1")).get_slot("order_id")
    await turn(one, "c1", "thanks")
    rows = stored_rows(one, "c1")
    fresh = await ProjectTrackerStore(domain=domain).retrieve("c1")
    # a conversation the other process starts between this one's read (nothing yet) and its new tracker: the new
    # tracker does not store the other's events a second time, and the first process's turn follows them
    nothing = await one.retrieve("c2")
    await turn(two, "c2", "hi there")
    raced = await one.create_tracker("c2")
    await one.save(raced)
    await turn(one, "c2", "my order")
    raced_texts = [e.text for e in (await one.retrieve("c2")).events if isinstance(e, UserUttered)]
    return {
        "hits_after_own_turns": hits_after_own_turns, "saw_other": saw_other, "after_failure": after_failure,
        "rows": rows, "fresh_texts": [e.text for e in fresh.events if isinstance(e, UserUttered)],
        "fresh_slot": fresh.get_slot("order_id"), "raced_read": nothing is None, "raced_rows": stored_rows(one, "c2"),
        "raced_texts": raced_texts,
    }


print(json.dumps(asyncio.run(main())))
"""


def test_a_cached_tracker_serves_only_while_it_is_the_stored_one() -> None:
    """Two stores on one database (two Rasa processes): a turn the other took is seen, a turn that failed half-way
    is forgotten, and no event is ever stored twice (also when the other starts a conversation this one has just
    read as new)."""
    result = run_probe(CACHE_PROBE)
    assert result["hits_after_own_turns"] == 1  # the second turn in the same process started from memory
    assert result["saw_other"] == "100212"
    assert result["after_failure"] == "100212"  # not the unsaved 999999
    assert result["rows"] == [
        ["action", "action_listen"],
        ["action", "action_session_start"],
        ["session_started", None],
        ["action", "action_listen"],
        ["user", "hello"],
        ["action", "action_listen"],
        ["user", "100212"],
        ["slot", "order_id"],
        ["action", "action_listen"],
        ["user", "thanks"],
        ["action", "action_listen"],
    ]
    assert result["fresh_texts"] == ["hello", "100212", "thanks"] and result["fresh_slot"] == "100212"
    assert result["raced_read"] is True and result["raced_texts"] == ["hi there", "my order"]
    assert result["raced_rows"] == [
        ["action", "action_listen"],
        ["user", "hi there"],
        ["action", "action_listen"],
        ["user", "my order"],
        ["action", "action_listen"],
    ]


SETTINGS_PROBE = r"""
import json, os, sys

from nlu_addons.tracker_store import ProjectTrackerStore
from rasa.shared.core.domain import Domain

os.environ["DATABASE_URL"] = sys.argv[1]
store = ProjectTrackerStore(domain=Domain.empty())
with store.engine.connect() as connection:
    setting = connection.exec_driver_sql(sys.argv[2]).scalar()
print(json.dumps({"setting": setting}))
"""


def test_rasas_sqlite_file_uses_a_write_ahead_log(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'helpdesk.db'}"
    assert run_probe(SETTINGS_PROBE, database, "PRAGMA journal_mode") == {"setting": "wal"}


@pytest.mark.postgres
def test_rasa_commits_to_postgresql_without_waiting_for_the_disk() -> None:
    with postgres_database("tracker_settings") as dsn:
        setting = run_probe(SETTINGS_PROBE, dsn, "SHOW synchronous_commit")
    assert setting == {"setting": "off"}


LOCK_PROBE = r"""
import asyncio, json, os, secrets, time

os.environ["REDIS_URL"] = "redis://127.0.0.1:6379/0"
os.environ["RASA_LOCK_PREFIX"] = "locktest" + secrets.token_hex(4)
from nlu_addons.tracker_store import ProjectLockStore

store, other = ProjectLockStore(), ProjectLockStore()  # two Rasa processes on one Redis
commands = []
original = store.red.execute_command
store.red.execute_command = lambda *a, **k: commands.append(a[0]) or original(*a, **k)
log = []


async def turn(lock_store, conversation, name, hold, lifetime=60.0, after=0.0):
    await asyncio.sleep(after)
    async with lock_store.lock(conversation, lock_lifetime=lifetime):
        log.append(("in", name, round(time.monotonic() - started, 2)))
        await asyncio.sleep(hold)
        log.append(("out", name, round(time.monotonic() - started, 2)))


async def main():
    global started
    started = time.monotonic()
    await turn(store, "c0", "first ever", 0)  # the first use loads the release script into Redis
    commands.clear()
    await turn(store, "c0", "alone", 0)
    alone = list(commands)
    log.clear()
    started = time.monotonic()
    # the same conversation on two processes: one after the other; another conversation meanwhile: not held up
    await asyncio.gather(turn(store, "c1", "first", 0.4), turn(other, "c1", "second", 0), turn(other, "c2", "other", 0))
    same = list(log)
    log.clear()
    started = time.monotonic()
    # a turn that outlives its lock (a crashed process keeps it no longer than its lifetime); its late release (at
    # 1.0 s) leaves the next turn's lock alone: a third turn waits for the next one to end (1.1 s)
    await asyncio.gather(
        turn(store, "c3", "stuck", 1.0, lifetime=0.3), turn(other, "c3", "next", 0.8, after=0.05),
        turn(other, "c3", "third", 0, after=0.5),
    )
    expired = list(log)
    keys = sorted(k.decode() for k in store.red.keys(os.environ["RASA_LOCK_PREFIX"] + "*"))
    remembered = min(store.red.pttl(key) for key in keys)
    store.red.delete(*keys)
    return {"alone": alone, "same": same, "expired": expired, "keys_left": keys, "remembered_ms": remembered}


print(json.dumps(asyncio.run(main())))
"""


def test_a_conversations_turns_take_its_lock_one_at_a_time_in_two_redis_round_trips() -> None:
    """Rasa's conversation lock in Redis (TurnLockStore): turns of one conversation on two processes run one after
    the other, another conversation is not held up, a lock outlives a stuck turn by no more than its lifetime and
    that turn's late release does not free the next turn's lock; an uncontended turn costs two Redis commands (the
    lock taken with the holder's mark swapped, then released); what is left is each conversation's latest holder's
    mark, for a day."""
    result = run_probe(LOCK_PROBE)
    assert result["alone"] == ["EVALSHA", "EVALSHA"]
    events = [(kind, name) for kind, name, _ in result["same"]]
    assert events.index(("in", "second")) > events.index(("out", "first"))
    assert events.index(("out", "other")) < events.index(("out", "first"))
    at = {(kind, name): when for kind, name, when in result["expired"]}
    assert 0.25 <= at[("in", "next")] < 0.9  # after the stuck turn's 0.3 s lifetime, before it ended (1.0 s)
    assert at[("in", "third")] >= at[("out", "next")] > at[("out", "stuck")]
    prefix = result["keys_left"][0].split("turn-holder:")[0]
    assert result["keys_left"] == [f"{prefix}turn-holder:{c}" for c in ("c0", "c1", "c2", "c3")]
    assert 23 * 3600 * 1000 < result["remembered_ms"] <= 24 * 3600 * 1000


READ_PROBE = r"""
import json, os, sys, time

from nlu_addons.tracker_store import ProjectTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered

os.environ["DATABASE_URL"] = sys.argv[1]
domain = Domain.from_dict({"slots": {"order_id": {"type": "text", "mappings": [{"type": "custom"}]}}})
store = ProjectTrackerStore(domain=domain)


def events(n, sessions):
    found = [ActionExecuted("action_listen")]
    for i in range(n):
        if i in sessions:
            found += [ActionExecuted("action_session_start"), SessionStarted()]
        found += [UserUttered(f"message {i}", {"name": "inform"}), SlotSet("order_id", str(i)),
                  ActionExecuted("action_listen")]
    return found


conversations = {"none": events(4, ()), "one": events(5, (0,)), "two": events(6, (1, 4)), "tied": events(3, (1,))}
stamp = time.time()
for sender, found in conversations.items():
    for k, event in enumerate(found):
        # each event a time of its own (two events made within one tick of the clock tie, and a tie with the session
        # start reads as part of the session: the counts below would move with the machine's speed); "tied": every
        # event at one time, the id decides
        event.timestamp = stamp if sender == "tied" else stamp + k * 0.001
    store._insert(store.init_tracker(sender), found)
rasa, ours = {}, {}
with store.session_scope() as session:
    for sender in [*conversations, "absent"]:
        rows = store._event_query(session, sender, fetch_events_from_all_sessions=False).all()
        rasa[sender] = [json.loads(row.data) for row in rows]
for sender in [*conversations, "absent"]:
    tracker = store._read(sender)
    ours[sender] = [event.as_dict() for event in tracker.events] if tracker else []
print(json.dumps({"same": ours == rasa, "direct": store._statements is not None,
                  "counts": {sender: len(found) for sender, found in rasa.items()},
                  "slots": {s: store._read(s).get_slot("order_id") for s in conversations}}))
"""


def check_read(database: str) -> None:
    result = run_probe(READ_PROBE, database)
    assert result["same"] and result["direct"]
    # from the latest session start on (its action_session_start is older), or everything without one, or with one
    # at the same time as everything
    assert result["counts"] == {"none": 13, "one": 16, "two": 7, "tied": 12, "absent": 0}
    assert result["slots"] == {"none": "3", "one": "4", "two": "5", "tied": "2"}


def test_a_tracker_read_back_is_rasas_latest_session(tmp_path: Path) -> None:
    check_read(f"sqlite+aiosqlite:///{tmp_path / 'helpdesk.db'}")


@pytest.mark.postgres
def test_a_tracker_read_back_from_postgresql_is_rasas_latest_session() -> None:
    with postgres_database("tracker_read") as dsn:
        check_read(dsn)


TURNS_PROBE = r"""
import asyncio, json, os, secrets, sys

os.environ["DATABASE_URL"] = sys.argv[1]
os.environ["REDIS_URL"] = "redis://127.0.0.1:6379/0"
os.environ["RASA_LOCK_PREFIX"] = "turnstest" + secrets.token_hex(4)
import sqlalchemy as sa
from nlu_addons.tracker_store import ProjectLockStore, ProjectTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered

domain = Domain.from_dict({"slots": {"order_id": {"type": "text", "mappings": [{"type": "custom"}]}}})
# two Rasa processes on one database and one Redis: each its lock store and its tracker store
one = (ProjectLockStore(), ProjectTrackerStore(domain=domain))
two = (ProjectLockStore(), ProjectTrackerStore(domain=domain))
statements = []
for _, store in (one, two):
    sa.event.listen(store._direct, "before_cursor_execute", lambda *a: statements.append(a[2].split()[0]))


async def turn(process, sender, text, slot=None):
    # as Rasa's agent takes a turn: under the conversation's lock, the tracker read, the turn's events, the save
    locks, store = process
    statements.clear()
    async with locks.lock(sender):
        tracker = await store.get_or_create_tracker(sender)
        seen = tracker.get_slot("order_id")
        tracker.update(UserUttered(text, {"name": "inform"}))
        if slot:
            tracker.update(SlotSet("order_id", slot))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
    return {"statements": list(statements), "seen": seen}


async def main():
    turns = [
        await turn(one, "c1", "hello"),  # a new conversation
        await turn(one, "c1", "where is my order"),  # the same process again
        await turn(two, "c1", "100212", slot="100212"),  # the other process takes a turn
        await turn(one, "c1", "thanks"),  # back on the first: it must see the other's slot
        await turn(one, "c1", "bye"),
    ]
    # a turn that fails half-way on the first process (an event added, never saved), then the next turn there
    locks, store = one
    async with locks.lock("c1"):
        broken = await store.get_or_create_tracker("c1")
        broken.update(SlotSet("order_id", "999999"))
    turns.append(await turn(one, "c1", "hello again"))
    with one[1]._direct.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT type_name, data FROM events WHERE sender_id = 'c1' ORDER BY id"
        ).all()
    texts = [json.loads(data).get("text") for kind, data in rows if kind == "user"]
    keys = list(one[0].red.keys(os.environ["RASA_LOCK_PREFIX"] + "*"))
    if keys:
        one[0].red.delete(*keys)
    return {"turns": turns, "texts": texts, "rows": len(rows)}


print(json.dumps(asyncio.run(main())))
"""


@pytest.mark.postgres
def test_a_turn_after_this_processs_own_is_one_statement_and_another_processs_turn_is_read_back() -> None:
    """Two Rasa processes on PostgreSQL and Redis: a conversation's next turn on the process that took its previous
    one starts from memory and stores its events in one statement (no check of the last event id: the turn lock
    proves nobody else took a turn since); after the other process took a turn, its slot is read back; a turn that
    failed half-way is forgotten; no event is stored twice."""
    with postgres_database("turn_marks") as dsn:
        result = run_probe(TURNS_PROBE, dsn)
    statements = [turn["statements"] for turn in result["turns"]]
    # nothing stored yet (read), Rasa's new tracker saved (its first action_listen), the turn's events: no check of
    # the last event id before the new tracker's save (was SELECT, INSERT, SELECT... : the same turn lock all along)
    assert statements[0] == ["SELECT", "INSERT", "INSERT"]
    assert statements[1] == ["INSERT"]  # was SELECT (the last event id), INSERT
    assert statements[2] == ["SELECT", "INSERT"]  # the other process reads the conversation back
    assert statements[3] == ["SELECT", "SELECT", "INSERT"]  # another holder since: checked, read back
    assert statements[4] == ["INSERT"]
    assert statements[5][-1] == "INSERT" and "SELECT" in statements[5]  # after the failed turn: read back
    assert [turn["seen"] for turn in result["turns"]] == [None, None, None, "100212", "100212", "100212"]
    assert result["texts"] == ["hello", "where is my order", "100212", "thanks", "bye", "hello again"]
