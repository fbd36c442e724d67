"""What agents, supervisors and editors read at a glance, in headless Chromium against the real stack, on a desktop
(1280x800) and a phone (390x844): a queue card quotes the customer's latest line (as Chatwoot's and Intercom's inboxes
do), renewed live when a waiting customer writes again, with their first question above it; the dashboard's "Agents
online" leaves out an agent who set Away or closed the console (listed apart), the same figure as the console's team
count; the unanswered report's empty period is a sentence, not a numbered item "1.". Walkthroughs of 2026-12-06 and
2026-12-07. Screenshots go to $SCREENSHOT_DIR (or the test's folder)."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from support.accounts import AgentLogin
from support.agent import Console, console_open, hand_off, say, submit_console_login
from test_agent_console_browser import log_in
from test_widget_browser import Tab

pytestmark = pytest.mark.browser


def shot(page: Page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path) / "desk-cards"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def close_waiting(helpdesk_url: str, account: AgentLogin, conversation: str) -> None:
    """Tidy: the test's queued chat claimed and resolved, so nobody waits after it."""
    console = Console(helpdesk_url)
    assert console.login(account.username, account.password).status_code == 200
    assert console.post(f"/conversations/{conversation}/claim").status_code == 200
    assert console.post(f"/conversations/{conversation}/resolve").status_code == 200
    console.close()


def test_a_queue_card_quotes_the_customers_latest_line_live(
    sized: tuple[str, Tab],
    helpdesk_url: str,
    agent_accounts: dict[str, AgentLogin],
    client: httpx.Client,
    tmp_path: Path,
) -> None:
    size, tab = sized
    page = tab.page
    log_in(page, helpdesk_url, agent_accounts["sue"])
    tag = secrets.token_hex(2)
    question = f"The oak bench I ordered has a wobbly leg {tag}"
    conversation = hand_off(client, question)
    card = page.locator(f'#queue li[data-id="{conversation}"]')
    expect(card).to_be_visible(timeout=20_000)
    expect(card.locator(".preview")).to_have_text([question])  # not "I want to talk to a real person"

    later = f"also the second bench arrived scratched {tag}"
    say(client, later, conversation)  # the customer writes again while waiting
    expect(card.locator(".preview.latest")).to_have_text(later, timeout=10_000)
    expect(card.locator(".preview.first")).to_have_text(question)
    shot(page, tmp_path, f"queue-card-latest-{size}")

    close_waiting(helpdesk_url, agent_accounts["sue"], conversation)
    assert tab.errors("401") == []  # the console asks /api/agent/me before logging in


def test_agents_online_leaves_out_an_agent_who_set_away(
    sized: tuple[str, Tab], helpdesk_url: str, agent_accounts: dict[str, AgentLogin], tmp_path: Path
) -> None:
    size, tab = sized
    ben = Console(helpdesk_url)
    assert ben.login("ben", agent_accounts["ben"].password).status_code == 200
    try:
        with console_open(ben):  # at his console, Away
            assert ben.post("/status", {"status": "away"}).status_code == 200
            page = tab.page
            log_in(page, helpdesk_url, agent_accounts["sue"])
            page.goto(helpdesk_url + "/agent/dashboard")
            names = page.locator("#live-names")
            expect(names).to_contain_text("away: Ben Tester", timeout=15_000)
            online = names.inner_text().split(" · ")[0]
            assert "Ben Tester" not in online and "Sue Tester" in online, online
            assert page.locator("#live-agents").inner_text() == str(len(online.split(", ")))
            shot(page, tmp_path, f"dashboard-away-{size}")

            assert ben.post("/status", {"status": "online"}).status_code == 200
            expect(names).not_to_contain_text("away:", timeout=15_000)  # the live strip refreshes every 5 s
            expect(names).to_contain_text("Ben Tester")
    finally:
        ben.post("/status", {"status": "online"})
        ben.close()
    assert tab.errors("401") == []  # the console asks /api/agent/me before logging in


def test_agents_online_on_the_dashboard_is_the_consoles_team_count(
    page: Page, helpdesk_url: str, agent_accounts: dict[str, AgentLogin], tmp_path: Path
) -> None:
    """Ben is Online by his status but has no console open (he used the console's API a moment ago, as a tab closed
    without logging out had): the dashboard counted him ("Agents online 2") while the console's Team heading, which
    counts the colleagues at an open console, said 1 (the staff walkthrough of 2026-12-07). One figure on both
    screens now, and the dashboard names him apart."""
    ben = Console(helpdesk_url)
    assert ben.login("ben", agent_accounts["ben"].password).status_code == 200
    try:
        assert ben.post("/status", {"status": "online"}).status_code == 200
        assert ben.get("/queue").status_code == 200  # he used the console's API just now
        log_in(page, helpdesk_url, agent_accounts["sue"])
        member = page.locator('#team li[data-agent="ben"]')
        expect(member).to_contain_text("console closed")
        team = page.locator("#team-count").inner_text()
        page.goto(helpdesk_url + "/agent/dashboard")
        names = page.locator("#live-names")
        expect(names).to_contain_text(re.compile(r"console closed: (.+, )?Ben Tester"), timeout=15_000)
        assert "Ben Tester" not in names.inner_text().split(" · ")[0]
        expect(page.locator("#live-agents")).to_have_text(team)
        shot(page, tmp_path, "dashboard-console-closed")
    finally:
        ben.close()


def test_the_unanswered_report_says_an_empty_period_in_a_sentence(
    sized: tuple[str, Tab], helpdesk_url: str, editor_account: AgentLogin, tmp_path: Path
) -> None:
    size, tab = sized
    page = tab.page
    submit_console_login(page, helpdesk_url, editor_account.username, editor_account.password)
    page.wait_for_url("**/agent/unanswered")
    expect(page.locator("#report")).to_be_visible()
    page.locator("#from").fill("2020-01-06")
    page.locator("#to").fill("2020-01-07")  # long before any test conversation
    page.locator("#report button[type=submit]").click()
    expect(page.locator("#fig-groups")).to_have_text("0")
    expect(page.locator("#clusters-note")).to_have_text("No unanswered questions in this period.")
    expect(page.locator("#clusters > li")).to_have_count(0)  # no numbered item "1." for nothing
    shot(page, tmp_path, f"unanswered-empty-{size}")
    assert tab.errors("401") == []  # the console asks /api/agent/me before logging in


def test_the_transcript_shows_the_choices_the_bot_offered(
    sized: tuple[str, Tab], helpdesk_url: str, agent_accounts: dict[str, AgentLogin], client: httpx.Client
) -> None:
    """The walkthrough of 2026-12-06: the agent read "Did you mean one of these?" without the choices the customer
    was given."""
    size, tab = sized
    page = tab.page
    log_in(page, helpdesk_url, agent_accounts["sue"])
    conversation = hand_off(client, "bedding")  # "Did you mean" with two handbook entries, then a person
    card = page.locator(f'#queue li[data-id="{conversation}"]')
    expect(card).to_be_visible(timeout=20_000)
    card.click()
    offered = page.locator("#transcript .msg.bot .offered")
    expect(offered.first).to_contain_text("Buttons offered:")
    expect(offered.first).to_contain_text("Which bedding size do I need? | How should I wash my bedding")
    close_waiting(helpdesk_url, agent_accounts["sue"], conversation)
    assert tab.errors("401") == []  # the console asks /api/agent/me before logging in
