"""The unanswered-questions report's figures for one question, in headless Chromium against a helpdesk of its own
(the stack's Rasa and FAQ engine, a fresh database): "1 question on the FAQ path" and "1 group" (it said "1
questions", "1 groups"), why the bot could not answer it and its closest handbook entry, and the same in Chinese
(the entry's Chinese title)."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect
from support.agent import Console, say, submit_console_login
from support.helpdesks import OwnHelpdesk
from test_widget_browser import Tab

pytestmark = pytest.mark.browser
OWN_HELPDESK = "unanswered-one"  # this module's own helpdesk (the `own` fixture, tests/conftest.py)


def test_one_unanswered_question_is_counted_in_the_singular(own: OwnHelpdesk, tab: Tab) -> None:
    with httpx.Client(base_url=own.url, timeout=60) as customer:
        assert say(customer, "do you sweep chimneys")["offer_person"] == {"reason": "low_confidence"}
    sue = own.accounts["sue"]
    page = tab.page
    submit_console_login(page, own.url, sue.username, sue.password)
    expect(page.locator("#app")).to_be_visible()
    page.goto(own.url + "/agent/unanswered")
    expect(page.locator("#report")).to_be_visible()
    expect(page.locator("#fig-questions")).to_have_text("1")
    expect(page.locator("#fig-groups")).to_have_text("1")
    expect(page.locator("#fig-questions + .muted")).to_have_text("question on the FAQ path")
    expect(page.locator("#fig-groups + .muted")).to_have_text("group")
    why = page.locator("#clusters li .facts").first
    expect(why).to_have_text("Why: a person was offered 1×")
    closest = page.locator("#clusters li .closest a").first
    expect(closest).to_have_text(re.compile(r"^[^\u4e00-\u9fff]+$"))  # the closest entry's English title

    console = Console(own.url)
    try:
        assert console.login(sue.username, sue.password).status_code == 200
        assert console.put("/me/language", {"language": "zh"}).status_code == 200
        page.reload()
        expect(page.locator("#fig-groups")).to_have_text("1")
        expect(page.locator("#fig-questions + .muted")).to_have_text("走常见问题路径的提问")
        expect(page.locator("#fig-groups + .muted")).to_have_text("组")
        # why the bot could not answer, in Chinese (the zhwalk walk of 2026-12-07 read "原因：a person was offered 1×")
        expect(why).to_have_text("原因：提出了转人工 1 次")
        # the closest handbook entry by its Chinese title (it read "最接近的条目： Where do you ship from?")
        expect(closest).to_have_text(re.compile(r"^[^A-Za-z]*[\u4e00-\u9fff][^A-Za-z]*$"))
        assert page.evaluate("() => window.ConsoleI18n.missed()") == []
    finally:
        console.put("/me/language", {"language": "en"})
        console.close()
