"""A follow-up names the customer to get back to (headless Chromium against the running stack, 1366×900). The
walkthrough of 2026-12-07 saw the supervisor's follow-up triage list a low rating as "服务评分为 1 或 2 — 评分 2/5 /
“我的订单100259到哪了？” / 2026/12/7 05:01:20 · 未分配 · 待处理" and its view as "… · 会话 4h7WSWc2…" above the
transcript: who the customer was (Thomas Leroy, verified by the bot) was nowhere but in what they had typed."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Page, expect
from support.accounts import AgentLogin
from support.agent import Console, say
from test_agent_console_browser import log_in

pytestmark = pytest.mark.browser


def follow_up_of_verified_customer(
    login: Callable[[str], Console], client: httpx.Client, db: sqlite3.Connection
) -> tuple[str, int]:
    """A conversation whose customer the bot verified (Ann Lee), handed to Ava and handed back: (its id, the
    follow-up task's id)."""
    ava = login("ava")
    conversation = say(client, "where is my order 100234?")["conversation_id"]
    say(client, "ann.lee@example.com", conversation)  # the bot verifies Ann Lee
    assert say(client, "I want to talk to a real person please", conversation)["mode"] == "queued"
    assert ava.post(f"/conversations/{conversation}/claim").status_code == 200
    assert ava.post(f"/conversations/{conversation}/handback").status_code == 200  # opens a follow-up
    task_id = db.execute("SELECT id FROM follow_ups WHERE conversation_id = ?", (conversation,)).fetchone()[0]
    return conversation, task_id


def test_a_follow_up_names_the_customer_the_bot_verified(
    page: Page,
    helpdesk_url: str,
    agent_accounts: dict[str, AgentLogin],
    login: Callable[[str], Console],
    client: httpx.Client,
    db: sqlite3.Connection,
) -> None:
    _, task_id = follow_up_of_verified_customer(login, client, db)

    log_in(page, helpdesk_url, agent_accounts["sue"])
    page.goto(helpdesk_url + "/agent/followups")
    expect(page.locator("body[data-loaded='1']")).to_be_attached()
    task = page.locator(f"#tasks li[data-id='{task_id}']")
    expect(task.locator(".customer")).to_have_text("Ann Lee")
    task.locator("button").click()
    expect(page.locator("#task-title")).to_contain_text("Ann Lee")


def test_the_consoles_follow_up_names_the_customer(
    page: Page,
    helpdesk_url: str,
    agent_accounts: dict[str, AgentLogin],
    login: Callable[[str], Console],
    client: httpx.Client,
    db: sqlite3.Connection,
) -> None:
    """The same task opened from the agent console's Follow-ups list: its facts name the customer beside the
    conversation's id."""
    conversation, task_id = follow_up_of_verified_customer(login, client, db)

    log_in(page, helpdesk_url, agent_accounts["sue"])
    page.locator(f'#followups li[data-follow-up="{task_id}"]').click(timeout=20_000)
    facts = page.locator("#followup-facts")
    expect(facts).to_contain_text(conversation)
    expect(facts.locator("dd[data-user-content]")).to_have_text("Ann Lee")
