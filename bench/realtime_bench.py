"""Live-agent real-time figures: agent → customer delivery latency with 200 open conversations, and the
helpdesk's resident memory per 1,000 open widget websockets.

    .venv/bin/python bench/realtime_bench.py                       # both parts, ~3 min
    .venv/bin/python bench/realtime_bench.py --parts latency --rates 20 --rounds 2

Starts its own helpdesk process (`python -m helpdesk`) on a spare 127.0.0.1 port with a SQLite database in a
temporary folder; Rasa and the action server are not needed: the open conversations are written straight into
the database (mode `agent`, assigned to benchmark agents, with their handoff and assignment rows) after the
schema migration. Writes results/realtime_bench.json and results/realtime_bench.md. A benchmark, not a test:
nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from common import (
    cpu_seconds,
    fd_limit,
    git_state,
    machine_line,
    open_fds,
    package_version,
    rss_mb,
    self_cpu,
    summary,
)
from common import machine_info as describe_machine
from realtime_report import TARGET_P99_MS, markdown
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.orm import Session
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from helpdesk.config import PROJECT_ROOT
from helpdesk.db.engine import migrate, sync_url
from helpdesk.db.models import Agent, Assignment, Conversation, Handoff, Message, utcnow
from helpdesk.stack import free_port
from helpdesk.staff.accounts import hash_password
from helpdesk.vocabulary import MODE_AGENT

PASSWORD = "bench-" + secrets.token_urlsafe(12)
STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:7.1f}s] {message}", flush=True)


# ---- machine and numbers ---------------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    return describe_machine(
        sanic=package_version("sanic"),
        websockets=package_version("websockets"),
        sqlalchemy=package_version("sqlalchemy"),
        uvloop=package_version("uvloop"),
    )


def machine_text(info: dict[str, Any]) -> str:
    packages = (("sanic", "sanic"), ("websockets", "websockets"), ("SQLAlchemy", "sqlalchemy"))
    return machine_line(info, packages, after=", SQLite")


def code_version() -> dict[str, Any]:
    commit, changed = git_state("helpdesk")
    return {"git_commit": commit, "uncommitted_helpdesk_changes": sorted(changed)} if commit else {}


# ---- the helpdesk process and its database ---------------------------------------------------------------------


def raise_fd_limit(wanted: int) -> tuple[int, int]:
    """Lift this process's soft RLIMIT_NOFILE (inherited by the helpdesk it starts) towards `wanted`."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        new = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        if new < wanted:
            log(f"warning: the open-file limit is {new} (hard limit), fewer than the {wanted} wanted")
    return resource.getrlimit(resource.RLIMIT_NOFILE)


@dataclass
class Chat:
    conversation_id: str
    agent: str  # username
    last_message_id: int


@dataclass
class Population:
    agents: list[str]
    chats: list[Chat]


