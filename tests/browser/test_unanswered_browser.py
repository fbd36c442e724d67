"""In headless Chromium against the real stack: an editor logs in and lands on the unanswered-questions report,
sees the customer's words as text (never markup), drafts an entry; a supervisor works a follow-up from the
console's Follow-ups list."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect
from support.accounts import AgentLogin
from support.agent import Console, hand_off, say, submit_console_login
from test_widget_browser import XSS, Tab, new_tab

pytestmark = pytest.mark.browser
QUESTION = f"Do you sweep chimneys? {XSS}"  # no good answer: a person is offered


@pytest.fixture()
def tab(chromium: Browser) -> Iterator[Tab]:
    opened = new_tab(chromium, viewport={"width": 1440, "height": 900})
    yield opened
    opened.page.context.close()


def test_an_editor_lands_on_the_report_and_drafts_an_entry(
    tab: Tab, client: httpx.Client, helpdesk_url: str, editor_account: AgentLogin
) -> None:
    assert say(client, QUESTION)["offer_person"] == {"reason": "low_confidence"}
    page = tab.page
    submit_console_login(page, helpdesk_url, editor_account.username, editor_account.password)
    page.wait_for_url("**/agent/unanswered")
    expect(page.locator("#report")).to_be_visible()
    example = page.locator("#clusters .examples li").filter(has_text=QUESTION)
    expect(example).to_have_text([QUESTION])  # the markup is shown as text
    assert page.locator("#clusters img").count() == 0
    expect(page.locator("#fig-unanswered")).not_to_have_text("–")
    assert page.locator("#coverage svg rect").count() == 30  # one bar per day of the default range
    expect(page.locator("#console-link")).to_be_hidden()

    group = page.locator("#clusters > li").filter(has_text=QUESTION)
    group.get_by_role("button", name="Draft a handbook entry for").first.click()
    page.wait_for_url("**/agent/handbook#new")  # the draft opens straight in the handbook editor
    expect(page.locator("#f-title")).to_have_value(re.compile("sweep chimneys"))
    expect(page.locator("#f-id")).not_to_have_value("")
    inline = page.locator('.hb-field[data-field="answer"] .hb-inline')
    expect(inline).to_contain_text("answer is empty")
    expect(page.locator("#publish")).to_be_disabled()
    assert tab.dialogs == []
    assert tab.errors("401") == []  # the console asks /api/agent/me before logging in


def test_a_supervisor_assigns_comments_and_closes_a_follow_up(
    tab: Tab, client: httpx.Client, helpdesk_url: str, agent_accounts: dict[str, AgentLogin], db: sqlite3.Connection
) -> None:
    ava = Console(helpdesk_url)
    try:
        assert ava.login("ava", agent_accounts["ava"].password).status_code == 200
        conversation = hand_off(client, f"hello {XSS}")
        assert ava.post(f"/conversations/{conversation}/claim").status_code == 200
        assert ava.post(f"/conversations/{conversation}/resolve").status_code == 200
    finally:
        ava.close()
    assert client.post(f"/api/chat/{conversation}/rating", json={"score": 1, "comment": XSS}).status_code == 201
    task = db.execute("SELECT id FROM follow_ups WHERE conversation_id = ?", (conversation,)).fetchone()["id"]

    page = tab.page
    sue = agent_accounts["sue"]
    submit_console_login(page, helpdesk_url, sue.username, sue.password)
    expect(page.locator("#app")).to_be_visible()
    expect(page.locator("#unanswered-link")).to_be_visible()
    item = page.locator(f'#followups li[data-follow-up="{task}"]')
    expect(item).to_contain_text("Low rating")
    item.click()
    dialog = page.locator("#followup-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#followup-facts")).to_contain_text(f"1/5 · {XSS}")
    facts = dialog.locator("#followup-facts").inner_text()
    assert facts.count("1/5") == 1, facts  # the rating once (the "Why" line said it again: "rated 1/5: …")
    expect(dialog.locator("#followup-transcript")).to_contain_text(f"hello {XSS}")
    assert dialog.locator("img").count() == 0

    page.locator("#followup-assignee").select_option(label="Ava Tester (agent)")
    page.locator("#followup-assign").click()
    expect(dialog.locator("#followup-facts")).to_contain_text("Ava Tester")
    page.locator("#followup-comment").fill("Calling her tomorrow.")
    page.locator("#followup-comment-form button[type=submit]").click()
    expect(dialog.locator("#followup-comments")).to_contain_text("Calling her tomorrow.")
    expect(item.locator(".preview-line")).to_have_text(re.compile(r" · 1 comment$"))  # not "1 comments"
    page.locator("#followup-done").click()
    expect(page.locator("#followup-reopen")).to_be_visible()
    row = db.execute("SELECT status, assignee_id FROM follow_ups WHERE id = ?", (task,)).fetchone()
    assert row["status"] == "done"
    assert row["assignee_id"] == db.execute("SELECT id FROM agents WHERE username = 'ava'").fetchone()["id"]
    page.locator("#followup-close").click()
    expect(item).to_have_count(0)  # the list shows open tasks
    assert tab.dialogs == []
    assert tab.errors("401") == []  # the console asks /api/agent/me before logging in


def test_an_editor_sets_a_group_aside_and_puts_it_back_on_desktop_and_phone(
    tab: Tab, chromium: Browser, client: httpx.Client, helpdesk_url: str, editor_account: AgentLogin, tmp_path: Path
) -> None:
    asked = "do you do car repairs"
    assert say(client, asked)["offer_person"] == {"reason": "low_confidence"}
    page = tab.page
    submit_console_login(page, helpdesk_url, editor_account.username, editor_account.password)
    page.wait_for_url("**/agent/unanswered")
    group = page.locator("#clusters > li").filter(has_text=asked)
    expect(group.locator(".group-title")).to_have_text(re.compile(r"^[A-Z].*\?$"))  # a clean question
    page.screenshot(path=str(tmp_path / "unanswered-desktop.png"), full_page=True)
    group.get_by_role("button", name=re.compile("^Won't fix")).click()
    expect(page.locator("#status")).to_have_text("Marked won't fix.")
    expect(page.locator("#clusters > li").filter(has_text=asked)).to_have_count(0)
    page.locator("#set-aside-box summary").click()
    aside = page.locator("#set-aside li").filter(has_text=asked)
    expect(aside).to_contain_text("Won't fix by Eda Tester")

    phone = new_tab(chromium, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        small = phone.page
        submit_console_login(small, helpdesk_url, editor_account.username, editor_account.password)
        small.wait_for_url("**/agent/unanswered")
        expect(small.locator("#set-aside-count")).to_have_text(re.compile(r"[1-9]"))
        small.screenshot(path=str(tmp_path / "unanswered-phone-before.png"), full_page=True)
        small.locator("#set-aside-box summary").click()
        expect(small.locator("#set-aside li").filter(has_text=asked)).to_be_visible()
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        small.screenshot(path=str(tmp_path / "unanswered-phone.png"), full_page=True)
    finally:
        phone.page.context.close()

    aside.get_by_role("button", name=re.compile("^Put back")).click()
    expect(page.locator("#status")).to_have_text("Put back.")
    expect(page.locator("#clusters > li").filter(has_text=asked)).to_have_count(1)
