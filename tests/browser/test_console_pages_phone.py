"""Every console page on a phone (390×844) in headless Chromium, as an admin (who may open them all): the header
wraps under the page's name, so nothing on the page — the language switch i18n.js adds to the header included —
sits past the screen's edge or needs sideways scrolling. (The desk walkthrough of 2026-12-03 found the dashboard
472 px wide on a phone, its language switch off-screen.)"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect
from support.agent import Console, hand_off, submit_console_login
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


# the placeholder's words typed into the box: whether they overflow it (Chromium keeps room for the clear button
# beside a search box's text and its placeholder alike, so measuring the words alone says too little)
PLACEHOLDER_FITS = """(input) => {
  input.value = input.placeholder;
  const seen = [input.placeholder, input.scrollWidth, input.clientWidth];
  input.value = "";
  return seen;
}"""
# each element's middle, to tell which share a row
ROWS = """(ids) => ids.map((id) => {
  const box = document.getElementById(id).getBoundingClientRect();
  return (box.top + box.bottom) / 2;
})"""


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_search_hint_and_the_follow_up_buttons_are_whole_on_a_phone(
    own: OwnHelpdesk, chromium: Browser, language: str, tmp_path: Path
) -> None:
    """The staff walkthrough of 2026-12-07: the console's search box read "Search: words, e-mail, name, o" on a
    phone (and "Search: words, e-mai" on a desktop), and on the follow-ups page in Chinese the bulk bar's 重新打开
    (Reopen) wrapped alone onto a line of its own, away from 关闭 (Close) beside 分配 (Assign)."""
    admin = Console(own.url)
    assert admin.login("ada", own.accounts["ada"].password).status_code == 200
    assert admin.put("/me/language", {"language": language}).status_code == 200
    # a follow-up task to triage (the bulk bar shows only with tasks): a chat handed back to the bot unresolved
    with httpx.Client(base_url=own.url, timeout=60) as client:
        conversation = hand_off(client, "my towels arrived with a stain, can someone look at it")
    assert admin.post(f"/conversations/{conversation}/claim").status_code == 200
    assert admin.post(f"/conversations/{conversation}/handback").status_code == 200
    try:
        for size in (PHONE, {"width": 1280, "height": 800}):
            tab = new_tab(chromium, viewport=size)
            try:
                page = tab.page
                submit_console_login(page, own.url, "ada", own.accounts["ada"].password)
                expect(page.locator("#app")).to_be_visible()
                expect(page.locator("html")).to_have_attribute("lang", "zh-CN" if language == "zh" else "en")
                search = page.locator("#search-q")
                page.wait_for_load_state("networkidle")  # the lists filled in: a scrollbar, if any, is there
                hint, needs, room = search.evaluate(PLACEHOLDER_FITS)
                assert needs <= room, f"{hint!r} needs {needs} px, the box has {room} ({size['width']} px wide)"
                if size is PHONE:
                    page.goto(own.url + "/agent/followups")
                    expect(page.locator("#do-reopen")).to_be_visible()
                    page.screenshot(path=str(tmp_path / f"followups-{language}-390.png"))
                    ids = ["do-assign", "assignee", "do-close", "do-reopen"]
                    assign, chooser, close, reopen = page.evaluate(ROWS, ids)
                    assert abs(close - reopen) < 4, f"Close at {close}, Reopen at {reopen}: one of the pair wrapped"
                    assert abs(assign - chooser) < 4, f"Assign at {assign}, its assignee list at {chooser}"
                    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            finally:
                tab.page.context.close()
    finally:
        admin.put("/me/language", {"language": "en"})
        admin.close()
