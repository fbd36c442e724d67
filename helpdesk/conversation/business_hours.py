"""Business hours: when the support team is in, from a weekly schedule in the shop's time zone, minus holidays.

The schedule lives in a YAML file (config/business_hours.yml by default; BUSINESS_HOURS_FILE points at
another one, BUSINESS_HOURS=off means always open):

    time_zone: Europe/Amsterdam        # an IANA zone (zoneinfo)
    weekly:                            # local opening hours; a day left out is closed all day
      monday: ["09:00-17:30"]
      saturday: ["10:00-12:00", "13:00-16:00"]
    holidays: [2026-12-25, 2026-12-26] # local dates closed all day

Intervals are local wall-clock times, start included and end excluded; "24:00" ends at midnight. A
schedule with no open interval at all is always closed (and has no next opening).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from helpdesk.conversation.script import traditional
from helpdesk.i18n import WEEKDAYS_ZH

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HORIZON_DAYS = 400  # how far ahead the next opening is looked for (long holiday lists included)
_INTERVAL = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class ScheduleError(ValueError):
    """The business-hours file is malformed: the message names the file and the key."""


@dataclass(frozen=True)
class Interval:
    """Open from `start` to `end`, in seconds since local midnight (end may be 86400: midnight)."""

    start: int
    end: int

    def __contains__(self, seconds: int) -> bool:
        return self.start <= seconds < self.end


@dataclass(frozen=True)
class OpeningStatus:
    open: bool
    next_open: datetime | None  # None while open, or when the schedule never opens
    time_zone: str
    back: str | None  # "on Monday at 09:00 (Amsterdam time)": when the team is back, for customers
    back_zh: str | None = None  # the same for Chinese customers: "星期一 09:00（Amsterdam 时间）"

    def to_json(self) -> dict[str, Any]:
        return {
            "open": self.open,
            "next_open": self.next_open.isoformat() if self.next_open is not None else None,
            "time_zone": self.time_zone,
            "back": self.back,
            "back_zh": self.back_zh,
            # the same in traditional characters, for a widget in them (additive: "星期一 09:00（Amsterdam 時間）")
            "back_zh_hant": traditional(self.back_zh) if self.back_zh is not None else None,
        }


def _time_zone_label(key: str) -> str:
    if key.upper() in ("UTC", "ETC/UTC", "GMT", "ETC/GMT", "Z"):
        return "UTC"
    return key.rsplit("/", 1)[-1].replace("_", " ") + " time"


@dataclass(frozen=True)
class BusinessHours:
    time_zone: ZoneInfo
    weekly: tuple[tuple[Interval, ...], ...]  # Monday first, seven entries
    holidays: frozenset[date] = frozenset()
    always_open: bool = False
    source: str = field(default="", compare=False)
    # how many schedules this object has adopted: a reader of the stored schedule that saw another adopted while it
    # read knows its copy is older (helpdesk/admin/hours.py `apply_stored`)
    revision: int = field(default=0, compare=False)

    @classmethod
    def always(cls) -> BusinessHours:
        """No schedule: the team is always in."""
        return cls(ZoneInfo("UTC"), tuple(() for _ in DAYS), always_open=True, source="always open")

    def adopt(self, other: BusinessHours) -> None:
        """Take `other`'s schedule in place: everything holding this object (the chat's handoffs, the queue's wait
        estimates, the widget's opening status) follows a change made in the admin screen at once."""
        for name in ("time_zone", "weekly", "holidays", "always_open", "source"):
            object.__setattr__(self, name, getattr(other, name))
        object.__setattr__(self, "revision", self.revision + 1)

    def to_raw(self) -> dict[str, Any]:
        """The schedule as the file writes it (parse_schedule reads it back); always open: no weekly hours."""

        def clock(seconds: int) -> str:
            return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"

        return {
            "time_zone": self.time_zone.key,
            "weekly": {
                day: [f"{clock(i.start)}-{clock(i.end)}" for i in intervals] or "closed"
                for day, intervals in zip(DAYS, self.weekly, strict=True)
            },
            "holidays": sorted(d.isoformat() for d in self.holidays),
        }

    def _local(self, now: datetime) -> datetime:
        if now.tzinfo is None:
            raise ValueError("business hours need a timezone-aware time")
        return now.astimezone(self.time_zone)

    def intervals_on(self, day: date) -> tuple[Interval, ...]:
        if day in self.holidays:
            return ()
        return self.weekly[day.weekday()]

    def is_open(self, now: datetime) -> bool:
        if self.always_open:
            return True
        local = self._local(now)
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        return any(seconds in interval for interval in self.intervals_on(local.date()))

    def _starts(self, day: date) -> list[datetime]:
        midnight = datetime(day.year, day.month, day.day, tzinfo=self.time_zone)
        # wall-clock arithmetic: the offset is the one in force at the resulting local time
        walls = [midnight + timedelta(seconds=interval.start) for interval in self.intervals_on(day)]
        return [self._first_instant_at(wall) for wall in walls]

    def _first_instant_at(self, wall: datetime) -> datetime:
        """The first instant whose local clock reads `wall` or later: `wall` itself, unless it falls in the hour
        the clocks skip when summer time starts (02:30 on that day opens at 03:00, as `is_open` judges it)."""
        instant = wall.astimezone(UTC)
        naive = wall.replace(tzinfo=None)
        if instant.astimezone(self.time_zone).replace(tzinfo=None) == naive:
            return wall
        step = timedelta(minutes=1)  # gaps are whole minutes in every zone in use today
        while (instant - step).astimezone(self.time_zone).replace(tzinfo=None) >= naive:
            instant -= step
        return instant.astimezone(self.time_zone)

    def next_open(self, now: datetime) -> datetime | None:
        """When the team is next in, as an aware time in the shop's zone; None while open, or if never."""
        if self.is_open(now):
            return None
        today = self._local(now).date()
        for offset in range(HORIZON_DAYS):
            for start in self._starts(today + timedelta(days=offset)):
                if start > now:
                    return start
        return None

    def back_text(self, now: datetime, opens: datetime) -> str:
        """'today at 09:00', 'tomorrow at 09:00', 'on Monday at 09:00' or 'on Monday 5 January at 09:00',
        in the shop's time zone, with the zone named."""
        local = opens.astimezone(self.time_zone)
        days = (local.date() - self._local(now).date()).days
        clock = local.strftime("%H:%M")
        if days <= 0:
            when = f"today at {clock}"
        elif days == 1:
            when = f"tomorrow at {clock}"
        elif days < 7:
            when = f"on {local.strftime('%A')} at {clock}"
        else:
            when = f"on {local.strftime('%A')} {local.day} {local.strftime('%B')} at {clock}"
        return f"{when} ({_time_zone_label(self.time_zone.key)})"

    def back_text_zh(self, now: datetime, opens: datetime) -> str:
        """'今天 09:00', '明天 09:00', '星期一 09:00' or '1月5日（星期一）09:00', then the zone: '（UTC 时间）'."""
        local = opens.astimezone(self.time_zone)
        days = (local.date() - self._local(now).date()).days
        clock = local.strftime("%H:%M")
        weekday = WEEKDAYS_ZH[local.weekday()]
        if days <= 0:
            when = f"今天 {clock}"
        elif days == 1:
            when = f"明天 {clock}"
        elif days < 7:
            when = f"{weekday} {clock}"
        else:
            when = f"{local.month}月{local.day}日（{weekday}）{clock}"
        return f"{when}（{_time_zone_label(self.time_zone.key).removesuffix(' time')} 时间）"

    def status(self, now: datetime | None = None) -> OpeningStatus:
        now = now or datetime.now(UTC)
        is_open = self.is_open(now)
        opens = None if is_open else self.next_open(now)
        back = self.back_text(now, opens) if opens is not None else None
        back_zh = self.back_text_zh(now, opens) if opens is not None else None
        return OpeningStatus(is_open, opens, self.time_zone.key, back, back_zh)


