"""An agent clicks Claim on a waiting chat just as the auto-assigner gives that chat to them (the walkthrough of
2026-12-06: alice came online, the queued chat was hers a moment later, her click got "this conversation is not
waiting in the queue (someone may have claimed it)" in red over her own chat). The console shows the chat as
claimed, reply box open, no error; a chat a colleague took is closed saying it is not theirs. In headless Chromium
against the running stack (auto-assign is off in the test stack: the assigner's move is made here, with the same
agent's API session, while the browser's claim is on its way)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect
from support.accounts import AgentLogin
from support.agent import Console, hand_off, submit_console_login

pytestmark = pytest.mark.browser


@pytest.fixture()
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def open_queued(page: Page, helpdesk_url: str, login: AgentLogin, conversation: str) -> None:
    submit_console_login(page, helpdesk_url, login.username, login.password)
    expect(page.locator("#app")).to_be_visible()
    page.locator(f'#queue li[data-id="{conversation}"]').click()
    expect(page.locator("#claim")).to_be_visible()


def claimed_meanwhile_by(page: Page, console: Console, conversation: str) -> None:
    """The browser's claim waits until `console`'s agent has the chat (as the auto-assigner would give it)."""

    def first_them(route: Route) -> None:
        assert console.post(f"/conversations/{conversation}/claim").status_code == 200
        route.continue_()

    page.route(f"**/conversations/{conversation}/claim", first_them)


def test_claiming_a_chat_just_given_to_you_shows_it_as_yours(
    page: Page, helpdesk_url: str, agent_accounts: dict[str, AgentLogin], client: httpx.Client
) -> None:
    ava = agent_accounts["ava"]
    conversation = hand_off(client, "I need a person about my order please")
    open_queued(page, helpdesk_url, ava, conversation)
    same_agent = Console(helpdesk_url)
    try:
        assert same_agent.login(ava.username, ava.password).status_code == 200
        claimed_meanwhile_by(page, same_agent, conversation)
        page.locator("#claim").click()
        expect(page.locator("#reply-form")).to_be_visible()
        expect(page.locator(f'#chats li[data-id="{conversation}"]')).to_be_visible()
        expect(page.locator("#claim")).to_be_hidden()
        expect(page.locator("#action-error")).to_have_text("")
        assert same_agent.post(f"/conversations/{conversation}/resolve").status_code == 200  # tidy
    finally:
        same_agent.close()


def test_a_chat_a_colleague_took_meanwhile_still_says_so(
    page: Page, helpdesk_url: str, agent_accounts: dict[str, AgentLogin], client: httpx.Client
) -> None:
    conversation = hand_off(client, "can someone help me with a refund")
    open_queued(page, helpdesk_url, agent_accounts["ava"], conversation)
    colleague = Console(helpdesk_url)
    try:
        assert colleague.login(agent_accounts["sue"].username, agent_accounts["sue"].password).status_code == 200
        claimed_meanwhile_by(page, colleague, conversation)
        page.locator("#claim").click()
        expect(page.locator("#reply-form")).to_be_hidden()  # not ava's: the chat closes, saying why
        expect(page.locator("#empty-note")).to_contain_text("not assigned to you")
        assert colleague.post(f"/conversations/{conversation}/resolve").status_code == 200  # tidy
    finally:
        colleague.close()
