"""Fault drills: kill -9 each process of the stack mid-conversation and see what the customer and the agent get.

    .venv/bin/python bench/fault_drills.py            (starts its own supervised stack on spare ports)

For each process (rasa, actions, helpdesk): a customer is in the order form ("Where is my order 100212?", the
bot asks the e-mail) and another customer is chatting with an agent. The process is killed with SIGKILL; the
first customer answers with the e-mail (retrying with the same client_message_id while the helpdesk itself is
down, as the widget does), the agent and the second customer each write once. Recorded: what the customer and the
agent were answered, seconds until /healthz was ready again and until the e-mail was answered with the order's
status, and messages lost or stored twice (both must be 0). Writes results/fault_drills.json and prints a table.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from common import machine_info

from helpdesk.config import PROJECT_ROOT
from helpdesk.stack import Ports, Stack

EMAIL = "ann.lee@example.com"
STATUS = "Order 100212 was delivered"


def until(check: Callable[[], Any], timeout: float, interval: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if value := check():
                return value
        except httpx.HTTPError:
            pass
        time.sleep(interval)
    raise TimeoutError("the drill's condition was not met in time")


def add_agent(database_url: str) -> tuple[str, str]:
    from helpdesk.db.engine import create_engine, migrate, session_factory
    from helpdesk.staff.accounts import add_agent as add

    password = secrets.token_urlsafe(12)
    migrate(database_url)

    async def create() -> None:
        engine = create_engine(database_url)
        async with session_factory(engine)() as session:
            await add(session, "drill", password, display_name="Drill Agent", role="agent", max_concurrent=50)
        await engine.dispose()

    asyncio.run(create())
    return "drill", password


def post_until_answered(client: httpx.Client, body: dict[str, Any], timeout: float = 300) -> httpx.Response:
    """POST /api/chat as the widget does: on no connection, the same message again (same client_message_id)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return client.post("/api/chat", json=body)
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1.0)


def drill(stack: Stack, target: str, login: tuple[str, str]) -> dict[str, Any]:
    customer = httpx.Client(base_url=stack.url, timeout=60)
    agent = httpx.Client(base_url=stack.url, timeout=30)
    session = agent.post("/api/agent/login", json={"username": login[0], "password": login[1]}).json()
    csrf = {"X-CSRF-Token": session["csrf_token"]}
    form = customer.post("/api/chat", json={"conversation_id": None, "text": "Where is my order 100212?"}).json()
    form_id = form["conversation_id"]
    live = customer.post("/api/chat", json={"conversation_id": None, "text": "I want to talk to a person"}).json()
    live_id = live["conversation_id"]
    agent.post(f"/api/agent/conversations/{live_id}/claim", headers=csrf).raise_for_status()
    restarts = stack.services[target].restarts

    process = stack.services[target].process
    assert process is not None
    killed = time.monotonic()
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)
    body = {"conversation_id": form_id, "text": EMAIL, "client_message_id": f"drill-{target}"}
    first = post_until_answered(customer, body)
    customer_saw = f"{first.status_code}: " + (
        first.json().get("error") or " / ".join(r["text"][:60] for r in first.json().get("replies") or [])
    )
    seconds_to_first = time.monotonic() - killed
    live_body = {"conversation_id": live_id, "text": "are you still there?", "client_message_id": f"live-{target}"}
    live_answer = post_until_answered(customer, live_body)
    agent_said = None
    for _ in range(600):
        try:
            reply = {"text": f"yes, still here ({target})"}
            agent_said = agent.post(f"/api/agent/conversations/{live_id}/messages", json=reply, headers=csrf)
            break
        except httpx.HTTPError:
            time.sleep(1.0)
    assert agent_said is not None
    healthy = until(lambda: customer.get("/healthz").status_code == 200 and time.monotonic(), timeout=600)

    def answered() -> float | None:
        messages = customer.get(f"/api/chat/{form_id}/messages").json()["messages"]
        return time.monotonic() if any(STATUS in m["text"] for m in messages) else None

    answered_at = until(answered, timeout=120)
    if first.status_code == 200 and STATUS not in first.text:  # answered, but not with the status: say so
        customer_saw += " (not the status)"
    form_messages = customer.get(f"/api/chat/{form_id}/messages").json()["messages"]
    live_messages = customer.get(f"/api/chat/{live_id}/messages").json()["messages"]
    sent = {
        (form_id, "Where is my order 100212?"),
        (form_id, EMAIL),
        (live_id, "I want to talk to a person"),
        (live_id, "are you still there?"),
        (live_id, f"yes, still here ({target})"),
    }
    stored = [(form_id, m["text"]) for m in form_messages] + [(live_id, m["text"]) for m in live_messages]
    customer.close()
    agent.close()
    return {
        "killed": target,
        "customer_in_form_saw": customer_saw,
        "seconds_until_that_answer": round(seconds_to_first, 1),
        "customer_with_agent_got": live_answer.status_code,
        "agent_message_status": agent_said.status_code,
        "seconds_until_healthz_ready": round(healthy - killed, 1),
        "seconds_until_status_answered": round(answered_at - killed, 1),
        "status_answers": sum(STATUS in m["text"] for m in form_messages),
        "messages_lost": len([s for s in sent if s not in stored]),
        "messages_twice": sum(stored.count(s) > 1 for s in sent),
        "restarts": stack.services[target].restarts - restarts,
    }


def main() -> int:
    out = PROJECT_ROOT / "results" / "fault_drills.json"
    workdir = Path(tempfile.mkdtemp(prefix="fault-drills-"))
    database_url = f"sqlite+aiosqlite:///{workdir / 'helpdesk.db'}"
    stack = Stack(
        ports=Ports.spare(),
        log_dir=workdir / "logs",
        env={
            "DATABASE_URL": database_url,
            "DEMO_SHOP_URL": str(workdir / "demo-shop.db"),
            "KB_INDEX_DIR": str(workdir / "kb-index"),
            "IDENTITY_SECRET": secrets.token_hex(32),
            "BUSINESS_HOURS": "off",
        },
    )
    login = add_agent(database_url)
    stack.start()
    watching = stack.watch()
    rows = []
    try:
        stack.wait_ready(timeout=600)
        for target in ("rasa", "actions", "helpdesk"):
            rows.append(drill(stack, target, login))
            print(json.dumps(rows[-1]), flush=True)
    finally:
        watching.set()
        stack.stop()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"drills": rows, "machine": machine_info()}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
