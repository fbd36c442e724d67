"""Median /api/chat latency for a greeting (a new conversation each time) against a running stack.

    .venv/bin/python bench/chat_latency.py --url http://127.0.0.1:8080 -n 50

Writes results/chat_latency.json; with no --url it starts the stack itself on spare ports.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import httpx
from common import machine_info, package_version, summary

from helpdesk.config import PROJECT_ROOT
from helpdesk.stack import Ports, Stack


def measure(url: str, n: int, text: str) -> dict:
    samples: list[float] = []
    with httpx.Client(base_url=url, timeout=30) as client:
        client.post("/api/chat", json={"conversation_id": None, "text": text})  # warm-up
        for i in range(n):
            started = time.perf_counter()
            response = client.post("/api/chat", json={"conversation_id": None, "text": text})
            samples.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            print(f"\r{i + 1}/{n} {samples[-1]:.1f} ms", end="", flush=True)
    print()
    timings = summary(samples, digits=1)
    return {
        "text": text,
        "n": n,
        "median_ms": timings["p50"],
        "p95_ms": timings["p95"],
        "min_ms": timings["min"],
        "max_ms": timings["max"],
        "machine": machine_info(sanic=package_version("sanic"), rasa_sdk=package_version("rasa-sdk")),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url")
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--text", default="hello")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "chat_latency.json")
    args = parser.parse_args()
    stack = None
    url = args.url
    if url is None:
        stack = Stack(ports=Ports.spare(), log_dir=PROJECT_ROOT / "var" / "bench-logs")
        stack.start()
        stack.wait_ready()
        url = stack.url
    try:
        result = measure(url, args.n, args.text)
    finally:
        if stack is not None:
            stack.stop()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
