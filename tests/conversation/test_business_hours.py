"""The business-hours schedule (helpdesk/conversation/business_hours.py): open or not, the next opening, holidays,
time zones and daylight-saving days, the customer's "back" text, the shipped file, and every malformed file refused."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from helpdesk.config import PROJECT_ROOT, Settings, business_hours_file_from_env
from helpdesk.conversation.business_hours import BusinessHours, ScheduleError, load_schedule, parse_schedule

AMS = ZoneInfo("Europe/Amsterdam")
WEEKDAYS = {day: ["09:00-17:00"] for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}


def schedule(time_zone: str = "Europe/Amsterdam", **overrides: object) -> BusinessHours:
    return parse_schedule({"time_zone": time_zone, "weekly": WEEKDAYS, **overrides}, "test schedule")


def at(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)


def test_open_from_the_start_to_just_before_the_end_of_an_interval() -> None:
    hours = schedule()
    monday = (2026, 11, 30)
    assert not hours.is_open(at(AMS, *monday, 8, 59, 59))
    assert hours.is_open(at(AMS, *monday, 9, 0))
    assert hours.is_open(at(AMS, *monday, 16, 59, 59))
    assert not hours.is_open(at(AMS, *monday, 17, 0))  # the end is excluded
    assert not hours.is_open(at(AMS, 2026, 11, 29, 12, 0))  # Sunday: not in the schedule


def test_several_intervals_a_day_leave_a_lunch_break_and_24_00_ends_at_midnight() -> None:
    hours = schedule(weekly={"saturday": ["10:00-12:00", "13:00-24:00"]})
    saturday = (2026, 11, 28)
    assert hours.is_open(at(AMS, *saturday, 11, 59))
    assert not hours.is_open(at(AMS, *saturday, 12, 30))
    assert hours.next_open(at(AMS, *saturday, 12, 30)) == at(AMS, *saturday, 13, 0)
    assert hours.is_open(at(AMS, *saturday, 23, 59, 59))
    assert not hours.is_open(at(AMS, 2026, 11, 29, 0, 0))


def test_the_same_instant_is_judged_in_the_shops_own_time_zone() -> None:
    instant = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)  # Monday 09:30 in Amsterdam, 03:30 in New York
    assert schedule("Europe/Amsterdam").is_open(instant)
    assert not schedule("America/New_York").is_open(instant)
    assert schedule("America/New_York").next_open(instant) == datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    # Sunday evening in UTC is already Monday morning in Auckland
    sunday_evening = datetime(2026, 11, 29, 21, 0, tzinfo=UTC)
    assert schedule("Pacific/Auckland").is_open(sunday_evening)
    assert not schedule("Europe/Amsterdam").is_open(sunday_evening)


def test_holidays_are_closed_all_day_and_the_next_opening_skips_them() -> None:
    hours = schedule(holidays=[date(2026, 12, 24), "2026-12-25"])
    assert not hours.is_open(at(AMS, 2026, 12, 24, 11, 0))  # a Thursday
    assert not hours.is_open(at(AMS, 2026, 12, 25, 11, 0))
    status = hours.status(at(AMS, 2026, 12, 23, 18, 0))
    assert status.open is False
    assert status.next_open == at(AMS, 2026, 12, 28, 9, 0)  # Thu and Fri holidays, then the weekend
    assert status.back == "on Monday at 09:00 (Amsterdam time)"


def test_a_holiday_is_a_local_date_not_a_utc_one() -> None:
    hours = schedule("Pacific/Auckland", holidays=["2026-12-01"])
    # 2026-11-30 22:00 UTC is Tuesday 1 December 11:00 in Auckland: the holiday
    assert not hours.is_open(datetime(2026, 11, 30, 22, 0, tzinfo=UTC))
    # 2026-12-01 22:00 UTC is Wednesday 2 December 11:00 there: open again
    assert hours.is_open(datetime(2026, 12, 1, 22, 0, tzinfo=UTC))


def test_next_opening_across_the_spring_forward_keeps_local_wall_time() -> None:
    hours = schedule()
    # Amsterdam moves to summer time on Sunday 28 March 2027: Monday 09:00 is 07:00 UTC, not 08:00
    opens = hours.next_open(at(AMS, 2027, 3, 26, 18, 0))
    assert opens is not None
    assert opens.astimezone(UTC) == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    week_before = hours.next_open(at(AMS, 2027, 3, 19, 18, 0))
    assert week_before is not None and week_before.astimezone(UTC) == datetime(2027, 3, 22, 8, 0, tzinfo=UTC)


def test_open_across_the_fall_back_night_follows_the_wall_clock() -> None:
    hours = schedule(weekly={"sunday": ["00:00-03:00"]})
    # 25 October 2026: 02:30 happens twice in Amsterdam (00:30 and 01:30 UTC); both are inside 00:00-03:00
    assert hours.is_open(datetime(2026, 10, 25, 0, 30, tzinfo=UTC))
    assert hours.is_open(datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    assert not hours.is_open(datetime(2026, 10, 25, 2, 0, tzinfo=UTC))  # 03:00 winter time
    # the day is 25 hours long: open for four real hours
    assert hours.is_open(datetime(2026, 10, 24, 22, 0, tzinfo=UTC))  # 00:00 summer time


def test_the_back_text_says_today_tomorrow_a_weekday_or_a_date() -> None:
    hours = schedule(holidays=["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11"])
    assert hours.status(at(AMS, 2026, 11, 30, 7, 0)).back == "today at 09:00 (Amsterdam time)"
    assert hours.status(at(AMS, 2026, 11, 30, 18, 0)).back == "tomorrow at 09:00 (Amsterdam time)"
    assert hours.status(at(AMS, 2026, 12, 4, 18, 0)).back == "on Monday 14 December at 09:00 (Amsterdam time)"
    assert schedule("UTC").status(datetime(2026, 11, 28, 12, 0, tzinfo=UTC)).back == "on Monday at 09:00 (UTC)"
    assert schedule("America/New_York").status(at(AMS, 2026, 11, 30, 7, 0)).back.endswith("(New York time)")


def test_open_status_has_no_next_opening_and_its_json_is_what_the_widget_reads() -> None:
    hours = schedule()
    assert hours.status(at(AMS, 2026, 11, 30, 10, 0)).to_json() == {
        "open": True,
        "next_open": None,
        "time_zone": "Europe/Amsterdam",
        "back": None,
        "back_zh": None,
        "back_zh_hant": None,
    }
    closed = hours.status(at(AMS, 2026, 11, 30, 18, 0)).to_json()
    assert closed["open"] is False
    assert closed["next_open"] == "2026-12-01T09:00:00+01:00"
    assert closed["back_zh"] == "明天 09:00（Amsterdam 时间）"
    assert closed["back_zh_hant"] == "明天 09:00（Amsterdam 時間）"  # for a widget in traditional characters
    assert hours.status(at(AMS, 2026, 12, 4, 18, 0)).back_zh == "星期一 09:00（Amsterdam 时间）"  # Friday evening


def test_a_schedule_without_open_hours_is_always_closed_and_never_opens() -> None:
    hours = parse_schedule({"time_zone": "Europe/Amsterdam", "weekly": {}}, "closed")
    status = hours.status(datetime(2026, 11, 30, 10, 0, tzinfo=UTC))
    assert (status.open, status.next_open, status.back) == (False, None, None)


def test_no_schedule_means_always_open() -> None:
    hours = load_schedule(None)
    assert hours.is_open(datetime(2026, 12, 25, 3, 0, tzinfo=UTC))
    assert hours.status().open is True


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule().is_open(datetime(2026, 11, 30, 10, 0))


def test_the_shipped_schedule_loads() -> None:
    hours = load_schedule(PROJECT_ROOT / "config" / "business_hours.yml")
    assert hours.time_zone.key == "Europe/Amsterdam"
    assert hours.is_open(at(AMS, 2026, 12, 1, 10, 0))  # a Tuesday
    assert not hours.is_open(at(AMS, 2026, 12, 6, 12, 0))  # Sunday
    assert not hours.is_open(at(AMS, 2026, 12, 25, 12, 0))  # Christmas Day
    assert hours.next_open(at(AMS, 2026, 12, 24, 21, 0)) == at(AMS, 2026, 12, 28, 8, 30)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"weekly": WEEKDAYS}, "time_zone is missing"),
        ({"time_zone": "Mars/Olympus_Mons", "weekly": WEEKDAYS}, "not a known time zone"),
        ({"time_zone": "UTC", "weekly": {"monday": ["17:00-09:00"]}}, "must end after it starts"),
        ({"time_zone": "UTC", "weekly": {"monday": ["09:00-25:00"]}}, "is not a time of day"),
        ({"time_zone": "UTC", "weekly": {"monday": ["9 to 5"]}}, 'must look like "09:00-17:30"'),
        ({"time_zone": "UTC", "weekly": {"monday": ["09:00-13:00", "12:00-17:00"]}}, "intervals overlap"),
        ({"time_zone": "UTC", "weekly": {"mondays": ["09:00-17:00"]}}, "unknown days"),
        ({"time_zone": "UTC", "weekly": WEEKDAYS, "holidays": ["christmas"]}, "must be a date"),
        ({"time_zone": "UTC", "weekly": WEEKDAYS, "opening": []}, "unknown keys"),
        (["09:00-17:00"], "must be a mapping"),
    ],
)
def test_a_malformed_schedule_is_refused_with_the_reason(raw: object, problem: str) -> None:
    with pytest.raises(ScheduleError, match=problem) as refused:
        parse_schedule(raw, "config/business_hours.yml")
    assert "config/business_hours.yml" in str(refused.value)


def test_a_missing_or_broken_file_is_refused_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(ScheduleError, match="cannot read"):
        load_schedule(tmp_path / "nope.yml")
    broken = tmp_path / "broken.yml"
    broken.write_text("time_zone: [Europe/Amsterdam\n")
    with pytest.raises(ScheduleError, match="not valid YAML"):
        load_schedule(broken)


def test_the_environment_points_at_another_file_or_turns_the_schedule_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BUSINESS_HOURS", raising=False)
    monkeypatch.delenv("BUSINESS_HOURS_FILE", raising=False)
    assert Settings.from_env().business_hours_file == PROJECT_ROOT / "config" / "business_hours.yml"
    monkeypatch.setenv("BUSINESS_HOURS_FILE", "config/other_hours.yml")
    assert business_hours_file_from_env() == PROJECT_ROOT / "config" / "other_hours.yml"
    monkeypatch.setenv("BUSINESS_HOURS_FILE", "/etc/shop/hours.yml")
    assert business_hours_file_from_env() == Path("/etc/shop/hours.yml")
    monkeypatch.setenv("BUSINESS_HOURS", "off")
    assert business_hours_file_from_env() is None
    monkeypatch.setenv("BUSINESS_HOURS", "sometimes")
    with pytest.raises(ValueError, match="BUSINESS_HOURS must be true or false"):
        business_hours_file_from_env()


def test_an_opening_inside_the_skipped_hour_is_when_the_clocks_jump() -> None:
    hours = schedule(weekly={"sunday": ["02:30-05:00"]})
    # 29 March 2026: Amsterdam's clocks jump from 02:00 to 03:00 (01:00 UTC); 02:30 never happens that night
    before = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 winter time
    status = hours.status(before)
    assert not status.open
    assert status.next_open is not None and status.next_open.astimezone(UTC) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert status.back == "today at 03:00 (Amsterdam time)"
    # and the team is indeed in from the jump: what the customer is told and what is_open says agree
    assert hours.is_open(datetime(2026, 3, 29, 1, 0, tzinfo=UTC))
    assert not hours.is_open(datetime(2026, 3, 29, 0, 59, tzinfo=UTC))
    # a week later 02:30 exists again (00:30 UTC in summer time)
    week_after = hours.next_open(datetime(2026, 4, 4, 12, 0, tzinfo=UTC))
    assert week_after is not None and week_after.astimezone(UTC) == datetime(2026, 4, 5, 0, 30, tzinfo=UTC)
