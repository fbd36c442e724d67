"""Reads and one-statement writes run without a transaction around them (helpdesk/db/engine.py
`statements_on_their_own`): the customer's presence touch (helpdesk/mail/presence.py) is one UPDATE round trip, not
BEGIN, UPDATE and COMMIT, and still stores the time; a later session on the same pooled connection is back in a
transaction. Real PostgreSQL on 127.0.0.1:5432."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection
from support.helpdesks import postgres_database

from helpdesk.db.engine import create_engine, migrate, session_factory, statements_on_their_own
from helpdesk.db.models import Conversation
from helpdesk.mail.presence import CustomerPresence
from helpdesk.vocabulary import MODE_BOT


@pytest.fixture()
def database_url() -> Iterator[str]:
    with postgres_database("own_statements") as url:
        migrate(url)
        yield url


def counting_transactions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every BEGIN the asyncpg driver sends, counted (each still goes to the server)."""
    begun: list[int] = []
    original: Any = AsyncAdapt_asyncpg_connection._start_transaction

    async def start(self: Any) -> None:
        await original(self)
        if self._transaction is not None:  # the driver skips BEGIN for an AUTOCOMMIT connection
            begun.append(1)

    monkeypatch.setattr(AsyncAdapt_asyncpg_connection, "_start_transaction", start)
    return begun


@pytest.mark.postgres
def test_the_presence_touch_is_one_statement_and_is_stored(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario() -> tuple[int, int, bool, bool]:
        engine = create_engine(database_url, pool_size=1, pool_overflow=0)
        sessions = session_factory(engine)
        try:
            async with sessions() as session:
                session.add(Conversation(id="c1", mode=MODE_BOT))
                await session.commit()
            begun = counting_transactions(monkeypatch)
            await CustomerPresence(sessions, heartbeat=60.0).seen("c1")
            touch = len(begun)
            async with sessions() as session:
                seen = await session.scalar(select(Conversation.customer_seen_at).where(Conversation.id == "c1"))
                await session.rollback()
            after_touch = len(begun)  # the same pooled connection, handed back: a transaction again
            async with sessions() as session:
                await statements_on_their_own(session)
                mode = await session.scalar(select(Conversation.mode).where(Conversation.id == "c1"))
            return touch, after_touch, seen is not None, mode == MODE_BOT
        finally:
            await engine.dispose()

    touch, after_touch, stored, read = asyncio.run(scenario())
    assert stored and read
    assert touch == 0  # no BEGIN (nor COMMIT) around the UPDATE
    assert after_touch == 1  # the next session's reads began a transaction, as sessions do by default
