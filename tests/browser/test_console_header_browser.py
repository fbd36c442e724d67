"""The agent console's frame as a supervisor sees it right after logging in, in headless Chromium against the real
stack, on a desktop (1280x800) and a phone (390x844): the header's name on one line (at 1280 px it wrapped onto four
lines beside a supervisor's links) with nothing past the window's edge, and the team list showing the supervisor's
own console open (it said "console closed" until the next refresh: the list was loaded before the console's socket
connected). Walkthrough of 2026-12-06 (lane ux's notes). Screenshots go to $SCREENSHOT_DIR (or the test's folder)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, WebSocketRoute, expect
from support.accounts import AgentLogin
from support.agent import submit_console_login
from test_agent_console_browser import log_in
from test_desk_cards_browser import shot
from test_widget_browser import SIZES, Tab, sized_tab

pytestmark = pytest.mark.browser


@pytest.fixture(params=sorted(SIZES))
def sized(request: pytest.FixtureRequest, chromium: Browser) -> Iterator[tuple[str, Tab]]:
    opened = sized_tab(chromium, str(request.param))
    yield str(request.param), opened
    opened.page.context.close()


def test_the_console_header_keeps_its_name_on_one_line_and_within_the_window(
    sized: tuple[str, Tab], helpdesk_url: str, agent_accounts: dict[str, AgentLogin], tmp_path: Path
) -> None:
    size, tab = sized
    page = tab.page
    log_in(page, helpdesk_url, agent_accounts["sue"])  # a supervisor: every link of the header is shown
    expect(page.locator("#dashboard-link")).to_be_visible()
    shot(page, tmp_path, f"console-header-{size}")
    brand = page.locator("header.top .brand")
    line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('header.top .brand')).lineHeight) || 20")
    box = brand.bounding_box()
    assert box is not None and box["height"] < 1.5 * line, (size, box, line)  # one line, not "Larkspur / Home / …"
    width = SIZES[size]["width"]
    outside = page.evaluate(
        """(width) => [...document.querySelectorAll('header.top > *')]
            .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().right > width + 0.5)
            .map((e) => e.id || e.className || e.tagName)""",
        width,
    )
    assert outside == [], (size, outside)
    if size == "desktop":  # the links, status and switches beside the name, on one row
        header = page.locator("header.top").bounding_box()
        assert header is not None and header["height"] < 3 * line, header
    me = page.locator("#me")
    if me.is_visible():
        assert me.get_attribute("title") == "Sue Tester · supervisor"  # in full when cut with "…"


def test_the_team_list_shows_the_supervisors_own_console_open_right_after_login(
    sized: tuple[str, Tab], helpdesk_url: str, agent_accounts: dict[str, AgentLogin], tmp_path: Path
) -> None:
    size, tab = sized
    page = tab.page
    held: list[WebSocketRoute] = []

    def hold(socket: WebSocketRoute) -> None:
        held.append(socket)

    page.route_web_socket(re.compile(r"/api/agent/ws"), hold)  # the console's socket waits for the test
    sue = agent_accounts["sue"]
    with page.expect_response(lambda r: "/api/agent/agents" in r.url) as listed:
        submit_console_login(page, helpdesk_url, sue.username, sue.password)
    assert listed.value.ok  # the team list was read before the console's socket connected (as on a slow network)
    expect(page.locator('#team li[data-agent="sue"]')).to_contain_text("console closed")  # true then
    held[0].connect_to_server()
    expect(page.locator("#conn")).to_have_text("live")
    own = page.locator('#team li[data-agent="sue"]')
    expect(own).not_to_contain_text("console closed", timeout=10_000)
    expect(page.locator("#team-count")).not_to_have_text("0")
    shot(page, tmp_path, f"team-after-login-{size}")
