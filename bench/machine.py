"""What a benchmark ran on: the machine (CPU, cores, memory, OS, Python, the named packages' versions) and the
checkout (commit and local changes)."""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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


def git_state(*paths: str) -> tuple[str | None, list[str]]:
    """The checkout's short commit and the files under `paths` with local changes ((None, []) outside git)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout

    try:
        commit = git("rev-parse", "--short", "HEAD").strip()
        changed = git("status", "--porcelain", "--", *paths).splitlines()
    except (OSError, subprocess.CalledProcessError):
        return None, []
    return commit, [line[3:] for line in changed if line.strip()]
