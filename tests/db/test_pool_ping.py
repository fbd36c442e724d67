"""The helpdesk's PostgreSQL pool checks a connection before use only when it sat idle (helpdesk/db/engine.py
`ping_when_idle`): a connection the server dropped while it was idle is replaced before a request uses it, and one
returned a moment ago goes out without the three extra round trips of a check. Real PostgreSQL on 127.0.0.1:5432."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from support.helpdesks import postgres_database

from helpdesk.db.engine import create_engine

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture()
def database_url() -> Iterator[str]:
    with postgres_database("pool_ping") as url:
        yield url


def terminate(backend_pid: int) -> None:
    """The server ends one connection, as a restart or an idle-connection timeout would."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (backend_pid,))


async def backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())


def counting_pings(engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The checks the pool makes, counted (each still goes to the server)."""
    pings: list[int] = []
    original = engine.dialect.do_ping

    def do_ping(dbapi_connection: Any) -> bool:
        pings.append(1)
        return bool(original(dbapi_connection))

    monkeypatch.setattr(engine.dialect, "do_ping", do_ping)
    return pings


@pytest.mark.postgres
def test_a_connection_dropped_while_idle_is_replaced_before_a_request_uses_it(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> tuple[int, int, int]:
        engine = create_engine(database_url, pool_size=1, pool_overflow=0, ping_after_idle=0.3)
        pings = counting_pings(engine, monkeypatch)
        try:
            first = await backend_pid(engine)
            terminate(first)
            await asyncio.sleep(0.6)  # idle longer than ping_after_idle
            second = await backend_pid(engine)  # no error: the check found it dead and the pool opened another
            return first, second, len(pings)
        finally:
            await engine.dispose()

    first, second, pings = asyncio.run(scenario())
    assert second != first
    assert pings == 1


@pytest.mark.postgres
def test_a_connection_returned_a_moment_ago_goes_out_unchecked(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> tuple[set[int], int, int]:
        engine = create_engine(database_url, pool_size=1, pool_overflow=0, ping_after_idle=30.0)
        pings = counting_pings(engine, monkeypatch)
        try:
            pids = {await backend_pid(engine) for _ in range(5)}
            quick = len(pings)
            # the trade-off: the server drops it within the window; the statement that finds it dead fails and the
            # pool replaces it, so the next request is served
            terminate(next(iter(pids)))
            await asyncio.sleep(0.2)
            with pytest.raises(Exception, match="(?i)connection|terminat"):
                await backend_pid(engine)
            pids.add(await backend_pid(engine))
            return pids, quick, len(pings)
        finally:
            await engine.dispose()

    pids, quick, pings = asyncio.run(scenario())
    assert quick == 0  # five checkouts one after the other, the same connection, no check
    assert len(pids) == 2  # the dropped connection was replaced after the failed statement
    assert pings == 0
