"""Agents correcting the bot, played on a fresh stack: what `bench/eval_corrections.py` measures before anyone has
real corrections.

    .venv/bin/python bench/corrections_drill.py [--out var/corrections]

Each message of bench/data/corrections_drill.jsonl (written for this drill in customers' styles, English and
Chinese, with names, e-mails, order numbers and addresses in some; none is a row of eval/ or data/) opens a
new conversation through POST /api/chat. Where the bot did not route it as the file says, the customer gives the
answer a 👎 (when there was one), asks for a person, and an agent marks the turn in the console's API with the
right route; a supervisor accepts every correction. Then `python -m helpdesk corrections export` writes the
export folder (default var/corrections), and the drill prints how many messages the bot already got right.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from bench_stack import bench_stack
from eval_outcomes import Outcome, classify
from eval_sets import Case, parse_route

from helpdesk.config import PROJECT_ROOT
from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.staff.accounts import add_agent

DRILL = PROJECT_ROOT / "bench" / "data" / "corrections_drill.jsonl"
HUMAN = "I want to talk to a real person please"


def accounts(database_url: str) -> dict[str, str]:
    """An agent and a supervisor with random passwords."""
    migrate(database_url)
    passwords = {"drill-agent": secrets.token_urlsafe(12), "drill-super": secrets.token_urlsafe(12)}

    async def make() -> None:
        engine = create_engine(database_url)
        try:
            async with session_factory(engine)() as session:
                await add_agent(session, "drill-agent", passwords["drill-agent"], display_name="Drill Agent")
                await add_agent(
                    session, "drill-super", passwords["drill-super"], display_name="Drill Super", role="supervisor"
                )
        finally:
            await engine.dispose()

    asyncio.run(make())
    return passwords


def staff(url: str, username: str, password: str) -> tuple[httpx.Client, dict[str, str]]:
    client = httpx.Client(base_url=url + "/api/agent", timeout=120)
    response = client.post("/login", json={"username": username, "password": password})
    response.raise_for_status()
    return client, {"X-CSRF-Token": response.json()["csrf_token"]}


def correction_body(right: dict[str, Any]) -> dict[str, Any]:
    if right.get("new_question"):
        return {"kind": "new_question"}
    if "faq_id" in right:
        return {"kind": "faq", "label": right["faq_id"]}
    return {"kind": "intent", "label": right["intent"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "var" / "corrections")
    args = parser.parse_args()
    rows = [json.loads(line) for line in DRILL.read_text(encoding="utf-8").splitlines() if line.strip()]
    summary: dict[str, Any] = {"messages": len(rows), "right_already": 0, "corrected": 0, "thumbs_down": 0}
    with bench_stack() as stack:
        passwords = accounts(stack.env["DATABASE_URL"])
        agent, agent_headers = staff(stack.url, "drill-agent", passwords["drill-agent"])
        boss, boss_headers = staff(stack.url, "drill-super", passwords["drill-super"])
        with httpx.Client(base_url=stack.url, timeout=120) as customer:
            for number, row in enumerate(rows, start=1):
                right = row["right"]
                new = right.get("new_question")
                expect = ("handoff", "low_confidence") if new else parse_route(right, str(DRILL), number)
                body = customer.post("/api/chat", json={"conversation_id": None, "text": row["text"]}).json()
                verdict = classify(Case(row["text"], expect), Outcome.from_response(body))
                if verdict.category == "right":
                    summary["right_already"] += 1
                    continue
                conversation_id = body["conversation_id"]
                shown = customer.get(f"/api/chat/{conversation_id}/messages").json()["messages"]
                answers = [m for m in shown if m["sender"] == "bot" and m.get("feedback") is not None]
                if answers:  # the customer says the answer did not help
                    customer.post(
                        f"/api/chat/{conversation_id}/messages/{answers[-1]['id']}/feedback", json={"helpful": False}
                    ).raise_for_status()
                    summary["thumbs_down"] += 1
                if body["mode"] == "bot":
                    customer.post("/api/chat", json={"conversation_id": conversation_id, "text": HUMAN})
                view = agent.get(f"/conversations/{conversation_id}").json()
                turn = next(m for m in view["messages"] if m["sender"] == "customer" and m["text"] == row["text"])
                made = agent.post(
                    "/corrections", json={"message_id": turn["id"], **correction_body(right)}, headers=agent_headers
                )
                if made.status_code == 400:  # the bot read it right; what went wrong came after the reading
                    print(f"{number:>2} not corrected: {row['text'][:60]!r}: {made.json()['error']}", flush=True)
                    summary["read_right_went_wrong"] = summary.get("read_right_went_wrong", 0) + 1
                    continue
                made.raise_for_status()
                boss.post(
                    f"/corrections/{made.json()['id']}/review", json={"decision": "accept"}, headers=boss_headers
                ).raise_for_status()
                summary["corrected"] += 1
                print(f"{number:>2} corrected: {row['text'][:60]!r} → {right} (bot: {verdict.category})", flush=True)
        agent.close()
        boss.close()
        done = subprocess.run(
            [sys.executable, "-m", "helpdesk", "corrections", "export", "--out", str(args.out)],
            cwd=PROJECT_ROOT,
            env=stack.env,
            capture_output=True,
            text=True,
            check=False,
        )
        print(done.stdout + done.stderr, flush=True)
        if done.returncode != 0:
            return done.returncode
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
