"""Shop facts shown in Chinese: opening hours as a Chinese sentence or list (the other facts, amounts, days and
times, read the same in both languages). Used when a Chinese handbook answer cites ``{{fact:support_hours}}``
or ``{{fact:support_hours_list}}``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from helpdesk.conversation.business_hours import BusinessHours

DAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
DASH = "–"
CITIES_ZH = {
    "Amsterdam": "阿姆斯特丹",
    "Berlin": "柏林",
    "Brussels": "布鲁塞尔",
    "London": "伦敦",
    "Paris": "巴黎",
    "Shanghai": "上海",
    "Zurich": "苏黎世",
}


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def zone_label_zh(key: str) -> str:
    """'Europe/Amsterdam' → '阿姆斯特丹时间'; UTC stays UTC."""
    if key.upper() in ("UTC", "ETC/UTC", "GMT", "ETC/GMT", "Z"):
        return "UTC"
    city = key.rsplit("/", 1)[-1].replace("_", " ")
    return f"{CITIES_ZH.get(city, city)}时间"


def _groups(schedule: BusinessHours) -> list[tuple[str, str | None]]:
    """(days, hours) per run of consecutive days with the same hours, in Chinese; hours None: closed."""
    runs: list[tuple[list[int], str | None]] = []
    for day, intervals in enumerate(schedule.weekly):
        hours = "、".join(f"{_clock(i.start)}{DASH}{_clock(i.end)}" for i in intervals) or None
        if runs and runs[-1][1] == hours and runs[-1][0][-1] == day - 1:
            runs[-1][0].append(day)
        else:
            runs.append(([day], hours))
    labels = []
    for days, hours in runs:
        if len(days) == 1:
            label = DAYS_ZH[days[0]]
        else:
            label = f"{DAYS_ZH[days[0]]}{'和' if len(days) == 2 else '至'}{DAYS_ZH[days[-1]]}"
        labels.append((label, hours))
    return labels


def hours_sentence_zh(schedule: BusinessHours) -> str:
    """'周一至周四 08:30–20:00，周五 08:30–18:00，周六 10:00–16:00（阿姆斯特丹时间）；周日和公共假日休息'."""
    if schedule.always_open:
        return "每天全天 24 小时"
    groups = _groups(schedule)
    open_parts = [f"{days} {hours}" for days, hours in groups if hours]
    if not open_parts:
        return "暂停服务，另行通知"
    closed = [days for days, hours in groups if hours is None] + (["公共假日"] if schedule.holidays else [])
    text = "，".join(open_parts) + f"（{zone_label_zh(schedule.time_zone.key)}）"
    return text + (f"；{'和'.join(closed)}休息" if closed else "")


def hours_list_zh(schedule: BusinessHours) -> str:
    """The schedule as a Markdown list: '- **周一至周四：** 08:30–20:00（阿姆斯特丹时间）' per group."""
    if schedule.always_open:
        return "- **每天：** 全天 24 小时"
    zone = zone_label_zh(schedule.time_zone.key)
    groups = _groups(schedule)
    lines = [f"- **{days}：** {hours}（{zone}）" for days, hours in groups if hours]
    closed = [days for days, hours in groups if hours is None] + (["公共假日"] if schedule.holidays else [])
    if closed:
        lines.append(f"- **{'和'.join(closed)}：** 休息")
    return "\n".join(lines)
