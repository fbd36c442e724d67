"""Conversation search at scale: the console's search (helpdesk/conversation/search.py, the code behind
GET /api/agent/search) over 100,000 generated conversations on SQLite (FTS5) and on PostgreSQL (GIN tsvector).

    .venv/bin/python bench/search_bench.py                      # 100,000 conversations, both databases
    .venv/bin/python bench/search_bench.py --conversations 10000 --databases sqlite

Each conversation gets 4 to 6 messages made from a shop's vocabulary (orders, deliveries, returns; a quarter in
Chinese), an order number, for some a customer name and e-mail in the bot's slots, a label on one in ten, a
language and a state spread over modes and 180 days. Queries: a rare word, an order number, an e-mail, a name, a
common word, a word prefix, a Chinese substring, a label, filters without text, and the empty search (the latest).
Each is run `--repeat` times after one warm-up, as a supervisor (sees everything) and as an agent (the visibility
rule applies). Writes results/search_bench.json and .md. Not a test: timings on a shared machine are noisy; the
load average at start and end is recorded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PROJECT_ROOT, git_state, machine_info, machine_line, run_end, summary, table  # noqa: E402

from helpdesk.conversation.search import ConversationSearch, parse_query  # noqa: E402
from helpdesk.db.engine import create_engine as create_async_engine  # noqa: E402
from helpdesk.db.engine import migrate, session_factory, sync_url  # noqa: E402
from helpdesk.db.models import Agent, Conversation, ConversationLabel, Label, Message  # noqa: E402

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
EN = [
    "order",
    "delivery",
    "parcel",
    "courier",
    "refund",
    "return",
    "invoice",
    "payment",
    "card",
    "sofa",
    "table",
    "chair",
    "lamp",
    "shelf",
    "cabinet",
    "rug",
    "mirror",
    "cushion",
    "arrived",
    "late",
    "broken",
    "damaged",
    "missing",
    "wrong",
    "colour",
    "size",
    "address",
    "change",
    "cancel",
    "tracking",
    "number",
    "week",
    "yesterday",
    "today",
    "please",
    "help",
    "thanks",
    "still",
    "waiting",
    "where",
    "is",
    "my",
    "when",
    "will",
    "it",
    "come",
    "the",
    "a",
    "and",
    "with",
    "for",
    "to",
    "of",
]
ZH = [
    "订单",
    "快递",
    "退款",
    "退货",
    "发票",
    "付款",
    "沙发",
    "桌子",
    "椅子",
    "台灯",
    "书架",
    "地址",
    "取消",
    "物流",
    "还没到",
    "坏了",
    "颜色",
    "尺寸",
    "请",
    "帮忙",
    "谢谢",
]
FIRST = [
    "Ingrid",
    "Tom",
    "Ann",
    "Marco",
    "James",
    "Sophie",
    "Lukas",
    "Mei",
    "Wei",
    "Hana",
    "Olga",
    "Pete",
    "Sven",
    "Nora",
    "Ivan",
    "Lea",
]
LAST = [
    "Berg",
    "Hale",
    "Lee",
    "Rossi",
    "Whitfield",
    "Martin",
    "Becker",
    "Chen",
    "Wang",
    "Sato",
    "Novak",
    "Kim",
    "Ortiz",
    "Dahl",
]
MODES = ("closed",) * 6 + ("bot",) * 2 + ("queued", "agent")
LABELS = ("damaged", "late delivery", "refund", "vip follow-up", "address", "invoice", "complaint", "payment")


def sentence(rng: random.Random, zh: bool, extra: str = "") -> str:
    if zh:
        return "".join(rng.choice(ZH) for _ in range(rng.randint(3, 7))) + extra
    return " ".join(rng.choice(EN) for _ in range(rng.randint(6, 16))) + extra


def generate(count: int, seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], dict]:
    """Conversations, messages and label links; plus the probes the queries look for."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    conversations, messages, links = [], [], []
    probes: dict[str, Any] = {}
    message_id = 0
    for i in range(count):
        cid = f"bench{i:07d}"
        zh = rng.random() < 0.25
        created = now - timedelta(days=rng.uniform(0, 180))
        order = str(100000 + rng.randrange(900000))
        slots: dict[str, Any] | None = {"order_id": order}
        if rng.random() < 0.5:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            assert slots is not None
            email = f"{name.lower().replace(' ', '.')}{rng.randrange(1000)}@example.com"
            slots.update(customer_name=name, customer_id=f"C{rng.randrange(20000)}", customer_email=email)
        mode = rng.choice(MODES)
        conversations.append(
            {
                "id": cid,
                "mode": mode,
                "channel": "web",
                "created_at": created,
                "updated_at": created + timedelta(minutes=rng.uniform(1, 90)),
                "customer_tier": "vip" if rng.random() < 0.05 else "standard",
                "queued_at": created if mode in ("queued", "agent") else None,
                "slots": slots,
                "language": "zh" if zh else "en",
                "closed_at": created + timedelta(minutes=30) if mode == "closed" else None,
            }
        )
        for turn in range(rng.randint(4, 6)):
            message_id += 1
            extra = f" {order}" if turn == 1 else ""
            messages.append(
                {
                    "id": message_id,
                    "conversation_id": cid,
                    "sender": ("customer", "bot")[turn % 2],
                    "text": sentence(rng, zh, extra),
                    "created_at": created + timedelta(seconds=30 * turn),
                }
            )
        if rng.random() < 0.1:
            links.append({"conversation_id": cid, "label_id": rng.randrange(len(LABELS)) + 1, "added_at": created})
        if i == count // 2:  # one conversation the rare word, e-mail and order number point at
            probes.update(rare=f"zebrawood{secrets.token_hex(3)}", order=order, conversation=cid)
            messages[-1]["text"] += " " + probes["rare"]
            if slots and "customer_email" in slots:
                probes["email"] = slots["customer_email"]
    probes.setdefault(
        "email", next(c["slots"]["customer_email"] for c in conversations if "customer_email" in c["slots"])
    )
    return conversations, messages, links, probes


