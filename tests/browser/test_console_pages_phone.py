"""Every console page on a phone (390×844) in headless Chromium, as an admin (who may open them all): the header
wraps under the page's name, so nothing on the page — the language switch i18n.js adds to the header included —
sits past the screen's edge or needs sideways scrolling. (The desk walkthrough of 2026-12-03 found the dashboard
472 px wide on a phone, its language switch off-screen.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from support.agent import submit_console_login
from support.helpdesks import OwnHelpdesk
from test_widget_browser import new_tab

pytestmark = pytest.mark.browser

PAGES = ["/agent", "/agent/dashboard", "/agent/followups", "/agent/admin", "/agent/handbook", "/agent/corrections",
         "/agent/unanswered"]  # fmt: skip
PHONE = {"width": 390, "height": 844}


OWN_HELPDESK = "phone-pages"  # this module's own helpdesk (the `own` fixture, tests/conftest.py)
OWN_ACCOUNTS = (("ada", "admin", None, 5),)


def test_every_console_page_fits_a_phone_with_its_header_on_screen(
    own: OwnHelpdesk, chromium: Browser, tmp_path: Path
) -> None:
    tab = new_tab(chromium, viewport=PHONE)
    try:
        page = tab.page
        submit_console_login(page, own.url, "ada", own.accounts["ada"].password)
        expect(page.locator("#app")).to_be_visible()
        for path in PAGES:
            page.goto(own.url + path)
            header = page.locator("header.top").first
            expect(header).to_be_visible()
            expect(header.locator("a, button, select").first).to_be_visible()
            page.wait_for_load_state("networkidle")
            name = path.strip("/").replace("/", "-")
            page.screenshot(path=str(tmp_path / f"{name}-390.png"), full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} is {width} px wide on a phone"
            for control in header.locator("a:visible, button:visible, select:visible").all():
                box = control.bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
                    path,
                    control.evaluate("e => e.outerHTML.slice(0, 120)"),
                    box,
                )
        languages = page.locator("#console-language")
        expect(languages).to_be_in_viewport()  # the last page's switch (the unanswered report loads i18n.js)
        assert tab.errors("401") == []  # the console asks /me before the login
    finally:
        tab.page.context.close()
