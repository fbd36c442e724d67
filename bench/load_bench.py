"""`make bench` load test: 10, 50 and 200 concurrent customers chatting with the bot through the whole stack.

    nice -n 10 .venv/bin/python bench/load_bench.py              # ~6 min on 2 cores
    nice -n 10 .venv/bin/python bench/load_bench.py --quick      # ~2 min: shorter levels, fewer floor samples
    .venv/bin/python bench/load_bench.py --levels 10,50 --duration 60 --think 3,10
    .venv/bin/python bench/load_bench.py --from-json results/load_bench.json   # only rewrite .md and .png

Starts its own stack (Rasa, action webhook, helpdesk) on spare ports with a fresh SQLite database, FAQ
index and demo shop in a temporary folder, and the widget rate limits raised. First the floor, one request
at a time: Rasa's `/model/parse` alone, the FAQ engine's `/kb/search` alone (on the action server), the
call the helpdesk makes to Rasa per turn (the rest_nlu webhook: replies + parse data) and one customer's bot
replies end to end. Then each level: N customers at once, each running scripted conversations (greetings, order
status with the demo shop's orders and identity check, FAQ questions, handoff requests and a message
while queued) with think time between messages; half of them keep the widget websocket open and also time
the bot reply's arrival on it. Writes results/load_bench.{json,md,png}.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import cpu_windows
import httpx
from common import (
    git_state,
    machine_head,
    machine_info,
    package_version,
    run_end,
    summary,
    tree_cpu_seconds,
    tree_rss_mb,
)
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, WebSocketException

from helpdesk.config import PROJECT_ROOT

OUT = PROJECT_ROOT / "results" / "load_bench"
STARTED = time.monotonic()
TARGET_P99_MS = 500.0
TARGET_RATIO = 1.5
TARGET_CPU_MS = 15.0  # issue 22: CPU per bot reply, all processes together
POLL_SECONDS = 2.0  # a customer waiting for an answer after a 503 `pending` polls like the widget (POLL_MS)
CHEAPEST_KIND = "greeting"  # the message kind whose turn runs no custom action

# Scripted conversations: (kind of message, text). The bot's replies decide nothing here: each script is
# what a customer of that sort types, in order; the demo shop's orders are read, never changed.
SCRIPTS: dict[str, list[tuple[str, str]]] = {
    "greeting+faq": [
        ("greeting", "hi there"),
        ("faq", "how long does delivery take to the netherlands?"),
        ("faq", "and what does shipping cost"),
        ("small_talk", "thanks, bye"),
    ],
    "order_status": [
        ("order", "Where is my order 100234?"),
        ("order", "ann.lee@example.com"),
        ("small_talk", "thank you"),
    ],
    "refund_status": [
        ("greeting", "hello"),
        ("order", "Where is my refund for 100165?"),
        ("order", "marco.rossi@example.org"),
    ],
    "faq": [
        ("faq", "what is your refund policy?"),
        ("faq", "can I pay with paypal"),
        ("faq", "do you have a student discount"),
    ],
    "handoff": [
        ("greeting", "hi"),
        ("handoff", "I want to talk to a person"),
        ("queued", "my order arrived damaged, the lamp is broken"),
    ],
}
MIX = {"greeting+faq": 3, "order_status": 3, "refund_status": 1, "faq": 3, "handoff": 1}


def floor_turns(samples: int) -> list[tuple[str, str, int]]:
    """(kind, text, conversation number): the mix's scripts in turn, without what only an agent would see."""
    names = [name for name, weight in MIX.items() for _ in range(weight)]
    turns: list[tuple[str, str, int]] = []
    conversation = 0
    while len(turns) < samples:
        script = SCRIPTS[names[conversation % len(names)]]
        turns += [(kind, text, conversation) for kind, text in script if kind != "queued"]
        conversation += 1
    return turns[:samples]


def by_kind_p50(kinds: Sequence[str], samples: Sequence[float]) -> dict[str, float]:
    grouped: dict[str, list[float]] = defaultdict(list)
    for kind, value in zip(kinds, samples, strict=True):
        grouped[kind].append(value)
    return {kind: summary(values)["p50"] for kind, values in sorted(grouped.items())}


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f} s] {message}", flush=True)


class MemoryWatch:
    """Samples every service's resident memory (its process tree) while a level runs: peak and last."""

    def __init__(self, pids: dict[str, int], interval: float = 0.5) -> None:
        self.pids = pids
        self.interval = interval
        self.peak: dict[str, float] = dict.fromkeys(pids, 0.0)
        self.last: dict[str, float] = dict.fromkeys(pids, 0.0)

    def sample(self) -> None:
        for name, pid in self.pids.items():
            value = tree_rss_mb(pid)
            self.last[name] = value
            self.peak[name] = max(self.peak[name], value)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.sample()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval)
        self.sample()


