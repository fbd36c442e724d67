"""The outbox: e-mails waiting to go out, shared safely by every helpdesk process.

- `enqueue` adds a mail once: the same notice queued twice (two processes sweeping at once) has the same
  `dedupe_key`, and the unique index keeps one row.
- `claim` hands each due mail to exactly one process: PostgreSQL picks rows with SELECT … FOR UPDATE SKIP LOCKED
  (another process's claim is skipped, not waited for); SQLite runs the one UPDATE … WHERE status = 'pending'
  under its database write lock, so two processes never both change a row from pending.
- `sent`, `retry_later`, `failed`, `skipped` finish a claim; `expire_claims` gives up a claim whose process died
  while sending (it may have gone out: it is never sent again).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.db.models import (
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    OUTBOX_SENDING,
    OUTBOX_SENT,
    OUTBOX_SKIPPED,
    OutboxMail,
    utcnow,
)

MAX_BACKOFF_SECONDS = 3600.0


async def enqueue(
    session: AsyncSession,
    *,
    kind: str,
    dedupe_key: str,
    to_address: str,
    language: str,
    conversation_id: str | None,
    payload: dict[str, Any] | None = None,
    not_before: datetime | None = None,
) -> OutboxMail | None:
    """Queue a mail (flushed in the caller's transaction); None when one with this key is queued already."""
    existing = await session.scalar(select(OutboxMail.id).where(OutboxMail.dedupe_key == dedupe_key))
    if existing is not None:
        return None
    mail = OutboxMail(
        kind=kind,
        dedupe_key=dedupe_key,
        to_address=to_address,
        language=language,
        conversation_id=conversation_id,
        payload=payload,
        status=OUTBOX_PENDING,
        attempts=0,
        not_before=not_before or utcnow(),
    )
    try:
        async with session.begin_nested():
            session.add(mail)
    except IntegrityError:  # another process queued it a moment ago
        return None
    return mail


async def queued_keys(session: AsyncSession, keys: list[str]) -> set[str]:
    """Which of these keys are queued (in any state) already."""
    if not keys:
        return set()
    return set(await session.scalars(select(OutboxMail.dedupe_key).where(OutboxMail.dedupe_key.in_(keys))))


async def claim(session: AsyncSession, worker: str, limit: int = 10, now: datetime | None = None) -> list[int]:
    """Claim up to `limit` due mails for `worker` (committed): their ids. No other process gets them."""
    now = now or utcnow()
    due = (
        select(OutboxMail.id)
        .where(OutboxMail.status == OUTBOX_PENDING, OutboxMail.not_before <= now)
        .order_by(OutboxMail.not_before, OutboxMail.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        # the ids first, locked (SKIP LOCKED: another process's rows are passed over, not waited for), then the
        # update: one statement with the locking SELECT as a subquery may run it again per row and claim more
        wanted = list(await session.scalars(due.with_for_update(skip_locked=True)))
        if not wanted:
            await session.commit()
            return []
        chosen = OutboxMail.id.in_(wanted)
    else:
        # SQLite: the one UPDATE runs under the database's write lock; no other process changes a row between
        # its choice and its update
        chosen = OutboxMail.id.in_(due.scalar_subquery())
    claimed = await session.scalars(
        update(OutboxMail)
        .where(chosen, OutboxMail.status == OUTBOX_PENDING)
        .values(status=OUTBOX_SENDING, claimed_by=worker, claimed_at=now, attempts=OutboxMail.attempts + 1)
        .returning(OutboxMail.id)
        .execution_options(synchronize_session=False)
    )
    ids = sorted(claimed)
    await session.commit()
    return ids


async def _finish(session: AsyncSession, mail_id: int, worker: str, **values: Any) -> None:
    await session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, OutboxMail.status == OUTBOX_SENDING, OutboxMail.claimed_by == worker)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    await session.commit()


async def sent(session: AsyncSession, mail_id: int, worker: str) -> None:
    await _finish(session, mail_id, worker, status=OUTBOX_SENT, sent_at=utcnow(), last_error=None)


async def skipped(session: AsyncSession, mail_id: int, worker: str, why: str) -> None:
    await _finish(session, mail_id, worker, status=OUTBOX_SKIPPED, last_error=why)


async def failed(session: AsyncSession, mail_id: int, worker: str, error: str) -> None:
    await _finish(session, mail_id, worker, status=OUTBOX_FAILED, last_error=error[:2000])


def backoff(attempts: int, first_seconds: float) -> float:
    """The wait before the next try after `attempts` failed ones: first_seconds, doubled each time, at most an hour."""
    return float(min(MAX_BACKOFF_SECONDS, first_seconds * 2 ** max(0, attempts - 1)))


async def retry_later(
    session: AsyncSession, mail: OutboxMail, worker: str, error: str, max_attempts: int, first_backoff: float
) -> None:
    """A temporary failure: try again after the backoff, or give up after `max_attempts`."""
    if mail.attempts >= max_attempts:
        await failed(session, mail.id, worker, f"gave up after {mail.attempts} attempts: {error}")
        return
    wait = timedelta(seconds=backoff(mail.attempts, first_backoff))
    await _finish(
        session, mail.id, worker, status=OUTBOX_PENDING, not_before=utcnow() + wait, claimed_by=None, last_error=error
    )


async def expire_claims(session: AsyncSession, lease_seconds: float, now: datetime | None = None) -> int:
    """Claims older than the lease whose process never finished them (it died while sending): failed, not retried,
    since the mail may have gone out. Returns how many."""
    cutoff = (now or utcnow()) - timedelta(seconds=lease_seconds)
    result = await session.execute(
        update(OutboxMail)
        .where(OutboxMail.status == OUTBOX_SENDING, OutboxMail.claimed_at < cutoff)
        .values(status=OUTBOX_FAILED, last_error="interrupted while sending: not retried, it may have gone out")
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
