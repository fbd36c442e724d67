"""The dashboard's SLA alerts socket once the session is gone, in headless Chromium against the real stack: the page
asks the supervisor to log in and stops there (it kept opening a socket every 3 s, each one adding a ping timer)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from support.accounts import AgentLogin, add_agent_accounts
from test_agent_console_browser import log_in
from test_widget_browser import Tab

from helpdesk.stack import Stack

pytestmark = pytest.mark.browser

# counts the console sockets the page opens and the 25 s ping timers it sets (before any script of the page runs)
COUNT = """(() => {
  const counts = { sockets: 0, pings: 0 };
  window.alertCounts = counts;
  const Real = window.WebSocket;
  window.WebSocket = function (url, protocols) {
    if (String(url).includes("/api/agent/ws")) counts.sockets++;
    return protocols === undefined ? new Real(url) : new Real(url, protocols);
  };
  window.WebSocket.prototype = Real.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  const realInterval = window.setInterval;
  window.setInterval = function (fn, ms, ...rest) {
    if (ms === 25000) counts.pings++;
    return realInterval.call(window, fn, ms, ...rest);
  };
})();"""
LOG_OUT = """async () => {
  const me = await (await fetch("/api/agent/me")).json();
  const r = await fetch("/api/agent/logout", { method: "POST", headers: { "X-CSRF-Token": me.csrf_token } });
  return r.status;
}"""


@pytest.fixture(scope="module")
def dora(stack: Stack) -> AgentLogin:
    """A supervisor of her own: logging out ends her session only (the other tests' staff stay online)."""
    return add_agent_accounts(stack.env["DATABASE_URL"], (("dora", "supervisor", None, 20),))["dora"]


def test_after_logging_out_the_dashboard_asks_to_log_in_and_stops_reconnecting(
    tab: Tab, helpdesk_url: str, dora: AgentLogin
) -> None:
    page = tab.page
    page.add_init_script(COUNT)
    log_in(page, helpdesk_url, dora)
    page.goto(helpdesk_url + "/agent/dashboard")
    expect(page.locator("body[data-loaded='1']")).to_be_attached()
    expect(page.locator("body[data-alerts='live']")).to_be_attached()
    assert page.evaluate("window.alertCounts") == {"sockets": 1, "pings": 1}

    assert page.evaluate(LOG_OUT) in (200, 204)  # the session ends (as a logout in another tab would)
    # (within 15 s: the figures' 5 s poll meets the 401 too: the old page got there as well, and went on reconnecting)
    expect(page.locator("#denied-text")).to_have_text("Log in at the agent console first.", timeout=15_000)
    expect(page.locator("#dash")).to_be_hidden()
    page.wait_for_timeout(8000)  # the page used to try again every 3 s
    assert page.evaluate("window.alertCounts") == {"sockets": 1, "pings": 1}
    assert page.locator("body").get_attribute("data-alerts") == "down"
