"""CPU per bot reply at saturation in windows after a warm-up (issue 22: a figure that repeats between runs).

One window from the level's first second (20 s in `--quick`) gave 16.6, 16.3 and 13.4 ms for one tree in the same
hour. The saturation level now runs `warmup` s unmeasured (new connections, the FAQ engine's and the NLU's memos
filling, the first conversations' inserts) and then `count` windows of `length` s. At each window boundary a
`Snapshot`: the CPU time of each service (its process tree), of the load generator (this process), of PostgreSQL and
Redis (their processes, by name), the whole machine's busy and stolen time (/proc/stat), the bot replies so far and
the CPU time of a fixed reference loop (how much a CPU second does right now: the host's frequency, a busy
hyper-thread sibling or stolen time make every process slower alike). The figure is the median of the windows, with
their minimum and maximum beside it.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from common import cpu_seconds, process_tree, self_cpu, tree_cpu_seconds

POSTGRES = frozenset({"postgres"})
REDIS = frozenset({"redis-server"})
REFERENCE_ROUNDS = 5
REFERENCE_STEPS = 20_000


@dataclass(frozen=True)
class Snapshot:
    """Counters at one window boundary (CPU in seconds, `at` from time.monotonic())."""

    at: float
    services: dict[str, float]
    replies: int
    kinds: dict[str, int]
    load_generator: float
    postgres: float
    redis: float
    machine_busy: float
    machine_steal: float
    reference_ms: float
    preempted: dict[str, int] = field(default_factory=dict)  # each service's involuntary context switches so far


def saturation_marks(warmup: float, count: int, length: float) -> list[float]:
    """The window boundaries, in seconds from the level's start: the first after the warm-up, `count` windows."""
    return [round(warmup + index * length, 3) for index in range(count + 1)]


def machine_times(stat: str | None = None) -> tuple[float, float]:
    """(busy, stolen) CPU seconds of the whole machine so far, all CPUs, from /proc/stat's `cpu` line."""
    line = (stat if stat is not None else Path("/proc/stat").read_text()).splitlines()[0].split()
    ticks = [int(v) for v in line[1:]] + [0] * 8
    user, nice, system, _idle, _iowait, irq, softirq, steal = ticks[:8]
    hertz = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / hertz, steal / hertz


