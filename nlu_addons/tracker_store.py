"""Where Rasa keeps its conversations (trackers) and its per-conversation locks: the project's database and Redis,
chosen by the same environment variables as the helpdesk (endpoints.yml names these two classes).

    tracker_store: {type: nlu_addons.tracker_store.ProjectTrackerStore}
    lock_store:    {type: nlu_addons.tracker_store.ProjectLockStore}

Trackers (Rasa's `SQLTrackerStore`, one row per event, nothing cached in memory, so Rasa's memory does not grow
with the conversations it has seen):
- TRACKER_STORE_URL when set (any SQLAlchemy URL Rasa's environment can open);
- else from DATABASE_URL: the same PostgreSQL database as the helpdesk (Rasa adds its `events` table; the
  helpdesk has none of that name), reached through psycopg2;
- else (SQLite, the default) a file of its own beside the helpdesk's: `helpdesk.db` → `helpdesk.rasa.db`. Not
  the helpdesk's file itself: SQLite lets one process write at a time, and Rasa (synchronous SQLAlchemy, no
  busy-timeout tuning, in its event loop) and the helpdesk both write on every turn, so each would stall, or
  fail with "database is locked", on the other's writes; and Rasa's `events` table would sit unversioned in
  the schema the helpdesk's migrations own.

Recent trackers are also kept in memory (the last CACHED_TRACKERS conversations this process saved): a turn then
starts from the tracker its previous turn left instead of reading every event of the conversation back and
replaying it (Rasa's SQLTrackerStore does that on every turn: ~28 ms of CPU a turn at ten turns, more as the
conversation grows). The cached tracker is used only while it is provably the stored one, and the tracker object
holds no event that was not saved (a turn that failed half-way). Proof, with Redis: the turn lock this turn took
(`TurnLockStore`) was last held by the turn that saved the cached tracker (each turn leaves a random mark as the
conversation's latest holder, and the lock hands back the previous one): every save happens under that lock, so no
other turn, in any process, stored anything since. Without that proof (no Redis, another holder meanwhile): the
conversation's last event id in the database is still the one this process wrote (another Rasa process that took
a turn meanwhile wrote later events: the tracker is then read from the database, as before). Each tracker object
also knows how many of its events are stored, so a save inserts its new events without Rasa's count query.

A turn's database work is one statement with Redis (the save) and two without (the check of the last event id
first), each one round trip outside a transaction (autocommit) on a connection kept for them (`_direct`): the save
is one multi-row INSERT of the turn's new
events (PostgreSQL: `RETURNING id`; SQLite: the last row id), written as SQL once at start-up, so no ORM objects,
flush or unit of work per turn. Rasa's way (ORM session: BEGIN, INSERT, COMMIT, three round trips, each stalling
Rasa's event loop) stays for other databases and for saves of more than INSERT_ROWS_AT_ONCE events (one
transaction, so a save is all or nothing either way).

Locks: with REDIS_URL (several Rasa processes may then serve one shop) `TurnLockStore`, Rasa's `RedisLockStore`
taking a conversation's lock in two Redis round trips a turn (a script: SET NX with the lock's lifetime, and the
holder's mark swapped; then a compare-and-delete) instead of Rasa's seven (its ticket list read and written back
around every step: issue, check, serve, check who waits, delete). Rasa's client is synchronous, so each round trip
stalls Rasa's event loop, every other conversation included. Without REDIS_URL, Rasa's in-memory store. Keys start
with RASA_LOCK_PREFIX (default: REDIS_CHANNEL's letters and digits) + ":lock:turn:" (the lock) and
":lock:turn-holder:" (the latest holder's mark, kept HOLDER_MARK_MS).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import secrets
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockStore, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from nlu_addons.environment import DEFAULT_DATABASE_FILE

logger = logging.getLogger(__name__)

REMEMBERED_PARSES = 512  # parse data of the latest messages, for the rest_nlu channel's answer
CACHED_TRACKERS = 500  # trackers of the conversations this process saved last (module docstring)
STORED = "_larkspur_events_stored"  # attribute on a tracker object: how many of its events are in the database
HOLDER_MARK_MS = 24 * 3600 * 1000  # how long a conversation's latest lock holder is remembered (TurnLockStore)
LOCK_POLL_SECONDS = 0.02  # how often a turn waiting for its conversation's lock (another turn holds it) tries again
INSERT_ROWS_AT_ONCE = 100  # a save of more events goes through Rasa's ORM session (SQLite's 999 parameters: 6 a row)
EVENT_COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")  # Rasa's SQLEvent


def tracker_database_url(environ: dict[str, str] | os._Environ[str] | None = None) -> str:
    """The SQLAlchemy URL (Rasa's SQLAlchemy 1.4, synchronous drivers) of the database for Rasa's trackers."""
    environ = os.environ if environ is None else environ
    if explicit := environ.get("TRACKER_STORE_URL"):
        return explicit
    helpdesk = environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DATABASE_FILE}"
    scheme, _, rest = helpdesk.partition("://")
    dialect = scheme.split("+")[0]
    if dialect in ("postgresql", "postgres"):
        return f"postgresql://{rest}"
    if dialect == "sqlite":
        path = Path(rest[1:]) if rest.startswith("/") else Path(rest)  # sqlite:///relative, sqlite:////absolute
        if str(path) in ("", ":memory:"):
            raise ValueError("DATABASE_URL is an in-memory SQLite database: set TRACKER_STORE_URL for Rasa's trackers")
        return f"sqlite:///{path.with_suffix('.rasa' + (path.suffix or '.db'))}"
    raise ValueError(
        f"DATABASE_URL {scheme}://… is neither SQLite nor PostgreSQL: set TRACKER_STORE_URL for Rasa's trackers"
    )


class ProjectTrackerStore(SQLTrackerStore):  # type: ignore[misc]
    """Rasa's SQL tracker store on the project's database (module docstring), with the latest trackers kept in
    memory, and remembering the parse data of the latest messages it saved (a bounded map) so the rest_nlu channel
    need not read the tracker back."""

    engine: Any  # Rasa's SQLAlchemy engine (SQLTrackerStore sets it; replaced for SQLite, `_tune_sqlite`)

    def __init__(self, domain: Any = None, event_broker: Any = None, host: str | None = None, **kwargs: Any) -> None:
        url = tracker_database_url()
        logger.info("Rasa's trackers are stored in %s", _without_password(url))
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        if self.engine.dialect.name == "sqlite":
            self._tune_sqlite()
        elif self.engine.dialect.name == "postgresql":
            self._tune_postgresql()
        self._direct = self._autocommit_engine()
        self._statements = EventStatements.for_engine(self._direct, self.SQLEvent.__table__)
        self._parses: OrderedDict[str, dict[str, Any]] = OrderedDict()
        # sender id → (the conversation's last event id in the database when this process saved it, the mark of the
        # turn lock held while it was saved (None: no Redis lock), the tracker)
        self._trackers: OrderedDict[str, tuple[int | None, str | None, DialogueStateTracker]] = OrderedDict()
        # conversations `retrieve` last found nothing of → the mark of the turn lock held then (None: none held)
        self._absent: OrderedDict[str, str | None] = OrderedDict()
        self.cache_hits = 0
        self.cache_misses = 0

    def _tune_sqlite(self) -> None:
        """SQLite's file in write-ahead-log mode with `synchronous=NORMAL`, through kept-open connections: a commit
        is then a write to the log, not a wait for the disk (a committed turn survives a crash of Rasa; a power cut
        may lose the last ones, which the helpdesk has stored anyway), readers never wait for the writer, and each
        turn does not open and close the file (SQLAlchemy 1.4 opens a file database per session by default).
        Measured: the commit's disk wait was 12 % of Rasa's CPU profile per turn, opening and closing 2 %."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(
            url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False, "timeout": 30}
        )
        sa.event.listen(self.engine, "connect", _sqlite_settings)
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)

    def _tune_postgresql(self) -> None:
        """Rasa's connections commit without waiting for PostgreSQL's disk (`synchronous_commit=off`): Rasa's store
        is synchronous, so each turn's commit otherwise stalls the whole event loop, every other conversation
        included, for the server's log flush (turns p50 346 ms against SQLite's 146 ms, measured one at a time on
        this machine under load). A PostgreSQL crash may lose the last fraction of a second of Rasa's events, never
        corrupt them; the helpdesk's own tables keep full durability (other connections)."""
        self.engine.dispose()  # connections opened while Rasa created its table come back with the setting
        sa.event.listen(self.engine, "connect", _postgresql_settings)

    def _autocommit_engine(self) -> Any:
        """Connections of their own, always in autocommit (setting autocommit on a pooled connection and back costs
        a round trip of its own with psycopg2), with the settings of Rasa's (`_tune_sqlite`, `_tune_postgresql`),
        for the per-turn check of the last event id and the save's INSERT: each one statement, one round trip."""
        dialect = self.engine.dialect.name
        if dialect == "sqlite":
            options: dict[str, Any] = {"check_same_thread": False, "timeout": 30}
        else:  # Rasa's own connection options (a PostgreSQL schema: POSTGRESQL_SCHEMA)
            options = dict(create_engine_kwargs(self.engine.url).get("connect_args") or {})
        engine = sa.create_engine(
            self.engine.url,
            isolation_level="AUTOCOMMIT",
            poolclass=sa.pool.QueuePool,
            pool_size=1,
            connect_args=options,
        )
        settings = {"sqlite": _sqlite_settings, "postgresql": _postgresql_settings}.get(dialect)
        if settings is not None:
            sa.event.listen(engine, "connect", settings)
        return engine

    def _last_event_id(self, sender_id: str) -> int | None:
        """The conversation's last stored event id: one statement outside a transaction (autocommit), so the check a
        turn makes before it trusts its cached tracker is one round trip, not three (BEGIN, SELECT, ROLLBACK), each
        stalling Rasa's event loop (Rasa's store is synchronous)."""
        with self._direct.connect() as connection:
            if self._statements is not None:
                found = connection.exec_driver_sql(self._statements.last_id, (sender_id,)).scalar()
            else:
                query = sa.select(sa.func.max(self.SQLEvent.id)).where(self.SQLEvent.sender_id == sender_id)
                found = connection.execute(query).scalar()
        return int(found) if found is not None else None

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        cached = self._trackers.pop(sender_id, None)  # handed out once: whoever holds it may change it
        if cached is not None:
            last_id, mark, tracker = cached
            unsaved = getattr(tracker, STORED, None) != len(tracker.events)
            if not unsaved and (_nobody_else_since(sender_id, mark) or self._last_event_id(sender_id) == last_id):
                self.cache_hits += 1
                return tracker
        self.cache_misses += 1
        tracker = self._read(sender_id)
        if tracker is not None:
            setattr(tracker, STORED, len(tracker.events))  # every event read is a stored one
        elif self.domain is not None:
            # nothing stored: Rasa makes the conversation's tracker itself (TrackerStore.create_tracker, reached
            # through Rasa's wrappers of this store) and saves it; `save` then need not count what is stored
            self._absent[sender_id] = _turn_mark(sender_id)
            while len(self._absent) > CACHED_TRACKERS:
                self._absent.popitem(last=False)
        return tracker

    def _read(self, sender_id: str) -> DialogueStateTracker | None:
        """Rasa's `retrieve` (the events since the conversation's last session start, Rasa's query) as one
        statement in autocommit (Rasa's session sends BEGIN, SELECT, ROLLBACK), written once (`EventStatements`):
        building Rasa's ORM query and its cache key each time was 17 % of Rasa's samples holding the GIL."""
        if self._statements is not None:
            with self._direct.connect() as connection:
                found = connection.exec_driver_sql(
                    self._statements.latest_session, (sender_id, SessionStarted.type_name, sender_id)
                )
                events = [json.loads(data) for (data,) in found]
        else:
            with sa.orm.Session(bind=self._direct) as session:
                rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
                events = [json.loads(row.data) for row in rows]
        if self.domain is None or not events:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        stored = getattr(tracker, STORED, None)
        read_as_new = self._absent.pop(tracker.sender_id, False) if stored is None else False
        if read_as_new is not False and self.event_broker is None:
            # a new conversation: `retrieve` read nothing of it, and still nothing is stored (known without asking
            # when the same turn lock was held all along: nobody else could store anything meanwhile)
            same_turn = read_as_new is not None and read_as_new == _turn_mark(tracker.sender_id)
            if same_turn or self._last_event_id(tracker.sender_id) is None:
                stored = 0
        if stored is None or self.event_broker is not None:
            await super().save(tracker)  # Rasa's way: counts what is stored (and streams the events to the broker)
            last_id = self._last_event_id(tracker.sender_id) if stored is not None else None
        else:
            last_id = self._insert(tracker, list(tracker.events)[stored:])
            if last_id is None and stored > 0:  # nothing new (a tracker with no events yet has no last id)
                last_id = self._last_event_id(tracker.sender_id)
        if stored is not None:  # a tracker that holds every stored event (handed out here, or a new conversation)
            setattr(tracker, STORED, len(tracker.events))
            self._trackers[tracker.sender_id] = (last_id, _turn_mark(tracker.sender_id), tracker)
            self._trackers.move_to_end(tracker.sender_id)
            while len(self._trackers) > CACHED_TRACKERS:
                self._trackers.popitem(last=False)
        # else a tracker from elsewhere (Rasa's new tracker when another process started the conversation meanwhile,
        # a tracker made from events posted to Rasa's API): it may lack stored events, so it is neither kept nor
        # marked, and its next save counts again (Rasa's way) and the next turn reads the conversation
        message = tracker.latest_message
        if isinstance(message, UserUttered) and message.message_id:
            self._parses[message.message_id] = dict(message.parse_data)
            self._parses.move_to_end(message.message_id)
            while len(self._parses) > REMEMBERED_PARSES:
                self._parses.popitem(last=False)

    def _insert(self, tracker: DialogueStateTracker, events: list[Any]) -> int | None:
        """The rows Rasa's `SQLTrackerStore.save` writes for `events`, without its count of the stored ones: the
        id of the last row written (None when there was nothing to write). Only one turn of a conversation runs at
        a time (the lock store), so that is the conversation's last event."""
        if not events:
            return None
        rows = [event_row(tracker.sender_id, event) for event in events]
        if self._statements is not None and len(rows) <= INSERT_ROWS_AT_ONCE:
            with self._direct.connect() as connection:  # one statement in autocommit: one round trip, all or nothing
                return self._statements.insert(connection, rows)
        with self.session_scope() as session:
            objects = [self.SQLEvent(**dict(zip(EVENT_COLUMNS, row, strict=True))) for row in rows]
            session.add_all(objects)
            session.flush()
            last = max(int(row.id) for row in objects)
            session.commit()
        return last

    def parse_data_of(self, message_id: str) -> dict[str, Any] | None:
        """What the NLU understood of the message `message_id`, if it was saved lately (then forgotten)."""
        return self._parses.pop(message_id, None)


