"""The handbook workbench's header links to the corrections review (agents' "the bot got this wrong") for the roles
that review them, as the other staff pages' headers do, in headless Chromium against the real stack: an editor in
English and one in Chinese follow it to the review list; an agent, who may not review, gets no link."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import Console
from test_handbook_browser import open_handbook

from helpdesk.stack import Stack

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chinese_editor(stack: Stack) -> Iterator[AgentLogin]:
    """An editor whose console is in Chinese (her own account, so other tests' staff stay English)."""
    account = add_agent_accounts(stack.env["DATABASE_URL"], (("ling", "editor", None, 1),))["ling"]
    console = Console(stack.url)
    assert console.login(account.username, account.password).status_code == 200
    assert console.put("/me/language", {"language": "zh"}).status_code == 200
    yield account
    console.close()


@pytest.fixture()
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    yield opened
    context.close()


@pytest.mark.parametrize(("who", "words"), [("editor", "Corrections to review"), ("chinese", "待复核的纠错")])
def test_an_editor_goes_from_the_handbook_to_the_corrections_review(
    page: Page, helpdesk_url: str, editor_account: AgentLogin, chinese_editor: AgentLogin, who: str, words: str
) -> None:
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
    page: Page, helpdesk_url: str, agent_accounts: dict[str, AgentLogin]
) -> None:
    open_handbook(page, helpdesk_url, agent_accounts["ava"])
    expect(page.locator("#workbench")).to_be_visible()
    expect(page.locator("#console-link")).to_be_visible()  # the header is drawn for her
    expect(page.locator("#corrections-link")).to_be_hidden()
