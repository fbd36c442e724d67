"""An SLA breach alerts the supervisor on the dashboard, live, in headless Chromium: a helpdesk of its own with a
queue-wait target of 2 s; a customer hands off; the dashboard's alert list shows the warning and the miss, the
title counts it, and "Open" watches the chat read-only. Desktop screenshot (SCREENSHOT_DIR)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from playwright.sync_api import Browser, expect
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import hand_off, submit_console_login
from support.helpdesks import extra_helpdesk
from test_widget_browser import new_tab

from helpdesk.stack import Stack

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def desk(stack: Stack) -> Iterator[tuple[str, dict[str, AgentLogin]]]:
    workdir = stack.workdir / "sla-browser"  # type: ignore[attr-defined]
    workdir.mkdir(exist_ok=True)
    sla_file = workdir / "sla.yml"
    sla_file.write_text(
        yaml.safe_dump({"warn_at": 0.5, "tiers": {"standard": {"queue_wait": 4, "first_response": 600}}})
    )
    database_url = f"sqlite+aiosqlite:///{workdir / 'helpdesk.db'}"
    accounts = add_agent_accounts(database_url, (("vera", "supervisor", None, 5),))
    env = {
        "DATABASE_URL": database_url,
        "BUSINESS_HOURS": "off",
        "SLA_FILE": str(sla_file),
        "AUTO_ASSIGN": "0",
        "SLA_CHECK_SECONDS": "0.5",
    }
    with extra_helpdesk(stack, "sla-browser", env) as url:
        yield url, accounts


def test_an_sla_breach_alerts_the_supervisor_on_the_dashboard(
    desk: tuple[str, dict[str, AgentLogin]], chromium: Browser, tmp_path: Path
) -> None:
    url, accounts = desk
    tab = new_tab(chromium, viewport={"width": 1280, "height": 800})
    try:
        page = tab.page
        submit_console_login(page, url, "vera", accounts["vera"].password)
        expect(page.locator("#app")).to_be_visible()
        page.goto(url + "/agent/dashboard")
        expect(page.locator("body[data-loaded='1']")).to_be_attached()
        expect(page.locator("body[data-alerts='live']")).to_be_attached()
        expect(page.locator("#alerts")).to_be_hidden()
        with httpx.Client(base_url=url, timeout=60) as customer:
            conversation = hand_off(customer, "hello")
        warning = page.locator(f"#alert-list li.warning[data-conversation='{conversation}']")
        expect(warning).to_contain_text("about to miss the target", timeout=20_000)
        missed = page.locator(f"#alert-list li.breach[data-conversation='{conversation}']")
        expect(missed).to_contain_text("queue wait target missed", timeout=20_000)
        expect(page.locator("#alert-count")).to_contain_text("1 missed")
        assert page.title().startswith("(1) ")
        missed.locator("button.watch").click()
        expect(page.locator("#watch-title")).to_contain_text(conversation)
        page.locator("#filters button[type=submit]").click()
        expect(page.locator("#t-sla")).to_contain_text("standard")
        folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / "dashboard-sla-alert.png"))
        assert tab.errors("401") == []
    finally:
        tab.page.context.close()
