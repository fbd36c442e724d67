"""A scale-bench result as bench/scale_bench.py writes it, for tests of its report: a stand-in machine and settings
around the configurations a test gives."""

from __future__ import annotations

from typing import Any


def bench_result(configurations: list[dict[str, Any]]) -> dict[str, Any]:
    machine = {"cpu_model": "test", "cores": 2, "ram_gb": 1, "os": "Linux", "python": "3.11"}
    return {
        "machine": {**machine, "load_average_start": "1.00 1.00 1.00"},
        "settings": {"argv": ["--quick"], "duration": 20.0, "burst_seconds": 0.0, "probe_apart": True},
        "configurations": configurations,
    }
