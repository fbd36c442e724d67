"""The agent console's transcript keeps the newest customer message in sight (helpdesk/static/console/agent.js
followTranscript), and leaves an agent who scrolled up to read where they are.

Before: the console scrolled only when the log was near its bottom just before a message was added; the reply form
appearing on claiming and each turn's context growing afterwards left the log short of its bottom, so every later
message arrived below the fold (seen in the Redis-outage walk: 228 px short before, 284 px after).
"""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from support.agent import hand_off, say, submit_console_login
from support.helpdesks import OwnHelpdesk

pytestmark = pytest.mark.browser

CUSTOMER_TEXTS = "#transcript li.msg.customer .text"
FROM_BOTTOM = (
    "(() => { const l = document.getElementById('transcript');"
    " return l.scrollHeight - l.scrollTop - l.clientHeight; })()"
)


OWN_HELPDESK = "transcript-follows"  # this module's own helpdesk (the `own` fixture, tests/conftest.py)


# measured in one step of the page: the console may redraw the transcript (a conversation event reopens it) between
# two of Playwright's calls, and a box asked for a line that was just replaced is None (CI run of 7eee698)
NEWEST_IN_SIGHT = (
    "(() => { const l = document.getElementById('transcript');"
    " const m = [...l.querySelectorAll('li.msg.customer .text')].pop(); if (!m) return null;"
    " return m.getBoundingClientRect().bottom <= l.getBoundingClientRect().bottom + 1; })()"
)


def newest_in_sight(console: Page) -> bool:
    seen = console.evaluate(NEWEST_IN_SIGHT)
    assert seen is not None, "no customer message in the transcript"
    return bool(seen)


def test_new_customer_messages_stay_in_sight_until_the_agent_scrolls_up(own: OwnHelpdesk, chromium: Browser) -> None:
    ava = own.accounts["ava"]
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    customer = httpx.Client(base_url=own.url, timeout=60)
    try:
        conversation = hand_off(customer, "hi", "my parcel says delivered but nothing is here")
        console = context.new_page()
        console.set_default_timeout(20_000)
        submit_console_login(console, own.url, ava.username, ava.password)
        console.locator(f'#queue li[data-id="{conversation}"]').click()
        console.locator("#claim").click()
        expect(console.locator("#reply-form")).to_be_visible()
        for n in range(1, 9):
            text = f"Line {n}: still nothing at the door, I checked with the neighbours and the parcel box as well."
            say(customer, text, conversation)
            expect(console.locator(CUSTOMER_TEXTS).last).to_have_text(text, timeout=30_000)
            console.wait_for_timeout(300)  # the turn's context arrives after the message
            assert console.evaluate(FROM_BOTTOM) < 80, f"line {n} left below the fold"
            assert newest_in_sight(console), f"line {n} not visible"

        console.evaluate("(() => { const l = document.getElementById('transcript'); l.scrollTop = 0; })()")
        console.wait_for_timeout(300)  # the scroll event: the agent is reading further up
        say(customer, "Line 9: hello??", conversation)
        expect(console.locator(CUSTOMER_TEXTS).last).to_have_text("Line 9: hello??", timeout=30_000)
        console.wait_for_timeout(300)
        assert console.evaluate("document.getElementById('transcript').scrollTop") < 40, "the reader was yanked down"
    finally:
        customer.close()
        context.close()
