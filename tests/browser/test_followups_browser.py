"""Follow-up triage in headless Chromium against the running stack (desktop and phone): a supervisor sees what
each customer wanted, the groups of identical reasons, opens a task whose transcript shows the agent's note, and
closes two tasks at once. Screenshots in SCREENSHOT_DIR."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect
from support.accounts import AgentLogin
from support.agent import Console
from support.followups import handed_back
from test_agent_console_browser import log_in
from test_widget_browser import new_tab

pytestmark = pytest.mark.browser
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", list(SIZES))
def test_a_supervisor_triages_follow_ups(
    chromium: Browser,
    helpdesk_url: str,
    agent_accounts: dict[str, AgentLogin],
    login: Callable[[str], Console],
    db: sqlite3.Connection,
    size: str,
    tmp_path: Path,
) -> None:
    ava = login("ava")
    with httpx.Client(base_url=helpdesk_url, timeout=60) as client:
        first = handed_back(ava, client, f"my rug faded after one wash ({size})", note="Offered a replacement")
        second = handed_back(ava, client, f"the courier left my parcel in the rain ({size})")
    ids = [
        db.execute("SELECT id FROM follow_ups WHERE conversation_id = ?", (c,)).fetchone()[0] for c in (first, second)
    ]
    tab = new_tab(chromium, viewport=SIZES[size])
    try:
        page = tab.page
        log_in(page, helpdesk_url, agent_accounts["sue"])
        page.goto(helpdesk_url + "/agent/followups")
        expect(page.locator("body[data-loaded='1']")).to_be_attached()
        task = page.locator(f"#tasks li[data-id='{ids[0]}']")
        expect(task.locator(".preview")).to_have_text(f"“my rug faded after one wash ({size})”")
        expect(task.locator(".head")).to_contain_text("Handed back to the bot without a resolution")
        expect(page.locator("#groups li").first).to_contain_text("×")
        task.locator("button").click()
        expect(page.locator("#task-log li.note")).to_contain_text("Offered a replacement")
        for task_id in ids:
            page.locator(f"#tasks li[data-id='{task_id}'] input[type=checkbox]").check()
        expect(page.locator("#chosen")).to_have_text("2 chosen")
        folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"followups-{size}.png"), full_page=True)
        page.locator("#do-close").click()
        expect(page.locator("#flash")).to_have_text("2 tasks closed.")
        expect(page.locator(f"#tasks li[data-id='{ids[0]}']")).to_have_count(0)  # the open list no longer has them
        statuses = db.execute(f"SELECT status FROM follow_ups WHERE id IN ({ids[0]}, {ids[1]})").fetchall()
        assert [r[0] for r in statuses] == ["done", "done"]
        assert tab.errors("401") == []
    finally:
        tab.page.context.close()
