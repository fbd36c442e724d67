"""Whether the customer is on the page: when their widget last had the conversation open.

The widget's socket keeps `conversations.customer_seen_at` fresh while it is open (every `heartbeat` seconds and
once more when it closes); a poll of the transcript or a message sent touches it too (at most once per
`heartbeat` per conversation and process). An agent's reply newer than it, once the grace period has passed, goes
to the customer by e-mail (helpdesk/mail/sweep.py)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import AsyncIterator

from sqlalchemy import Update, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.db.engine import write_on_its_own
from helpdesk.db.models import Conversation, utcnow

log = logging.getLogger(__name__)
REMEMBERED = 10_000  # conversations whose last touch this process remembers (for the throttle)


@functools.cache
def _touch_statement() -> Update:
    """The presence touch's UPDATE, built once with the conversation and the time as parameters: a statement built
    anew for each touch had its cache key generated again on every execution (issue 22)."""
    conversations = Conversation.metadata.tables[Conversation.__tablename__]
    return (
        update(conversations)
        .where(conversations.c.id == bindparam("conversation_id", type_=conversations.c.id.type))
        .values(customer_seen_at=bindparam("seen_at", type_=conversations.c.customer_seen_at.type))
    )


class CustomerPresence:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], heartbeat: float) -> None:
        self.sessions = sessions
        self.heartbeat = heartbeat
        self._touched: dict[str, float] = {}

    async def seen(self, conversation_id: str, force: bool = False) -> None:
        """The customer's widget has the conversation open now."""
        now = time.monotonic()
        if not force and now - self._touched.get(conversation_id, -1e9) < self.heartbeat:
            return
        if len(self._touched) > REMEMBERED:
            self._touched.clear()
        self._touched[conversation_id] = now
        try:
            # one UPDATE: no BEGIN and COMMIT round trips around it, and no ORM session
            await write_on_its_own(
                self.sessions, _touch_statement(), {"conversation_id": conversation_id, "seen_at": utcnow()}
            )
        except Exception:  # never fail the customer's request over it: the next touch tries again
            self._touched.pop(conversation_id, None)
            log.warning("cannot note that conversation %s is open", conversation_id, exc_info=True)

    @contextlib.asynccontextmanager
    async def holding(self, conversation_id: str) -> AsyncIterator[None]:
        """While the block runs (a widget socket is open) the customer counts as on the page."""

        async def beat() -> None:
            while True:
                await self.seen(conversation_id, force=True)
                await asyncio.sleep(self.heartbeat)

        task = asyncio.create_task(beat())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await self.seen(conversation_id, force=True)
