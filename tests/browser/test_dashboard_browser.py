"""The support dashboard in headless Chromium against the real running stack: a supervisor reaches it from
the console header and sees the key figures, the funnel as a flow and every chart drawn; an agent gets no
link and a refusal; no console errors."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, expect
from support.accounts import AgentLogin
from support.agent import hand_off
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