# --------------------------------------------------------------------------- the floor


async def timed(call: Any) -> float:
    started = time.perf_counter()
    response = await call
    response.raise_for_status()
    return (time.perf_counter() - started) * 1000


async def floor(stack: Any, samples: int) -> dict[str, Any]:
    """One request at a time, after a warm-up: what each piece costs on an idle stack."""
    rasa = f"http://127.0.0.1:{stack.ports.rasa}"
    actions = f"http://127.0.0.1:{stack.ports.actions}"
    token = {"token": stack.env["RASA_TOKEN"]}
    turns = floor_turns(samples)
    kinds = [kind for kind, _, _ in turns]
    faq_texts = [text for kind, text in (p for s in SCRIPTS.values() for p in s) if kind == "faq"]
    result: dict[str, Any] = {}
    async with httpx.AsyncClient(timeout=60) as client:
        for _, text, _ in floor_turns(len(MIX) * 4):  # warm-up
            await client.post(f"{rasa}/model/parse", params=token, json={"text": text})
            await client.get(f"{actions}/kb/search", params={"q": text})
        log(f"floor: Rasa /model/parse alone, {samples} messages")
        parse = [await timed(client.post(f"{rasa}/model/parse", params=token, json={"text": t})) for _, t, _ in turns]
        result["rasa_parse"] = summary(parse)
        result["rasa_parse_by_kind_p50"] = by_kind_p50(kinds, parse)
        log(f"floor: the FAQ engine's /kb/search alone, {samples} questions")
        search = [
            await timed(client.get(f"{actions}/kb/search", params={"q": faq_texts[i % len(faq_texts)]}))
            for i in range(samples)
        ]
        result["kb_search"] = summary(search)
        log(f"floor: the helpdesk's call to Rasa per turn (rest_nlu webhook), {samples} turns")
        webhook = []
        run_id = random.randrange(10**9)
        for _, text, conversation in turns:
            sender = f"floor-{run_id}-{conversation}"
            webhook.append(
                await timed(
                    client.post(
                        f"{rasa}/webhooks/rest_nlu/webhook", params=token, json={"sender": sender, "message": text}
                    )
                )
            )
        result["rasa_webhook_turn"] = summary(webhook)
        result["rasa_webhook_by_kind_p50"] = by_kind_p50(kinds, webhook)
    log("floor: one customer end to end (POST /api/chat), no think time")
    one = await run_level(stack, 1, duration=None, think=(0.0, 0.0), turns=samples, ws_share=0.0)
    result["end_to_end_one_customer"] = one["bot_reply_http"]
    result["end_to_end_by_kind_p50"] = one["by_kind_p50"]
    return result


# --------------------------------------------------------------------------- customers


@dataclass
class Recorder:
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    by_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    conversations: int = 0
    turns: int = 0


