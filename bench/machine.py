"""What machine a benchmark ran on: CPU, cores, memory, OS, Python and the named packages' versions."""

from __future__ import annotations

import contextlib
import os
import platform
from importlib import metadata
from pathlib import Path
from typing import Any


def package_version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _proc_field(path: str, prefix: str) -> str | None:
    with contextlib.suppress(OSError):
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    return None


def machine_info(**versions: str | None) -> dict[str, Any]:
    """The machine's description plus `versions` (name → version) and the load average at the start."""
    ram_kb = _proc_field("/proc/meminfo", "MemTotal:")
    ram_gb = None
    with contextlib.suppress(ValueError, IndexError, AttributeError):
        ram_gb = round(int(ram_kb.split()[0]) / 1024 / 1024, 1)  # type: ignore[union-attr]
    return {
        "cpu_model": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or platform.machine(),
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_gb": ram_gb,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        **versions,
        "load_average_start": [round(value, 2) for value in os.getloadavg()],
    }
