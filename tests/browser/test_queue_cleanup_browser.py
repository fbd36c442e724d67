"""The console's queue under a flood (issue 15, finding 6), in headless Chromium: chats where the customer only
pressed "Talk to a person" are marked "no text", wait behind the customer who wrote, and a supervisor closes them
with one button; an agent has no such button; the session ending closes the console (4401 → the login form).

The module runs against a helpdesk with a database of its own (the stack's Rasa and actions): the button counts
every button-only chat in the queue, and under `make test` the earlier files of the same pytest worker leave theirs
in the stack's queue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect
from support.accounts import AgentLogin
from support.agent import Console, hand_off, say
from support.helpdesks import OwnHelpdesk
from test_agent_console_browser import log_in
from test_widget_browser import Tab, new_tab

pytestmark = pytest.mark.browser


OWN_HELPDESK = "queue-cleanup"  # this module's own helpdesk (the `own` fixture, tests/conftest.py)


@pytest.fixture(scope="module")
def helpdesk_url(own: OwnHelpdesk) -> str:  # this module's tests (client, consoles, browser) use its own helpdesk
    return own.url


@pytest.fixture(scope="module")
def agent_accounts(own: OwnHelpdesk) -> dict[str, AgentLogin]:
    return own.accounts


def button_only_chats(helpdesk_url: str, supervisor: AgentLogin) -> set[str]:
    """The queued chats without a word from the customer, as the helpdesk counts them."""
    console = Console(helpdesk_url)
    try:
        assert console.login(supervisor.username, supervisor.password).status_code == 200
        queue = console.get("/queue").json()["conversations"]
        return {q["conversation_id"] for q in queue if q["customer_wrote"] is False}
    finally:
        console.close()


@pytest.fixture()
def desk(chromium: Browser) -> Iterator[Tab]:
    tab = new_tab(chromium, viewport={"width": 1280, "height": 800})
    yield tab
    tab.page.context.close()


def test_a_supervisor_closes_the_button_only_chats_in_one_go(
    desk: Tab, helpdesk_url: str, client: httpx.Client, agent_accounts: dict[str, AgentLogin], tmp_path: Path
) -> None:
    flood = [say(client, "/request_human")["conversation_id"] for _ in range(4)]
    real = hand_off(client, "the legs of my new table are wobbly")
    junk = button_only_chats(helpdesk_url, agent_accounts["sue"])  # the flood, and any other test here left
    assert set(flood) <= junk and real not in junk
    page = desk.page
    log_in(page, helpdesk_url, agent_accounts["sue"])
    for conversation in flood:
        expect(page.locator(f'#queue li[data-id="{conversation}"]')).to_contain_text("no text")
    ids = page.locator("#queue li").evaluate_all("items => items.map(li => li.dataset.id)")
    assert ids.index(real) < min(ids.index(c) for c in flood)  # the customer who wrote comes first
    button = page.locator("#queue-close-junk")
    expect(button).to_be_visible()
    expect(button).to_contain_text("without customer text")
    page.screenshot(path=str(tmp_path / "queue-flood.png"))
    button.click()  # the first click asks to click again (no native dialog)
    expect(button).to_contain_text(f"Click again to close {len(junk)} chats")
    with page.expect_response(lambda r: r.url.endswith("/api/agent/queue/close"), timeout=60_000) as closing:
        button.click()
    assert closing.value.status == 200, closing.value.text()
    assert set(closing.value.json()["closed"]) == junk
    for conversation in flood:
        expect(page.locator(f'#queue li[data-id="{conversation}"]')).to_have_count(0, timeout=20_000)
    expect(page.locator(f'#queue li[data-id="{real}"]')).to_be_visible()
    expect(button).to_be_hidden()
    assert desk.dialogs == []


def test_an_agent_has_no_bulk_close_button(
    desk: Tab, helpdesk_url: str, client: httpx.Client, agent_accounts: dict[str, AgentLogin]
) -> None:
    junk = say(client, "/request_human")["conversation_id"]
    page = desk.page
    log_in(page, helpdesk_url, agent_accounts["ava"])
    expect(page.locator(f'#queue li[data-id="{junk}"]')).to_contain_text("no text")
    expect(page.locator("#queue-close-junk")).to_be_hidden()


def test_the_console_shows_its_login_when_the_session_ends_elsewhere(
    desk: Tab, helpdesk_url: str, agent_accounts: dict[str, AgentLogin]
) -> None:
    page = desk.page
    log_in(page, helpdesk_url, agent_accounts["ben"])
    # the same session logged out from another tab (the cookie is shared): the socket closes with 4401
    cookies = {c["name"]: c["value"] for c in page.context.cookies() if c["name"] == "helpdesk_agent"}
    csrf = page.evaluate("fetch('/api/agent/me').then(r => r.json()).then(d => d.csrf_token)")
    with httpx.Client(base_url=helpdesk_url, cookies=cookies) as other_tab:
        assert other_tab.post("/api/agent/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    expect(page.locator("#login-view")).to_be_visible(timeout=10_000)