def populate(database_url: str, conversations: int, chats_per_agent: int, prefix: str) -> Population:
    """Migrate, then write agents and open conversations (mode `agent`) the way a claim leaves them: a customer
    turn, the handoff, the assignment, the "has joined" system message. One password hash for every agent."""
    migrate(database_url)
    engine = create_sync_engine(sync_url(database_url))
    try:
        with Session(engine, expire_on_commit=False) as session:
            password_hash = hash_password(PASSWORD)
            n_agents = -(-conversations // chats_per_agent)
            agents = [
                Agent(
                    username=f"{prefix}{i:04d}",
                    display_name=f"Bench Agent {i}",
                    role="agent",
                    password_hash=password_hash,
                    active=True,
                    team=None,
                    max_concurrent=chats_per_agent,
                )
                for i in range(n_agents)
            ]
            session.add_all(agents)
            session.flush()
            now = utcnow()
            rows: list[tuple[str, Agent, Message]] = []
            for i in range(conversations):
                agent = agents[i // chats_per_agent]
                conversation_id = secrets.token_urlsafe(18)
                queued = now - timedelta(seconds=60 + i % 120)
                session.add(
                    Conversation(
                        id=conversation_id,
                        mode=MODE_AGENT,
                        channel="web",
                        created_at=queued - timedelta(seconds=30),
                        updated_at=now,
                        customer_tier="standard",
                        queued_at=queued,
                        assigned_agent_id=agent.id,
                    )
                )
                session.add(
                    Message(conversation_id=conversation_id, sender="customer", text="I want to talk to a person")
                )
                session.add(Handoff(conversation_id=conversation_id, reason="requested", created_at=queued))
                session.add(Assignment(conversation_id=conversation_id, agent_id=agent.id, assigned_at=now))
                joined = Message(
                    conversation_id=conversation_id, sender="system", text=f"{agent.display_name} has joined the chat."
                )
                session.add(joined)
                rows.append((conversation_id, agent, joined))
            session.commit()
            chats = [Chat(cid, agent.username, joined.id) for cid, agent, joined in rows]
            return Population([a.username for a in agents], chats)
    finally:
        engine.dispose()


class Helpdesk:
    """One `python -m helpdesk` on a spare port; Rasa and the action server point at a closed port."""

    def __init__(self, workdir: Path, name: str, rate_limit: int) -> None:
        self.workdir = workdir
        self.database_url = f"sqlite+aiosqlite:///{workdir / f'{name}.db'}"
        self.log_path = workdir / f"{name}.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.rate_limit = rate_limit
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 60) -> None:
        closed = free_port()  # nothing listens there: the bot is "down", which the agent path never needs
        env = {
            **os.environ,
            "HELPDESK_HOST": "127.0.0.1",
            "HELPDESK_PORT": str(self.port),
            "DATABASE_URL": self.database_url,
            "RASA_URL": f"http://127.0.0.1:{closed}",
            "ACTIONS_URL": f"http://127.0.0.1:{closed}",
            "RATE_PER_ADDRESS": str(self.rate_limit),
            "RATE_PER_CONVERSATION": str(self.rate_limit),
            "PUBLIC_URL": self.url,
            "BUSINESS_HOURS": "off",  # the live-agent path at any hour
        }
        with open(self.log_path, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "helpdesk"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches the benchmark, which stops the helpdesk itself
            )
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/agent", timeout=2).status_code == 200:
                    return
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the helpdesk did not start:\n{self.log_tail()}")
            time.sleep(0.2)

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def ws_base(url: str) -> str:
    return url.replace("http://", "ws://", 1)


# ---- part 1: delivery latency ----------------------------------------------------------------------------------


@dataclass
class Sent:
    phase: str
    conversation_id: str
    started: float
    answered: float | None = None
    status: int | None = None
    error: str | None = None
    delivered: float | None = None
    copies: int = 0


@dataclass
class LatencyRun:
    base_url: str
    chats: list[Chat]
    consoles: dict[str, httpx.AsyncClient] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)
    pending: dict[str, Sent] = field(default_factory=dict)
    closed_sockets: Counter[str] = field(default_factory=Counter)
    console_events: int = 0
    extensions: str | None = None

    async def login(self, agents: list[str], concurrency: int = 4) -> None:
        gate = asyncio.Semaphore(concurrency)
        limits = httpx.Limits(max_connections=20, max_keepalive_connections=20, keepalive_expiry=60)

        async def one(username: str) -> None:
            client = httpx.AsyncClient(base_url=self.base_url, timeout=30, limits=limits)
            self.consoles[username] = client
            async with gate:
                response = await client.post("/api/agent/login", json={"username": username, "password": PASSWORD})
            response.raise_for_status()
            self.csrf[username] = response.json()["csrf_token"]

        await asyncio.gather(*(one(name) for name in agents))

    async def close(self) -> None:
        await asyncio.gather(*(client.aclose() for client in self.consoles.values()), return_exceptions=True)

    async def console_reader(self, ws: ClientConnection) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for _ in ws:
                self.console_events += 1
        self.closed_sockets["console"] += 1

    async def widget_reader(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                now = time.perf_counter()
                event = json.loads(raw)
                if event.get("type") != "message" or event["message"].get("sender") != "agent":
                    continue
                sent = self.pending.get(event["message"]["text"])
                if sent is None:
                    continue
                sent.copies += 1
                if sent.delivered is None:
                    sent.delivered = now
        except ConnectionClosed:
            pass
        self.closed_sockets["widget"] += 1

    async def send(self, chat: Chat, phase: str, text: str) -> Sent:
        client = self.consoles[chat.agent]
        sent = Sent(phase, chat.conversation_id, time.perf_counter())
        self.pending[text] = sent
        try:
            response = await client.post(
                f"/api/agent/conversations/{chat.conversation_id}/messages",
                json={"text": text},
                headers={"X-CSRF-Token": self.csrf[chat.agent]},
            )
            sent.status = response.status_code
        except httpx.HTTPError as exc:
            sent.error = type(exc).__name__
        sent.answered = time.perf_counter()
        return sent

    async def wait_delivered(self, sends: list[Sent], timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if all(s.delivered is not None or s.status not in (201, None) or s.error for s in sends):
                return
            await asyncio.sleep(0.01)


async def loop_lag(samples: list[float], stop: asyncio.Event, interval: float = 0.01) -> None:
    """How late the client's own event loop wakes up (a busy client would inflate the latencies)."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        before = loop.time()
        await asyncio.sleep(interval)
        samples.append((loop.time() - before - interval) * 1000)


def phase_report(
    sends: list[Sent], wall: float, server_cpu: float, client_cpu: float, load_before: float
) -> dict[str, Any]:
    ok = [s for s in sends if s.status == 201 and s.delivered is not None]
    errors: Counter[str] = Counter()
    for s in sends:
        if s.error:
            errors[f"exception {s.error}"] += 1
        elif s.status != 201:
            errors[f"HTTP {s.status}"] += 1
        elif s.delivered is None:
            errors["not delivered"] += 1
        if s.copies > 1:
            errors["delivered twice"] += 1
    delivered_at = [s.delivered for s in ok if s.delivered is not None]
    first = min((s.started for s in sends), default=0.0)
    span = (max(delivered_at) - first) if delivered_at else 0.0
    return {
        "sent": len(sends),
        "delivered": len(ok),
        "errors": dict(errors),
        "latency_ms": summary([((s.delivered or 0) - s.started) * 1000 for s in ok]),
        "http_response_ms": summary([((s.answered or 0) - s.started) * 1000 for s in sends if s.answered]),
        "wall_seconds": round(wall, 2),
        "throughput_msgs_per_s": round(len(ok) / span, 1) if span > 0 else None,
        "server_cpu_seconds": round(server_cpu, 2),
        "server_cpu_share_of_one_core": round(server_cpu / wall, 2) if wall else None,
        "client_cpu_seconds": round(client_cpu, 2),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


async def run_latency(helpdesk: Helpdesk, population: Population, args: argparse.Namespace) -> dict[str, Any]:
    run = LatencyRun(helpdesk.url, population.chats)
    result: dict[str, Any] = {
        "conversations": len(population.chats),
        "agents": len(population.agents),
        "chats_per_agent": args.chats_per_agent,
        "console_sockets": 0,
        "rounds": args.rounds,
    }
    async with contextlib.AsyncExitStack() as stack:
        stack.push_async_callback(run.close)
        readers: list[asyncio.Task[None]] = []

        async def cancel_readers() -> None:
            for task in readers:
                task.cancel()
            await asyncio.gather(*readers, return_exceptions=True)

        stack.push_async_callback(cancel_readers)

        started = time.perf_counter()
        await run.login(population.agents)
        result["login_seconds"] = round(time.perf_counter() - started, 2)
        log(f"latency: {len(population.agents)} agents logged in in {result['login_seconds']} s")

        ws = ws_base(helpdesk.url)
        if args.consoles:
            for client in run.consoles.values():
                cookie = client.cookies.get("helpdesk_agent")
                console = await stack.enter_async_context(
                    connect(f"{ws}/api/agent/ws?after=0", additional_headers={"Cookie": f"helpdesk_agent={cookie}"})
                )
                while json.loads(await console.recv())["type"] != "ready":
                    pass
                readers.append(asyncio.create_task(run.console_reader(console)))
            result["console_sockets"] = len(run.consoles)
            log(f"latency: {len(run.consoles)} agent console sockets open")

        started = time.perf_counter()
        gate = asyncio.Semaphore(50)

        async def open_widget(chat: Chat) -> ClientConnection:
            async with gate:
                widget = await connect(f"{ws}/api/chat/{chat.conversation_id}/ws?after={chat.last_message_id}")
                while json.loads(await widget.recv())["type"] != "state":
                    pass
                return widget

        widgets = await asyncio.gather(*(open_widget(chat) for chat in population.chats))
        for widget in widgets:
            stack.push_async_callback(widget.close)
            readers.append(asyncio.create_task(run.widget_reader(widget)))
        run.extensions = widgets[0].response.headers.get("Sec-WebSocket-Extensions") if widgets else None
        result["widget_sockets_open_seconds"] = round(time.perf_counter() - started, 2)
        result["widget_socket_extensions"] = run.extensions
        log(f"latency: {len(widgets)} widget sockets open in {result['widget_sockets_open_seconds']} s")

        # warm-up: one message in every conversation, a few at a time, not recorded
        gate = asyncio.Semaphore(8)

        async def warm(chat: Chat) -> Sent:
            async with gate:
                return await run.send(chat, "warm-up", f"warm-up {chat.conversation_id[:8]} {secrets.token_hex(4)}")

        warm_sends = await asyncio.gather(*(warm(chat) for chat in population.chats))
        await run.wait_delivered(list(warm_sends), args.delivery_timeout)
        log(f"latency: warm-up done ({sum(s.delivered is not None for s in warm_sends)}/{len(warm_sends)} delivered)")

        phases: dict[str, Any] = {}
        lag_samples: list[float] = []
        stop_lag = asyncio.Event()
        lag_task = asyncio.create_task(loop_lag(lag_samples, stop_lag))
        rng = random.Random(4)
        server = helpdesk.pid

        for rate in args.rates:
            name = f"paced_{rate:g}_per_s"
            log(f"latency: {name}: {args.rounds} rounds x {len(population.chats)} messages at {rate:g} msg/s")
            lag_samples.clear()
            schedule = [
                chat for _ in range(args.rounds) for chat in rng.sample(population.chats, len(population.chats))
            ]
            loop = asyncio.get_running_loop()
            tasks: list[asyncio.Task[Sent]] = []
            lateness: list[float] = []
            cpu0, client0, wall0, load0 = cpu_seconds(server), self_cpu(), time.perf_counter(), os.getloadavg()[0]
            begin = loop.time() + 0.2
            for k, chat in enumerate(schedule):
                due = begin + k / rate
                if (delay := due - loop.time()) > 0:
                    await asyncio.sleep(delay)
                lateness.append((loop.time() - due) * 1000)
                text = f"{name} #{k} {chat.conversation_id[:8]} {secrets.token_hex(4)}"
                tasks.append(asyncio.create_task(run.send(chat, name, text)))
                if (k + 1) % len(population.chats) == 0:
                    log(f"latency: {name}: round {(k + 1) // len(population.chats)} sent")
            sends = list(await asyncio.gather(*tasks))
            await run.wait_delivered(sends, args.delivery_timeout)
            wall = time.perf_counter() - wall0
            report = phase_report(sends, wall, cpu_seconds(server) - cpu0, self_cpu() - client0, load0)
            report["rate_msgs_per_s"] = rate
            report["send_start_lateness_ms"] = summary(lateness)
            report["client_loop_lag_ms"] = summary(lag_samples)
            phases[name] = report
            log(f"latency: {name}: {report['latency_ms']} errors {report['errors']}")
            await asyncio.sleep(1)

        log(f"latency: burst: {args.rounds} rounds, all {len(population.chats)} conversations at once")
        lag_samples.clear()
        burst: list[Sent] = []
        rounds: list[dict[str, Any]] = []
        cpu0, client0, wall0, load0 = cpu_seconds(server), self_cpu(), time.perf_counter(), os.getloadavg()[0]
        busy = 0.0
        for r in range(args.rounds):
            t0 = time.perf_counter()
            sends = list(
                await asyncio.gather(
                    *(
                        run.send(chat, "burst", f"burst r{r} {chat.conversation_id[:8]} {secrets.token_hex(4)}")
                        for chat in population.chats
                    )
                )
            )
            await run.wait_delivered(sends, args.delivery_timeout)
            done = [s.delivered for s in sends if s.delivered is not None]
            span = (max(done) - t0) if done else float("nan")
            busy += span if done else 0.0
            rounds.append({"round": r + 1, "seconds_until_all_delivered": round(span, 3)})
            burst.extend(sends)
            log(f"latency: burst round {r + 1}: {len(done)}/{len(sends)} delivered within {span * 1000:.0f} ms")
            await asyncio.sleep(1)
        wall = time.perf_counter() - wall0
        report = phase_report(burst, wall, cpu_seconds(server) - cpu0, self_cpu() - client0, load0)
        report["rounds"] = rounds
        report["throughput_msgs_per_s"] = round(len([s for s in burst if s.delivered]) / busy, 1) if busy else None
        report["client_loop_lag_ms"] = summary(lag_samples)
        phases["burst"] = report
        log(f"latency: burst: {report['latency_ms']} errors {report['errors']}")

        stop_lag.set()
        await lag_task
        result["phases"] = phases
        result["sockets_closed_during_run"] = dict(run.closed_sockets)
        result["console_events_received"] = run.console_events
        result["server_rss_mb_at_end"] = round(rss_mb(server), 1)
    return result


# ---- part 2: memory per 1,000 open widget sockets --------------------------------------------------------------


async def run_memory(helpdesk: Helpdesk, population: Population, args: argparse.Namespace) -> dict[str, Any]:
    pid = helpdesk.pid
    ws = ws_base(helpdesk.url)
    chats = population.chats
    gate = asyncio.Semaphore(50)
    opened: list[ClientConnection] = []
    failures: Counter[str] = Counter()

    async def open_widget(chat: Chat) -> None:
        async with gate:
            try:
                widget = await connect(f"{ws}/api/chat/{chat.conversation_id}/ws?after=0")
            except (OSError, ConnectionClosed, TimeoutError) as exc:
                failures[type(exc).__name__] += 1
                return
            opened.append(widget)
            try:
                while json.loads(await widget.recv())["type"] != "state":
                    pass
            except ConnectionClosed:
                failures["closed before state"] += 1

    async def settle() -> float:
        await asyncio.sleep(args.settle)
        return round(rss_mb(pid), 2)

    result: dict[str, Any] = {"server_fd_limit": fd_limit(pid)}
    try:
        # warm-up: the first sockets load code and fill caches that later ones share
        await asyncio.gather(*(open_widget(chat) for chat in chats[: args.memory_warmup]))
        await asyncio.gather(*(w.close() for w in opened))
        opened.clear()
        before = await settle()
        fds_before = open_fds(pid)
        log(f"memory: helpdesk RSS {before:.1f} MB before (after {args.memory_warmup} warm-up sockets came and went)")
        steps = [{"open": 0, "rss_mb": before, "server_fds": fds_before}]
        rest = chats[args.memory_warmup :]
        target = min(args.memory_sockets, len(rest))
        step = max(1, target // 4)
        for start in range(0, target, step):
            await asyncio.gather(*(open_widget(chat) for chat in rest[start : min(start + step, target)]))
            rss = await settle()
            steps.append({"open": len(opened), "rss_mb": rss, "server_fds": open_fds(pid)})
            log(f"memory: {len(opened)} sockets open, helpdesk RSS {rss:.1f} MB, {steps[-1]['server_fds']} fds")
        after = steps[-1]["rss_mb"]
        extensions = opened[0].response.headers.get("Sec-WebSocket-Extensions") if opened else None
        client_rss = rss_mb(os.getpid())
    finally:
        await asyncio.gather(*(w.close() for w in opened), return_exceptions=True)
    n = steps[-1]["open"]
    closed_rss = await settle()
    closed_fds = open_fds(pid)
    log(f"memory: all closed, helpdesk RSS {closed_rss:.1f} MB, {closed_fds} fds; waiting {args.linger:g} s")
    # sanic keeps a closed connection's objects until its keepalive timer fires (up to ~40 s): wait them out, then
    # open the same number again. Freed memory is reused, so a leak per connection would show as growth here.
    await asyncio.sleep(args.linger)
    lingered_rss = await settle()
    opened.clear()
    try:
        await asyncio.gather(*(open_widget(chat) for chat in rest[:target]))
        reopened_rss = await settle()
    finally:
        await asyncio.gather(*(w.close() for w in opened), return_exceptions=True)
    log(f"memory: after {args.linger:g} s: {lingered_rss:.1f} MB; {len(opened)} opened again: {reopened_rss:.1f} MB")
    await asyncio.sleep(args.linger)
    reclosed_rss = await settle()
    log(f"memory: closed again, after {args.linger:g} s: {reclosed_rss:.1f} MB")
    result.update(
        {
            "sockets": n,
            "open_failures": dict(failures),
            "warmup_sockets": args.memory_warmup,
            "rss_before_mb": before,
            "rss_after_mb": after,
            "rss_after_close_mb": closed_rss,
            "server_fds_after_close": closed_fds,
            "linger_seconds": args.linger,
            "rss_after_close_and_linger_mb": lingered_rss,
            "rss_after_reopen_mb": reopened_rss,
            "rss_after_second_close_and_linger_mb": reclosed_rss,
            "mb_per_1000_sockets": round((after - before) / n * 1000, 1) if n else None,
            "kb_per_socket": round((after - before) * 1024 / n, 1) if n else None,
            "steps": steps,
            "server_fds_per_socket": round((steps[-1]["server_fds"] - fds_before) / n, 2) if n else None,
            "widget_socket_extensions": extensions,
            "client_rss_mb_with_sockets_open": round(client_rss, 1),
            "settle_seconds": args.settle,
        }
    )
    return result


# ---- main ------------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--parts", default="latency,memory", help="comma-separated: latency, memory")
    parser.add_argument("--conversations", type=int, default=200, help="open conversations for the latency part")
    parser.add_argument("--chats-per-agent", type=int, default=3, help="chats each agent holds (their max_concurrent)")
    parser.add_argument("--rounds", type=int, default=5, help="messages per conversation in each latency phase")
    parser.add_argument(
        "--rates", default="10,20,50", help="paced phases: aggregate agent messages per second, comma-separated"
    )
    parser.add_argument("--no-consoles", dest="consoles", action="store_false", help="no agent console sockets")
    parser.add_argument("--delivery-timeout", type=float, default=15.0, help="seconds to wait for stragglers")
    parser.add_argument("--memory-sockets", type=int, default=1000, help="widget sockets for the memory part")
    parser.add_argument("--memory-warmup", type=int, default=20, help="sockets opened and closed before measuring")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds before each RSS reading")
    parser.add_argument("--linger", type=float, default=45.0, help="seconds to wait after closing sockets")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results", help="folder for the results")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (databases, helpdesk logs)")
    args = parser.parse_args(argv)
    args.parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = set(args.parts) - {"latency", "memory"}
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    args.rates = [float(r) for r in args.rates.split(",") if r.strip()]
    if not 1 <= args.chats_per_agent <= 50:
        parser.error("--chats-per-agent must be 1 to 50 (the helpdesk's own bounds)")
    return args


def _sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def run_async(coroutine: Any) -> Any:
    try:
        import uvloop

        return uvloop.run(coroutine)
    except ImportError:
        return asyncio.run(coroutine)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _sigterm)
    needed = max(args.conversations * 2, args.memory_sockets + args.memory_warmup) + 512
    soft, hard = raise_fd_limit(needed)
    results: dict[str, Any] = {
        "benchmark": "realtime_bench",
        "command": " ".join([".venv/bin/python", "bench/realtime_bench.py", *(argv or sys.argv[1:])]),
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine_info(),
        **code_version(),
        "settings": {
            "conversations": args.conversations,
            "chats_per_agent": args.chats_per_agent,
            "rounds": args.rounds,
            "rates": args.rates,
            "consoles": args.consoles,
            "memory_sockets": args.memory_sockets,
            "client_fd_limit": [soft, hard],
            "client_event_loop": "uvloop" if package_version("uvloop") else "asyncio",
            "target_p99_ms": TARGET_P99_MS,
        },
    }
    log(f"machine: {machine_text(results['machine'])}")
    workdir = Path(tempfile.mkdtemp(prefix="realtime-bench-"))
    helpdesks: list[Helpdesk] = []
    rate_limit = 10_000_000
    try:
        if "latency" in args.parts:
            helpdesk = Helpdesk(workdir, "latency", rate_limit)
            helpdesks.append(helpdesk)
            population = populate(helpdesk.database_url, args.conversations, args.chats_per_agent, "lat")
            log(f"latency: {len(population.chats)} conversations and {len(population.agents)} agents in the database")
            helpdesk.start()
            log(f"latency: helpdesk pid {helpdesk.pid} on {helpdesk.url}")
            results["latency"] = run_async(run_latency(helpdesk, population, args))
            helpdesk.stop()
        if "memory" in args.parts:
            helpdesk = Helpdesk(workdir, "memory", rate_limit)
            helpdesks.append(helpdesk)
            population = populate(helpdesk.database_url, args.memory_sockets + args.memory_warmup, 50, "mem")
            log(f"memory: {len(population.chats)} conversations in the database")
            helpdesk.start()
            log(f"memory: helpdesk pid {helpdesk.pid} on {helpdesk.url}")
            results["memory"] = run_async(run_memory(helpdesk, population, args))
            helpdesk.stop()
    except KeyboardInterrupt:
        log("interrupted: stopping the helpdesk and removing the temporary folder")
        return 130
    except Exception:
        for helpdesk in helpdesks:
            print(f"--- helpdesk log ({helpdesk.log_path.name}) ---\n{helpdesk.log_tail()}", file=sys.stderr)
        raise
    finally:
        for helpdesk in helpdesks:
            helpdesk.stop()
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    results["machine"]["load_average_end"] = [round(value, 2) for value in os.getloadavg()]
    results["machine"]["line"] = machine_text(results["machine"])
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    results["total_minutes"] = round((time.perf_counter() - STARTED) / 60, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "realtime_bench.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "realtime_bench.md").write_text(markdown(results))
    log(f"wrote {args.out / 'realtime_bench.json'} and {args.out / 'realtime_bench.md'}")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
