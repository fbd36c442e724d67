"""What Rasa's tracker store costs: latency and Rasa CPU per bot reply, and Rasa's memory after N conversations.

    .venv/bin/python bench/rasa_turns.py -n 100          (starts the stack from this checkout on spare ports)

Each conversation goes through POST /api/chat (helpdesk → Rasa → actions): a greeting, an order question, its
e-mail, the status, thanks (4 turns). Reports per-turn latency (p50/p95), Rasa's CPU seconds per turn
(/proc/<pid>/stat) and Rasa's resident memory after a warm-up and after each quarter of the run: with the SQL
tracker store it should stay flat; with Rasa's in-memory store it grows with every conversation ever seen.
Writes results/rasa_turns.json (--out). Run it from another checkout's .venv to measure that checkout ("before").
"""

from __future__ import annotations

import argparse
import json
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from common import cpu_seconds, machine_info, rss_mb, summary

from helpdesk.config import PROJECT_ROOT
from helpdesk.stack import MODEL_PATH, Ports, Stack

TURNS = ("hi", "Where is my order 100212?", "ann.lee@example.com", "thanks, bye")
WARM_UP = 10


def conversation(client: httpx.Client) -> list[float]:
    conversation_id = None
    took = []
    for text in TURNS:
        started = time.perf_counter()
        response = client.post("/api/chat", json={"conversation_id": conversation_id, "text": text})
        took.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        conversation_id = response.json()["conversation_id"]
    return took


def run(stack: Stack, n: int) -> dict[str, Any]:
    rasa = stack.services["rasa"].process
    assert rasa is not None
    with httpx.Client(base_url=stack.url, timeout=60) as client:
        for _ in range(WARM_UP):
            conversation(client)
        memory = [{"conversations": WARM_UP, "rss_mb": round(rss_mb(rasa.pid), 1)}]
        cpu_before = cpu_seconds(rasa.pid)
        latencies: list[float] = []
        for i in range(1, n + 1):
            latencies += conversation(client)
            if i % max(1, n // 4) == 0 or i == n:
                memory.append({"conversations": WARM_UP + i, "rss_mb": round(rss_mb(rasa.pid), 1)})
                print(f"{i}/{n} conversations, Rasa RSS {memory[-1]['rss_mb']} MB", flush=True)
        cpu = cpu_seconds(rasa.pid) - cpu_before
    turns = n * len(TURNS)
    return {
        "conversations": n,
        "turns": turns,
        "turn_latency_ms": summary(latencies, digits=1),
        "rasa_cpu_ms_per_turn": round(cpu * 1000 / turns, 2),
        "rasa_rss_mb": memory,
        "rasa_rss_growth_mb_per_100_conversations": round(
            (memory[-1]["rss_mb"] - memory[0]["rss_mb"]) * 100 / max(1, n), 1
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="conversations after the warm-up (4 turns each)")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "rasa_turns.json")
    parser.add_argument("--label", default=str(PROJECT_ROOT), help="what this run measures (goes in the JSON)")
    parser.add_argument("--model", type=Path, default=MODEL_PATH, help="the trained model (default: models/)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="rasa-turns-"))
    stack = Stack(
        ports=Ports.spare(),
        model=args.model,
        log_dir=workdir / "logs",
        env={
            "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'helpdesk.db'}",
            "DEMO_SHOP_URL": str(workdir / "demo-shop.db"),
            "KB_INDEX_DIR": str(workdir / "kb-index"),
            "IDENTITY_SECRET": secrets.token_hex(32),
            "RATE_PER_ADDRESS": "100000",
            "RATE_PER_CONVERSATION": "100000",
            "NEW_CONVERSATIONS_PER_ADDRESS": "100000",  # one client opens every conversation
            "BUSINESS_HOURS": "off",
        },
    )
    stack.start()
    try:
        stack.wait_ready(timeout=600)
        result = {"label": args.label, **run(stack, args.n), "machine": machine_info()}
    finally:
        stack.stop()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "machine"}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
