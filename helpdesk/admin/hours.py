"""Business hours changed in the admin screen: validated exactly as config/business_hours.yml is
(`parse_schedule`), stored in the database (helpdesk_settings, key "business_hours"), and adopted at once by the
running schedule every part of the helpdesk holds, so handoffs follow the change. The stored schedule wins over
the file from then on; every helpdesk process picks it up at start and within `REFRESH_SECONDS` after a change."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.admin import audit
from helpdesk.conversation.business_hours import BusinessHours, ScheduleError, parse_schedule
from helpdesk.db.models import Agent, HelpdeskSetting, aware, iso, utcnow
from helpdesk.errors import Invalid

KEY = "business_hours"
SOURCE = "the admin screen"
REFRESH_SECONDS = 10.0
MAX_HOLIDAYS = 400
log = logging.getLogger(__name__)


async def stored(session: AsyncSession) -> HelpdeskSetting | None:
    return await session.get(HelpdeskSetting, KEY)


def view(live: BusinessHours, row: HelpdeskSetting | None, now: datetime | None = None) -> dict[str, Any]:
    return {
        "schedule": live.to_raw(),
        "always_open": live.always_open,
        "source": SOURCE if row is not None else (live.source or "the file"),
        "updated_at": iso(row.updated_at) if row is not None else None,
        "status": live.status(now).to_json(),
    }


async def save(session: AsyncSession, actor: Agent, raw: object, live: BusinessHours) -> dict[str, Any]:
    """Validate, store, audit and adopt a new schedule ({"time_zone", "weekly", "holidays"})."""
    if isinstance(raw, dict) and len(raw.get("holidays") or []) > MAX_HOLIDAYS:
        raise Invalid(f"at most {MAX_HOLIDAYS} holidays")
    try:
        schedule = parse_schedule(raw, "business hours")
    except ScheduleError as exc:
        raise Invalid(str(exc)) from exc
    before = live.to_raw()
    value = schedule.to_raw()
    row = await stored(session)
    if row is None:
        row = HelpdeskSetting(key=KEY, value=value, updated_at=utcnow(), updated_by=actor.id)
        session.add(row)
    else:
        row.value, row.updated_at, row.updated_by = value, utcnow(), actor.id
    audit.record(session, actor, "business_hours.save", KEY, before=before, after=value)
    await session.commit()
    live.adopt(BusinessHours(schedule.time_zone, schedule.weekly, schedule.holidays, source=SOURCE))
    return view(live, row)


async def apply_stored(sessions: async_sessionmaker[AsyncSession], live: BusinessHours) -> datetime | None:
    """Adopt the stored schedule, if there is one; its time stamp (None: the file's schedule stays). A schedule
    adopted while this one was read (an admin's save in this process) is newer than what was read: it stays, and the
    next refresh reads again (adopting the older read made the admin screen say "Closed now" right after a save)."""
    revision = live.revision
    async with sessions() as session:
        row = await stored(session)
    if row is None or live.revision != revision:
        return None if row is None else aware(row.updated_at)
    try:
        schedule = parse_schedule(row.value, SOURCE)
    except ScheduleError:
        log.exception("the stored business hours are invalid: keeping the current schedule")
        return aware(row.updated_at)
    if schedule.to_raw() != live.to_raw() or live.always_open:
        live.adopt(BusinessHours(schedule.time_zone, schedule.weekly, schedule.holidays, source=SOURCE))
    return aware(row.updated_at)


async def follow_forever(sessions: async_sessionmaker[AsyncSession], live: BusinessHours) -> None:
    """Keep this process's schedule in step with changes saved by any process."""
    while True:
        await asyncio.sleep(REFRESH_SECONDS)
        try:
            await apply_stored(sessions, live)
        except Exception:  # a database hiccup: try again next time
            log.exception("could not read the stored business hours")
