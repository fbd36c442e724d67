"""The handbook workbench's header links to the corrections review (agents' "the bot got this wrong") for the roles
that review them, as the other staff pages' headers do, in headless Chromium against the real stack: an editor in
English and one in Chinese follow it to the review list; an agent, who may not review, gets no link."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from support.accounts import AgentLogin
from test_handbook_browser import open_handbook
from test_widget_browser import Tab

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("who", "words"), [("editor", "Corrections to review"), ("chinese", "待复核的纠错")])
def test_an_editor_goes_from_the_handbook_to_the_corrections_review(
    tab: Tab, helpdesk_url: str, editor_account: AgentLogin, chinese_editor: AgentLogin, who: str, words: str
) -> None:
    page = tab.page
    open_handbook(page, helpdesk_url, editor_account if who == "editor" else chinese_editor)
    expect(page.locator("#workbench")).to_be_visible()
    link = page.locator("header.top #corrections-link")
    expect(link).to_be_visible()
    expect(link).to_have_text(words)
    link.click()
    page.wait_for_url("**/agent/corrections")
    expect(page.locator("#count-pending")).to_be_visible()
    expect(page.locator("#forbidden")).to_be_hidden()


def test_an_agent_has_no_corrections_link_in_the_handbook(
    tab: Tab, helpdesk_url: str, agent_accounts: dict[str, AgentLogin]
) -> None:
    page = tab.page
    open_handbook(page, helpdesk_url, agent_accounts["ava"])
    expect(page.locator("#workbench")).to_be_visible()
    expect(page.locator("#console-link")).to_be_visible()  # the header is drawn for her
    expect(page.locator("#corrections-link")).to_be_hidden()
