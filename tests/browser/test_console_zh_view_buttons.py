"""A Chinese supervisor's buttons that open a follow-up task or a conversation say so (the staff walkthrough of
2026-12-07: every task on the follow-ups page and every conversation in the dashboard's list had a button "待处理",
"pending", the catalog's word for a follow-up's status "Open", beside a status that said 待处理 too: nothing on the
page said the button opens the task). In headless Chromium against the running stack, at 1280×800."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect
from support.accounts import AgentLogin
from support.agent import Console, hand_off, submit_console_login
from test_console_zh_handover import follow_up_of, page  # noqa: F401 (its 1280×800 page fixture)

pytestmark = pytest.mark.browser


def test_the_buttons_that_open_a_task_or_a_conversation_say_view_in_chinese(
    page: Page,  # noqa: F811
    helpdesk_url: str,
    agent_accounts: dict[str, AgentLogin],
    sue_in_chinese: AgentLogin,  # tests/browser/conftest.py
    client: httpx.Client,
) -> None:
    conversation = hand_off(client, "我想问一下桌布可以机洗吗")
    colleague = Console(helpdesk_url)
    try:
        assert colleague.login("ava", agent_accounts["ava"].password).status_code == 200
        assert colleague.post(f"/conversations/{conversation}/claim").status_code == 200
        assert colleague.post(f"/conversations/{conversation}/handback").status_code == 200  # a follow-up task
    finally:
        colleague.close()
    follow_up_id = follow_up_of(helpdesk_url, sue_in_chinese, conversation)

    submit_console_login(page, helpdesk_url, sue_in_chinese.username, sue_in_chinese.password)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.goto(helpdesk_url + "/agent/followups")
    task = page.locator(f'#tasks li[data-id="{follow_up_id}"]')
    expect(task.locator("button")).to_have_text("查看")
    assert "待处理" not in page.locator("#tasks button").all_inner_texts()
    task.locator("button").click()
    expect(page.locator("#task-log")).to_contain_text("桌布可以机洗吗")

    page.goto(helpdesk_url + "/agent/dashboard")
    expect(page.locator("body[data-loaded='1']")).to_be_attached()
    page.locator("#kpis button.kpi[data-figure='all']").first.click()
    row = page.locator(f"#drill-list li[data-conversation='{conversation}']")
    expect(row.locator("button.watch")).to_have_text("查看")
    assert "待处理" not in page.locator("#drill-list button").all_inner_texts()
    row.locator("button.watch").click()
    expect(page.locator("#watch-log")).to_contain_text("桌布可以机洗吗")
