"""Issue 22's load-independent count: what one bot reply costs each process in system calls, by peer.

    .venv/bin/python bench/reply_syscalls.py --turns 60 --out results/reply_syscalls_<name>

A fresh stack on PostgreSQL + Redis with one Rasa process (scale_bench.py's storage), its start-up work done and
20 turns of warm-up, then `--turns` turns of one customer without pause (the bench's conversation mix, the same
turns in every run) while strace follows every process: each process's socket writes by peer (PostgreSQL, Redis,
Rasa, the action server, the helpdesk's clients), its eventfd writes (a thread waking the event loop) and its
epoll waits (the event loop waking), per bot reply. The counts do not move with the machine's load, so a change's
before and after compare on any machine state; CPU time is what scale_bench.py measures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from common import git_state
from load_bench import burst_env, run_level
from scale_bench import start_up_done, storage, uptime

from helpdesk.config import PROJECT_ROOT

CALLS = "write,writev,sendto,sendmsg,epoll_wait,epoll_pwait"
# `[pid N]` or `N ` (-f), a time (-tt), then the call, its file descriptor and what -yy says it is
LINE = re.compile(
    r"^(?:\[pid\s+\d+\]\s+)?(?:\d+\s+)?(?:[\d:.]+\s+)?(?P<call>\w+)\((?P<fd>\d+)(?P<what><[^>]*(?:>[^,]*)?)?"
)
PEER = re.compile(r"->\[?(?:127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)\]?:(\d+)\]")
OWN = re.compile(r"\[?(?:127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)\]?:(\d+)->")


def peer_names(stack: Any) -> dict[int, str]:
    ports = {5432: "postgresql", 6379: "redis"}
    for index, (rasa, actions) in enumerate(stack.ports.bots()):
        suffix = "" if index == 0 else f"-{index + 1}"
        ports[rasa] = f"rasa{suffix}"
        ports[actions] = f"actions{suffix}"
    ports[stack.ports.helpdesk] = "helpdesk"
    return ports


def classify(line: str, ports: dict[int, str]) -> str | None:
    """What one strace line counts as: "epoll_wait", "eventfd", "<peer> write", or None (not counted)."""
    found = LINE.match(line)
    if found is None or "resumed>" in line:
        return None
    call, what = found["call"], found["what"] or ""
    if call.startswith("epoll"):
        return "epoll waits"
    if "eventfd" in what:
        return "eventfd writes"
    if "TCP" not in what and "UNIX" not in what:
        return None  # a file, a pipe (logs)
    peer = PEER.search(what)
    own = OWN.search(what)
    if peer and int(peer[1]) in ports and not (own and int(own[1]) in ports and ports[int(own[1])] != "postgresql"):
        return f"→ {ports[int(peer[1])]}"
    if own and int(own[1]) in ports:
        return f"answers on {ports[int(own[1])]}'s port"
    return "other socket writes"


def count(path: Path, ports: dict[int, str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in path.read_text(errors="replace").splitlines():
        kind = classify(line, ports)
        if kind is not None:
            counts[kind] += 1
    return counts


def strace(pid: int, output: Path) -> list[str]:
    """strace following every thread of `pid`, each counted call with what its file descriptor is (-yy)."""
    return ["strace", "-f", "-qq", "-yy", "-tt", "-e", f"trace={CALLS}", "-o", str(output), "-p", str(pid)]


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    from bench_stack import bench_stack

    with storage("postgres") as env, bench_stack(keep=args.keep, extra_env={**env, **burst_env(0.0)}) as stack:
        await start_up_done(stack)
        await run_level(stack, 1, None, (0.0, 0.0), turns=args.warmup, ws_share=0.0)
        pids = {name: s.process.pid for name, s in stack.services.items() if s.process is not None}
        folder = Path(stack.workdir) / "strace"
        folder.mkdir()
        tracers = {
            name: subprocess.Popen(strace(pid, folder / name), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for name, pid in pids.items()
        }
        time.sleep(2.0)  # strace attached to every thread
        load_before = uptime()
        level = await run_level(stack, 1, None, (0.0, 0.0), turns=args.turns, ws_share=0.0)
        await asyncio.sleep(1.0)  # the turn's last background work (the context of a handoff) done
        for tracer in tracers.values():
            tracer.send_signal(signal.SIGINT)
        for tracer in tracers.values():
            tracer.wait(30)
        replies = level["bot_reply_http"].get("n", 0)
        ports = peer_names(stack)
        per_process: dict[str, dict[str, float]] = defaultdict(dict)
        for name in pids:
            for kind, n in sorted(count(folder / name, ports).items()):
                per_process[name][kind] = round(n / max(1, replies), 2)
        return {
            "commit": git_state()[0],
            "dirty": git_state()[1],
            "turns": args.turns,
            "bot_replies": replies,
            "errors": level["errors"],
            "load_average": [load_before, uptime()],
            "per_reply": per_process,
        }


def render(result: dict[str, Any]) -> str:
    lines = [
        f"# System calls per bot reply (strace; {result['bot_replies']} replies of one customer, "
        f"{result['errors']} errors)",
        "",
        f"Commit {result['commit']}; load average {result['load_average'][0]} → {result['load_average'][1]} "
        "(the counts do not depend on it).",
        "",
        "| process | what | per reply |",
        "|---|---|---|",
    ]
    for process, kinds in result["per_reply"].items():
        for kind, value in kinds.items():
            lines.append(f"| {process} | {kind} | {value} |")
        writes = sum(v for k, v in kinds.items() if k != "epoll waits")
        lines.append(f"| {process} | **all writes** | **{round(writes, 2)}** |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the stack's folder (the strace files)")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "reply_syscalls")
    args = parser.parse_args()
    result = asyncio.run(measure(args))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=1))
    args.out.with_suffix(".md").write_text(render(result))
    print(render(result))
    sys.exit(1 if result["errors"] else 0)


if __name__ == "__main__":
    main()
