"""`make bench`, issue 22: what one bot reply costs, per process, and what a second Rasa process adds.

    nice -n 10 .venv/bin/python bench/scale_bench.py                 # 1 and 2 Rasa processes: ~12 min on 2 cores
    nice -n 10 .venv/bin/python bench/scale_bench.py --quick         # shorter levels: ~6 min
    .venv/bin/python bench/scale_bench.py --rasa 1 --no-profile      # one configuration
    .venv/bin/python bench/scale_bench.py --from-json results/scale_bench.json   # only rewrite the .md

For each configuration (1, then 2 Rasa processes, each with its own action server, as `RASA_PROCESSES=N make run`
starts them) a fresh stack on PostgreSQL (a throw-away database) and Redis (its own key prefix), so both
configurations share the same storage and differ only in the number of bot processes:

1. the floor, one request at a time: Rasa's `/model/parse` alone (the NLU, no dialogue, nothing stored) and one
   customer's reply end to end (POST /api/chat);
2. saturation: 50 customers sending without pause, `--warmup` s left out, then `--windows` windows of `--window` s
   (bench/cpu_windows.py): replies/s and the CPU each process spent per bot reply (from /proc: helpdesk, each Rasa,
   each action server) — what a reply costs — as the median of the windows with their min–max, and beside each
   window what else ran: the load generator, PostgreSQL (the run's database), Redis, other jobs' cores, preemptions;
   before it, 10 s with no customer (`--idle`): the services' idle CPU;
3. 50 and 200 thinking customers (2–6 s between messages, half with the widget's socket open): reply p50/p99
   and errors;
4. memory (peak RSS) of each process over the run;
5. with one Rasa process, a sampling profile (py-spy, outside the processes) of every process at saturation,
   after the windows (PROFILE_SECONDS more; its cost is in no window): where each process's CPU goes, by function.

The conversations are load_bench.py's scripts (greetings, FAQ questions, order status with the identity check,
refund status, handoffs). Writes results/scale_bench.{json,md}. Every figure comes with the load average: this
machine's two cores are shared.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from common import git_state, machine_head, machine_info, package_version, run_end, summary
from cpu_windows import idle_ms_per_s, medians, saturation_marks, summarise, take, windows
from load_bench import MIX, burst_env, floor_turns, fmt, run_level, timed

from helpdesk.config import PROJECT_ROOT

OUT = PROJECT_ROOT / "results" / "scale_bench"
STARTED = time.monotonic()
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
TARGET_CPU_MS = 15.0
TARGET_P99_MS = 500.0
TARGET_SCALING = 1.6
PROFILE_SECONDS = 20.0  # py-spy's sampling at saturation, after the level's windows
PROBE_LEVEL = "saturation_probe"  # the customers at saturation with the probe beside them (its figures' level)


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f} s] {message}", flush=True)


def uptime() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL database for the block: its URL (dropped afterwards)."""
    import psycopg

    database = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{database}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def database_of(env: dict[str, str]) -> str | None:
    """The PostgreSQL database of a stack's environment (`storage`), None on SQLite."""
    url = env.get("DATABASE_URL", "")
    return url.rsplit("/", 1)[1] if url.startswith("postgresql://") else None


@contextmanager
def storage(kind: str) -> Iterator[dict[str, str]]:
    """The stack's storage: "postgres" (a throw-away database, Redis for the locks: the scale-out path) or
    "sqlite" (`make run`'s default: each stack's own files; Rasa processes share the tracker file)."""
    if kind == "sqlite":
        yield {"AUTO_ASSIGN": "off"}
        return
    with postgres_database("scale_bench") as dsn:
        yield {"DATABASE_URL": dsn, "REDIS_URL": REDIS_URL, "REDIS_CHANNEL": f"scalebench{secrets.token_hex(4)}:events",
               "AUTO_ASSIGN": "off"}  # fmt: skip


# --------------------------------------------------------------------------- the floor


async def parse_floor(stack: Any, samples: int) -> dict[str, Any]:
    """Rasa's /model/parse alone, one at a time, on the first Rasa process (after a warm-up)."""
    rasa = f"http://127.0.0.1:{stack.ports.rasa}"
    token = {"token": stack.env["RASA_TOKEN"]}
    texts = [text for _, text, _ in floor_turns(samples)]
    async with httpx.AsyncClient(timeout=60) as client:
        for text in texts[:20]:
            await client.post(f"{rasa}/model/parse", params=token, json={"text": text})
        parse = [await timed(client.post(f"{rasa}/model/parse", params=token, json={"text": t})) for t in texts]
    return summary(parse)


