"""Issue 16.3 in the widget, in headless Chromium against a helpdesk that reads bursts (CHAT_BURST_SECONDS=1.5,
beside the session's stack): a customer who types "hi" / "i have a question" / "about my order 100234" as
three quick lines, the first line of a new chat included, gets one answer, and it sees the order number."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from support.helpdesks import extra_helpdesk
from test_widget_browser import CUSTOMER, HOST, new_tab, open_widget, send

from helpdesk.stack import Stack

pytestmark = pytest.mark.browser

BOT_TIMEOUT = 60_000
BOT = f"{HOST} .msg.bot:not(.intro)"
SIZES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


@pytest.fixture(scope="module")
def burst_helpdesk(stack: Stack) -> Iterator[str]:
    with extra_helpdesk(stack, "widget-burst", {"CHAT_BURST_SECONDS": "1.5"}) as url:
        yield url


@pytest.mark.parametrize("size", list(SIZES))
def test_three_quick_lines_from_the_first_one_on_get_one_answer_that_sees_the_order(
    chromium: Browser, burst_helpdesk: str, size: str, tmp_path: Path
) -> None:
    tab = new_tab(chromium, **SIZES[size])
    page = tab.page
    try:
        page.goto(burst_helpdesk + "/")
        open_widget(page)
        lines = ["hi", "i have a question", "about my order 100234"]
        for line in lines:
            send(page, line)
        expect(page.locator(f"{CUSTOMER} .text")).to_have_count(3)
        expect(page.locator(BOT).first).to_contain_text("100234", timeout=BOT_TIMEOUT)
        page.wait_for_timeout(3000)  # a late answer to a single line would show by now
        expect(page.locator(f"{CUSTOMER} .meta")).to_have_count(0)  # every line stored
        order = page.evaluate(
            """() => [...document.getElementById('larkspur-chat-host').shadowRoot.querySelectorAll('.log > .msg')]
                .filter((m) => !m.classList.contains('intro') && !m.classList.contains('notice'))
                .map((m) => m.classList.contains('customer') ? 'customer' : 'other')"""
        )
        # the three lines, then the answer: nothing answered "hi" or "i have a question" on its own
        assert order[:4] == ["customer", "customer", "customer", "other"], order
        page.screenshot(path=str(tmp_path / f"burst-{size}.png"))
        assert tab.errors() == []
    finally:
        page.context.close()