@dataclass(frozen=True)
class _Turn:
    """The Redis turn lock this task holds (TurnLockStore.lock): its conversation, the mark it left as the
    conversation's latest holder and the mark the previous holder had left (None: none left, or it expired)."""

    conversation_id: str
    mark: str
    previous: str | None


_TURN: ContextVar[_Turn | None] = ContextVar("rasa_turn_lock", default=None)


def _turn_mark(sender_id: str) -> str | None:
    """The mark of the turn lock this task holds on `sender_id`'s conversation; None without one."""
    turn = _TURN.get()
    return turn.mark if turn is not None and turn.conversation_id == sender_id else None


def _nobody_else_since(sender_id: str, mark: str | None) -> bool:
    """Whether the turn lock this task holds on `sender_id` was, before it, last held by the turn that left `mark`:
    then no other turn (in any Rasa process) took the conversation since this process saved its tracker, so what
    is stored is what that tracker holds. Every save of a conversation's events happens under its turn lock (the
    processor's turns and Rasa's API alike), and the marks are random: an expired one only costs a database read."""
    turn = _TURN.get()
    return mark is not None and turn is not None and turn.conversation_id == sender_id and turn.previous == mark


def _without_password(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@/]*@", r"://\1:***@", url)


def _sqlite_settings(connection: Any, _record: Any) -> None:
    """Every connection to Rasa's SQLite file: write-ahead log, `synchronous=NORMAL` (`_tune_sqlite`)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _postgresql_settings(connection: Any, _record: Any) -> None:
    """Every connection to Rasa's PostgreSQL database: commits do not wait for the disk (`_tune_postgresql`)."""
    cursor = connection.cursor()
    cursor.execute("SET synchronous_commit TO off")
    cursor.close()