class Customer:
    def __init__(self, client: httpx.AsyncClient, ws_url: str, recorder: Recorder, rng: random.Random,
                 widget: bool, think: tuple[float, float]) -> None:  # fmt: skip
        self.client = client
        self.ws_url = ws_url
        self.recorder = recorder
        self.rng = rng
        self.widget = widget
        self.think = think
        self.ws: ClientConnection | None = None
        self.bot_messages: asyncio.Queue[float] = asyncio.Queue()
        self.caught_up = asyncio.Event()  # the socket's `state` frame: the replay is over
        self.reader: asyncio.Task[None] | None = None
        self.refused: int | None = None  # the close code of a socket the helpdesk refused

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for raw in self.ws:
                event = json.loads(raw)
                if event.get("type") == "state":
                    self.caught_up.set()
                    continue
                live_bot_reply = event.get("type") == "message" and (event.get("message") or {}).get("sender") == "bot"
                if live_bot_reply and self.caught_up.is_set():  # replayed messages are not live deliveries
                    self.bot_messages.put_nowait(time.perf_counter())
        except (ConnectionClosed, WebSocketException):
            pass
        if not self.caught_up.is_set():  # closed before its `state` frame: refused (a cap), not slow
            self.refused = self.ws.close_code or 0
            self.caught_up.set()

    async def _open_socket(self, conversation_id: str, after: int) -> None:
        try:
            self.ws = await connect(f"{self.ws_url}/api/chat/{conversation_id}/ws?after={after}", open_timeout=30)
            self.reader = asyncio.create_task(self._read())
            await asyncio.wait_for(self.caught_up.wait(), 30)
        except (OSError, WebSocketException, TimeoutError) as exc:
            self.recorder.errors[f"ws connect: {exc.__class__.__name__}"] += 1
            self.ws = None
            return
        if self.refused is not None:
            self.recorder.errors[f"ws refused: close code {self.refused}"] += 1
            await self._close_socket()

    async def _close_socket(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)
        self.ws, self.reader = None, None
        self.bot_messages = asyncio.Queue()
        self.caught_up = asyncio.Event()
        self.refused = None

    async def conversation(self, script: list[tuple[str, str]], deadline: float | None, turns_left: list[int]) -> None:
        conversation_id: str | None = None
        try:
            for kind, text in script:
                if (deadline is not None and time.monotonic() >= deadline) or turns_left[0] <= 0:
                    return
                turns_left[0] -= 1
                while not self.bot_messages.empty():
                    self.bot_messages.get_nowait()
                started = time.perf_counter()
                try:
                    response = await self.client.post(
                        "/api/chat", json={"conversation_id": conversation_id, "text": text}
                    )
                except httpx.HTTPError as exc:
                    self.recorder.errors[f"http: {exc.__class__.__name__}"] += 1
                    await self.pause()  # the customer gives up on this chat, and comes back later
                    return
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    self.recorder.errors[f"http {response.status_code}"] += 1
                    self.recorder.samples["failed_ms"].append(elapsed)
                    pending = self._pending(response)
                    if pending is None or not await self._answer_later(pending, started):
                        await self.pause()
                        return
                    if conversation_id is None:
                        conversation_id = pending
                        self.recorder.conversations += 1
                    await self.pause()
                    continue
                body = response.json()
                self.recorder.turns += 1
                replied = bool(body.get("replies"))
                if kind == "queued" or not replied:
                    self.recorder.samples["stored_for_agent_http"].append(elapsed)
                else:
                    self.recorder.samples["bot_reply_http"].append(elapsed)
                    self.recorder.by_kind[kind].append(elapsed)
                if conversation_id is None:
                    conversation_id = body["conversation_id"]
                    self.recorder.conversations += 1
                    if self.widget:
                        await self._open_socket(conversation_id, after=0)
                elif self.ws is not None and replied:
                    try:
                        arrived = await asyncio.wait_for(self.bot_messages.get(), 30)
                        self.recorder.samples["bot_reply_ws"].append((arrived - started) * 1000)
                    except TimeoutError:
                        self.recorder.errors["ws: bot reply not delivered in 30 s"] += 1
                if body.get("handoff") is not None:
                    self.recorder.samples["handoffs"].append(1.0)
                await self.pause()
        finally:
            await self._close_socket()

    @staticmethod
    def _pending(response: httpx.Response) -> str | None:
        """The conversation of a 503 whose message waits for the bot's answer in the chat (`pending`), else None."""
        try:
            body = response.json()
        except ValueError:
            return None
        if response.status_code != 503 or not body.get("pending") or not body.get("conversation_id"):
            return None
        return str(body["conversation_id"])

    async def _answer_later(self, conversation_id: str, started: float, wait: float = 60.0) -> bool:
        """As the widget does after a 503 `pending`: poll the transcript until the bot's answer to the stored
        message is there (every POLL_SECONDS, up to `wait` s). Its arrival is recorded as `late_reply` (the 503
        stays an error). False when it did not come: the customer gives up on the chat."""
        deadline = time.monotonic() + wait
        seen: int | None = None
        while time.monotonic() < deadline:
            await asyncio.sleep(POLL_SECONDS)
            try:
                response = await self.client.get(f"/api/chat/{conversation_id}/messages")
            except httpx.HTTPError:
                continue
            if response.status_code != 200:
                continue
            messages = response.json().get("messages") or []
            customer = [m for m in messages if m.get("sender") == "customer"]
            if seen is None and customer:
                seen = int(customer[-1]["id"])  # the message the 503 stored: the latest of the customer's
            if seen is not None and any(m.get("sender") == "bot" and int(m["id"]) > seen for m in messages):
                self.recorder.samples["late_reply"].append((time.perf_counter() - started) * 1000)
                return True
        self.recorder.errors["pending: no answer in the chat within 60 s"] += 1
        return False

    async def pause(self) -> None:
        low, high = self.think
        if high > 0:
            await asyncio.sleep(self.rng.uniform(low, high))

    async def run(self, deadline: float | None, turns_left: list[int]) -> None:
        names = [name for name, weight in MIX.items() for _ in range(weight)]
        while (deadline is None or time.monotonic() < deadline) and turns_left[0] > 0:
            await self.conversation(SCRIPTS[self.rng.choice(names)], deadline, turns_left)


