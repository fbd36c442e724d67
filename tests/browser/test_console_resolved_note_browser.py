"""What became of the chat an agent just left is said on a phone as on a desktop, in headless Chromium against the
running stack. The walkthrough of 2026-12-06: on a desktop, "Resolve" closes the chat and the placeholder says "The
conversation was resolved."; on a phone (390×844, one pane at a time) the lists came back with no word at all (the
placeholder that says it is hidden there), so the agent could not tell the resolve had worked. Now the note shows
over the lists until the agent taps it or opens a chat. Screenshots: results/tmp/screenshots (not committed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect
from support.accounts import AgentLogin
from support.agent import hand_off
from test_agent_console_browser import log_in
from test_widget_browser import Tab, new_tab

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "results" / "tmp" / "screenshots"  # not committed
RESOLVED = "The conversation was resolved."


@pytest.fixture(params=[(1280, 800), (390, 844)], ids=["desktop", "phone"])
def console_page(request: pytest.FixtureRequest, chromium: Browser) -> Iterator[tuple[Tab, int]]:
    width, height = request.param
    tab = new_tab(chromium, viewport={"width": width, "height": height})
    yield tab, width
    tab.page.context.close()


def test_resolving_a_chat_says_so_on_a_phone_as_on_a_desktop(
    console_page: tuple[Tab, int], helpdesk_url: str, agent_accounts: dict[str, AgentLogin], client: httpx.Client
) -> None:
    tab, width = console_page
    page = tab.page
    conversation = hand_off(client, "The lid of my casserole dish arrived cracked")
    log_in(page, helpdesk_url, agent_accounts["ben"])
    page.locator(f'#queue li[data-id="{conversation}"]').click(timeout=20_000)
    page.locator("#claim").click()
    expect(page.locator("#reply-form")).to_be_visible()
    page.locator("#reply").fill("A new lid is on its way to you.")
    page.locator("#reply").press("Enter")
    expect(page.locator("#transcript li.msg.agent .text").last).to_have_text("A new lid is on its way to you.")
    page.locator("#resolve").click()
    expect(page.locator("#conversation")).to_be_hidden()
    # what the agent sees says it: the placeholder on a desktop, the note over the lists on a phone
    shown = page.locator("#empty-note") if width > 640 else page.locator("#done-note")
    expect(shown).to_be_visible()
    expect(shown).to_have_text(RESOLVED)
    expect(shown).to_be_in_viewport()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"console-resolved-{width}.png"))
    if width <= 640:
        expect(page.locator(".lists")).to_be_visible()  # the lists are back, the note over them
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.locator("#done-note").click()  # tapped away
        expect(page.locator("#done-note")).to_be_hidden()
    else:
        expect(page.locator("#done-note")).to_be_hidden()  # said once, in the placeholder
    assert tab.errors("401") == []