async def start_up_done(stack: Any, timeout: float = 900.0) -> float:
    """Wait until every action server has finished its start-up work (ranking the held-out sets for the editor's
    preview, a low-priority thread that embeds thousands of questions): measured while it runs, its CPU would be
    billed to the customers' replies. The seconds waited (the wait ends at `timeout` either way)."""
    started = time.monotonic()
    async with httpx.AsyncClient(timeout=10) as client:
        for _, actions in stack.ports.bots():
            while time.monotonic() - started < timeout:
                try:
                    status = (await client.get(f"http://127.0.0.1:{actions}/kb/status")).json()
                except (httpx.HTTPError, ValueError):
                    status = {}
                if status.get("held_out_ranked", True):  # a server without the field has no such work
                    break
                await asyncio.sleep(2)
    return round(time.monotonic() - started, 1)


# --------------------------------------------------------------------------- profiles


def py_spy() -> str | None:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    return found if Path(found).exists() else None


def start_profiles(pids: dict[str, int], seconds: float, folder: Path) -> dict[str, subprocess.Popen[bytes]]:
    """py-spy record (raw collapsed stacks, 100 samples/s, not pausing the process) on each process."""
    tool = py_spy()
    if tool is None:
        return {}
    folder.mkdir(parents=True, exist_ok=True)
    return {
        name: subprocess.Popen(
            [
                tool,
                "record",
                "--pid",
                str(pid),
                "--duration",
                str(int(seconds)),
                "--rate",
                "100",
                "--format",
                "raw",
                "--nonblocking",
                "--output",
                str(folder / f"{name}.txt"),
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, pid in pids.items()
    }


def saturation_length(marks: Sequence[float], profile: bool) -> tuple[float, float | None]:
    """The saturation level's length and when py-spy starts (None: no profile): after the last window, so its cost
    (a sampler per service on the same cores) is in no window's figure; the level goes on PROFILE_SECONDS for it."""
    if not profile:
        return marks[-1], None
    return marks[-1] + PROFILE_SECONDS, marks[-1]


async def profiles_after(
    delay: float, pids: dict[str, int], seconds: float, folder: Path, started: dict[str, subprocess.Popen[bytes]]
) -> None:
    """start_profiles after `delay` s (the saturation level's warm-up and windows), into `started`."""
    await asyncio.sleep(delay)
    started.update(start_profiles(pids, seconds, folder))


def frame_name(frame: str) -> str:
    """`function (path/to/module.py:line)` → `function (module/path.py)`, short: site-packages and the project
    root cut off."""
    function, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", str(PROJECT_ROOT) + "/", "lib/python3.10/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{function} ({path})"


# where a thread waits, not works: py-spy cannot tell idle threads in this container (it samples them all), so
# samples whose innermost Python frame is one of these are left out (the event loop's epoll wait shows as its
# caller, sanic's `serve`; time.sleep and Condition.wait as the function sleeping)
IDLE_FRAMES = frozenset(
    {
        "serve",
        "_run_server_forever",
        "_watch",
        "KnowledgeBase._watch",
        "wait",
        "Condition.wait",
        "Event.wait",
        "_connection_worker_thread",
        "_worker",
        "select",
        "sleep",
        "run_forever",
        "_run_once",
    }  # fmt: skip
)
IDLE_LEAVES = frozenset({"get (queue.py)"})  # dask's local scheduler waiting for its thread's result
# frames every request passes through (the process's start, the server's loop and request handling): left out of
# the inclusive list, which is about where the work goes
FRAMEWORK = frozenset(
    {
        "main",
        "_run_module_as_main",
        "_run_code",
        "<module>",
        "run",
        "serve",
        "serve_single",
        "serve_application",
        "connection_task",
        "handle_request",
        "http1",
        "Http.http1",
        "worker_serve",
        "_serve",
        "_serve_http_1",
        "StartupMixin.run",
        "StartupMixin.serve_single",
        "_run_server_forever",
        "_bootstrap",
        "_bootstrap_inner",
        "Thread.run",
        "Thread._bootstrap",
        "Thread._bootstrap_inner",
    }  # fmt: skip
)


def profile_summary(path: Path, top: int = 12) -> dict[str, Any]:
    """Self and inclusive shares of the busy samples, by function, from py-spy's collapsed stacks (samples of a
    waiting thread, IDLE_FRAMES, are counted apart)."""
    if not path.exists():
        return {}
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = idle = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [frame_name(f) for f in stack.split(";") if " (" in f]
        if not frames:
            continue
        if frames[-1].split(" (")[0] in IDLE_FRAMES or frames[-1] in IDLE_LEAVES:
            idle += count
            continue
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    if not total:
        return {"samples": 0, "idle_samples": idle}
    busy_share = lambda c: round(100 * c / total, 1)  # noqa: E731
    return {
        "samples": total,
        "idle_samples": idle,
        "seconds_busy": round(total / 100, 1),
        "self": [(name, busy_share(c)) for name, c in own.most_common(top)],
        "inclusive": [
            (name, busy_share(c)) for name, c in inclusive.most_common() if name.split(" (")[0] not in FRAMEWORK
        ][:top],
    }


# --------------------------------------------------------------------------- one configuration


def per_reply(level: dict[str, Any]) -> dict[str, float]:
    replies = max(1, level["bot_replies"])
    cpu = {name: round(1000 * seconds / replies, 1) for name, seconds in level["cpu_seconds"].items()}
    cpu["all"] = round(sum(v for k, v in cpu.items()), 1)
    return cpu


async def idle_cpu(stack: Any, seconds: float) -> dict[str, float]:
    """Each service's CPU with no customer for `seconds` (its timers, sweeps, heartbeats), ms per second."""
    pids = {n: s.process.pid for n, s in stack.services.items() if s.process is not None}
    before = take(pids, 0, {})
    await asyncio.sleep(seconds)
    return idle_ms_per_s(before, take(pids, 0, {}))


def measure_in_windows(level: dict[str, Any], warmup: float, idle: dict[str, float] | None = None) -> None:
    """The saturation level's figures from its windows (`snapshots`, warm-up excluded): `windows`, their summary
    (`in_windows`: median, min, max, spread), and `cpu_ms_per_reply` becomes the windows' medians; the whole level's
    figure, warm-up, the profile after the windows and the customers' last messages included (how runs before the
    windows counted), stays beside as `cpu_ms_per_reply_whole_level`."""
    found = windows(level.get("snapshots", []), idle)
    if not found:
        return
    level["windows"] = found
    level["in_windows"] = {"warmup_s": warmup, **summarise(found)}
    level["cpu_ms_per_reply_whole_level"] = level["cpu_ms_per_reply"]
    level["cpu_ms_per_reply"] = medians(level["in_windows"])
    level["bot_replies_per_s_whole_level"] = level["bot_replies_per_s"]
    level["bot_replies_per_s"] = level["in_windows"]["replies_per_s"]["median"]


def level_plan(duration: float, chosen: Sequence[str]) -> list[tuple[str, int, tuple[float, float], float, bool]]:
    """The levels of a configuration, of those `chosen`: (name, customers, think seconds, duration, probe beside).

    The customers alone in every level but PROBE_LEVEL: each level's CPU per reply is the customers' work only. The
    probe (Rasa's parse and the FAQ search alone, every 0.5 s: which service the messages queue in) runs in a level
    of its own, saturation again, after them: a customer's FAQ turn never searches, and beside the customers the
    probe's searches were billed to their replies (about 40 % of the action server's CPU in the 2cb19fe profile)."""
    levels = [("saturation", 50, (0.0, 0.0), duration, False)]
    levels += [(f"thinking_{n}", n, (2.0, 6.0), duration, False) for n in (50, 200)]
    levels += [(PROBE_LEVEL, 50, (0.0, 0.0), duration, True)]
    return [level for level in levels if level[0] in chosen]


async def configuration(rasa_processes: int, args: argparse.Namespace, report: dict[str, Any]) -> dict[str, Any]:
    """One configuration's figures; `report` (the whole run's) is written after each level, so a run cut short
    (a level that never ends on an overloaded machine) still leaves its files."""
    from bench_stack import bench_stack

    result: dict[str, Any] = {
        "rasa_processes": rasa_processes, "storage": args.storage, "load_average_start": uptime(), "levels": {}
    }  # fmt: skip
    report["configurations"].append(result)
    with (
        storage(args.storage) as env,
        bench_stack(keep=args.keep, extra_env={**env, **burst_env(args.burst)}, rasa_processes=rasa_processes) as stack,
    ):
        result["start_up_wait_s"] = await start_up_done(stack)
        log(f"{rasa_processes} Rasa: floor (load {uptime()}; start-up work done after {result['start_up_wait_s']} s)")
        result["parse_floor"] = await parse_floor(stack, args.floor_samples)
        one = await run_level(stack, 1, duration=None, think=(0.0, 0.0), turns=args.floor_samples, ws_share=0.0)
        result["one_customer"] = one["bot_reply_http"]
        result["one_customer_by_kind_p50"] = one["by_kind_p50"]
        # what one reply costs each process with nothing else waiting (no batching, no queue): the per-reply floor
        one["bot_replies"] = one["bot_reply_http"].get("n", 0)
        result["one_customer_cpu_ms_per_reply"] = per_reply(one)
        if "saturation" in args.levels and args.idle > 0:
            result["idle_ms_per_s"], result["idle_seconds"] = await idle_cpu(stack, args.idle), args.idle
            log(f"{rasa_processes} Rasa: with no customer, CPU ms per s {result['idle_ms_per_s']} (load {uptime()})")
        levels = level_plan(args.duration, args.levels)
        for name, customers, think, duration, probe in levels:
            marks = saturation_marks(args.warmup, args.windows, args.window) if name == "saturation" else []
            length = f"{args.warmup:g} s warm-up + {args.windows} × {args.window:g} s" if marks else f"{duration:g} s"
            log(f"{rasa_processes} Rasa: {name} ({customers} customers, {length}; load {uptime()})")
            profiles: dict[str, subprocess.Popen[bytes]] = {}
            folder = Path(stack.workdir) / "profiles"
            profiling = None
            profile = name == "saturation" and args.profile and rasa_processes == 1
            length, profile_from = saturation_length(marks, profile) if marks else (duration, None)
            if profile_from is not None:
                pids = {n: s.process.pid for n, s in stack.services.items() if s.process is not None}
                profiling = asyncio.create_task(profiles_after(profile_from, pids, PROFILE_SECONDS, folder, profiles))
            level = await run_level(stack, customers, length, think,
                                    ws_share=0.0 if not think[1] else 0.5, ramp=0.0 if not think[1] else 5.0,
                                    probe_services=probe, marks=marks, database=database_of(env))  # fmt: skip
            if profiling is not None:
                await profiling
            # every answer the stack produced: in time, and after a 503 `pending` in the chat (load_bench.Customer)
            level["bot_replies"] = level["bot_reply_http"].get("n", 0) + level.get("late_reply_ms", {}).get("n", 0)
            level["cpu_ms_per_reply"] = per_reply(level)
            if marks:
                measure_in_windows(level, args.warmup, result.get("idle_ms_per_s"))
            level["load"] = uptime()
            for process in profiles.values():
                process.wait(60)
            if profiles:
                result["profile"] = {n: profile_summary(folder / f"{n}.txt") for n in profiles}
            http = level["bot_reply_http"]
            log(
                f"{rasa_processes} Rasa {name}: {level['bot_replies_per_s']} replies/s, p50 {http.get('p50')} "
                f"p99 {http.get('p99')} ms, {level['errors']} errors, CPU/reply {level['cpu_ms_per_reply']}"
            )
            result["levels"][name] = level
            result["load_average_end"] = uptime()
            write_outputs({**report, "partial": True, **run_end(STARTED)}, args.out)
            await asyncio.sleep(2)
        result["parse_floor_after"] = await parse_floor(stack, max(20, args.floor_samples // 3))
    result["load_average_end"] = uptime()
    return result


# --------------------------------------------------------------------------- report


def render_markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    configs = result["configurations"]
    probe_apart = bool(result["settings"].get("probe_apart"))  # runs from before it had the probe in every level
    lines = [
        "# What a bot reply costs, and what a second Rasa process adds (issue 22)",
        "",
        *(["**Partial run**: written after each level; the run did not finish.", ""] if result.get("partial") else []),
        f"Machine: {machine_head(m)}; load average at start {m['load_average_start']}, at end "
        f"{result.get('load_average_end')}. Other jobs share the two cores (see each row's load); the load generator "
        "runs on them too.",
        "",
        f"Run {result.get('finished_at')}, commit `{result.get('commit') or '?'}`"
        f"{' (with local changes)' if result.get('dirty') else ''}: `bench/scale_bench.py "
        f"{' '.join(result['settings']['argv'])}`. Each configuration: a fresh stack on "
        + ("PostgreSQL + Redis" if result["configurations"][0].get("storage", "postgres") == "postgres" else "SQLite")
        + ", N Rasa "
        "processes each with its own action server (`RASA_PROCESSES=N`), the helpdesk spreading conversations over "
        f"them. Levels of {result['settings']['duration']:g} s; conversation mix "
        + ", ".join(f"{k} ×{v}" for k, v in MIX.items())
        + ". CPU per reply: each process's CPU time (from /proc) during the level over the bot replies sent "
        "(in time, or in the chat after a 503 `pending`)"
        + (
            f"; the customers alone in every level but `{PROBE_LEVEL}` (saturation again, with the probe of Rasa's "
            "parse and the FAQ search beside the customers, whose CPU that level's figures include). "
            if probe_apart
            else "; every level with the probe of Rasa's parse and the FAQ search beside the customers (its CPU "
            "included: a run from before the probe got a level of its own). "
        )
        + f"Short lines held for a burst: CHAT_BURST_SECONDS={result['settings'].get('burst_seconds', 'default')} (0: "
        "none; the scripted customers wait for each answer, so a held line would only add the burst window).",
        "",
        "## Targets beside this run's figures (reported, never asserted)",
        "",
        *targets_table(result.get("targets", {})),
        "",
        "## Results",
        "",
        "| Rasa processes | parse floor p50 ms (before / after) | one customer p50 ms | saturation replies/s "
        "| CPU ms per reply, all processes | 50 thinking p50 / p99 ms | 200 thinking p50 / p99 ms | errors "
        "| load (start → end) |",
        "|" + "---|" * 9,
    ]
    for c in configs:
        if "parse_floor" not in c:
            continue
        sat, t50, t200 = (c["levels"].get(k, {}) for k in ("saturation", "thinking_50", "thinking_200"))
        errors = sum(level.get("errors", 0) for level in c["levels"].values())
        lines.append(
            f"| {c['rasa_processes']} | {fmt(c['parse_floor'].get('p50'))} / "
            f"{fmt(c.get('parse_floor_after', {}).get('p50'))} | {fmt(c['one_customer'].get('p50'))} "
            f"| {fmt(sat.get('bot_replies_per_s'))} | {fmt(sat.get('cpu_ms_per_reply', {}).get('all'))} "
            f"| {fmt(t50.get('bot_reply_http', {}).get('p50'))} / {fmt(t50.get('bot_reply_http', {}).get('p99'))} "
            f"| {fmt(t200.get('bot_reply_http', {}).get('p50'))} / {fmt(t200.get('bot_reply_http', {}).get('p99'))} "
            f"| {errors} | {c['load_average_start']} → {c.get('load_average_end')} |"
        )
    lines += [*windows_table(configs), *probe_table(configs), "", "## CPU per bot reply and memory, by process", ""]
    for c in configs:
        lines += [f"{c['rasa_processes']} Rasa process(es):", ""]
        names = sorted({n for level in c["levels"].values() for n in level.get("cpu_ms_per_reply", {})} - {"all"})
        lines += ["| level | " + " | ".join(names) + " | all | load after |", "|" + "---|" * (len(names) + 3)]
        if one := c.get("one_customer_cpu_ms_per_reply"):
            lines.append(
                "| one customer, no pause (CPU ms/reply) | "
                + " | ".join(fmt(one.get(n)) for n in names)
                + f" | {fmt(one.get('all'))} | {c.get('load_average_start')} (start) |"
            )
        for level_name, level in c["levels"].items():
            cpu = level.get("cpu_ms_per_reply", {})
            lines.append(
                f"| {level_name} (CPU ms/reply) | "
                + " | ".join(fmt(cpu.get(n)) for n in names)
                + f" | {fmt(cpu.get('all'))} | {level.get('load')} |"
            )
        peak: dict[str, float] = defaultdict(float)
        for level in c["levels"].values():
            for n, v in level.get("rss_mb_peak", {}).items():
                peak[n] = max(peak[n], v)
        lines += ["| peak RSS MB | " + " | ".join(fmt(peak.get(n)) for n in names) + " | | |", ""]
    profiled = next((c for c in configs if c.get("profile")), None)
    if profiled is not None:
        lines += [
            "## Where each process's CPU goes (py-spy, 100 samples/s, at saturation with one Rasa process, after the "
            "level's windows)",
            "",
            "Share of the process's busy samples, by function: *self* is time in the function itself, *inclusive* "
            "with what it calls (the frames every request passes through are left out). "
            + (
                "The customers alone: the probe (Rasa's parse and the FAQ search every 0.5 s) runs in a later level "
                "of its own."
                if probe_apart
                else "The action server's `/kb/search` samples are the benchmark's own probe (one search every "
                "0.5 s beside the customers): customers' FAQ turns are answered from the NLU's ranking without a "
                "search."
            ),
            "",
        ]
        for name, prof in profiled["profile"].items():
            if not prof.get("samples"):
                lines += [f"- {name}: no samples (py-spy missing or not permitted)", ""]
                continue
            lines += [f"### {name} ({prof['samples']} busy samples = {prof['seconds_busy']} s of CPU)", ""]
            lines += ["| inclusive % | function | | self % | function |", "|---|---|---|---|---|"]
            for (inc_name, inc), (own_name, own) in zip(prof["inclusive"], prof["self"], strict=False):
                lines.append(f"| {inc} | `{inc_name}` | | {own} | `{own_name}` |")
            lines.append("")
    t = result.get("targets", {})
    lines += ["## Targets in words", ""]
    for line in t.get("lines", []):
        lines.append(f"- {line}")
    if result.get("notes"):
        lines += ["", "## Notes", "", *[f"- {note}" for note in result["notes"]]]
    return "\n".join(lines) + "\n"


def probe_table(configs: list[dict[str, Any]]) -> list[str]:
    """The probe's level: Rasa's parse and the FAQ search alone (one each every 0.5 s) while 50 customers send
    without pause, beside that level's replies/s and CPU per reply (which include the probe's work)."""
    rows = [(c, c["levels"][PROBE_LEVEL]) for c in configs if PROBE_LEVEL in c["levels"]]
    if not rows:
        return []
    lines = [
        "",
        f"## The services alone during saturation (the probe, level `{PROBE_LEVEL}`)",
        "",
        'Beside 50 customers sending without pause, one Rasa `/model/parse` ("hello") and one FAQ `/kb/search` '
        '("how long does delivery take") every 0.5 s: which service the customers\' messages queue in. Its CPU is '
        "in this level's figures only, not in the other levels' CPU per reply.",
        "",
        "| Rasa processes | parse p50 / p99 ms | FAQ search p50 / p99 ms | probe requests | replies/s "
        "| CPU ms per reply, all processes, with the probe (without: saturation level) | load after |",
        "|" + "---|" * 7,
    ]
    for c, level in rows:
        parse, search = level.get("probe_rasa_parse", {}), level.get("probe_kb_search", {})
        without = c["levels"].get("saturation", {}).get("cpu_ms_per_reply", {}).get("all")
        lines.append(
            f"| {c['rasa_processes']} | {fmt(parse.get('p50'))} / {fmt(parse.get('p99'))} "
            f"| {fmt(search.get('p50'))} / {fmt(search.get('p99'))} | {level.get('probe_requests', '–')} "
            f"| {fmt(level.get('bot_replies_per_s'))} | {fmt(level.get('cpu_ms_per_reply', {}).get('all'))} "
            f"({fmt(without)}) | {level.get('load')} |"
        )
    return lines


def floor_text(c: dict[str, Any]) -> str:
    """The Rasa parse floor of a configuration's own run: p50 before and after its levels."""
    before, after = c.get("parse_floor", {}).get("p50"), c.get("parse_floor_after", {}).get("p50")
    return f"parse p50 {fmt(before)} ms before, {fmt(after)} after"


def targets(result: dict[str, Any]) -> dict[str, Any]:
    """Issue 22's targets, each beside the figure of this run, the Rasa parse floor of the same stack and the load
    average the level ran under: `rows` (the report's table) and `lines` (the same in sentences)."""
    by_count = {c["rasa_processes"]: c for c in result["configurations"]}
    rows: list[dict[str, Any]] = []
    for count, c in sorted(by_count.items()):
        sat = c["levels"].get("saturation", {})
        cpu = sat.get("cpu_ms_per_reply", {}).get("all")
        rows.append({
            "what": f"CPU per bot reply, all processes, {count} Rasa at saturation",
            "measured": f"{fmt(cpu)} ms{window_note(sat)}" if sat else "not run",
            "target": f"≤ {TARGET_CPU_MS:g} ms",
            "met": None if cpu is None else cpu <= TARGET_CPU_MS,
            "floor": floor_text(c),
            "load": sat.get("load"),
        })  # fmt: skip
        t200 = c["levels"].get("thinking_200", {})
        p99 = t200.get("bot_reply_http", {}).get("p99")
        rows.append({
            "what": f"200 customers thinking 2–6 s, reply p99, {count} Rasa",
            "measured": f"{fmt(p99)} ms, {t200.get('errors')} errors" if t200 else "not run",
            "target": f"≤ {TARGET_P99_MS:g} ms, no errors",
            "met": None if p99 is None else p99 <= TARGET_P99_MS and t200.get("errors", 1) == 0,
            "floor": floor_text(c),
            "load": t200.get("load"),
        })  # fmt: skip
    if 1 in by_count and 2 in by_count:
        a = by_count[1]["levels"].get("saturation", {}).get("bot_replies_per_s")
        b = by_count[2]["levels"].get("saturation", {}).get("bot_replies_per_s")
        ratio = round(b / a, 2) if a and b else None
        rows.append({
            "what": "replies/s at saturation, 2 Rasa over 1 Rasa",
            "measured": f"{fmt(ratio)}× ({fmt(b)} vs {fmt(a)} replies/s)",
            "target": f"≥ {TARGET_SCALING}× where the cores allow",
            "met": None if ratio is None else ratio >= TARGET_SCALING,
            "floor": f"1 Rasa: {floor_text(by_count[1])}; 2 Rasa: {floor_text(by_count[2])}",
            "load": f"{by_count[1]['levels'].get('saturation', {}).get('load')} / "
                    f"{by_count[2]['levels'].get('saturation', {}).get('load')}",
        })  # fmt: skip
    verdict = {True: "met", False: "missed", None: "not measured"}
    lines = [
        f"{row['what']}: {row['measured']} (target {row['target']}; {verdict[row['met']]}; {row['floor']}; "
        f"load {row['load']})."
        for row in rows
    ]
    if any("2 Rasa over 1" in row["what"] for row in rows):
        lines.append(
            f"This machine has {os.cpu_count()} cores for the helpdesk, every Rasa and action server, PostgreSQL and "
            "the load generator together: once one Rasa process's share is a core, a second one can only take the "
            "CPU the others leave."
        )
    return {"rows": rows, "lines": lines}


def window_note(level: dict[str, Any]) -> str:
    """ " (median of N windows of …, min–max …)" for a level measured in windows, else ""."""
    figures = level.get("in_windows")
    if not figures:
        return ""
    every = figures["cpu_ms_per_reply"]["all"]
    return (
        f" (median of {figures['windows']} windows after {figures['warmup_s']:g} s warm-up; "
        f"min–max {fmt(every['min'])}–{fmt(every['max'])})"
    )


def windows_table(configs: list[dict[str, Any]]) -> list[str]:
    """Saturation, window by window: what each process spent per reply, and what else ran on the machine."""
    rows = [(c, c["levels"]["saturation"]) for c in configs if c["levels"].get("saturation", {}).get("windows")]
    if not rows:
        return []
    lines = [
        "",
        "## Saturation, window by window (the warm-up excluded)",
        "",
        "CPU ms per bot reply of each window. Beside the stack's processes: the load generator (this benchmark's "
        "own process), PostgreSQL and Redis per reply; the machine's busy cores and the part of them no process "
        "of this run used (`others`: other jobs on the machine, py-spy when it profiles); the share of CPU time "
        "the host stole; the reference loop (a fixed pure-Python loop's CPU ms, measured at each window's ends: "
        "higher means each CPU second did less, for every process alike); how often the scheduler took the CPU "
        "from the services' threads (involuntary context switches), per reply.",
        "",
    ]
    for c, level in rows:
        names = [n for n in level["windows"][0]["cpu_ms_per_reply"] if n != "all"]
        lines += [
            f"{c['rasa_processes']} Rasa process(es), warm-up {level['in_windows']['warmup_s']:g} s:",
            "",
            "| window | s | replies/s | " + " | ".join(names) + " | all | all, net of idle | load generator "
            "| PostgreSQL | Redis | machine busy cores | others' cores | steal % | reference ms "
            "| preempted per reply |",
            "|" + "---|" * (len(names) + 13),
        ]
        for index, w in enumerate(level["windows"], 1):
            cpu = w["cpu_ms_per_reply"]
            lines.append(
                f"| {index} | {fmt(w['seconds'])} | {fmt(w['replies_per_s'])} | "
                + " | ".join(fmt(cpu.get(n)) for n in names)
                + f" | **{fmt(cpu.get('all'))}** | {fmt(w.get('all_net_of_idle'))} "
                f"| {fmt(w['load_generator_ms_per_reply'])} "
                f"| {fmt(w['postgres_ms_per_reply'])} | {fmt(w['redis_ms_per_reply'])} "
                f"| {fmt(w['machine_cores_busy'])} "
                f"| {fmt(w['others_cores'])} | {fmt(round(100 * w['steal_share'], 1))} | {fmt(w['reference_ms'])} "
                f"| {fmt(w.get('preempted_per_reply'))} |"
            )
        figures = level["in_windows"]

        def spread_of(f: dict[str, Any]) -> str:
            return f"{fmt(f.get('median'))} ({fmt(f.get('min'))}–{fmt(f.get('max'))})"

        lines.append(
            "| median (min–max) | | "
            + spread_of(figures["replies_per_s"])
            + " | "
            + " | ".join(spread_of(figures["cpu_ms_per_reply"][n]) for n in names)
            + f" | **{spread_of(figures['cpu_ms_per_reply']['all'])}** "
            f"| {spread_of(figures.get('all_net_of_idle') or {})} "
            f"| {spread_of(figures['load_generator_ms_per_reply'])} | {spread_of(figures['postgres_ms_per_reply'])} "
            f"| | | {spread_of(figures['others_cores'])} | | {spread_of(figures['reference_ms'])} "
            f"| {spread_of(figures.get('preempted_per_reply') or {})} |"
        )
        if idle := c.get("idle_ms_per_s"):
            lines += [
                "",
                "With no customer (measured before the level, "
                f"{c.get('idle_seconds', '?')} s), the services spent "
                + ", ".join(f"{n} {fmt(v)}" for n, v in idle.items() if n != "all")
                + f": {fmt(idle.get('all'))} ms of CPU per second, billed to the replies at saturation (the more "
                "replies a second, the less of it each carries): `all, net of idle` leaves it out.",
            ]
        whole = level.get("cpu_ms_per_reply_whole_level", {}).get("all")
        lines += ["", "The whole level (the warm-up, the windows, py-spy's profile after them when it ran, the last "
                      f"messages; as runs before the windows counted): {fmt(whole)} ms CPU per reply.", ""]  # fmt: skip
    return lines


def targets_table(t: dict[str, Any]) -> list[str]:
    verdict = {True: "**met**", False: "**missed**", None: "–"}
    lines = [
        "| target (issue 22) | this run | target | | Rasa parse floor, same stack | load average (1/5/15 min) |",
        "|---|---|---|---|---|---|",
    ]
    for row in t.get("rows", []):
        lines.append(
            f"| {row['what']} | {row['measured']} | {row['target']} | {verdict[row['met']]} | {row['floor']} "
            f"| {row['load'] or '–'} |"
        )
    return lines


def write_outputs(result: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    result["targets"] = targets(result)
    out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    out.with_suffix(".md").write_text(render_markdown(result))
    log(f"wrote {out.with_suffix('.json')} and .md")


async def run(args: argparse.Namespace, argv: Sequence[str]) -> dict[str, Any]:
    commit, changed = git_state("helpdesk", "actions", "nlu_addons", "config.yml")
    result: dict[str, Any] = {
        "machine": machine_info(sanic=package_version("sanic"), httpx=package_version("httpx")),
        "commit": commit,
        "dirty": bool(changed),
        "settings": {
            "argv": list(argv),
            "duration": args.duration,
            "saturation_windows": {"warmup_s": args.warmup, "windows": args.windows, "window_s": args.window},
            "floor_samples": args.floor_samples,
            "burst_seconds": args.burst,
            "probe_apart": True,  # the probe in its own level (PROBE_LEVEL), not beside the customers' levels
        },
        "configurations": [],
    }
    for count in args.rasa:
        await configuration(count, args, result)
    result.update(run_end(STARTED))
    return result


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rasa", type=lambda s: [int(v) for v in s.split(",")], default=[1, 2])
    parser.add_argument("--duration", type=float, default=45.0, help="seconds per level (45)")
    parser.add_argument("--storage", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument(
        "--levels",
        type=lambda s: s.split(","),
        default=["saturation", "thinking_50", "thinking_200", PROBE_LEVEL],
        help=f"which of saturation,thinking_50,thinking_200,{PROBE_LEVEL} to run (all)",
    )
    parser.add_argument(
        "--warmup", type=float, default=None, help="saturation: seconds before the windows (15; --quick: 10)"
    )
    parser.add_argument(
        "--windows", type=int, default=None, help="saturation: windows measured after the warm-up (4; --quick: 3)"
    )
    parser.add_argument("--window", type=float, default=15.0, help="saturation: seconds per window (15)")
    parser.add_argument(
        "--idle", type=float, default=10.0, help="seconds of no customer before saturation: the services' idle CPU (10)"
    )
    parser.add_argument("--floor-samples", type=int, default=100)
    parser.add_argument(
        "--burst", type=float, default=0.0, help="CHAT_BURST_SECONDS of the stacks (0: every line answered at once)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="20 s levels, saturation 10 s warm-up + 3 windows, 40 floor samples"
    )
    parser.add_argument("--no-profile", dest="profile", action="store_false", help="no py-spy profile")
    parser.add_argument("--keep", action="store_true", help="keep each stack's folder (logs, profiles)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--from-json", type=Path, help="only rewrite the .md from this JSON")
    parser.add_argument("--note", action="append", default=[])
    parser.add_argument("--profiles", type=Path, help="with --from-json: summarise the py-spy files in this folder")
    args = parser.parse_args(argv)
    if args.from_json:
        result = json.loads(args.from_json.read_text())
        if args.profiles:
            profiled = next(c for c in result["configurations"] if c["rasa_processes"] == 1)
            profiled["profile"] = {f.stem: profile_summary(f) for f in sorted(args.profiles.glob("*.txt"))}
        result["notes"] = [*result.get("notes", []), *args.note]
        write_outputs(result, args.out)
        return 0
    if args.quick:
        args.duration, args.floor_samples = min(args.duration, 20.0), min(args.floor_samples, 40)
    # --quick shortens the warm-up and the windows unless they are given (a --warmup 20 with --quick was cut to 10)
    args.warmup = args.warmup if args.warmup is not None else 10.0 if args.quick else 15.0
    args.windows = args.windows if args.windows is not None else 3 if args.quick else 4
    result = asyncio.run(run(args, argv))
    result["notes"] = args.note
    write_outputs(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
