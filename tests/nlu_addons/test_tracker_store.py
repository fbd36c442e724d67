"""nlu_addons.tracker_store: where Rasa keeps conversations and locks, from the helpdesk's own settings.

Runs in Rasa's virtualenv (a child process printing JSON): the URL each DATABASE_URL maps to, a real SQLite
tracker store that keeps a conversation across two store objects (a restart), and the lock store REDIS_URL picks.
"""

from __future__ import annotations

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
    "in_memory": in_memory, "redis": type(redis_store).__name__, "prefix": redis_store.key_prefix,
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
    assert result["files"] == ["helpdesk.rasa.db"]
    assert result["in_memory"] == "InMemoryLockStore"
    assert result["redis"] == "RedisLockStore" and result["redis_at"] == ["127.0.0.1", 6390, 2, "secret"]
    assert result["prefix"].startswith("shopaevents")