def named_cpu_seconds(names: frozenset[str], database: str | None = None) -> float:
    """CPU seconds so far of every process whose command name is one of `names` (PostgreSQL's backends, Redis); with
    `database`, only those whose title names it (PostgreSQL's backends and autovacuum workers on the run's own
    database: the server is shared with other jobs, and its shared processes are not the run's). A process that ends
    between two snapshots takes its CPU with it (a window's figure may then come out low, even below zero)."""
    total = 0.0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if Path(f"/proc/{entry.name}/comm").read_text().strip() not in names:
                continue
            if database is not None and not title_names(Path(f"/proc/{entry.name}/cmdline").read_text(), database):
                continue
            total += cpu_seconds(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return total


def title_names(title: str, database: str) -> bool:
    """Whether a PostgreSQL process title ("postgres: 15/main: postgres scale_bench_1a2b 127.0.0.1(5432) idle")
    names `database` as a word."""
    return database in title.replace("\0", " ").split()


def tree_preemptions(pid: int) -> int:
    """Involuntary context switches so far of every thread of `pid` and its descendants: how often the scheduler took
    the CPU from them (another runnable process got it), from /proc/…/task/…/status."""
    total = 0
    for member in process_tree(pid):
        try:
            for task in os.scandir(f"/proc/{member}/task"):
                for line in Path(task.path, "status").read_text().splitlines():
                    if line.startswith("nonvoluntary_ctxt_switches:"):
                        total += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return total


def reference_ms(rounds: int = REFERENCE_ROUNDS, steps: int = REFERENCE_STEPS) -> float:
    """CPU ms of a fixed pure-Python loop, median of `rounds`: the same work every time, so what it costs says how
    fast the CPU this process got was (about 1.5 ms on an idle AMD EPYC core)."""
    costs = []
    for _ in range(rounds):
        started = time.process_time()
        total = 0
        for step in range(steps):
            total += step * step % 7
        costs.append((time.process_time() - started) * 1000)
    return round(statistics.median(costs), 3)


def take(pids: Mapping[str, int], replies: int, kinds: Mapping[str, int], database: str | None = None) -> Snapshot:
    """The counters now; PostgreSQL's CPU of `database`'s backends only when given (named_cpu_seconds)."""
    busy, steal = machine_times()
    return Snapshot(
        at=time.monotonic(),
        services={name: tree_cpu_seconds(pid) for name, pid in pids.items()},
        replies=replies,
        kinds=dict(kinds),
        load_generator=self_cpu(),
        postgres=named_cpu_seconds(POSTGRES, database),
        redis=named_cpu_seconds(REDIS),
        machine_busy=busy,
        machine_steal=steal,
        reference_ms=reference_ms(),
        preempted={name: tree_preemptions(pid) for name, pid in pids.items()},
    )


def idle_ms_per_s(before: Snapshot | Mapping[str, Any], after: Snapshot | Mapping[str, Any]) -> dict[str, float]:
    """What each service spends with no customer at all (its timers, sweeps, heartbeats), CPU ms per second, and
    all of them together (`all`): at saturation it is billed to the replies, more of it to each when fewer replies
    come (a busy machine), so the windows also give their CPU per reply net of it."""
    first = before if isinstance(before, Mapping) else asdict(before)
    last = after if isinstance(after, Mapping) else asdict(after)
    seconds = last["at"] - first["at"]
    if seconds <= 0:
        return {}
    found = {
        name: round(1000 * (last["services"][name] - first["services"][name]) / seconds, 2) for name in last["services"]
    }
    found["all"] = round(sum(found.values()), 2)
    return found


def windows(
    snapshots: Sequence[Snapshot | Mapping[str, Any]], idle: Mapping[str, float] | None = None
) -> list[dict[str, Any]]:
    """Each window between two consecutive snapshots: its replies/s, each service's CPU ms per reply and all of
    them together (`all`), the load generator's, PostgreSQL's and Redis's CPU ms per reply beside them, the cores
    the machine was busy with and the part of them no process of the run used (`others_cores`: other jobs), the
    share of time stolen by the host, the reference loop's ms (mean of both ends) and the replies by kind. With
    `idle` (idle_ms_per_s): `all_net_of_idle`, the services' CPU per reply less what they spend with no customer."""
    shots = [s if isinstance(s, Mapping) else asdict(s) for s in snapshots]
    found: list[dict[str, Any]] = []
    for before, after in zip(shots, shots[1:], strict=False):
        seconds = after["at"] - before["at"]
        replies = after["replies"] - before["replies"]
        per = max(1, replies)
        services = {name: after["services"][name] - before["services"][name] for name in after["services"]}
        cpu = {name: round(1000 * value / per, 2) for name, value in services.items()}
        cpu["all"] = round(1000 * sum(services.values()) / per, 2)
        extra = {key: after[key] - before[key] for key in ("load_generator", "postgres", "redis")}
        busy = after["machine_busy"] - before["machine_busy"]
        steal = after["machine_steal"] - before["machine_steal"]
        ours = sum(services.values()) + sum(extra.values())
        net = round((1000 * sum(services.values()) - idle["all"] * seconds) / per, 2) if idle else None
        found.append({
            "seconds": round(seconds, 2),
            "replies": replies,
            "replies_per_s": round(replies / seconds, 2) if seconds > 0 else 0.0,
            "cpu_ms_per_reply": cpu,
            "all_net_of_idle": net,
            "load_generator_ms_per_reply": round(1000 * extra["load_generator"] / per, 2),
            "postgres_ms_per_reply": round(1000 * extra["postgres"] / per, 2),
            "redis_ms_per_reply": round(1000 * extra["redis"] / per, 2),
            "machine_cores_busy": round(busy / seconds, 2) if seconds > 0 else 0.0,
            "others_cores": round(max(0.0, busy - ours) / seconds, 2) if seconds > 0 else 0.0,
            "steal_share": round(steal / (busy + steal), 4) if busy + steal > 0 else 0.0,
            "reference_ms": round((before["reference_ms"] + after["reference_ms"]) / 2, 3),
            "kinds": {k: after["kinds"].get(k, 0) - before["kinds"].get(k, 0) for k in sorted(after["kinds"])},
            # how often the scheduler preempted the services, per reply (a busy machine: more, and colder caches)
            "preempted_per_reply": round(
                sum(after.get("preempted", {}).get(n, 0) - v for n, v in before.get("preempted", {}).items()) / per, 2
            ),
        })  # fmt: skip
    return found


def spread(values: Sequence[float]) -> dict[str, float]:
    """Median, minimum, maximum and max − min of `values` ({} for none)."""
    if not values:
        return {}
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
        "spread": round(max(values) - min(values), 2),
    }


def summarise(found: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The windows' figures: per process (and `all`) the median, min, max and spread of the CPU ms per reply, the
    same for replies/s, the load generator, PostgreSQL, the other jobs' cores and the reference loop."""
    if not found:
        return {}
    names = list(found[0]["cpu_ms_per_reply"])
    return {
        "windows": len(found),
        "cpu_ms_per_reply": {name: spread([w["cpu_ms_per_reply"][name] for w in found]) for name in names},
        "replies_per_s": spread([w["replies_per_s"] for w in found]),
        "all_net_of_idle": spread([w["all_net_of_idle"] for w in found if w.get("all_net_of_idle") is not None]),
        "load_generator_ms_per_reply": spread([w["load_generator_ms_per_reply"] for w in found]),
        "postgres_ms_per_reply": spread([w["postgres_ms_per_reply"] for w in found]),
        "others_cores": spread([w["others_cores"] for w in found]),
        "steal_share": spread([w["steal_share"] for w in found]),
        "reference_ms": spread([w["reference_ms"] for w in found]),
        "preempted_per_reply": spread([w.get("preempted_per_reply", 0.0) for w in found]),
    }


def medians(summary: Mapping[str, Any]) -> dict[str, float]:
    """Each process's median CPU ms per reply (and `all`, the median of the windows' totals), from `summarise`."""
    return {name: figures["median"] for name, figures in summary.get("cpu_ms_per_reply", {}).items()}
