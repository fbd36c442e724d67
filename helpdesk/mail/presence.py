"""Whether the customer is on the page: when their widget last had the conversation open.

The widget's socket keeps `conversations.customer_seen_at` fresh while it is open (every `heartbeat` seconds and
once more when it closes); a poll of the transcript or a message sent touches it too (at most once per
`heartbeat` per conversation and process). An agent's reply newer than it, once the grace period has passed, goes
to the customer by e-mail (helpdesk/mail/sweep.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.db.engine import statements_on_their_own
from helpdesk.db.models import Conversation, utcnow

log = logging.getLogger(__name__)
REMEMBERED = 10_000  # conversations whose last touch this process remembers (for the throttle)


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
            async with self.sessions() as session:
                await statements_on_their_own(session)  # one UPDATE: no BEGIN and COMMIT round trips around it
                await session.execute(
                    update(Conversation)
                    .where(Conversation.id == conversation_id)
                    .values(customer_seen_at=utcnow())
                    .execution_options(synchronize_session=False)
                )
                await session.commit()
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