async def probe(stack: Any, stop: asyncio.Event, samples: dict[str, list[float]], interval: float = 0.5) -> None:
    """While a level runs: Rasa's /model/parse and the FAQ /kb/search alone, every `interval` s, to show
    which service the customers' messages queue in."""
    rasa = f"http://127.0.0.1:{stack.ports.rasa}"
    actions = f"http://127.0.0.1:{stack.ports.actions}"
    token = {"token": stack.env["RASA_TOKEN"]}
    async with httpx.AsyncClient(timeout=60) as client:
        while not stop.is_set():
            try:
                samples["rasa_parse"].append(
                    await timed(client.post(f"{rasa}/model/parse", params=token, json={"text": "hello"}))
                )
                samples["kb_search"].append(
                    await timed(client.get(f"{actions}/kb/search", params={"q": "how long does delivery take"}))
                )
            except httpx.HTTPError:
                samples["probe_errors"].append(1.0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)


async def run_level(
    stack: Any,
    customers: int,
    duration: float | None,
    think: tuple[float, float],
    turns: int = 10**9,
    ws_share: float = 0.5,
    ramp: float = 0.0,
    probe_services: bool = True,
    marks: Sequence[float] = (),
    database: str | None = None,
) -> dict[str, Any]:
    """One level of `customers` running their conversations; with `probe_services` (and more than one customer),
    Rasa's /model/parse and the FAQ /kb/search alone every 0.5 s beside them (`probe`): their CPU is then in the
    level's `cpu_seconds` too. With `marks` (seconds after the ramp), a `cpu_windows.Snapshot` at each of them:
    the level's `snapshots`, from which cpu_windows.windows gives the CPU per reply of each window between them
    (PostgreSQL's CPU in them: `database`'s backends only, when given)."""
    recorder = Recorder()
    pids = {name: s.process.pid for name, s in stack.services.items() if s.process is not None}
    memory = MemoryWatch(pids)
    cpu_before = {name: tree_cpu_seconds(pid) for name, pid in pids.items()}
    stop = asyncio.Event()
    watcher = asyncio.create_task(memory.run(stop))
    probes: dict[str, list[float]] = defaultdict(list)
    prober = asyncio.create_task(probe(stack, stop, probes)) if customers > 1 and probe_services else None
    limits = httpx.Limits(max_connections=customers + 10, max_keepalive_connections=customers + 10)
    ws_url = stack.url.replace("http://", "ws://")
    turns_left = [turns]
    load_before = os.getloadavg()
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=stack.url, timeout=60, limits=limits) as client:
        deadline = None if duration is None else started + ramp + duration

        async def one(index: int) -> None:
            if ramp:
                await asyncio.sleep(ramp * index / customers)
            rng = random.Random(index)
            widget = index < round(customers * ws_share)
            await Customer(client, ws_url, recorder, rng, widget, think).run(deadline, turns_left)

        async def snapshots_at_marks() -> None:
            for mark in marks:
                await asyncio.sleep(max(0.0, started + ramp + mark - time.monotonic()))
                replies = len(recorder.samples["bot_reply_http"]) + len(recorder.samples["late_reply"])
                kinds = {kind: len(samples) for kind, samples in recorder.by_kind.items()}
                snapshots.append(cpu_windows.take(pids, replies, kinds, database))

        snapshots: list[cpu_windows.Snapshot] = []
        await asyncio.gather(snapshots_at_marks(), *(one(index) for index in range(customers)))
    seconds = time.monotonic() - started
    stop.set()
    await watcher
    if prober is not None:
        await prober
    replies = len(recorder.samples["bot_reply_http"])
    return {
        "customers": customers,
        "seconds": round(seconds, 1),
        "conversations": recorder.conversations,
        "messages": recorder.turns,
        "messages_per_s": round(recorder.turns / seconds, 2) if seconds else 0.0,
        "bot_replies_per_s": round(replies / seconds, 2) if seconds else 0.0,
        "bot_reply_http": summary(recorder.samples["bot_reply_http"]),
        "bot_reply_ws": summary(recorder.samples["bot_reply_ws"]),
        "stored_for_agent_http": summary(recorder.samples["stored_for_agent_http"]),
        "by_kind_p50": {kind: summary(v)["p50"] for kind, v in sorted(recorder.by_kind.items())},
        "handoffs": len(recorder.samples["handoffs"]),
        "probe_rasa_parse": summary(probes["rasa_parse"]),
        "probe_kb_search": summary(probes["kb_search"]),
        "probe_requests": len(probes["rasa_parse"]) + len(probes["kb_search"]),
        "errors": sum(recorder.errors.values()),
        "error_rate": round(sum(recorder.errors.values()) / max(1, recorder.turns + sum(recorder.errors.values())), 4),
        "failed_after_ms": summary(recorder.samples["failed_ms"]),
        # a 503 `pending` (Rasa slower than CHAT_REPLY_SECONDS): the customer waited for the answer in the chat, as
        # the widget does; from sending to the answer's arrival (polled every 2 s, as the widget polls)
        "late_reply_ms": summary(recorder.samples["late_reply"]),
        "error_kinds": dict(recorder.errors),
        "rss_mb_peak": memory.peak,
        "rss_mb_end": memory.last,
        "cpu_seconds": {name: round(tree_cpu_seconds(pid) - cpu_before[name], 3) for name, pid in pids.items()},
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in os.getloadavg()],
        "snapshots": [asdict(snapshot) for snapshot in snapshots],
    }


