"""The widget out of business hours, in headless Chromium against a helpdesk whose team is away
(`closed_helpdesk` in conftest.py): it says when the team is back, promises no wait, and a message left in
its form lands in the queue with the contact given."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from support.helpdesks import ClosedHelpdesk

pytestmark = pytest.mark.browser

HOST = "#larkspur-chat-host"
STATUS = f"{HOST} .head .st"
FORM = f"{HOST} .notice.offline"
BOT_TEXT = f"{HOST} .msg.bot:not(.intro) .text"
BOT_TIMEOUT = 60_000
NAME = "Ann <img src=x onerror=alert(1)>"


@pytest.fixture()
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()
    assert errors == [] and dialogs == []


def back(desk: ClosedHelpdesk) -> str:
    return f"on {desk.next_open.strftime('%A')} at 09:00 (Auckland time)"


def test_talk_to_a_person_out_of_hours_then_leave_a_message(page: Page, closed_helpdesk: ClosedHelpdesk) -> None:
    page.goto(closed_helpdesk.url + "/")
    page.locator(f"{HOST} .launcher").click()
    expect(page.locator(STATUS)).to_have_text(f"Virtual assistant · our team is back {back(closed_helpdesk)}")

    page.locator(f"{HOST} .human").click()
    expect(page.locator(BOT_TEXT).last).to_contain_text("Our support team is away right now", timeout=BOT_TIMEOUT)
    expect(page.locator(BOT_TEXT).last).to_contain_text(f"We're back {back(closed_helpdesk)}.")
    expect(page.locator(STATUS)).to_have_text(f"Our team is away · back {back(closed_helpdesk)}")
    expect(page.locator(FORM)).to_be_visible()
    expect(page.locator(f"{FORM} .submit")).to_be_disabled()  # nothing written yet

    page.locator(f"{FORM} input[type=text]").fill(NAME)
    page.locator(f"{FORM} input[type=email]").fill("not an address")
    page.locator(f"{FORM} textarea").fill("My sofa arrived with a broken leg. Please e-mail me.")
    page.locator(f"{FORM} .submit").click()
    expect(page.locator(f"{FORM} .err")).to_have_text("Please check your e-mail address (or leave it empty).")

    page.locator(f"{FORM} input[type=email]").fill("ann.lee@example.com")
    page.locator(f"{FORM} .submit").click()
    expect(page.locator(FORM)).to_have_count(0)
    expect(page.locator(f"{HOST} .msg.customer .text").last).to_have_text(
        "My sofa arrived with a broken leg. Please e-mail me."
    )
    confirmation = (
        f"Thanks, {NAME}! We've got your message and will answer by e-mail at ann.lee@example.com, "
        f"or here in this chat, when we're back {back(closed_helpdesk)}."
    )
    expect(page.locator(BOT_TEXT).last).to_have_text(confirmation)
    assert page.locator(f"{HOST} img").count() == 0  # the name is shown as text

    conversation_id = page.evaluate("localStorage.getItem('larkspur-chat.conversation')")
    row = closed_helpdesk.stored(conversation_id)
    assert row["mode"] == "queued" and row["left_message_at"] is not None
    assert json.loads(row["offline_contact"]) == {"name": NAME, "email": "ann.lee@example.com"}

    # after a reload the transcript is back, each message once, and the form is not offered again
    page.reload()
    page.locator(f"{HOST} .launcher").click()
    expect(page.locator(BOT_TEXT).last).to_have_text(confirmation)
    expect(page.locator(f"{HOST} .msg.customer .text")).to_have_count(2)  # "Talk to a person", the message
    expect(page.locator(STATUS)).to_have_text(f"Our team is away · back {back(closed_helpdesk)}")  # synced
    expect(page.locator(FORM)).to_have_count(0)
