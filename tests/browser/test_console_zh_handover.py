"""A Chinese-speaking supervisor takes a Chinese customer's wrong-item chat, passes it to a colleague who hands it
back to the bot, and follows it up — all in the console in Chinese (the walkthrough of 2026-12-06 saw, on a
Chinese console: "return reason: wrong_item" in what the bot noted, "会话transferred。" after a transfer, the
follow-up "未解决就交还给了机器人 — Bruno Keller handed it back", and the dashboard's "4 个中 0 个转人工" under
"resolved by agents", which reads "of 4, none handed off" beside a 100 % handoff rate; and a colleague chosen to
transfer to was unchosen when the agents list was refilled, so Transfer said "pick an agent"; a follow-up's
transcript said "customer:", "system:"). In headless Chromium
against the running stack, at 1280×800."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from support.accounts import AgentLogin
from support.agent import Console, console_open, hand_off, submit_console_login

pytestmark = pytest.mark.browser


@pytest.fixture()
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def follow_up_of(helpdesk_url: str, staff: AgentLogin, conversation: str) -> int:
    """The id of the open follow-up of ``conversation``, as ``staff`` (a supervisor: every follow-up) reads them."""
    console = Console(helpdesk_url)
    try:
        assert console.login(staff.username, staff.password).status_code == 200
        tasks = console.get("/followups", params={"status": "open"}).json()["follow_ups"]
    finally:
        console.close()
    return next(int(t["id"]) for t in tasks if t["conversation_id"] == conversation)


def test_a_chinese_console_says_in_chinese_what_happened_to_a_handed_over_chat(
    page: Page,
    helpdesk_url: str,
    agent_accounts: dict[str, AgentLogin],
    sue_in_chinese: AgentLogin,
    client: httpx.Client,
) -> None:
    conversation = hand_off(client, "你好 我下单的毛巾颜色发错了 订单100212")
    submit_console_login(page, helpdesk_url, sue_in_chinese.username, sue_in_chinese.password)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.locator(f'#queue li[data-id="{conversation}"]').click()
    page.locator("#claim").click()
    expect(page.locator("#reply-form")).to_be_visible()
    noted = page.locator("#slots")
    expect(noted).to_contain_text("退货原因")
    expect(noted).to_contain_text("发错货")
    assert "wrong_item" not in noted.inner_text() and "reason" not in noted.inner_text()

    ava = agent_accounts["ava"]
    colleague = Console(helpdesk_url)
    try:
        assert colleague.login(ava.username, ava.password).status_code == 200
        with console_open(colleague):  # a chat goes only to a colleague at an open console
            option = page.locator(f"#transfer-to option[value='agent:{colleague.agent['id']}']")
            expect(option).to_be_enabled()
            page.locator("#transfer-to").select_option(value=f"agent:{colleague.agent['id']}")
            # the colleague's status changes while sue is about to click: the list of agents is refilled, her choice
            # stays
            assert colleague.post("/status", {"status": "away"}).status_code == 200
            page.wait_for_timeout(1500)  # the refill comes over the console's socket
            page.locator("#transfer").click()
            expect(page.locator("#empty-note")).to_have_text("会话已转接。")
        assert colleague.post(f"/conversations/{conversation}/handback").status_code == 200
        name = colleague.agent["display_name"]
    finally:
        colleague.close()
    # this conversation's follow-up (other tests on this stack hand chats back as the same colleague)
    follow_up_id = follow_up_of(helpdesk_url, sue_in_chinese, conversation)
    follow_up = page.locator(f'#followups li[data-follow-up="{follow_up_id}"]')
    expect(follow_up).to_contain_text(f"由 {name} 交还")
    assert "handed it back" not in page.locator("#followups").inner_text()
    follow_up.click()  # its transcript: who said what in the console's words
    transcript = page.locator("#followup-transcript")
    expect(transcript).to_contain_text("客户:")
    expect(transcript).to_contain_text("机器人:")
    assert "customer:" not in transcript.inner_text() and "bot:" not in transcript.inner_text()

    page.goto(helpdesk_url + "/agent/followups")
    task = page.locator(f'#tasks li[data-id="{follow_up_id}"]')
    expect(task).to_contain_text(f"由 {name} 交还")
    assert "handed it back" not in page.locator("#tasks").inner_text()
    task.locator("button").first.click()
    expect(page.locator("#task-log")).to_contain_text("客户")
    assert "customer" not in page.locator("#task-log .who").all_inner_texts()

    page.goto(helpdesk_url + "/agent/dashboard")
    expect(page.locator("#kpis")).to_contain_text("个转人工中的")
