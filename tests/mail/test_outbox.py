"""The outbox on real databases (a fresh SQLite file; a fresh PostgreSQL database) with the local SMTP server:
each mail is claimed by one worker however many race, sent once, retried with backoff after temporary failures,
given up after the last attempt, and a claim whose process died is never sent again."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import cast

import pytest
from conftest import Mailbox
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from support.helpdesks import postgres_database

from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.db.models import (
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    OUTBOX_SENDING,
    OUTBOX_SENT,
    Conversation,
    OutboxMail,
    utcnow,
)
from helpdesk.mail import outbox
from helpdesk.mail.sender import SmtpMailer
from helpdesk.mail.settings import MailSettings
from helpdesk.mail.templates import FOLLOW_UP, ORDER_LIST
from helpdesk.mail.worker import MailWorker
from helpdesk.orders.system import BackendError, OrderSystem
from helpdesk.stack import free_port

MAILS = 40
WORKERS = 6


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'outbox.db'}"
        migrate(url)
        yield url
    else:
        with postgres_database("mail_outbox") as dsn:
            migrate(dsn)
            yield dsn


def settings_for(port: int, **overrides: object) -> MailSettings:
    values: dict[str, object] = {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_security": "none",
        "smtp_timeout": 5.0,
        "from_address": "Larkspur Home Support <support@shop.test>",
        "public_url": "http://shop.test",
        "backoff_seconds": 30.0,
        "max_attempts": 3,
    }
    values.update(overrides)
    return MailSettings(**values)  # type: ignore[arg-type]


async def seed(url: str, count: int, address: str) -> list[int]:
    engine = create_engine(url)
    sessions = session_factory(engine)
    ids = []
    async with sessions() as session:
        session.add(Conversation(id=f"conv-{address}", language="en"))
        await session.flush()
        for n in range(count):
            mail = await outbox.enqueue(
                session,
                kind=FOLLOW_UP,
                dedupe_key=f"test:{address}:{n}",
                to_address=address,
                language="en",
                conversation_id=f"conv-{address}",
                payload={"agent": "Ava", "text": f"Mail number {n}"},
            )
            assert mail is not None
            ids.append(mail.id)
        # the same notice queued again (another process's sweep): one row
        assert (
            await outbox.enqueue(
                session,
                kind=FOLLOW_UP,
                dedupe_key=f"test:{address}:0",
                to_address=address,
                language="en",
                conversation_id=f"conv-{address}",
            )
            is None
        )
        await session.commit()
    await engine.dispose()
    return ids


async def row_then_dispose(engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession], mail_id: int) -> OutboxMail:
    """The mail's row as it is now; the engine closed."""
    async with sessions() as session:
        row = await session.get(OutboxMail, mail_id)
    await engine.dispose()
    assert row is not None
    return row


async def rows(url: str) -> list[OutboxMail]:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        found = list(await session.scalars(select(OutboxMail).order_by(OutboxMail.id)))
    await engine.dispose()
    return found


