"""Reporting periods: whole days [first, last] in a viewer's time zone, as the dashboard and the editors' report ask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from helpdesk.db.models import aware
from helpdesk.errors import Invalid

MAX_DAYS = 366


class RangeError(Invalid):
    """A date range or time zone a report cannot use (the message says what to send instead)."""


@dataclass(frozen=True)
class DateRange:
    """Whole days [first, last] (inclusive, as reports show them) in a time zone."""

    first: date
    last: date
    tz: ZoneInfo

    @classmethod
    def parse(
        cls, first: str | None, last: str | None, tz: str | None, default_days: int = 7, today: date | None = None
    ) -> DateRange:
        """From a report's query: ISO dates (default: the last `default_days` days to today) and an IANA zone (UTC)."""
        try:
            zone = ZoneInfo(tz or "UTC")
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise RangeError(f"unknown time zone {tz!r}: use an IANA name such as Europe/Amsterdam") from exc
        today = today or datetime.now(zone).date()
        try:
            end = date.fromisoformat(last) if last else today
            start = date.fromisoformat(first) if first else end - timedelta(days=default_days - 1)
        except ValueError as exc:
            raise RangeError("from and to must be dates like 2026-01-31") from exc
        if start > end:
            raise RangeError("from must not be after to")
        if (end - start).days >= MAX_DAYS:
            raise RangeError(f"the range may cover at most {MAX_DAYS} days")
        return cls(start, end, zone)

    @property
    def start(self) -> datetime:
        """The first day's midnight in the zone, as UTC (what the database stores)."""
        return datetime.combine(self.first, time(), self.tz).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """Midnight after the last day in the zone, as UTC (exclusive)."""
        return datetime.combine(self.last + timedelta(days=1), time(), self.tz).astimezone(UTC)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def day_of(self, moment: datetime) -> date:
        """The day `moment` (stored as UTC) falls on in the zone."""
        return aware(moment).astimezone(self.tz).date()

    def to_json(self) -> dict[str, str]:
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "tz": self.tz.key,
            "start_utc": self.start.isoformat(),
            "end_utc": self.end.isoformat(),
        }
