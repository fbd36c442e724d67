"""Hours saved in the admin screen while the process's refresher (helpdesk/admin/hours.py `follow_forever`) reads the
stored schedule: the save wins. The refresher used to read the row, give the event loop away (closing its session),
and then adopt what it had read, after the save had adopted the new hours: the helpdesk said "Closed now" for up to
REFRESH_SECONDS after an admin opened it 00:00-24:00 (tests/browser/test_admin_browser.py[phone] failed once).
On a real SQLite database; the refresher's session is held open a moment after its read to make the race certain."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from helpdesk.admin import hours
from helpdesk.conversation.business_hours import DAYS, parse_schedule
from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.db.models import Agent

CLOSED = {"time_zone": "UTC", "weekly": {day: "closed" for day in DAYS}, "holidays": []}
OPEN = {"time_zone": "UTC", "weekly": {day: ["00:00-24:00"] for day in DAYS}, "holidays": []}


def test_hours_saved_while_the_refresher_reads_are_the_ones_kept(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hours.db'}"
    migrate(url)

    async def scenario() -> dict[str, Any]:
        engine = create_engine(url)
        sessions = session_factory(engine)
        try:
            async with sessions() as session:
                admin = Agent(username="boss", display_name="Boss", role="admin", password_hash="-")
                session.add(admin)
                await session.commit()
            live = parse_schedule(OPEN, "file")
            async with sessions() as session:
                await hours.save(session, admin, CLOSED, live)  # the admin closed every day
            read = asyncio.Event()

            @asynccontextmanager
            async def slow_sessions() -> AsyncIterator[Any]:
                # the refresher's session: it has read the stored (closed) row when the admin saves again
                async with sessions() as session:
                    yield session
                    read.set()
                    await asyncio.sleep(0.3)

            refresher = asyncio.create_task(hours.apply_stored(slow_sessions, live))  # type: ignore[arg-type]
            await read.wait()
            async with sessions() as session:
                await hours.save(session, admin, OPEN, live)  # ... and opens it 00:00-24:00
            await refresher
            return live.to_raw()
        finally:
            await engine.dispose()

    kept = asyncio.run(scenario())
    assert kept["weekly"] == {day: ["00:00-24:00"] for day in DAYS}, kept
