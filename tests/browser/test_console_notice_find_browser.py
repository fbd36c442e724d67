"""Noticing and finding work in the agent console, in headless Chromium against the running stack: a new chat
changes the page title and raises a browser notification (permission granted to the context), its queue card tells
who and what (name, reason in words, the first real question, the wait against the target); the views count it; the
alerts can be switched off; an agent labels a chat, resolves it and finds it again by search; the console on a
phone (390×844) shows one pane at a time without sideways scrolling.

The module runs against a helpdesk with a database of its own (the stack's Rasa and actions): it counts the queue
and the agent's chats, and under `make test` the earlier files of the same pytest worker leave theirs in the stack."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from support.accounts import AgentLogin
from support.agent import Console, hand_off, say
from support.helpdesks import OwnHelpdesk
from test_agent_console_browser import log_in
from test_widget_browser import Tab, new_tab

pytestmark = pytest.mark.browser

# the page's Notification, recording what it shows (the real one still runs: the browser shows it too)
RECORD_NOTIFICATIONS = """
(() => {
  const Real = window.Notification;
  window.__notifications = [];
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      window.__notifications.push({ title, body: (options || {}).body || "" });
    }
  }
  window.Notification = Recorded;
})();
"""


OWN_HELPDESK = "notice-find"  # this module's own helpdesk (the `own` fixture, tests/conftest.py)


@pytest.fixture(scope="module")
def helpdesk_url(own: OwnHelpdesk) -> str:  # this module's tests (client, consoles, browser) use its own helpdesk
    return own.url


@pytest.fixture(scope="module")
def agent_accounts(own: OwnHelpdesk) -> dict[str, AgentLogin]:
    return own.accounts


def counts(helpdesk_url: str, account: AgentLogin) -> tuple[int, int]:
    """What the helpdesk has for `account`: chats waiting in the queue they see, and their own chats."""
    console = Console(helpdesk_url)
    try:
        assert console.login(account.username, account.password).status_code == 200
        return len(console.get("/queue").json()["conversations"]), len(console.get("/chats").json()["conversations"])
    finally:
        console.close()


@pytest.fixture()
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("console-shots")


def console_tab(chromium: Browser, helpdesk_url: str, width: int, height: int) -> Tab:
    tab = new_tab(chromium, viewport={"width": width, "height": height})
    tab.page.context.grant_permissions(["notifications"], origin=helpdesk_url)
    tab.page.add_init_script(RECORD_NOTIFICATIONS)
    return tab


@pytest.fixture()
def desk_tab(chromium: Browser, helpdesk_url: str) -> Iterator[Tab]:
    tab = console_tab(chromium, helpdesk_url, 1280, 800)
    yield tab
    tab.page.context.close()


def notifications(page: Page) -> list[dict[str, str]]:
    return list(page.evaluate("window.__notifications"))


def test_a_new_chat_changes_the_title_raises_a_notification_and_its_card_says_what_it_is_about(
    desk_tab: Tab, helpdesk_url: str, agent_accounts: dict[str, AgentLogin], client: httpx.Client, shots: Path
) -> None:
    page = desk_tab.page
    log_in(page, helpdesk_url, agent_accounts["ava"])
    base_title = page.title()
    assert not base_title.startswith("(")
    expect(page.locator("#view-all")).to_have_attribute("aria-selected", "true")
    waiting_before, mine_before = counts(helpdesk_url, agent_accounts["ava"])
    expect(page.locator("#view-unassigned-count")).to_have_text(str(waiting_before))  # the queue is loaded

    question = f"My walnut side table order arrived with a cracked top {secrets.token_hex(2)}"
    conversation = hand_off(client, question)
    card = page.locator(f'#queue li[data-id="{conversation}"]')
    expect(card).to_be_visible(timeout=20_000)
    expect(page).to_have_title("(1) " + base_title)
    assert {"title": "New chat", "body": question} in notifications(page)
    expect(card.locator(".reason")).to_have_text("Customer asked for a person")
    expect(card.locator(".preview")).to_have_text(question)  # the question, not "I want to talk to a real person"
    expect(card.locator(".cust-name")).to_have_text("Customer")
    expect(card.locator(".wait")).to_have_class("wait ok")
    expect(page.locator("#view-unassigned-count")).to_have_text(str(waiting_before + 1))
    page.screenshot(path=str(shots / "queue-new-chat-1280.png"))

    # the views: Unassigned shows only the queue, Mine only the agent's chats; the title settles once seen
    page.locator("#view-unassigned").click()
    expect(page.locator("#chats-section")).to_be_hidden()
    card.click()
    expect(page).to_have_title(base_title)
    page.locator("#claim").click()
    expect(page.locator("#reply-form")).to_be_visible()
    expect(page.locator("#view-mine")).to_have_attribute("aria-selected", "true")
    expect(page.locator(f'#chats li[data-id="{conversation}"] .question')).to_have_text(question)
    expect(page.locator("#queue-section")).to_be_hidden()
    expect(page.locator("#view-mine-count")).to_have_text(str(mine_before + 1))

    # switched off: a new chat no longer notifies or counts in the title (kept for this agent in this browser)
    page.locator("#alert-settings summary").click()
    page.locator('#alert-settings input[data-pref="new_chat"]').uncheck()
    page.locator("#alert-settings summary").click()
    seen = len(notifications(page))
    quiet = hand_off(client, f"Do you deliver to the Faroe Islands {secrets.token_hex(2)}?")
    page.locator("#view-all").click()
    expect(page.locator(f'#queue li[data-id="{quiet}"]')).to_be_visible(timeout=20_000)
    page.wait_for_timeout(500)
    assert len(notifications(page)) == seen
    assert page.title() == base_title
    kept = page.evaluate(
        "async () => { const me = await (await fetch('/api/agent/me')).json();"
        " return JSON.parse(localStorage.getItem('larkspur-console.alerts.' + me.agent.id)); }"
    )
    assert kept["new_chat"] is False and kept["reply"] is True

    # a customer's reply in a chat that is not on screen: the title counts it, a notification says it
    page.locator(f'#queue li[data-id="{quiet}"]').click()
    expect(page.locator("#conversation")).to_contain_text("Faroe Islands")
    say(client, "Hello? Is anyone there? The crack is getting worse", conversation)
    expect(page).to_have_title("(1) " + base_title, timeout=20_000)
    assert {"title": "Reply from the customer", "body": "Hello? Is anyone there? The crack is getting worse"} in (
        notifications(page)
    )
    page.locator(f'#chats li[data-id="{conversation}"]').click()
    expect(page).to_have_title(base_title)
    page.locator("#resolve").click()
    expect(page.locator("#conversation")).to_be_hidden()
    assert desk_tab.errors("401", "503") == []


def test_an_agent_labels_a_chat_and_finds_it_again_once_resolved_on_desktop_and_phone(
    chromium: Browser,
    desk_tab: Tab,
    helpdesk_url: str,
    agent_accounts: dict[str, AgentLogin],
    client: httpx.Client,
    shots: Path,
) -> None:
    supervisor = Console(helpdesk_url)
    assert supervisor.login("sue", agent_accounts["sue"].password).status_code == 200
    name = f"Breakage {secrets.token_hex(2)}"
    assert supervisor.post("/labels", {"name": name, "colour": "#b42318"}).status_code == 201
    word = f"oakveneer{secrets.token_hex(3)}"
    conversation = hand_off(client, f"The {word} cabinet door came off its hinge")

    page = desk_tab.page
    log_in(page, helpdesk_url, agent_accounts["ava"])
    page.locator(f'#queue li[data-id="{conversation}"]').click(timeout=20_000)
    page.locator("#claim").click()
    expect(page.locator("#reply-form")).to_be_visible()
    page.locator("#label-add").select_option(label=name)
    expect(page.locator("#conv-labels .label-chip")).to_have_text([name + "×"])
    expect(page.locator(f'#chats li[data-id="{conversation}"] .label-chip')).to_have_text([name], timeout=20_000)
    # the lists filter by label
    page.locator("#label-filter").select_option(label=name)
    expect(page.locator("#chats li")).to_have_count(1)
    page.locator("#label-filter").select_option(value="")
    page.locator("#reply").fill("A new hinge is on its way.")
    page.locator("#reply").press("Enter")
    page.locator("#resolve").click()
    expect(page.locator("#conversation")).to_be_hidden()
    expect(page.locator(f'#chats li[data-id="{conversation}"]')).to_have_count(0)

    page.locator("#search-q").fill(word)
    page.locator("#search-q").press("Enter")
    result = page.locator(f'#search-results li[data-id="{conversation}"]')
    expect(result).to_be_visible(timeout=20_000)
    expect(result.locator(".badge.mode-closed")).to_have_text("resolved")
    expect(result.locator(".label-chip")).to_have_text([name])
    expect(result.locator(".preview")).to_contain_text(word)
    expect(page.locator("#search-csv")).to_be_hidden()  # the CSV is the supervisors'
    page.screenshot(path=str(shots / "search-resolved-1280.png"))
    result.click()
    expect(page.locator("#conv-meta")).to_contain_text(re.compile(r"^resolved · started "))
    expect(page.locator("#reply-form")).to_be_hidden()  # read only
    page.locator("#search-clear").click()
    expect(page.locator("#queue-section")).to_be_visible()

    # on a phone: the lists, then the conversation alone with a way back; nothing wider than the screen
    phone = console_tab(chromium, helpdesk_url, 390, 844)
    try:
        p = phone.page
        log_in(p, helpdesk_url, agent_accounts["sue"])
        assert p.evaluate("document.documentElement.scrollWidth") <= 390
        expect(p.locator(".views")).to_be_in_viewport()
        p.screenshot(path=str(shots / "console-lists-390.png"))
        p.locator("#search-q").fill(word)
        p.locator("#search-q").press("Enter")
        p.locator(f'#search-results li[data-id="{conversation}"]').click(timeout=20_000)
        expect(p.locator("#conversation")).to_be_visible()
        expect(p.locator(".lists")).to_be_hidden()
        expect(p.locator("#conv-labels .label-chip")).to_have_text([name + "×"])
        assert p.evaluate("document.documentElement.scrollWidth") <= 390
        p.screenshot(path=str(shots / "console-conversation-390.png"))
        csv_link = p.locator("#search-csv")
        p.locator("#back-to-lists").click()
        expect(p.locator(".lists")).to_be_visible()
        expect(csv_link).to_be_visible()  # a supervisor's search offers the CSV
        assert phone.errors("401", "503") == []
    finally:
        phone.page.context.close()
        supervisor.close()