# --------------------------------------------------------------------------- report


def targets(result: dict[str, Any]) -> dict[str, Any]:
    floor_ = result["floor"]
    parse_p50 = floor_["rasa_parse"]["p50"]
    one = floor_["end_to_end_one_customer"]["p50"]
    checks: dict[str, Any] = {
        "rasa_parse_p50_ms": parse_p50,
        "end_to_end_p50_one_customer_ms": one,
        "ratio_one_customer": round(one / parse_p50, 2) if parse_p50 else None,
    }
    checks["ratio_met"] = checks["ratio_one_customer"] is not None and checks["ratio_one_customer"] <= TARGET_RATIO
    # the cheapest turn through Rasa: a greeting (one rule, one canned response, no action server, no helpdesk)
    greeting_parse = floor_.get("rasa_parse_by_kind_p50", {}).get(CHEAPEST_KIND)
    greeting_turn = floor_.get("rasa_webhook_by_kind_p50", {}).get(CHEAPEST_KIND)
    if greeting_parse and greeting_turn:
        checks["cheapest_turn"] = {
            "kind": CHEAPEST_KIND,
            "parse_p50_ms": greeting_parse,
            "rasa_turn_p50_ms": greeting_turn,
            "ratio": round(greeting_turn / greeting_parse, 2),
        }
    for level in result["levels"]:
        p50 = level["bot_reply_http"].get("p50")
        checks[f"ratio_at_{level['customers']}"] = round(p50 / parse_p50, 2) if p50 and parse_p50 else None
    for customers in (50, 200):  # issue 22: 200 customers thinking 2–6 s, p99 ≤ 500 ms and no errors
        level = next((level for level in result["levels"] if level["customers"] == customers), None)
        if level is None:
            continue
        p99 = level["bot_reply_http"].get("p99")
        checks[f"p99_at_{customers}_ms"] = p99
        checks[f"errors_at_{customers}"] = level["errors"]
        checks[f"p99_at_{customers}_met"] = p99 is not None and p99 <= TARGET_P99_MS and level["errors"] == 0
        checks[f"load_at_{customers}"] = level.get("load_average_after")
    for level in result["levels"]:  # issue 22: the whole stack's CPU per bot reply, at most 15 ms
        # every bot answer the stack produced: in time, and those that came in the chat after a 503 `pending`
        replies = (level["bot_reply_http"].get("n") or 0) + (level.get("late_reply_ms", {}).get("n") or 0)
        if replies:
            cpu = round(1000 * sum(level["cpu_seconds"].values()) / replies, 1)
            checks[f"cpu_ms_per_reply_at_{level['customers']}"] = cpu
    return checks


