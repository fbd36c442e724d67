"""The agent console's frame, in headless Chromium against the real stack, on a desktop (1280x800) and a phone
(390x844). As a supervisor sees it right after logging in: the header's name on one line (at 1280 px it wrapped onto
four lines beside a supervisor's links) with nothing past the window's edge, and the team list showing the
supervisor's own console open (it said "console closed" until the next refresh: the list was loaded before the
console's socket connected). On a phone: a conversation opens at its newest messages with the reply box in sight.
Walkthrough of 2026-12-06 (lane ux's notes; an agent with three escalated chats). Screenshots go to $SCREENSHOT_DIR
(or the test's folder)."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Route, WebSocketRoute, expect
from support.accounts import AgentLogin
from support.agent import Console, hand_off, receive_until, say, submit_console_login, ws_url
from test_agent_console_browser import log_in
from test_desk_cards_browser import shot
from test_widget_browser import SIZES, Tab, sized_tab
from websockets.sync.client import connect

pytestmark = pytest.mark.browser


def close_chat(helpdesk_url: str, account: AgentLogin, conversation: str) -> None:
    """Tidy: the test's chat resolved, so nobody waits and no agent holds it after the test."""
    console = Console(helpdesk_url)
    assert console.login(account.username, account.password).status_code == 200
    console.post(f"/conversations/{conversation}/claim")  # still queued if the test stopped before claiming it
    assert console.post(f"/conversations/{conversation}/resolve").status_code == 200
    console.close()


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


def test_a_conversation_opened_on_a_phone_shows_its_newest_messages_above_the_reply_box(
    chromium: Browser, helpdesk_url: str, agent_accounts: dict[str, AgentLogin], client: httpx.Client, tmp_path: Path
) -> None:
    """An agent on a phone with a few chats: opening one showed its oldest messages, with the reply box below the
    screen (shortcuts.css's `position: relative` undid the sticky reply box) and its canned-reply and attachment
    buttons squeezed onto three lines each; back at the lists, the page stayed where the conversation was scrolled.
    Now the newest customer line is in sight above the reply box, its tools on one row, and "← Chats" returns to the
    lists where the agent left them (as chat apps do). The sticky head above took 197 of the 844 px (its id wrapping,
    its actions on two rows): now two short rows."""
    tag = secrets.token_hex(2)
    latest = f"hello?? anyone there {tag}"
    conversation = hand_off(client, "hi my sofa cushion cover ripped after a week, can i get a new one?")
    say(client, "also the second cushion has a loose seam", conversation)
    say(client, latest, conversation)
    tab = sized_tab(chromium, "phone")
    page = tab.page
    try:
        log_in(page, helpdesk_url, agent_accounts["ava"])
        card = page.locator(f'#queue li[data-id="{conversation}"]')
        card.click()
        page.locator("#claim").click()
        expect(page.locator("#claim")).to_be_hidden()  # the claim's view is back (a late one reopened the chat)
        expect(page.locator("#reply")).to_be_visible()
        page.locator("#back-to-lists").click()
        mine = page.locator(f'#chats li[data-id="{conversation}"]')
        mine.hover()  # scrolled into sight (the list re-renders as chats change: hover waits for it)
        listed_at = page.evaluate("scrollY")
        mine.click()
        expect(page.locator("#transcript")).to_contain_text(latest)
        page.wait_for_timeout(500)  # the turn's context under each line arrives after the transcript
        folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path) / "console-frame"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / "phone-conversation-opened.png"))  # the screen: full_page moves sticky boxes
        height = SIZES["phone"]["height"]
        reply = page.locator("#reply-form").bounding_box()
        assert reply is not None and reply["y"] >= 0 and reply["y"] + reply["height"] <= height + 1, reply
        newest = page.locator("#transcript").get_by_text(latest, exact=True).bounding_box()
        head = page.locator(".conv-head").bounding_box()  # sticky at the top
        assert head is not None and newest is not None and newest["y"] >= head["y"] + head["height"] - 1, (head, newest)
        # the sticky head in two short rows (it took 197 px: the id wrapped, the actions on two rows), every action
        # whole and on the screen
        assert head["height"] <= 110, head
        acts = [page.locator(s).bounding_box() for s in ("#transfer-to", "#transfer", "#handback", "#resolve")]
        assert all(b is not None and b["x"] >= 0 and b["x"] + b["width"] <= SIZES["phone"]["width"] for b in acts), acts
        assert len({round(b["y"] / 10) for b in acts if b is not None}) == 1, acts  # on one row
        for button in ("#transfer", "#handback", "#resolve"):  # no label cut: each button as wide as its words
            assert page.eval_on_selector(button, "b => b.scrollWidth <= b.clientWidth"), button
        assert newest["y"] + newest["height"] <= reply["y"] + 1, newest
        buttons = ("#canned", "#edit-canned", "#reply-form .tools button >> nth=-1")
        tools = [page.locator(selector).bounding_box() for selector in buttons]
        assert all(b is not None and b["height"] < 36 for b in tools), tools  # one line each
        assert len({round(b["y"] / 10) for b in tools if b is not None}) == 1, tools  # on one row
        page.locator("#back-to-lists").click()
        expect(mine).to_be_visible()
        assert abs(page.evaluate("scrollY") - listed_at) < 2, (page.evaluate("scrollY"), listed_at)
    finally:
        page.context.close()
        close_chat(helpdesk_url, agent_accounts["ava"], conversation)


