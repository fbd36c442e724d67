"""bench/scale_bench.py: the CPU per reply of its customers' levels counts the customers' work only. The probe
(Rasa's parse and the FAQ search alone every 0.5 s) runs in a level of its own, and the report shows its figures
apart from the customers' CPU per reply (issue 22: the probe's searches were billed to the customers' replies)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from scale_bench import PROBE_LEVEL, level_plan, render_markdown, targets  # noqa: E402
from support.bench_report import bench_result


def test_only_the_probes_own_level_runs_the_probe_beside_the_customers() -> None:
    plan = level_plan(20.0, ["saturation", "thinking_50", "thinking_200", PROBE_LEVEL])
    assert [(name, probe) for name, *_, probe in plan] == [
        ("saturation", False),
        ("thinking_50", False),
        ("thinking_200", False),
        (PROBE_LEVEL, True),
    ]
    assert [name for name, *_ in level_plan(20.0, ["saturation"])] == ["saturation"]


def level(replies_per_s: float, cpu_all: float, probe: bool) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "bot_replies_per_s": replies_per_s,
        "cpu_ms_per_reply": {"helpdesk": 7.0, "rasa": 10.0, "actions": cpu_all - 17.0, "all": cpu_all},
        "bot_reply_http": {"p50": 30.0, "p99": 90.0},
        "errors": 0,
        "load": "1.00 1.00 1.00",
    }
    if probe:
        figures["probe_rasa_parse"] = {"p50": 12.5, "p99": 40.5}
        figures["probe_kb_search"] = {"p50": 16.5, "p99": 41.5}
        figures["probe_requests"] = 72
    return figures


def test_the_report_shows_the_probe_apart_from_the_customers_cpu_per_reply() -> None:
    config = {
        "rasa_processes": 1,
        "load_average_start": "1.00 1.00 1.00",
        "parse_floor": {"p50": 7.0},
        "one_customer": {"p50": 25.0},
        "levels": {"saturation": level(58.0, 20.5, False), PROBE_LEVEL: level(55.0, 22.4, True)},
    }
    result = bench_result([config])
    result["targets"] = targets(result)
    text = render_markdown(result)
    probe_rows = [line for line in text.splitlines() if line.startswith("| 1 | 12.5 / 40.5")]
    assert probe_rows == ["| 1 | 12.5 / 40.5 | 16.5 / 41.5 | 72 | 55.0 | 22.4 (20.5) | 1.00 1.00 1.00 |"]
    assert "the customers alone in every level but `saturation_probe`" in text
    assert "CPU per bot reply, all processes, 1 Rasa at saturation | 20.5 ms" in text