def test_racing_workers_send_every_mail_exactly_once(database_url: str, smtp_server: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp_server
    address = f"race-{free_port()}@customer.test"

    async def race() -> list[int]:
        ids = await seed(database_url, MAILS, address)
        engines = [create_engine(database_url) for _ in range(WORKERS)]  # a process each: own connections
        workers = [MailWorker(session_factory(e), settings_for(port), SmtpMailer(settings_for(port))) for e in engines]

        async def drain(worker: MailWorker) -> None:
            for _ in range(MAILS):
                async with worker.sessions() as session:
                    claimed = await outbox.claim(session, worker.name, limit=3)
                if not claimed:
                    return
                for mail_id in claimed:
                    await worker.deliver(mail_id)

        for engine in engines:  # every "process" connected before the race starts
            async with engine.connect() as connection:
                await connection.execute(select(1))
        await asyncio.gather(*(drain(w) for w in workers))
        for engine in engines:
            await engine.dispose()
        return ids

    ids = asyncio.run(race())
    received = mailbox.wait_for(address, MAILS)
    numbers = sorted(int(m.get_body(("plain",)).get_content().split("Mail number ")[1].split()[0]) for m in received)
    assert numbers == list(range(MAILS))  # every mail, none twice
    assert len({m["Message-ID"] for m in received}) == MAILS
    stored = asyncio.run(rows(database_url))
    assert [r.id for r in stored] == ids
    assert {r.status for r in stored} == {OUTBOX_SENT}
    assert all(r.attempts == 1 and r.sent_at is not None for r in stored)
    assert len({r.claimed_by for r in stored}) > 1  # the work really was shared


def test_a_temporary_failure_is_retried_with_backoff_then_given_up(database_url: str) -> None:
    nobody = free_port()  # nothing listens: connection refused, a temporary failure
    address = "retry@customer.test"

    async def attempt() -> list[OutboxMail]:
        (mail_id,) = await seed(database_url, 1, address)
        engine = create_engine(database_url)
        settings = settings_for(nobody)
        worker = MailWorker(session_factory(engine), settings, SmtpMailer(settings))
        seen = []
        for _ in range(settings.max_attempts):
            async with worker.sessions() as session:
                # as if the backoff had passed
                await session.execute(
                    OutboxMail.__table__.update().where(OutboxMail.id == mail_id).values(not_before=utcnow())
                )
                await session.commit()
                claimed = await outbox.claim(session, worker.name)
            assert claimed == [mail_id]
            await worker.deliver(mail_id)
            async with worker.sessions() as session:
                row = await session.get(OutboxMail, mail_id)
                assert row is not None
                seen.append(row)
        await engine.dispose()
        return seen

    first, second, last = asyncio.run(attempt())
    assert first.status == OUTBOX_PENDING and first.attempts == 1 and first.last_error
    wait_first = first.not_before - first.claimed_at  # type: ignore[operator]
    assert timedelta(seconds=29) < wait_first <= timedelta(seconds=31)
    assert second.status == OUTBOX_PENDING and second.attempts == 2
    assert last.status == OUTBOX_FAILED and last.attempts == 3
    assert last.last_error is not None and last.last_error.startswith("gave up after 3 attempts")


def test_a_claim_whose_process_died_is_never_sent_again(database_url: str, smtp_server: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp_server
    address = f"died-{free_port()}@customer.test"

    async def crash_then_round() -> OutboxMail:
        (mail_id,) = await seed(database_url, 1, address)
        engine = create_engine(database_url)
        sessions = session_factory(engine)
        async with sessions() as session:
            assert await outbox.claim(session, "crashed-process") == [mail_id]  # ... and then it died
            await session.execute(
                OutboxMail.__table__.update()
                .where(OutboxMail.id == mail_id)
                .values(claimed_at=utcnow() - timedelta(hours=1))
            )
            await session.commit()
        worker = MailWorker(sessions, settings_for(port), SmtpMailer(settings_for(port)))
        assert await worker.round() == 0
        return await row_then_dispose(engine, sessions, mail_id)

    row = asyncio.run(crash_then_round())
    assert row.status == OUTBOX_FAILED and row.status != OUTBOX_SENDING
    assert row.last_error == "interrupted while sending: not retried, it may have gone out"
    assert mailbox.to(address) == []


class OrderSystemDown:
    """An order system that does not answer (only what the order list asks of it)."""

    async def find_customer(self, email: str) -> None:
        raise BackendError("connection refused")


def test_an_order_list_waits_for_the_order_system_instead_of_failing(database_url: str) -> None:
    """The list of a customer's orders (helpdesk/mail/order_list.py) is written when it is sent: with the order system
    down it is tried again after the backoff, not kept as failed (lane fixes)."""
    address = "lost-number@customer.test"

    async def attempt() -> OutboxMail:
        engine = create_engine(database_url)
        sessions = session_factory(engine)
        async with sessions() as session:
            session.add(Conversation(id="conv-order-list", language="en"))
            await session.flush()
            mail = await outbox.enqueue(
                session,
                kind=ORDER_LIST,
                dedupe_key="test:order-list",
                to_address=address,
                language="en",
                conversation_id="conv-order-list",
                payload={"email": address},
            )
            assert mail is not None
            mail_id = mail.id
            await session.commit()
        settings = settings_for(free_port())
        worker = MailWorker(
            sessions, settings, SmtpMailer(settings), orders=lambda: cast(OrderSystem, OrderSystemDown())
        )
        async with sessions() as session:
            assert await outbox.claim(session, worker.name) == [mail_id]
        assert await worker.deliver(mail_id) == 0
        return await row_then_dispose(engine, sessions, mail_id)

    row = asyncio.run(attempt())
    assert row.status == OUTBOX_PENDING and row.attempts == 1, (row.status, row.last_error)
    assert row.last_error is not None and "order system did not answer" in row.last_error
