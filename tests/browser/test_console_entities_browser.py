"""What the bot found in a Chinese customer's words, as the agent reads it in the console (headless Chromium against the
running stack, 1366×900): the order number and the e-mail address, once each, and not the language the NLU read each
turn in. The walkthrough of 2026-12-07 saw "language: zh" under every customer turn and, in the panel's Entities,
"language: zh" and "language: en" (the turn that was only an e-mail address) for a customer who wrote Chinese
throughout: read as the customer switching to English, beside the handoff facts' "Language 中文 (Chinese)"."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect
from support.accounts import AgentLogin
from support.agent import say
from test_agent_console_browser import log_in

pytestmark = pytest.mark.browser


def test_a_chinese_customers_entities_are_what_they_wrote_not_the_language_of_each_turn(
    page: Page, helpdesk_url: str, agent_accounts: dict[str, AgentLogin], client: httpx.Client
) -> None:
    conversation = say(client, "我的订单100234到哪了？")["conversation_id"]
    say(client, "ann.lee@example.com", conversation)  # a turn in Latin letters only
    assert say(client, "我要找人工客服", conversation)["mode"] == "queued"

    log_in(page, helpdesk_url, agent_accounts["ava"])
    page.locator(f'#queue li[data-id="{conversation}"]').click()
    page.locator("#claim").click()
    expect(page.locator("#reply-form")).to_be_visible()
    expect(page.locator("#handoff")).to_contain_text("中文 (Chinese)")

    entities = page.locator("#entities li")
    expect(entities).to_have_text(["order_id: 100234", "email: ann.lee@example.com"])

    # each customer turn's table (the latest one open): its entity rows name what the turn carried
    expect(page.locator("#transcript .msg.customer details.ctx")).to_have_count(3)
    names = page.locator("#transcript .msg.customer details.ctx td.name").all_text_contents()
    assert "order_id" in names and "email" in names, names
    assert "language" not in names, names