def load(url: str, conversations: list[dict], messages: list[dict], links: list[dict]) -> float:
    """Migrate and insert everything (the search index fills through its triggers or index): seconds taken."""
    migrate(url)
    engine = create_engine(sync_url(url))
    started = time.monotonic()
    with engine.begin() as db:
        db.execute(insert(Agent), [
            {"username": "sup", "display_name": "Sup", "role": "supervisor", "password_hash": "-", "status": "online"},
            {"username": "agt", "display_name": "Agt", "role": "agent", "password_hash": "-", "status": "online"},
        ])  # fmt: skip
        db.execute(insert(Label), [{"name": name, "colour": "#6b6f80"} for name in LABELS])
    batch = 5000
    for rows, table_ in ((conversations, Conversation), (messages, Message), (links, ConversationLabel)):
        for start in range(0, len(rows), batch):
            with engine.begin() as db:
                db.execute(insert(table_), rows[start : start + batch])
    if engine.dialect.name == "postgresql" or engine.dialect.name == "sqlite":
        with engine.begin() as db:
            db.exec_driver_sql("ANALYZE")
    engine.dispose()
    return time.monotonic() - started


def queries(probes: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    today = datetime.now(UTC).date()
    return [
        ("rare word (1 conversation)", {"q": probes["rare"]}),
        ("order number", {"q": probes["order"]}),
        ("e-mail", {"q": probes["email"]}),
        ("name", {"q": "Ingrid Berg"}),
        ("common word", {"q": "delivery"}),
        ("two common words", {"q": "broken lamp"}),
        ("prefix while typing", {"q": "refu"}),
        ("Chinese substring", {"q": "退款"}),
        ("label", {"label": "1"}),
        ("word + label + state", {"q": "parcel", "label": "2", "state": "closed"}),
        ("language + last 7 days", {"language": "zh", "from": str(today - timedelta(days=7))}),
        ("empty (the latest)", {}),
    ]


async def measure(url: str, probes: dict[str, Any], repeat: int) -> list[dict[str, Any]]:
    engine = create_async_engine(url)
    sessions = session_factory(engine)
    search = ConversationSearch(sessions)
    async with sessions() as session:
        from sqlalchemy import select

        supervisor = await session.scalar(select(Agent).where(Agent.username == "sup"))
        agent = await session.scalar(select(Agent).where(Agent.username == "agt"))
    assert supervisor is not None and agent is not None
    rows = []
    for name, args in queries(probes):
        query = parse_query(args)
        for who, account in (("supervisor", supervisor), ("agent", agent)):
            found = await search.search(account, query)  # warm-up
            samples = []
            for _ in range(repeat):
                started = time.perf_counter()
                found = await search.search(account, query)
                samples.append((time.perf_counter() - started) * 1000)
            ids = [c["conversation_id"] for c in found["conversations"]]
            rows.append({"query": name, "as": who, "found": len(ids), "more": found["more"],
                         "hit_probe": probes["conversation"] in ids, "ms": summary(samples, 1)})  # fmt: skip
    await engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "search_bench")
    args = parser.parse_args()
    started = time.monotonic()
    info = machine_info()
    commit, changed = git_state("helpdesk/conversation/search.py", "helpdesk/db/search_index.py")
    conversations, messages, links, probes = generate(args.conversations, args.seed)
    report: dict[str, Any] = {"machine": info, "commit": commit, "changed": changed,
                              "conversations": len(conversations), "messages": len(messages), "labelled": len(links),
                              "repeat": args.repeat, "databases": {}}  # fmt: skip
    for database in args.databases.split(","):
        if database == "sqlite":
            folder = tempfile.mkdtemp(prefix="search-bench-")
            url = f"sqlite+aiosqlite:///{folder}/bench.db"
            drop = None
        else:
            import psycopg

            name = f"search_bench_{secrets.token_hex(4)}"
            with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            url = f"postgresql://postgres@127.0.0.1:5432/{name}"
            drop = name
        try:
            print(f"{database}: loading {len(conversations)} conversations, {len(messages)} messages…", flush=True)
            seconds = load(url, conversations, messages, links)
            print(f"{database}: loaded in {seconds:.0f} s; searching…", flush=True)
            rows = asyncio.run(measure(url, probes, args.repeat))
            report["databases"][database] = {"load_seconds": round(seconds, 1), "queries": rows}
        finally:
            if drop:
                import psycopg

                with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)')
    report["machine"].update(run_end(started))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    lines = [
        "# Conversation search at scale",
        "",
        f"{report['conversations']:,} conversations, {report['messages']:,} messages, {report['labelled']:,} labelled; "
        f"each query {args.repeat}× after a warm-up, through ConversationSearch (GET /api/agent/search).",
        "",
        machine_line(report["machine"], []),
        "",
    ]
    for database, result in report["databases"].items():
        lines += [f"## {database} (loaded in {result['load_seconds']} s)", ""]
        lines += table(
            ["query", "as", "found", "p50 ms", "p95 ms", "max ms"],
            [
                [
                    r["query"],
                    r["as"],
                    f"{r['found']}{'+' if r['more'] else ''}",
                    r["ms"]["p50"],
                    r["ms"]["p95"],
                    r["ms"]["max"],
                ]
                for r in result["queries"]
            ],  # fmt: skip
        )
        lines.append("")
    args.out.with_suffix(".md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