# ---- loading -------------------------------------------------------------------------------------


def _clock(hours: str, minutes: str, where: str) -> int:
    h, m = int(hours), int(minutes)
    if m > 59 or h > 24 or (h == 24 and m != 0):
        raise ScheduleError(f"{where}: {hours}:{minutes} is not a time of day (00:00 to 24:00)")
    return h * 3600 + m * 60


def _interval(raw: object, where: str) -> Interval:
    match = _INTERVAL.match(raw) if isinstance(raw, str) else None
    if match is None:
        raise ScheduleError(f'{where}: {raw!r} must look like "09:00-17:30"')
    start = _clock(match[1], match[2], where)
    end = _clock(match[3], match[4], where)
    if start >= end:
        raise ScheduleError(f"{where}: {raw!r} must end after it starts (split an overnight shift over two days)")
    return Interval(start, end)


def _day(raw: object, where: str) -> tuple[Interval, ...]:
    if raw is None or raw == "closed":
        return ()
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list):
        raise ScheduleError(f'{where}: must be a list of intervals like ["09:00-17:30"], or "closed"')
    intervals = sorted((_interval(item, where) for item in items), key=lambda i: i.start)
    for before, after in zip(intervals, intervals[1:], strict=False):
        if after.start < before.end:
            raise ScheduleError(f"{where}: intervals overlap")
    return tuple(intervals)


def _holiday(raw: object, where: str) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError as exc:
        raise ScheduleError(f"{where}: {raw!r} must be a date like 2026-12-25") from exc


def parse_schedule(raw: object, source: str = "business hours") -> BusinessHours:
    if not isinstance(raw, dict):
        raise ScheduleError(f"{source}: must be a mapping with time_zone, weekly and holidays")
    unknown = set(raw) - {"time_zone", "weekly", "holidays"}
    if unknown:
        raise ScheduleError(f"{source}: unknown keys {sorted(unknown)} (time_zone, weekly, holidays)")
    zone_name = raw.get("time_zone")
    if not isinstance(zone_name, str):
        raise ScheduleError(f"{source}: time_zone is missing (an IANA zone such as Europe/Amsterdam)")
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ScheduleError(f"{source}: time_zone {zone_name!r} is not a known time zone") from exc
    weekly_raw = raw.get("weekly") or {}
    if not isinstance(weekly_raw, dict):
        raise ScheduleError(f"{source}: weekly must map day names to intervals")
    bad_days = {str(k) for k in weekly_raw} - set(DAYS)
    if bad_days:
        raise ScheduleError(f"{source}: weekly: unknown days {sorted(bad_days)} (monday to sunday)")
    weekly = tuple(_day(weekly_raw.get(day), f"{source}: weekly.{day}") for day in DAYS)
    holidays_raw = raw.get("holidays") or []
    if not isinstance(holidays_raw, list):
        raise ScheduleError(f"{source}: holidays must be a list of dates")
    holidays = frozenset(_holiday(item, f"{source}: holidays[{i}]") for i, item in enumerate(holidays_raw))
    return BusinessHours(zone, weekly, holidays, source=source)


def load_schedule(path: Path | None) -> BusinessHours:
    """The schedule in `path`; None: always open."""
    if path is None:
        return BusinessHours.always()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScheduleError(f"{path}: cannot read the business-hours file: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise ScheduleError(f"{path}: not valid YAML: {exc}") from exc
    return parse_schedule(raw, str(path))
