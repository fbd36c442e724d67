"""bench/scale_bench.py measures the CPU per reply at saturation in windows after a warm-up, and reports the median
of the windows with their spread (issue 22: one 20-s window from the level's first second gave 13.4–16.6 ms for one
tree). The windows' arithmetic, the warm-up left out, and the report."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from cpu_windows import (  # noqa: E402
    idle_ms_per_s,
    machine_times,
    saturation_marks,
    spread,
    summarise,
    title_names,
    tree_preemptions,
    windows,
)
from scale_bench import measure_in_windows, render_markdown, targets  # noqa: E402
from support.bench_report import bench_result


def shot(at: float, rasa: float, helpdesk: float, replies: int, **extra: float) -> dict[str, Any]:
    return {
        "at": at,
        "services": {"rasa": rasa, "helpdesk": helpdesk},
        "replies": replies,
        "kinds": {"faq": replies // 2, "greeting": replies - replies // 2},
        "load_generator": extra.get("load_generator", 0.0),
        "postgres": extra.get("postgres", 0.0),
        "redis": extra.get("redis", 0.0),
        "machine_busy": extra.get("busy", 0.0),
        "machine_steal": extra.get("steal", 0.0),
        "reference_ms": extra.get("reference_ms", 1.5),
    }


# the warm-up's snapshot is the first: 10 s in, 400 replies and 6 CPU seconds already (dear first seconds), then
# three 15-s windows of 1000 replies each
SNAPSHOTS = [
    shot(10.0, 4.0, 2.0, 400, load_generator=1.0, postgres=0.5, busy=19.0, reference_ms=1.5),
    shot(25.0, 11.0, 6.0, 1400, load_generator=4.0, postgres=1.5, busy=49.0, steal=0.3, reference_ms=1.5),
    shot(40.0, 18.5, 10.5, 2400, load_generator=7.0, postgres=2.5, busy=79.0, steal=0.6, reference_ms=1.7),
    shot(55.0, 25.0, 14.5, 3400, load_generator=10.0, postgres=3.5, busy=109.0, steal=0.9, reference_ms=1.5),
]


def test_the_windows_start_after_the_warm_up() -> None:
    assert saturation_marks(10.0, 3, 15.0) == [10.0, 25.0, 40.0, 55.0]
    assert saturation_marks(15.0, 4, 15.0) == [15.0, 30.0, 45.0, 60.0, 75.0]


def test_each_window_is_its_own_cpu_over_its_own_replies() -> None:
    found = windows(SNAPSHOTS)
    assert [w["cpu_ms_per_reply"] for w in found] == [
        {"rasa": 7.0, "helpdesk": 4.0, "all": 11.0},
        {"rasa": 7.5, "helpdesk": 4.5, "all": 12.0},
        {"rasa": 6.5, "helpdesk": 4.0, "all": 10.5},
    ]
    first = found[0]
    assert first["replies_per_s"] == round(1000 / 15, 2)
    assert first["load_generator_ms_per_reply"] == 3.0
    assert first["postgres_ms_per_reply"] == 1.0
    assert first["machine_cores_busy"] == 2.0
    # 30 busy CPU seconds, of which the stack 11, the load generator 3, PostgreSQL 1: 15 s by other jobs in 15 s
    assert first["others_cores"] == 1.0
    assert first["steal_share"] == round(0.3 / 30.3, 4)
    assert [w["reference_ms"] for w in found] == [1.5, 1.6, 1.6]
    assert first["kinds"] == {"faq": 500, "greeting": 500}


def test_the_figure_is_the_median_of_the_windows_with_their_spread() -> None:
    summary = summarise(windows(SNAPSHOTS))
    assert summary["windows"] == 3
    assert summary["cpu_ms_per_reply"]["all"] == {"median": 11.0, "min": 10.5, "max": 12.0, "spread": 1.5}
    assert summary["cpu_ms_per_reply"]["rasa"]["median"] == 7.0
    assert spread([]) == {}


def test_the_saturation_level_reports_its_windows_not_its_whole_length() -> None:
    # the whole level (warm-up included): 39.5 CPU s over 3400 replies = 11.6 ms; the windows' median is 11.0
    level: dict[str, Any] = {
        "snapshots": SNAPSHOTS,
        "bot_replies_per_s": 61.8,
        "cpu_ms_per_reply": {"rasa": 7.4, "helpdesk": 4.3, "all": 11.6},
        "bot_reply_http": {"p50": 30.0, "p99": 90.0},
        "errors": 0,
        "load": "2.00 2.00 2.00",
    }
    measure_in_windows(level, 10.0)
    assert level["cpu_ms_per_reply"] == {"rasa": 7.0, "helpdesk": 4.0, "all": 11.0}
    assert level["cpu_ms_per_reply_whole_level"]["all"] == 11.6
    assert level["bot_replies_per_s"] == round(1000 / 15, 2)
    result = bench_result(
        [
            {
                "rasa_processes": 1,
                "load_average_start": "1.00 1.00 1.00",
                "parse_floor": {"p50": 7.0},
                "one_customer": {"p50": 25.0},
                "levels": {"saturation": level},
            }
        ]
    )
    result["targets"] = targets(result)
    text = render_markdown(result)
    assert (
        "CPU per bot reply, all processes, 1 Rasa at saturation | 11.0 ms (median of 3 windows after 10 s warm-up; "
        "min–max 10.5–12.0)" in text
    )
    assert "## Saturation, window by window (the warm-up excluded)" in text
    assert "| median (min–max) | | 66.7 (66.7–66.7) | 7.0 (6.5–7.5) | 4.0 (4.0–4.5) | **11.0 (10.5–12.0)** |" in text


def test_the_machines_busy_and_stolen_time_come_from_proc_stat() -> None:
    stat = "cpu  1000 100 400 9000 50 20 30 200 0 0\ncpu0 500 50 200 4500 25 10 15 100 0 0\n"
    busy, steal = machine_times(stat)
    hertz = os.sysconf("SC_CLK_TCK")
    assert busy == (1000 + 100 + 400 + 20 + 30) / hertz
    assert steal == 200 / hertz


def test_what_the_services_spend_with_no_customer_is_taken_out_of_each_reply_beside_the_figure() -> None:
    # 10 s with no customer: rasa 0.3 s, helpdesk 0.5 s of CPU: 80 ms a second together
    idle = idle_ms_per_s(shot(0.0, 1.0, 1.0, 0), shot(10.0, 1.3, 1.5, 0))
    assert idle == {"rasa": 30.0, "helpdesk": 50.0, "all": 80.0}
    found = windows(SNAPSHOTS, idle)
    # window 1: 11 CPU s over 1000 replies in 15 s, of which 15 × 80 ms = 1.2 s idle work: 9.8 ms a reply net
    assert [w["all_net_of_idle"] for w in found] == [9.8, 10.8, 9.3]
    assert [w["cpu_ms_per_reply"]["all"] for w in found] == [11.0, 12.0, 10.5]  # the figure itself unchanged
    assert summarise(found)["all_net_of_idle"]["median"] == 9.8
    assert windows(SNAPSHOTS)[0]["all_net_of_idle"] is None


def test_each_window_counts_how_often_the_services_were_preempted_per_reply() -> None:
    before = {**shot(10.0, 4.0, 2.0, 400), "preempted": {"rasa": 100, "helpdesk": 50}}
    after = {**shot(25.0, 11.0, 6.0, 1400), "preempted": {"rasa": 400, "helpdesk": 150}}
    assert windows([before, after])[0]["preempted_per_reply"] == 0.4
    assert tree_preemptions(os.getpid()) >= 0


def test_postgresql_counts_the_backends_of_the_runs_own_database() -> None:
    from scale_bench import database_of

    assert database_of({"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/scale_bench_1a2b3c4d"}) == (
        "scale_bench_1a2b3c4d"
    )
    assert database_of({"AUTO_ASSIGN": "off"}) is None  # SQLite
    assert title_names("postgres: 15/main: postgres scale_bench_1a2b 127.0.0.1(52734) idle", "scale_bench_1a2b")
    assert title_names("postgres: 15/main: autovacuum worker scale_bench_1a2b\0\0", "scale_bench_1a2b")
    assert not title_names("postgres: 15/main: postgres scale_bench_1a2bff 127.0.0.1(52734) idle", "scale_bench_1a2b")
    assert not title_names("postgres: 15/main: checkpointer ", "scale_bench_1a2b")


def test_py_spy_samples_after_the_windows_so_its_cost_is_in_none_of_them() -> None:
    from scale_bench import PROFILE_SECONDS, saturation_length

    marks = saturation_marks(10.0, 3, 15.0)
    assert saturation_length(marks, profile=False) == (55.0, None)
    assert saturation_length(marks, profile=True) == (55.0 + PROFILE_SECONDS, 55.0)
