"""Chats held by an agent whose console is closed go back to the queue after a grace period
(helpdesk/conversation/closed_consoles.py). The walkthrough of 2026-12-07 (staff lane): Alice was given a customer's
chat, closed the console's tab without going Away, and the customer waited with "Alice Moreau has joined the chat."
and nobody there, for good: nothing assigns or transfers a chat that is an agent's.

Through the real stack (a helpdesk of the test's own with a 6-second grace): Ava's two chats — one she answered,
one Chinese she had not — go back to the queue once her console has been closed longer than the grace; each
customer reads that a colleague takes over, in their language; the colleague (and the supervisor) find a note
saying why; Ben's chat stays his while his console is open, and after a reload (closed and opened again within the
grace)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, expect
from support.agent import Console, console_open, hand_off, history, say, submit_console_login, wait_for
from support.helpdesks import OwnHelpdesk, own_helpdesk

from helpdesk.stack import Stack

GRACE_SECONDS = 6


@pytest.fixture(scope="module")
def returning(stack: Stack) -> Iterator[OwnHelpdesk]:
    with own_helpdesk(stack, "closed-consoles", env={"CLOSED_CONSOLE_GRACE_SECONDS": str(GRACE_SECONDS)}) as running:
        yield running


def console(helpdesk: OwnHelpdesk, username: str) -> Console:
    agent = Console(helpdesk.url)
    assert agent.login(username, helpdesk.accounts[username].password).status_code == 200
    return agent


def mode(client: httpx.Client, conversation: str) -> str:
    return str(history(client, conversation)["mode"])


def system_lines(client: httpx.Client, conversation: str) -> list[str]:
    return [m["text"] for m in history(client, conversation)["messages"] if m["sender"] == "system"]


def test_a_closed_consoles_chats_go_back_to_the_queue_after_the_grace(
    returning: OwnHelpdesk, chromium: Browser
) -> None:
    client = httpx.Client(base_url=returning.url, timeout=60)
    ava, ben, sue = console(returning, "ava"), console(returning, "ben"), console(returning, "sue")
    answered = hand_off(client, "where is my order 100234?")
    chinese = say(client, "我的订单100234到哪了？")["conversation_id"]
    assert say(client, "我要人工客服", chinese)["mode"] == "queued"
    bens = hand_off(client, "my parcel never came")

    with console_open(ben):
        with console_open(ava):
            for conversation in (answered, chinese):
                assert ava.post(f"/conversations/{conversation}/claim").status_code == 200
            assert ava.post(f"/conversations/{answered}/messages", {"text": "Let me check."}).status_code == 201
            assert ben.post(f"/conversations/{bens}/claim").status_code == 200
        closed_at = time.monotonic()
        # her console closed (the tab, not a status): both her chats come back, the answered one too
        wait_for(lambda: mode(client, answered) == "queued" and mode(client, chinese) == "queued", timeout=60)
        assert time.monotonic() - closed_at >= GRACE_SECONDS - 0.5  # not before the grace

        assert system_lines(client, answered)[-1] == "We're passing you to a colleague; please hold on."
        assert system_lines(client, chinese)[-1] == "正在为您转接另一位同事，请稍候。"
        ava_name = ava.agent["display_name"]
        for conversation in (answered, chinese):
            view = sue.get(f"/conversations/{conversation}").json()
            assert view["conversation"]["mode"] == "queued" and view["conversation"]["assignee"] is None
            assert [n["text"] for n in view["notes"]] == [
                f"Back in the queue: {ava_name}'s console was closed for over {GRACE_SECONDS} seconds while this "
                "chat was theirs. The customer was told a colleague takes over."
            ]
        queued = {c["conversation_id"]: c for c in sue.get("/queue").json()["conversations"]}
        assert queued[answered]["was_with"] == ava_name and queued[chinese]["was_with"] == ava_name
        # the supervisor's console: the card says whose chat it was
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        try:
            page = context.new_page()
            submit_console_login(page, returning.url, "sue", returning.accounts["sue"].password)
            expect(page.locator(f'#queue li[data-id="{answered}"]')).to_contain_text(f"was with {ava_name}")
        finally:
            context.close()
        # a colleague takes it from the queue with the transcript, and Ava's reply is still there
        assert ben.post(f"/conversations/{answered}/claim").status_code == 200
        assert "Let me check." in [m["text"] for m in history(client, answered)["messages"]]

        assert mode(client, bens) == "agent"  # Ben's console is open: his chat stays his

    with console_open(ben):  # a reload: closed and opened again within the grace
        pass
    with console_open(ben):
        time.sleep(GRACE_SECONDS + 3)
        assert mode(client, bens) == "agent"
        assert mode(client, answered) == "agent"