def event_row(sender_id: str, event: Any) -> tuple[Any, ...]:
    """The values of Rasa's `events` row for `event` (EVENT_COLUMNS), as Rasa's `SQLTrackerStore.save` fills them."""
    data = event.as_dict()
    intent = data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
    return (sender_id, event.type_name, data.get("timestamp"), intent, data.get("name"), json.dumps(data))


class EventStatements:
    """The SQL of the statements a turn sends (`ProjectTrackerStore._direct`), written once for the database's
    driver: the conversation's last event id, its events since the latest session start (a tracker read back), and a
    multi-row INSERT of events returning the last id written."""

    def __init__(self, table: str, columns: list[str], identifier: str, marker: str, returning: bool) -> None:
        self.last_id = f"SELECT max({identifier}) FROM {table} WHERE {columns[0]} = {marker}"
        sender, kind, timestamp, data = columns[0], columns[1], columns[2], columns[5]
        # Rasa's `_event_query`: the data of the events since the latest session start (all of them without one),
        # by id; parameters: the sender, SessionStarted's type name, the sender
        self.latest_session = (
            f"SELECT e.{data} FROM {table} e, (SELECT max({timestamp}) AS session_start FROM {table} "
            f"WHERE {sender} = {marker} AND {kind} = {marker}) s WHERE e.{sender} = {marker} "
            f"AND (e.{timestamp} >= s.session_start OR s.session_start IS NULL) ORDER BY e.{identifier}"
        )
        self._head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        self._row = "(" + ", ".join([marker] * len(columns)) + ")"
        self._returning = f" RETURNING {identifier}" if returning else ""

    @classmethod
    def for_engine(cls, engine: Any, table: Any) -> EventStatements | None:
        """The statements for PostgreSQL through psycopg2 and SQLite through sqlite3; None for other databases
        (they keep Rasa's ORM statements)."""
        dialect = engine.dialect
        if (dialect.name, dialect.driver) not in (("postgresql", "psycopg2"), ("sqlite", "pysqlite")):
            return None
        quote = dialect.identifier_preparer.quote
        marker = "?" if dialect.paramstyle == "qmark" else "%s"
        columns = [quote(column) for column in EVENT_COLUMNS]
        table_name = dialect.identifier_preparer.format_table(table)
        return cls(table_name, columns, quote("id"), marker, returning=dialect.name == "postgresql")

    def insert(self, connection: Any, rows: list[tuple[Any, ...]]) -> int:
        """Write `rows` in one statement: the id of the last one (ids grow with each row written)."""
        sql = self._head + ", ".join([self._row] * len(rows)) + self._returning
        result = connection.exec_driver_sql(sql, tuple(value for row in rows for value in row))
        if self._returning:
            return max(int(found) for (found,) in result)
        return int(result.lastrowid)