def fmt(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def render_markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    s = result["settings"]
    f = result["floor"]
    t = result["targets"]
    lines = [
        "# Load test: concurrent customers through /api/chat and the widget websocket",
        "",
        f"Machine: {machine_head(m)}, sanic {m.get('sanic')}, httpx {m.get('httpx')}, "
        f"websockets {m.get('websockets')}; load average at start {m['load_average_start']}, at end "
        f"{result.get('load_average_end')}. The load generator runs on the same cores as the stack (and usually "
        "other jobs: see the load columns).",
        "",
        f"Run {result['finished_at']}, commit `{result.get('commit') or '?'}`"
        f"{' with local changes under helpdesk/' if result.get('dirty') else ''}: `bench/load_bench.py "
        f"{' '.join(s['argv'])}`. Each level: {s['duration']:g} s after a {s['ramp']:g} s ramp, think time "
        f"{s['think'][0]:g}–{s['think'][1]:g} s between a customer's messages, {int(100 * s['ws_share'])} % of "
        "customers with the widget websocket open. Mix of scripts: "
        + ", ".join(f"{name} ×{weight}" for name, weight in MIX.items())
        + f". Short lines held for a burst: CHAT_BURST_SECONDS={s.get('burst_seconds', 'default')} (0: none; the "
        "scripted customers wait for each answer, so a held line would only add the burst window to its time)"
        + ". Latency is a customer message's POST /api/chat until its response with the bot's replies "
        "(messages sent while queued for an agent are counted apart); `ws` is until the bot reply arrived on "
        "the widget's socket.",
        "",
        "## Floor (one request at a time, same run)",
        "",
        "| what | n | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|",
    ]
    names = {
        "rasa_parse": "Rasa `/model/parse` alone",
        "kb_search": "FAQ engine `/kb/search` alone (action server)",
        "rasa_webhook_turn": "Rasa webhook turn, rest_nlu (NLU + policies + actions + parse data)",
        "end_to_end_one_customer": "one customer end to end (POST /api/chat)",
    }
    for key, label in names.items():
        row = f.get(key) or {}
        lines.append(
            f"| {label} | {row.get('n')} | {fmt(row.get('p50'))} | {fmt(row.get('p95'))} | {fmt(row.get('p99'))} |"
        )
    lines += [
        "",
        "Median by kind of message (ms), parse / webhook turn / end to end: "
        + "; ".join(
            f"{kind} {fmt(f.get('rasa_parse_by_kind_p50', {}).get(kind))} / "
            f"{fmt(f.get('rasa_webhook_by_kind_p50', {}).get(kind))} / "
            f"{fmt(f.get('end_to_end_by_kind_p50', {}).get(kind))}"
            for kind in sorted(f.get("rasa_webhook_by_kind_p50", {}))
        )
        + ".",
    ]
    webhook_kinds = f.get("rasa_webhook_by_kind_p50", {})
    e2e_kinds = f.get("end_to_end_by_kind_p50", {})
    overhead = {k: round(e2e_kinds[k] - webhook_kinds[k], 1) for k in webhook_kinds if k in e2e_kinds}
    if overhead:
        lines += [
            "",
            "Where one customer's reply time goes: Rasa's webhook turn (NLU, the dialogue policies, the action server "
            "with the FAQ search or the order lookup) is most of it; the helpdesk's own share (end to end minus the "
            "webhook turn: storing the messages, events, the HTTP hops) is, by kind, "
            + ", ".join(f"{k} {fmt(v)} ms" for k, v in overhead.items())
            + ".",
        ]
    lines += [
        "",
        "## Levels",
        "",
        "| customers | messages/s | bot replies/s | p50 ms | p95 ms | p99 ms | max ms | ws p50 | ws p99 "
        "| queued ack p50 | errors | handoffs | RSS helpdesk / Rasa / actions MB (peak) "
        "| CPU ms per message helpdesk / Rasa / actions | load after |",
        "|" + "---|" * 15,
    ]
    for level in result["levels"]:
        http, ws, queued = level["bot_reply_http"], level["bot_reply_ws"], level["stored_for_agent_http"]
        rss = level["rss_mb_peak"]
        per_message = max(1, level["messages"])
        cpu = {name: round(1000 * seconds / per_message, 1) for name, seconds in level["cpu_seconds"].items()}
        lines.append(
            f"| {level['customers']} | {level['messages_per_s']} | {level['bot_replies_per_s']} "
            f"| {fmt(http.get('p50'))} "
            f"| {fmt(http.get('p95'))} | {fmt(http.get('p99'))} | {fmt(http.get('max'))} | {fmt(ws.get('p50'))} "
            f"| {fmt(ws.get('p99'))} | {fmt(queued.get('p50'))} | {level['errors']} | {level['handoffs']} "
            f"| {rss.get('helpdesk')} / {rss.get('rasa')} / {rss.get('actions')} "
            f"| {cpu.get('helpdesk')} / {cpu.get('rasa')} / {cpu.get('actions')} | {level['load_average_after'][0]} |"
        )
    lines += [
        "",
        "During each level, one probe request every 0.5 s to each service alone (p50 / p99 ms): "
        + "; ".join(
            f"{level['customers']} customers: Rasa parse {fmt(level.get('probe_rasa_parse', {}).get('p50'))} / "
            f"{fmt(level.get('probe_rasa_parse', {}).get('p99'))}, FAQ search "
            f"{fmt(level.get('probe_kb_search', {}).get('p50'))} / {fmt(level.get('probe_kb_search', {}).get('p99'))}"
            for level in result["levels"]
        )
        + ".",
    ]
    errors = {level["customers"]: level for level in result["levels"] if level["error_kinds"]}
    if errors:
        lines += [
            "",
            "Errors: "
            + "; ".join(
                f"{n} customers: {level['error_kinds']}, "
                f"{fmt(100 * level['errors'] / (level['messages'] + level['errors']))} % of messages, "
                f"answered after {fmt(level.get('failed_after_ms', {}).get('p50'))} ms (p50)"
                for n, level in errors.items()
            )
            + ". A 503 is the helpdesk's answer when Rasa (or the action server behind it) did not reply within "
            "CHAT_REPLY_SECONDS (default RASA_TIMEOUT, 10 s); the customer's message is stored and its turn goes on: "
            "the customer then waits for the answer in the chat, as the widget does (polled every 2 s), before "
            "the next line. Those answers arrived after (p50 / p99 ms): "
            + "; ".join(
                f"{n} customers {fmt(level.get('late_reply_ms', {}).get('p50'))} / "
                f"{fmt(level.get('late_reply_ms', {}).get('p99'))} (n={level.get('late_reply_ms', {}).get('n', 0)})"
                for n, level in errors.items()
            )
            + ".",
        ]
    lines += [
        "",
        "Median bot reply by kind of message (ms): "
        + "; ".join(
            f"{level['customers']} customers: " + ", ".join(f"{k} {fmt(v)}" for k, v in level["by_kind_p50"].items())
            for level in result["levels"]
        ),
        "",
        "## Targets (reported, not asserted)",
        "",
        f"- End-to-end bot reply p50 within {TARGET_RATIO}× the Rasa parse p50 ({fmt(t['rasa_parse_p50_ms'])} ms): one "
        f"customer {fmt(t['end_to_end_p50_one_customer_ms'])} ms = {fmt(t['ratio_one_customer'])}× "
        f"({'met' if t['ratio_met'] else 'missed'}); under load "
        + ", ".join(
            f"{level['customers']}: {fmt(t.get('ratio_at_' + str(level['customers'])))}×" for level in result["levels"]
        )
        + ".",
    ]
    if "cheapest_turn" in t:
        cheap = t["cheapest_turn"]
        lines.append(
            f"  The cheapest turn through Rasa alone ({cheap['kind']}: one rule, one canned response, no action "
            f"server, no helpdesk) takes {fmt(cheap['rasa_turn_p50_ms'])} ms against its parse's "
            f"{fmt(cheap['parse_p50_ms'])} ms = {fmt(cheap['ratio'])}×: Rasa's dialogue step (tracker, policies, "
            "response) costs that much before any action or storage."
        )
    for customers in (50, 200):
        if f"p99_at_{customers}_ms" not in t:
            continue
        lines.append(
            f"- {customers} customers thinking {s['think'][0]:g}–{s['think'][1]:g} s: reply p99 "
            f"{fmt(t[f'p99_at_{customers}_ms'])} ms, {t[f'errors_at_{customers}']} errors (target ≤ "
            f"{TARGET_P99_MS:.0f} ms, no errors: {'**met**' if t[f'p99_at_{customers}_met'] else '**missed**'}); "
            f"Rasa parse floor of this run p50 {fmt(t['rasa_parse_p50_ms'])} ms; load after the level "
            f"{t.get(f'load_at_{customers}')}."
        )
    cpu = {n["customers"]: (t.get(f"cpu_ms_per_reply_at_{n['customers']}"), n) for n in result["levels"]}
    if any(value is not None for value, _ in cpu.values()):
        lines.append(
            f"- CPU per bot reply, all processes (helpdesk, Rasa, action server; target ≤ {TARGET_CPU_MS:g} ms): "
            + ", ".join(
                f"{customers} customers {fmt(value)} ms (load {level['load_average_after'][0]})"
                for customers, (value, level) in cpu.items()
                if value is not None
            )
            + f"; Rasa parse floor of this run p50 {fmt(t['rasa_parse_p50_ms'])} ms. `results/scale_bench.md` gives it "
            "per process, at saturation, with one and two Rasa processes."
        )
    if result.get("notes"):
        lines += ["", "## Notes", "", *[f"- {note}" for note in result["notes"]]]
    lines += ["", "![latency vs concurrency](load_bench.png)", ""]
    return "\n".join(lines)


def write_png(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    levels = result["levels"]
    x = [level["customers"] for level in levels]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    for key, style in (("p50", "o-"), ("p95", "s--"), ("p99", "^-")):
        left.plot(x, [level["bot_reply_http"].get(key) for level in levels], style, label=f"bot reply {key} (HTTP)")
    left.plot(x, [level["bot_reply_ws"].get("p50") for level in levels], "x:", label="bot reply p50 (websocket)")
    parse = result["floor"]["rasa_parse"]["p50"]
    left.axhline(parse, color="gray", linestyle=":", label=f"Rasa /model/parse p50 alone ({parse:.0f} ms)")
    left.axhline(TARGET_P99_MS, color="red", linestyle="--", alpha=0.5, label="p99 target at 50 (500 ms)")
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xticks(x, [str(v) for v in x])
    left.xaxis.set_minor_formatter(NullFormatter())
    left.set_xlabel("concurrent customers")
    left.set_ylabel("ms")
    left.set_title("Reply latency vs concurrency")
    left.grid(alpha=0.3, which="both")
    left.legend(fontsize=7)
    right.bar([str(v) for v in x], [level["bot_replies_per_s"] for level in levels], color="#4b44a8")
    for index, level in enumerate(levels):
        right.text(index, level["bot_replies_per_s"], f"{level['errors']} errors", ha="center", va="bottom", fontsize=8)
    right.set_xlabel("concurrent customers")
    right.set_ylabel("bot replies per second")
    right.set_title("Throughput")
    right.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_outputs(result: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    result["targets"] = targets(result)
    out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    out.with_suffix(".md").write_text(render_markdown(result))
    write_png(result, out.with_suffix(".png"))
    log(f"wrote {out.with_suffix('.json')}, .md and .png")


# --------------------------------------------------------------------------- main


def burst_env(seconds: float) -> dict[str, str]:
    """What the benchmark's stacks need beside bench_stack's raised rate limits:

    - CHAT_BURST_SECONDS, 0 by default here: the scripted customers wait for each answer before the next line, so
      every short line ("thanks, bye") would be held the whole burst window for a next line that never comes: that
      is the customer's typing time, not the bot's, and would hide what the stack costs;
    - the widget sockets per client address raised: every customer of the benchmark comes from one address, and
      the default cap (20) would refuse the sockets of all but 20 of them."""
    return {"CHAT_BURST_SECONDS": f"{seconds:g}", "WIDGET_SOCKETS_PER_ADDRESS": "100000"}


def pair(text: str) -> tuple[float, float]:
    low, _, high = text.partition(",")
    return float(low), float(high or low)


async def run(args: argparse.Namespace, argv: Sequence[str]) -> dict[str, Any]:
    from bench_stack import bench_stack

    commit, changed = git_state("helpdesk", "actions", "config.yml")
    result: dict[str, Any] = {
        "machine": machine_info(
            sanic=package_version("sanic"), httpx=package_version("httpx"), websockets=package_version("websockets")
        ),  # fmt: skip
        "commit": commit,
        "dirty": bool(changed),
        "settings": {
            "argv": list(argv),
            "levels": args.levels,
            "duration": args.duration,
            "ramp": args.ramp,
            "think": list(args.think),
            "ws_share": args.ws_share,
            "floor_samples": args.floor_samples,
            "mix": MIX,
            "burst_seconds": args.burst,
        },
        "levels": [],
    }
    with bench_stack(keep=args.keep, extra_env=burst_env(args.burst)) as stack:
        result["floor"] = await floor(stack, args.floor_samples)
        for customers in args.levels:
            log(f"level: {customers} customers for {args.duration:g} s (+{args.ramp:g} s ramp)")
            level = await run_level(stack, customers, args.duration, args.think, ws_share=args.ws_share, ramp=args.ramp)
            http = level["bot_reply_http"]
            log(
                f"level {customers}: {level['bot_replies_per_s']} replies/s, p50 {fmt(http.get('p50'))} ms, "
                f"p99 {fmt(http.get('p99'))} ms, {level['errors']} errors, RSS {level['rss_mb_peak']}"
            )
            result["levels"].append(level)
            await asyncio.sleep(args.pause)
    result.update(run_end(STARTED))
    return result


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", type=lambda s: [int(v) for v in s.split(",")], default=[10, 50, 200])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per level after the ramp (60)")
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds over which a level's customers start (5)")
    parser.add_argument("--think", type=pair, default=(2.0, 6.0), help="think time range in s, 'LOW,HIGH' (2,6)")
    parser.add_argument("--ws-share", type=float, default=0.5, help="share of customers with the websocket open")
    parser.add_argument("--floor-samples", type=int, default=200, help="requests per floor measurement (200)")
    parser.add_argument("--pause", type=float, default=3.0, help="seconds between levels")
    parser.add_argument(
        "--burst", type=float, default=0.0, help="CHAT_BURST_SECONDS of the stack (0: every line answered at once)"
    )
    parser.add_argument("--quick", action="store_true", help="20 s levels, 60 floor samples")
    parser.add_argument("--keep", action="store_true", help="keep the stack's temporary folder (database, logs)")
    parser.add_argument("--out", type=Path, default=OUT, help="results path without suffix (results/load_bench)")
    parser.add_argument("--from-json", type=Path, help="only rewrite the .md and .png from this JSON")
    parser.add_argument("--note", action="append", default=[], help="a line for the report's notes (repeatable)")
    args = parser.parse_args(argv)
    if args.from_json:
        result = json.loads(args.from_json.read_text())
        if args.note:
            result["notes"] = args.note
        write_outputs(result, args.out)
        return 0
    if args.quick:
        args.duration, args.floor_samples = min(args.duration, 20.0), min(args.floor_samples, 60)
    result = asyncio.run(run(args, argv))
    result["notes"] = args.note
    write_outputs(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
