"""The support dashboard in headless Chromium against the real running stack: a supervisor reaches it from
the console header and sees the key figures, the funnel as a flow and every chart drawn; an agent gets no
link and a refusal; no console errors."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect
from support.accounts import AgentLogin
from support.agent import Console, hand_off
from test_agent_console_browser import log_in
from test_widget_browser import Tab, new_tab

pytestmark = pytest.mark.browser
CHARTS = ("chart-hours", "chart-days", "chart-reasons", "chart-csat", "chart-sla")
# the number of pixels each chart's canvas has drawn (not transparent)
DRAWN = """(ids) => ids.map((id) => {
  const c = document.getElementById(id);
  const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
  return n;
})"""


@pytest.fixture()
def lead(chromium: Browser) -> Iterator[Tab]:
    tab = new_tab(chromium, viewport={"width": 1440, "height": 1000})
    yield tab
    tab.page.context.close()


def test_supervisor_sees_the_dashboard_with_charts_and_funnel(
    lead: Tab, helpdesk_url: str, agent_accounts: dict[str, AgentLogin]
) -> None:
    with httpx.Client(base_url=helpdesk_url, timeout=60) as client:
        hand_off(client, "hello")  # at least one conversation today, waiting in the queue
    page = lead.page
    log_in(page, helpdesk_url, agent_accounts["sue"])
    link = page.locator("#dashboard-link")
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url("**/agent/dashboard**")
    expect(page.locator("body[data-loaded='1']")).to_be_attached()
    expect(page.locator("#me")).to_contain_text("Sue Tester")

    expect(page.locator("#kpis .kpi")).to_have_count(9)
    conversations = int(page.locator("#kpis .kpi .value").first.inner_text())
    assert conversations >= 1
    expect(page.locator("#funnel .stage")).to_have_count(5)
    expect(page.locator("#funnel .arrow")).to_have_count(4)
    expect(page.locator("#funnel .stage h4")).to_have_text(["Intake", "Triage", "Outcome", "Feedback", "Follow-up"])
    assert int(page.locator("#funnel .stage .count").first.inner_text()) == conversations

    assert page.evaluate("Object.keys(window.dashboardCharts).sort()") == sorted(CHARTS)
    assert page.evaluate("Object.values(window.dashboardCharts).every((c) => c instanceof window.Chart)")
    drawn = page.evaluate(DRAWN, list(CHARTS))
    assert all(n > 100 for n in drawn), dict(zip(CHARTS, drawn, strict=True))

    assert int(page.locator("#live-waiting").inner_text()) >= 1
    expect(page.locator("#live-names")).to_contain_text("Sue Tester")
    expect(page.locator("#live-at")).to_contain_text("updated")
    page.wait_for_timeout(5500)  # the live figures poll every 5 s
    assert any("/api/agent/metrics/live" in r for r in page.evaluate("performance.getEntries().map((e) => e.name)"))

    assert "/api/agent/metrics.csv?from=" in (page.locator("#csv").get_attribute("href") or "")
    page.locator("#f-tz").select_option("Europe/Amsterdam")
    page.locator("#filters button[type=submit]").click()
    expect(page.locator("#range-text")).to_contain_text("Europe/Amsterdam")
    assert "tz=Europe%2FAmsterdam" in page.url

    csp = page.request.get(helpdesk_url + "/agent/dashboard").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert lead.errors("401") == []  # the console asks /api/agent/me before logging in
    assert lead.dialogs == []


def test_an_agent_has_no_link_and_is_refused(
    lead: Tab, helpdesk_url: str, agent_accounts: dict[str, AgentLogin]
) -> None:
    page = lead.page
    log_in(page, helpdesk_url, agent_accounts["ava"])
    expect(page.locator("#dashboard-link")).to_be_hidden()
    page.goto(helpdesk_url + "/agent/dashboard")
    expect(page.locator("#denied-text")).to_have_text("The dashboard is for supervisors and admins.")
    expect(page.locator("#dash")).to_be_hidden()
    assert lead.errors("401", "403") == []


def test_without_a_session_the_dashboard_asks_to_log_in(lead: Tab, helpdesk_url: str) -> None:
    page = lead.page
    page.goto(helpdesk_url + "/agent/dashboard")
    expect(page.locator("#denied-text")).to_have_text("Log in at the agent console first.")
    expect(page.locator("#denied a")).to_have_attribute("href", "/agent")
    assert lead.errors("401") == []


SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
# every funnel box against the sum of its rows, as the page shows them
BOXES = """() => [...document.querySelectorAll('#funnel .stage')].map((s) => ({
  box: Number(s.querySelector('.count').textContent),
  rows: [...s.querySelectorAll('li b')].reduce((n, b) => n + Number(b.textContent), 0),
}))"""


@pytest.mark.parametrize("size", list(SIZES))
def test_boxes_equal_their_rows_figures_click_through_and_a_supervisor_watches_and_whispers(
    chromium: Browser,
    helpdesk_url: str,
    agent_accounts: dict[str, AgentLogin],
    console_for: Callable[[AgentLogin], Console],
    db: sqlite3.Connection,
    size: str,
    tmp_path: Path,
) -> None:
    with httpx.Client(base_url=helpdesk_url, timeout=60) as client:
        conversation = hand_off(client, "hello")
        ben = console_for(agent_accounts["ben"])
        assert ben.post(f"/conversations/{conversation}/claim").status_code in (200, 409)
        assert ben.post(f"/conversations/{conversation}/messages", {"text": "Hi, **Ben** here."}).status_code == 201
        tab = new_tab(chromium, viewport=SIZES[size])
        try:
            page = tab.page
            log_in(page, helpdesk_url, agent_accounts["sue"])
            page.goto(helpdesk_url + "/agent/dashboard")
            expect(page.locator("body[data-loaded='1']")).to_be_attached()
            boxes = page.evaluate(BOXES)
            assert len(boxes) == 5 and all(b["box"] == b["rows"] for b in boxes), boxes
            expect(page.locator("#kpis .kpi").nth(1)).to_contain_text("Silence alone never counts")

            # the outcome row "with an agent now" lists this conversation
            page.locator("#funnel button.row[data-figure='with_agent']").click()
            expect(page.locator(f"#drill-list li[data-conversation='{conversation}']")).to_be_visible()
            listed = int(page.locator("#drill").get_attribute("data-count") or "-1")
            shown = int(page.locator("#funnel button.row[data-figure='with_agent'] b").inner_text())
            assert listed == shown

            # watch it read-only and whisper to the agent
            page.locator(f"#drill-list li[data-conversation='{conversation}'] button.watch").click()
            expect(page.locator("#watch-log")).to_contain_text("Hi, Ben here.")  # Markdown as the customer saw it
            expect(page.locator("#watch-log .msg.agent strong")).to_have_text(["Ben"])
            expect(page.locator("#watch .badge")).to_have_text("read-only")
            note = f"Offer the 10% voucher ({size})"
            page.locator("#whisper").fill(note)
            page.locator("#whisper-form button[type=submit]").click()
            expect(page.locator("#watch-notes")).to_contain_text(note)
            page.screenshot(path=str(_shots(tmp_path) / f"dashboard-watch-{size}.png"), full_page=True)
            assert tab.errors("401") == []
        finally:
            tab.page.context.close()
        stored = db.execute("SELECT agent_id FROM notes WHERE conversation_id = ? AND text = ?", (conversation, note))
        assert [row[0] for row in stored] == [agent_accounts_id(db, "sue")]
        # the agent sees it; the customer never does
        assert note in str(ben.get(f"/conversations/{conversation}").json()["notes"])
        assert note not in client.get(f"/api/chat/{conversation}/messages").text
        ben.post(f"/conversations/{conversation}/resolve")


def agent_accounts_id(db: sqlite3.Connection, username: str) -> int:
    return int(db.execute("SELECT id FROM agents WHERE username = ?", (username,)).fetchone()[0])


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
