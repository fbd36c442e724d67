"""Reply latency and CPU per reply for Chinese and English customer messages, and each process's memory (issue 18's
"same run" figures).

    nice -n 10 .venv/bin/python bench/language_latency.py [--rounds 2] [--per-block 20]

Starts its own stack (bench/bench_stack.py). One customer at a time, every message a first message of a fresh
conversation (language by script, the NLU's side for that language, the route, the answer): handbook questions, order
questions and small talk written here in the shop's voice in both languages (not evaluation rows). Measured once the
action server has ranked its held-out sets (its start-up work). Messages go in blocks of one language (English,
Chinese, English, Chinese, …) so each block's CPU (every process of the stack, from /proc) is that language's; CPU per
reply = the block's CPU / the bot replies it produced. Memory: each process's resident set (with its children) after
the start and after the run. Prints the load average with every figure; writes results/latency_per_language.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

import httpx
from bench_stack import bench_stack, service_pids
from common import summary, tree_cpu_seconds, tree_rss_mb

from helpdesk.config import PROJECT_ROOT

OUT = PROJECT_ROOT / "results" / "latency_per_language"
MESSAGES = {
    "en": [
        "how long does shipping take to my place?",
        "can I pay with my credit card or only paypal?",
        "what's your return policy for things I don't like",
        "do you ship to Switzerland?",
        "where do I find my invoice",
        "hello there",
        "how do I change my password",
        "is the linen tablecloth machine washable?",
        "can I use a gift card together with a discount code",
        "where is my order 100234",
    ],
    "zh": [
        "快递寄过来大概要几天",
        "可以刷信用卡吗，还是只能用贝宝",
        "不喜欢的东西能退吗",
        "你们发货到瑞士吗",
        "发票在哪里找",
        "你好",
        "密码怎么改",
        "亚麻桌布可以机洗吗",
        "礼品卡和优惠码能一起用吗",
        "我的订单100234到哪了",
    ],
}


def block(client: httpx.Client, pids: dict[str, int], language: str, count: int) -> dict[str, Any]:
    """``count`` first messages in ``language``: their latencies, the bot replies and every process's CPU."""
    before = {name: tree_cpu_seconds(pid) for name, pid in pids.items()}
    latencies: list[float] = []
    replies = 0
    for number in range(count):
        text = MESSAGES[language][number % len(MESSAGES[language])]
        started = time.perf_counter()
        response = client.post("/api/chat", json={"conversation_id": None, "text": text})
        latencies.append(1000 * (time.perf_counter() - started))
        response.raise_for_status()
        replies += max(1, len(response.json().get("replies") or []))
    cpu = {name: tree_cpu_seconds(pid) - before[name] for name, pid in pids.items()}
    return {"latencies": latencies, "replies": replies, "messages": count, "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="English-then-Chinese rounds (2)")
    parser.add_argument("--per-block", type=int, default=20, help="messages per block (20)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with bench_stack() as stack, httpx.Client(base_url=stack.url, timeout=60) as client:
        pids = service_pids(stack)
        # the action server ranks the held-out sets once after it starts (a background thread): not a reply's CPU
        deadline = time.monotonic() + 900
        kb_status = f"http://127.0.0.1:{stack.ports.actions}/kb/status"
        while not httpx.get(kb_status, timeout=10).json().get("held_out_ranked") and time.monotonic() < deadline:
            time.sleep(2)
        memory_start = {name: tree_rss_mb(pid) for name, pid in pids.items()}
        load_start = os.getloadavg()
        for language in MESSAGES:  # warm both sides (the first Chinese parse loads its encoder's weights)
            for text in MESSAGES[language][:3]:
                client.post("/api/chat", json={"conversation_id": None, "text": text})
        runs: dict[str, list[dict[str, Any]]] = {language: [] for language in MESSAGES}
        for _ in range(args.rounds):
            for language in MESSAGES:
                runs[language].append(block(client, pids, language, args.per_block))
                print(language, f"load {os.getloadavg()[0]:.2f}", flush=True)
        memory_end = {name: tree_rss_mb(pid) for name, pid in pids.items()}
        kb = httpx.get(kb_status, timeout=10).json()
    load_end = os.getloadavg()
    result: dict[str, Any] = {
        "load_average_start": [round(v, 2) for v in load_start],
        "load_average_end": [round(v, 2) for v in load_end],
        "finished_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "memory_mb_after_start": memory_start,
        "memory_mb_after_run": memory_end,
        "zh_search": kb.get("zh_search"),
        "languages": {},
    }
    for language, blocks in runs.items():
        latencies = [ms for b in blocks for ms in b["latencies"]]
        replies = sum(b["replies"] for b in blocks)
        cpu = {name: sum(b["cpu"][name] for b in blocks) for name in blocks[0]["cpu"]}
        result["languages"][language] = {
            "messages": sum(b["messages"] for b in blocks),
            "bot_replies": replies,
            "latency_ms": summary(latencies, 1),
            "cpu_ms_per_reply": {name: round(1000 * seconds / replies, 1) for name, seconds in cpu.items()},
            "cpu_ms_per_reply_total": round(1000 * sum(cpu.values()) / replies, 1),
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    args.out.with_suffix(".md").write_text(render(result), encoding="utf-8")
    print(render(result))


def render(result: dict[str, Any]) -> str:
    names = sorted(result["memory_mb_after_start"])
    lines = [
        "# Reply latency, CPU per reply and memory per language",
        "",
        f"`bench/language_latency.py`, finished {result['finished_at']}; load average (1/5/15 min) at the start "
        f"{result['load_average_start']}, at the end {result['load_average_end']} (whatever else ran on the machine "
        "shares its cores: the two languages run in alternating blocks under the same load). One customer at a time, "
        "every message the first of a fresh conversation, through the whole stack (helpdesk → Rasa → action server), "
        "SQLite.",
        "",
        "| language | messages | bot replies | latency p50 ms | p90 | p95 | max | CPU ms per reply (all) | "
        + " | ".join(f"{name}" for name in names)
        + " |",
        "|---|---|---|---|---|---|---|---|" + "---|" * len(names),
    ]
    for language, found in result["languages"].items():
        latency = found["latency_ms"]
        per = found["cpu_ms_per_reply"]
        lines.append(
            f"| {language} | {found['messages']} | {found['bot_replies']} | {latency['p50']} | {latency['p90']} "
            f"| {latency['p95']} | {latency['max']} | {found['cpu_ms_per_reply_total']} | "
            + " | ".join(str(per[name]) for name in names)
            + " |"
        )
    lines += [
        "",
        "Memory (resident, MB, each process with its children):",
        "",
        "| process | after start | after the run |",
        "|---|---|---|",
    ]
    for name in names:
        lines.append(f"| {name} | {result['memory_mb_after_start'][name]} | {result['memory_mb_after_run'][name]} |")
    lines += ["", f"The action server's Chinese search side: {json.dumps(result['zh_search'])}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
