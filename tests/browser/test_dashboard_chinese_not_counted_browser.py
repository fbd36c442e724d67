"""The dashboard's "Contained by the bot" figure in a Chinese supervisor's dashboard says in Chinese which
conversations it does not count yet (headless Chromium against the running stack, 390×844 as in the walkthrough). The
walkthrough of 2026-12-07 read "2 个已结束中的 0 个（尚未计入：6 in progress, 4 awaiting 24 h）": each part had its
Chinese, but not the two joined by a comma."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from support.accounts import AgentLogin
from support.agent import say, submit_console_login

pytestmark = pytest.mark.browser


@pytest.fixture()
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_the_conversations_not_counted_yet_are_named_in_chinese(
    page: Page, helpdesk_url: str, sue_in_chinese: AgentLogin, client: httpx.Client
) -> None:
    # one conversation still going with the bot, one that ended after a handbook answer (awaiting the 24 h window)
    say(client, "你好")
    answered = say(client, "退货政策是什么？")["conversation_id"]
    say(client, "好的，谢谢，再见", answered)

    submit_console_login(page, helpdesk_url, sue_in_chinese.username, sue_in_chinese.password)
    expect(page.locator("#app")).to_be_visible()
    page.goto(helpdesk_url + "/agent/dashboard")
    contained = page.locator('#kpis .kpi[data-figure="contained"] .sub')
    expect(contained).to_contain_text("尚未计入", timeout=20_000)
    expect(contained).to_contain_text(re.compile(r"\d+ 个进行中"))
    expect(contained).to_contain_text(re.compile(r"\d+ 个在 24 小时观察期内"))
    assert not re.search(r"[A-Za-z]", contained.inner_text()), contained.inner_text()