def test_the_team_list_follows_an_agent_opening_and_closing_their_console(
    chromium: Browser, helpdesk_url: str, agent_accounts: dict[str, AgentLogin], tmp_path: Path
) -> None:
    """Sue supervises: Ben (Online) opens his console, then closes it. Her team list said "console closed" for Ben
    at his console (or the opposite after he left) until she reloaded; now it follows, as Chatwoot's agent list."""
    ben = Console(helpdesk_url)
    assert ben.login("ben", agent_accounts["ben"].password).status_code == 200
    assert ben.post("/status", {"status": "online"}).status_code == 200
    tab = sized_tab(chromium, "desktop")
    page = tab.page
    try:
        log_in(page, helpdesk_url, agent_accounts["sue"])
        member = page.locator('#team li[data-agent="ben"]')
        expect(member).to_contain_text("console closed")
        with connect(
            ws_url(helpdesk_url, "/api/agent/ws?after=0"),
            additional_headers={"Cookie": f"helpdesk_agent={ben.session_cookie}"},
        ) as ben_console:
            receive_until(ben_console, lambda e: e["type"] == "ready")
            expect(member).not_to_contain_text("console closed", timeout=10_000)
            shot(page, tmp_path, "team-follows-ben-open")
        expect(member).to_contain_text("console closed", timeout=10_000)
    finally:
        page.context.close()
        ben.close()


def test_of_two_chats_clicked_quickly_the_last_one_stays_open(
    chromium: Browser, helpdesk_url: str, agent_accounts: dict[str, AgentLogin], client: httpx.Client
) -> None:
    """An agent with several chats clicks one, then another before the first has loaded (a slow network): the first
    one's late answer replaced the one clicked last. Now a conversation fetched after the agent moved on is dropped
    (the same race reopened a chat the agent had just left with "← Chats" on a phone)."""
    tag = secrets.token_hex(2)
    first = hand_off(client, f"my lamp shade is dented {tag}")
    second = hand_off(client, f"the rug colour is not what i ordered {tag}")
    tab = sized_tab(chromium, "desktop")
    page = tab.page
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    try:
        log_in(page, helpdesk_url, agent_accounts["sue"])
        page.route(f"**/api/agent/conversations/{first}", hold)  # the first chat's answer waits for the test
        page.locator(f'#queue li[data-id="{first}"]').click()
        page.wait_for_timeout(300)
        assert len(held) == 1
        page.locator(f'#queue li[data-id="{second}"]').click()
        expect(page.locator("#transcript")).to_contain_text(f"the rug colour is not what i ordered {tag}")
        held[0].continue_()  # the first chat's answer arrives now, late
        page.wait_for_timeout(1500)
        expect(page.locator("#transcript")).to_contain_text(f"the rug colour is not what i ordered {tag}")
        expect(page.locator("#transcript")).not_to_contain_text(f"my lamp shade is dented {tag}")
    finally:
        page.context.close()
        for conversation in (first, second):
            close_chat(helpdesk_url, agent_accounts["sue"], conversation)
