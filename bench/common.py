"""What every benchmark shares: the machine and checkout it ran on, percentiles of timings, a process's memory and
CPU time (from /proc), and Markdown tables.

Standard library only and Python 3.10-compatible: nlu_benchmarks.py and clinc_scoring_study.py import it in the
Rasa virtualenv.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- the machine and the checkout


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


def machine_head(info: dict[str, Any]) -> str:
    """ "CPU, N cores, R GB RAM, OS, Python X": how every report names the machine (`info` from machine_info)."""
    return f"{info['cpu_model']}, {info['cores']} cores, {info['ram_gb']} GB RAM, {info['os']}, Python {info['python']}"


def machine_line(info: dict[str, Any], packages: Sequence[tuple[str, str]], after: str = "", end_note: str = "") -> str:
    """machine_head, then each (label, key) package version of `info`, `after`, and the load average at the start
    and (once recorded as load_average_end) at the end, followed by `end_note`."""
    line = machine_head(info) + "".join(f", {label} {info[key]}" for label, key in packages) + after
    load = info.get("load_average_start")
    if load:
        line += f"; load average {load[0]} at start"
        if info.get("load_average_end"):
            line += f", {info['load_average_end'][0]} at end{end_note}"
    return line


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


def run_end(started: float) -> dict[str, Any]:
    """What a report records when a run ends: the load average, its length (from `started`, time.monotonic())
    and the time in UTC."""
    return {
        "load_average_end": [round(value, 2) for value in os.getloadavg()],
        "seconds": round(time.monotonic() - started, 1),
        "finished_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def end_stamp() -> dict[str, str]:
    """The load average (one string) and the time in UTC when a single-process bench ends (its `load_start` beside)."""
    return {
        "load_end": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        "finished_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def write_report(out: Path | None, result: dict[str, Any], render: Callable[[dict[str, Any]], str]) -> int:
    """A bench's result as `out`.json and its rendering as `out`.md (when `out` is given), the rendering printed."""
    text = render(result)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
        out.with_suffix(".md").write_text(text)
    print(text)
    return 0


# --------------------------------------------------------------------------- timings


def percentile(ordered: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default); `ordered` sorted ascending, q in [0, 100]."""
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(samples_ms: Iterable[float], digits: int = 2) -> dict[str, Any]:
    """n, min, p50, p90, p95, p99, max and mean of `samples_ms`, rounded to `digits` ({"n": 0} for none)."""
    ordered = sorted(samples_ms)
    if not ordered:
        return {"n": 0}
    return {
        "n": len(ordered),
        "min": round(ordered[0], digits),
        "p50": round(percentile(ordered, 50), digits),
        "p90": round(percentile(ordered, 90), digits),
        "p95": round(percentile(ordered, 95), digits),
        "p99": round(percentile(ordered, 99), digits),
        "max": round(ordered[-1], digits),
        "mean": round(sum(ordered) / len(ordered), digits),
    }


# --------------------------------------------------------------------------- processes (Linux /proc)


def status_mb(field: str, pid: int | str = "self") -> float:
    """A memory field of /proc/<pid>/status (VmRSS, VmHWM, ...) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for process {pid}")


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process (this one by default), MB."""
    return status_mb("VmRSS", pid)


def peak_rss_mb() -> float:
    """This process's peak resident memory, MB (VmHWM; ru_maxrss where /proc has no such field)."""
    try:
        return status_mb("VmHWM")
    except (OSError, RuntimeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def self_cpu() -> float:
    """User + system CPU time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (Rasa or sanic may fork workers)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
                todo += [int(child) for child in children]
        except OSError:
            continue
    return found


def tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and its descendants, MB (one decimal)."""
    total = 0.0
    for member in process_tree(pid):
        try:
            total += rss_mb(member)
        except (OSError, RuntimeError):
            continue
    return round(total, 1)


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of `pid` and its descendants so far."""
    total = 0.0
    for member in process_tree(pid):
        try:
            total += cpu_seconds(member)
        except (OSError, IndexError, ValueError):
            continue
    return total


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def fd_limit(pid: int) -> int | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
            if line.startswith("Max open files"):
                return int(line.split()[3])
    return None


# --------------------------------------------------------------------------- reports


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    """A Markdown table's lines; a "|" inside a cell is escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    return lines


def module_at(revision: str, path: str) -> ModuleType:
    """The project's file `path` as it was at `revision`, loaded as a module of its own (the rest of the project as it
    is now: for comparing one file's versions in alternated rounds, bench/*_cpu.py and demo_shop_reads.py)."""
    root = Path(__file__).resolve().parents[1]
    source = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=root, check=True, capture_output=True).stdout
    name = f"{Path(path).stem}_at_{revision}"
    module = ModuleType(name)
    module.__file__ = f"<{name}>"
    sys.modules[name] = module  # its dataclasses look their module up
    exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102 (the project's own file at a commit)
    return module


def spread(costs: Sequence[float], prefix: str = "cpu_ms_") -> dict[str, float]:
    """The min, median and max of one version's rounds (keys ``<prefix>min``, ``<prefix>median``, ``<prefix>max``)."""
    return {
        f"{prefix}min": min(costs),
        f"{prefix}median": round(statistics.median(costs), 3),
        f"{prefix}max": max(costs),
    }


def finish_variants(result: dict[str, Any], out: Path | None, started: float) -> int:
    """An alternated bench's end: the run's end stamped on `result`, the JSON written to `out` (when given), each
    variant's figures printed."""
    result.update(run_end(started))
    if out:
        out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["by_variant"], indent=2))
    return 0
