"""The follow-ups screen's words for one task, in headless Chromium against the real stack, in English and Chinese:
"1 task in 1 group" and "1 comment" (it said "1 tasks in 1 groups", "1 comments"), and a low rating's task says the
rating once (its detail line said "rated 2/5: …" twice) and names the agent whose help was rated. Pia, an agent of
her own, sees only the task assigned to her."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator

import httpx
import pytest
from playwright.sync_api import expect
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import HANDOFF_TEXT, Console, hand_off, say, submit_console_login
from test_widget_browser import Tab

from helpdesk.stack import Stack

pytestmark = pytest.mark.browser
COMMENT = "Nobody called me back"


@pytest.fixture(scope="module")
def pia(stack: Stack) -> AgentLogin:
    return add_agent_accounts(stack.env["DATABASE_URL"], (("pia", "agent", None, 5),))["pia"]


@pytest.fixture()
def pia_console(helpdesk_url: str, pia: AgentLogin) -> Iterator[Console]:
    console = Console(helpdesk_url)
    assert console.login(pia.username, pia.password).status_code == 200
    yield console
    console.put("/me/language", {"language": "en"})
    console.close()


def test_one_low_rated_task_is_worded_in_the_singular_and_its_rating_said_once(
    tab: Tab,
    helpdesk_url: str,
    pia: AgentLogin,
    pia_console: Console,
    login: Callable[[str], Console],
    client: httpx.Client,
    db: sqlite3.Connection,
) -> None:
    page = tab.page
    conversation = hand_off(client, "hello")
    assert pia_console.post(f"/conversations/{conversation}/claim").status_code == 200
    assert pia_console.post(f"/conversations/{conversation}/resolve").status_code == 200
    rated = client.post(f"/api/chat/{conversation}/rating", json={"score": 2, "comment": COMMENT})
    assert rated.status_code == 201
    task = db.execute("SELECT id FROM follow_ups WHERE conversation_id = ?", (conversation,)).fetchone()[0]
    sue = login("sue")
    assert sue.post(f"/followups/{task}/assign", {"agent_id": pia_console.agent["id"]}).status_code == 200
    assert sue.post(f"/followups/{task}/comments", {"text": "Please call her today"}).status_code == 201

    submit_console_login(page, helpdesk_url, pia.username, pia.password)
    expect(page.locator("#app")).to_be_visible()
    page.goto(helpdesk_url + "/agent/followups")
    expect(page.locator("body[data-loaded='1']")).to_be_attached()
    expect(page.locator("#summary")).to_have_text("1 task in 1 group")
    row = page.locator(f"#tasks li[data-id='{task}']")
    expect(row.locator(".meta")).to_contain_text(re.compile(r"· 1 comment$"))
    name = pia_console.agent["display_name"]  # whose help was rated (the task said "rated 2/5" only)
    expect(row.locator(".detail")).to_have_text(f"rated {name} 2/5: “{COMMENT}”")
    row.locator("button").click()
    meta = page.locator("#task-meta")
    expect(meta).to_contain_text(COMMENT)
    assert meta.inner_text().count("2/5") == 1, meta.inner_text()

    assert pia_console.put("/me/language", {"language": "zh"}).status_code == 200
    page.reload()
    expect(page.locator("body[data-loaded='1']")).to_be_attached()
    expect(page.locator("#summary")).to_have_text("1 组共 1 个任务")
    expect(row.locator(".meta")).to_contain_text(re.compile(r"· 1 条评论$"))
    expect(row.locator(".detail")).to_have_text(f"给 {name} 评分 2/5：“{COMMENT}”")
    row.locator("button").click()
    expect(meta).to_contain_text(COMMENT)
    assert meta.inner_text().count("2/5") == 1, meta.inner_text()


def test_a_tasks_transcript_shows_the_bots_answer_as_the_customer_saw_it(
    tab: Tab,
    helpdesk_url: str,
    pia: AgentLogin,
    pia_console: Console,
    login: Callable[[str], Console],
    client: httpx.Client,
    db: sqlite3.Connection,
) -> None:
    """The bot's handbook answer in a task's transcript (the triage page's and the console's follow-up dialog) is
    rendered as the widget showed it: a list, bold words. It read "- **Standard delivery and pick-up points:** 3–5
    business days" (the staff walkthrough of 2026-12-07)."""
    page = tab.page
    answered = say(client, "how long does delivery take?")
    assert "**" in answered["replies"][0]["text"], answered  # the answer is written in Markdown
    conversation = hand_off_after(client, answered["conversation_id"])
    assert pia_console.post(f"/conversations/{conversation}/claim").status_code == 200
    assert pia_console.post(f"/conversations/{conversation}/resolve").status_code == 200
    assert client.post(f"/api/chat/{conversation}/rating", json={"score": 1}).status_code == 201
    task = db.execute("SELECT id FROM follow_ups WHERE conversation_id = ?", (conversation,)).fetchone()[0]
    assert login("sue").post(f"/followups/{task}/assign", {"agent_id": pia_console.agent["id"]}).status_code == 200

    submit_console_login(page, helpdesk_url, pia.username, pia.password)
    expect(page.locator("#app")).to_be_visible()
    page.locator(f'#followups li[data-follow-up="{task}"]').click()
    dialog = page.locator("#followup-transcript")
    expect(dialog.locator(".text.md li").first).to_be_visible()  # the answer's list, as a list
    assert "**" not in dialog.inner_text(), dialog.inner_text()
    page.keyboard.press("Escape")

    page.goto(helpdesk_url + "/agent/followups")
    expect(page.locator("body[data-loaded='1']")).to_be_attached()
    page.locator(f"#tasks li[data-id='{task}'] button").click()
    log = page.locator("#task-log")
    expect(log.locator("li.bot .text.md li").first).to_be_visible()
    expect(log.locator("li.bot strong").first).to_be_visible()
    assert "**" not in log.inner_text(), log.inner_text()


def hand_off_after(client: httpx.Client, conversation: str) -> str:
    body = say(client, HANDOFF_TEXT, conversation)
    assert body["mode"] == "queued", body
    return conversation