class ProjectLockStore(LockStore):  # type: ignore[misc]
    """Rasa's Redis lock store with REDIS_URL, else its in-memory one (constructing this class gives one of them)."""

    def __new__(cls, endpoint_config: Any = None) -> LockStore:  # noqa: D102
        url = os.environ.get("REDIS_URL")
        if not url:
            return InMemoryLockStore()
        parts = urlsplit(url)
        prefix = os.environ.get("RASA_LOCK_PREFIX") or re.sub(
            r"[^A-Za-z0-9]", "", os.environ.get("REDIS_CHANNEL") or "helpdesk:events"
        )
        logger.info("Rasa's conversation locks are in Redis at %s:%s", parts.hostname, parts.port or 6379)
        return TurnLockStore(
            host=parts.hostname or "localhost",
            port=parts.port or 6379,
            db=int(parts.path.strip("/") or 0),
            username=parts.username,
            password=parts.password,
            use_ssl=parts.scheme == "rediss",
            key_prefix=prefix,
        )


class TurnLockStore(RedisLockStore):  # type: ignore[misc]
    """Rasa's `RedisLockStore` with a leaner `lock` (module docstring): one turn of a conversation at a time, across
    every Rasa process on the Redis, in two round trips. A lock whose holder died expires after its lifetime, as
    Rasa's tickets do. Waiting turns try again every LOCK_POLL_SECONDS rather than queueing by ticket: the helpdesk
    sends a conversation's turns one at a time (its own bot-turn lock), so two turns of one conversation meet here
    only when something else also posts to Rasa's API for it."""

    RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
    # the lock (KEYS[1]: SET NX with the lock's lifetime, ARGV[2] ms) and, when taken, the conversation's holder mark
    # (KEYS[2]) swapped for this turn's (ARGV[1], kept HOLDER_MARK_MS): the previous mark back ("" when none)
    ACQUIRE = (
        "if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then "
        "local previous = redis.call('get', KEYS[2]) "
        "redis.call('set', KEYS[2], ARGV[1], 'PX', ARGV[3]) "
        "return {1, previous or ''} end return {0, ''}"
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._acquire = self.red.register_script(self.ACQUIRE)
        self._release = self.red.register_script(self.RELEASE)

    def key(self, conversation_id: str) -> str:
        return f"{self.key_prefix}turn:{conversation_id}"

    def holder_key(self, conversation_id: str) -> str:
        return f"{self.key_prefix}turn-holder:{conversation_id}"

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncIterator[TicketLock]:
        key, token = self.key(conversation_id), secrets.token_hex(16)
        lifetime_ms = max(1, int(lock_lifetime * 1000))
        keys, args = [key, self.holder_key(conversation_id)], [token, lifetime_ms, HOLDER_MARK_MS]
        while not (answer := self._acquire(keys=keys, args=args))[0]:
            await asyncio.sleep(min(LOCK_POLL_SECONDS, wait_time_in_seconds))
        previous = answer[1].decode() if isinstance(answer[1], bytes) else str(answer[1])
        turn = _TURN.set(_Turn(conversation_id, token, previous or None))
        try:
            yield TicketLock(conversation_id)  # what Rasa's callers receive (none of them reads it)
        finally:
            _TURN.reset(turn)
            self._release(keys=[key], args=[token])  # only this turn's own lock (it may have expired and moved on)
