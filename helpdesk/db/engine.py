"""Async engine and sessions for the configured database URL, and the schema migrations (Alembic)."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Executable, event, exc, inspect, text
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg"}
SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LEGACY_REVISION = "0001"  # the schema create_all made before migrations existed
MIGRATION_LOCK = 7_340_311  # PostgreSQL advisory lock: one process migrates at a time
# PostgreSQL connections a helpdesk process keeps open (DB_POOL_SIZE) and may open beyond them for a burst
# (DB_POOL_OVERFLOW, closed again once returned). A request holds a connection only while it reads or writes, never
# while it waits for the bot (helpdesk/conversation/chat.py), so a few serve hundreds of customers; a request that
# finds none free waits up to POOL_WAIT_SECONDS for one.
POOL_SIZE = 10
POOL_OVERFLOW = 5
POOL_WAIT_SECONDS = 30.0
APPLICATION_NAME = "helpdesk"  # how the helpdesk's connections show in pg_stat_activity
# a pooled PostgreSQL connection idle for longer than this is checked (a round trip) before it is handed out
# (`ping_when_idle`); one used more recently is handed out as it is
PING_AFTER_IDLE_SECONDS = 10.0
IDLE_SINCE = "helpdesk_idle_since"  # key in a pooled connection's record: when it was opened or last returned


def async_url(url: str) -> str:
    """Accept plain `sqlite:///...` / `postgresql://...` URLs and pick the async driver."""
    parsed = make_url(url)
    if "+" not in parsed.drivername and parsed.drivername in ASYNC_DRIVERS:
        parsed = parsed.set(drivername=ASYNC_DRIVERS[parsed.drivername])
    return parsed.render_as_string(hide_password=False)


def sync_url(url: str) -> str:
    """The same database with a synchronous driver (sqlite3 / psycopg), for migrations and the CLI."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    parsed = parsed.set(drivername=SYNC_DRIVERS.get(backend, parsed.drivername))
    return parsed.render_as_string(hide_password=False)


def _ensure_sqlite_dir(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def create_engine(
    url: str,
    pool_size: int = POOL_SIZE,
    pool_overflow: int = POOL_OVERFLOW,
    application_name: str = APPLICATION_NAME,
    ping_after_idle: float = PING_AFTER_IDLE_SECONDS,
) -> AsyncEngine:
    """The async engine for `url`: SQLite (WAL) or PostgreSQL through a pool of `pool_size` kept connections and
    at most `pool_overflow` more, named `application_name` in pg_stat_activity, each checked before use when it
    sat idle for more than `ping_after_idle` seconds (`ping_when_idle`)."""
    url = async_url(url)
    _ensure_sqlite_dir(url)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_async_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    engine = create_async_engine(
        url,
        pool_size=max(1, pool_size),
        max_overflow=max(0, pool_overflow),
        pool_timeout=POOL_WAIT_SECONDS,
        connect_args={"server_settings": {"application_name": application_name[:63]}},
    )
    ping_when_idle(engine, ping_after_idle)
    return engine


def ping_when_idle(engine: AsyncEngine, idle_seconds: float = PING_AFTER_IDLE_SECONDS) -> None:
    """Check a pooled connection on checkout only when it sat idle for more than `idle_seconds`.

    SQLAlchemy's `pool_pre_ping` checks every checkout: with asyncpg that is three round trips (BEGIN, a query,
    ROLLBACK) before each transaction, about a third of the helpdesk's database round trips in a chat turn (issue
    22's profile). A connection returned a moment ago is alive but for a server restart in that moment; a dead one is
    then found by the statement that fails, and SQLAlchemy invalidates the pool's older connections, as the ping
    would have. A connection that sat idle (a quiet shop at night, a proxy or the server closing idle connections)
    is still checked, and replaced when dead, before it is handed out."""
    pool = engine.sync_engine.pool

    def stamp(_dbapi_connection: Any, record: Any) -> None:
        record.info[IDLE_SINCE] = time.monotonic()

    def check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(IDLE_SINCE)
        if since is not None and time.monotonic() - since <= idle_seconds:
            return
        if not engine.dialect._do_ping_w_event(dbapi_connection):
            raise exc.InvalidatePoolError()  # the pool opens a new connection and drops the ones opened before

    event.listen(pool, "connect", stamp)
    event.listen(pool, "checkin", stamp)
    event.listen(pool, "checkout", check)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def statements_on_their_own(session: AsyncSession) -> None:
    """The session's statements from now until its next commit each run on their own (AUTOCOMMIT), without the
    BEGIN and COMMIT (or ROLLBACK) round trips of a transaction around them. For reads, and for a write that is one
    statement: under READ COMMITTED (PostgreSQL's default) each statement sees what was committed when it started,
    in a transaction or not, so they read and write the same. Call it before the session's first statement."""
    await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


async def write_on_its_own(
    sessions: async_sessionmaker[AsyncSession], statement: Executable, params: dict[str, Any]
) -> None:
    """One write statement run on its own (AUTOCOMMIT, as `statements_on_their_own`) on a pooled connection of
    `sessions`' engine, without an ORM session around it: for a Core statement whose rows nothing in the session
    would see (the customer's presence touch). The session's unit of work, its transaction bookkeeping and its
    greenlet hop are a third of such a write's Python calls (issue 22). The connection goes back to the pool with
    its isolation level reset, as a session's does."""
    engine: AsyncEngine = sessions.kw["bind"]
    async with engine.connect() as connection:
        on_its_own = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await on_its_own.execute(statement, params)


def alembic_config(url: str, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _stamp_legacy(connection: Connection, config: Config) -> None:
    """A database made by create_all before migrations existed: record it as the initial revision."""
    tables = set(inspect(connection).get_table_names())
    if "conversations" in tables and "alembic_version" not in tables:
        log.info("database predates migrations: stamping it at revision %s", LEGACY_REVISION)
        command.stamp(config, LEGACY_REVISION)


def migrate(url: str, revision: str = "head") -> None:
    """Bring the database schema to `revision` (blocking: run it in a thread from async code)."""
    url = sync_url(url)
    _ensure_sqlite_dir(url)
    engine = create_sync_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            config = alembic_config(url, connection)
            _stamp_legacy(connection, config)
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def current_revision(url: str) -> str | None:
    engine = create_sync_engine(sync_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            if "alembic_version" not in inspect(connection).get_table_names():
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()
