"""A crash of Rasa or the action server mid-conversation loses nothing (issue 15, finding 5).

Through the session's real stack, which the supervisor watches as `make run` does (conftest: `Stack.watch`): the
test kills a process with SIGKILL while an order form waits for the customer's e-mail, the customer answers while
it is down (told "one moment", the message stored), the supervisor restarts the process, and once /healthz is back
the stored answer is answered with the order's status: Rasa kept the form in its SQL tracker store. Retrying the
same message then gives the stored answer, never a second turn.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect
from support.agent import wait_for
from support.chat import Chat

from helpdesk.stack import RESTART_DELAYS, Ports, Service, Stack

ANN = "ann.lee@example.com"
HOST = "#larkspur-chat-host"  # the widget's shadow host
INPUT = f"{HOST} textarea"
BOT_TEXT = f"{HOST} .msg.bot:not(.intro) .text"

# the status answer ("Order 100212 was delivered …", or "… has a return in progress" once another test of the
# session booked one): the identity question says "for order 100212?", never "Order 100212 " with a capital
ORDER_STATUS = "Order 100212 "


def kill_hard(stack: Stack, name: str) -> None:
    """SIGKILL to the service's whole process group: no clean-up, as a crash."""
    process = stack.services[name].process
    assert process is not None and process.poll() is None
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


def wait_healthy(client: httpx.Client, timeout: float = 420.0) -> float:
    """Seconds until GET /healthz says ready again."""
    started = time.monotonic()
    wait_for(lambda: client.get("/healthz").status_code == 200, timeout=timeout, interval=1.0)
    return time.monotonic() - started


def transcript(client: httpx.Client, conversation_id: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/chat/{conversation_id}/messages")
    assert response.status_code == 200, response.text
    return list(response.json()["messages"])


@pytest.mark.browser
def test_the_customer_is_told_one_moment_and_gets_the_status_when_rasa_is_back(
    stack: Stack, client: httpx.Client, chromium: Browser
) -> None:
    """What the customer sees in the widget: Rasa is killed while the form waits for the e-mail; the e-mail gets
    "One moment…"; once Rasa is back the answer replaces the notice."""
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(stack.url + "/")
        page.locator(f"{HOST} .launcher").click()
        page.locator(INPUT).fill("Where is my order 100212?")
        page.locator(INPUT).press("Enter")
        expect(page.locator(BOT_TEXT).last).to_contain_text("e-mail", timeout=60_000)
        restarts = stack.services["rasa"].restarts

        kill_hard(stack, "rasa")
        page.locator(INPUT).fill(ANN)
        page.locator(INPUT).press("Enter")
        expect(page.locator(f"{HOST} .notice")).to_contain_text("One moment")
        expect(page.locator(f"{HOST} .notice")).to_contain_text("answer will appear here as soon as it's back")
        page.screenshot(path=str(stack.log_dir / "rasa-down-one-moment.png") if stack.log_dir else None)

        wait_healthy(client)
        assert stack.services["rasa"].restarts == restarts + 1  # the supervisor brought it back
        expect(page.locator(BOT_TEXT).last).to_contain_text(ORDER_STATUS, timeout=60_000)
        expect(page.locator(f"{HOST} .notice")).to_have_count(0)
        page.screenshot(path=str(stack.log_dir / "rasa-back-answered.png") if stack.log_dir else None)
        customer_texts = [t.strip() for t in page.locator(f"{HOST} .msg.customer .text").all_text_contents()]
        assert customer_texts == ["Where is my order 100212?", ANN]
    finally:
        context.close()


@pytest.mark.parametrize("service", ["actions"])
def test_a_killed_process_mid_form_is_restarted_and_the_waiting_answer_gets_the_status(
    stack: Stack, client: httpx.Client, service: str
) -> None:
    chat = Chat(client)
    chat("Where is my order 100212?")
    assert "e-mail" in chat.text.lower()
    restarts = stack.services[service].restarts

    kill_hard(stack, service)
    body = {"conversation_id": chat.id, "text": ANN, "client_message_id": f"email-after-{service}-crash"}
    down = client.post("/api/chat", json=body)
    assert down.status_code == 503, down.text
    assert down.json()["pending"] is True and down.json()["conversation_id"] == chat.id
    assert "one moment" in down.json()["error"]
    assert client.get("/healthz").status_code == 503

    wait_healthy(client)
    assert stack.services[service].restarts == restarts + 1  # the supervisor brought it back

    def answered() -> list[dict[str, Any]] | None:
        messages = transcript(client, chat.id or "")
        after = [m for m in messages if m["id"] > down_id(messages)]
        return after if any(m["sender"] == "bot" for m in after) else None

    def down_id(messages: list[dict[str, Any]]) -> int:
        return next(m["id"] for m in messages if m["sender"] == "customer" and m["text"] == ANN)

    replies = wait_for(answered, timeout=60)
    assert ORDER_STATUS in "\n".join(m["text"] for m in replies)

    # the widget's retry of the same message: the stored answer, no second turn
    retried = client.post("/api/chat", json=body)
    assert retried.status_code == 200, retried.text
    assert [r["id"] for r in retried.json()["replies"]] == [m["id"] for m in replies]
    messages = transcript(client, chat.id or "")
    assert [m["text"] for m in messages if m["sender"] == "customer"] == ["Where is my order 100212?", ANN]
    assert sum(ORDER_STATUS in m["text"] for m in messages) == 1


def test_the_supervisor_restarts_with_growing_delays_and_leaves_stopped_processes_alone(tmp_path: Path) -> None:
    """Stack.supervise on a process that always crashes: 1 s, then 2 s, then 4 s before each restart; a process
    stopped on purpose stays stopped."""
    crashing = Stack(ports=Ports.spare(), log_dir=tmp_path)
    crashing.services = {"crasher": Service("crasher", [sys.executable, "-c", "raise SystemExit(3)"])}
    crashing.start_service("crasher")
    process = crashing.services["crasher"].process
    assert process is not None
    process.wait(30)
    now = time.monotonic()
    delays = []
    for _ in range(3):
        said = crashing.supervise(now)
        assert said and "exited (status 3)" in said[0], said
        restart_at = crashing.services["crasher"].restart_at
        assert restart_at is not None
        delays.append(round(restart_at - now))
        assert crashing.supervise(restart_at - 0.1) == []  # not before its time
        now = restart_at
        assert "restarted" in crashing.supervise(now)[0]
        new = crashing.services["crasher"].process
        assert new is not None and new is not process
        process = new
        process.wait(30)
    assert delays == [int(d) for d in RESTART_DELAYS[:3]]
    assert crashing.services["crasher"].restarts == 3

    crashing.stop_service("crasher")
    assert crashing.supervise(now + 100) == []
