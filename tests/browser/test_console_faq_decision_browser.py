"""What the bot did with each customer turn's FAQ candidates, in words and in the staff member's language (headless
Chromium against the running stack, 1366×900). The walkthrough of 2026-12-07 saw the engine's own word for its
decision in a turn's heading: "常见问题候选（answer）" on a Chinese console (and "FAQ candidates (answer)" /
"(suggest)" on an English one): English in a Chinese screen, and a word the agent has to guess the meaning of (it is
the handbook search's verdict on the turn, not what the bot did: a request for a person read "(answer)" too)."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect
from support.accounts import AgentLogin
from support.agent import say, submit_console_login

pytestmark = pytest.mark.browser


def headings(page: Page) -> list[str]:
    return page.locator("#transcript .msg.customer details.ctx th").all_text_contents()


def test_a_turns_faq_heading_says_what_the_bot_did_in_the_staff_language(
    page: Page,
    helpdesk_url: str,
    agent_accounts: dict[str, AgentLogin],
    sue_in_chinese: AgentLogin,
    client: httpx.Client,
) -> None:
    conversation = say(client, "退货政策是什么？")["conversation_id"]  # answered from the handbook
    assert say(client, "我要找人工客服", conversation)["mode"] == "queued"

    submit_console_login(page, helpdesk_url, sue_in_chinese.username, sue_in_chinese.password)
    expect(page.locator("#conn")).to_have_class(re.compile(r"\blive\b"))
    page.locator(f'#queue li[data-id="{conversation}"]').click()
    expect(page.locator("#transcript .msg.customer details.ctx")).to_have_count(2)
    faq = [h for h in headings(page) if h.startswith("常见问题候选")]
    assert len(faq) == 2, headings(page)
    assert not any(re.search(r"[A-Za-z]", h) for h in faq), faq
    assert faq[0] == "常见问题候选（第一条有把握回答）", faq

    page.locator('select[id="console-language"]').select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.reload()
    page.locator(f'#queue li[data-id="{conversation}"]').click()
    expect(page.locator("#transcript .msg.customer details.ctx")).to_have_count(2)
    assert "FAQ candidates (the first sure enough to answer)" in headings(page), headings(page)
