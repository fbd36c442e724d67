"""An order number said with "about my order", and a person offered as a choice, in the widget in headless Chromium
against the real stack (issue 16.3), on a desktop (1280x800) and a phone (390x844).

Screenshots of each step go to $SCREENSHOT_DIR (or the test's temporary folder) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from test_widget_browser import HOST, QUICK, REPLY_TEXT, SIZES, Tab, open_widget, send

pytestmark = pytest.mark.browser

BOT_TIMEOUT = 60_000


def shot(page: Page, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def test_an_order_opener_and_a_person_offered_as_a_choice(
    sized: tuple[str, Tab], helpdesk_url: str, tmp_path: Path
) -> None:
    size, tab = sized
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path) / "dialogue"
    page = tab.page
    page.goto(helpdesk_url + "/")
    open_widget(page)

    # "about my order 100234": what to do with that order, not a queue
    send(page, "hi, it's about my order 100234")
    answer = page.locator(REPLY_TEXT).filter(has_text="100234")
    expect(answer).to_have_count(1, timeout=BOT_TIMEOUT)
    expect(page.locator(f"{HOST} .head .st")).not_to_contain_text("queue")
    expect(answer).to_be_in_viewport()
    shot(page, folder, f"{size}-1-order-opener")

    # nothing the bot can answer: a person is offered, with the wait, not queued
    send(page, "what's a good name for a goldfish")
    offer = page.locator(REPLY_TEXT).filter(has_text="Shall I get a person?")
    expect(offer).to_have_count(1, timeout=BOT_TIMEOUT)
    expect(offer).to_contain_text("The wait is about")
    expect(page.locator(f"{HOST} .head .st")).not_to_contain_text("queue")
    yes = page.locator(QUICK).filter(has_text="Yes, get a person")
    expect(yes).to_be_visible()
    expect(offer).to_be_in_viewport()
    shot(page, folder, f"{size}-2-offer")

    yes.click()
    expect(page.locator(f"{HOST} .head .st")).to_contain_text("queue", timeout=BOT_TIMEOUT)
    shot(page, folder, f"{size}-3-queued")
    assert tab.errors() == []


BOT_REPLY = f"{HOST} .msg.bot:not(.intro)"


def bot_says(page: Page, text: str, expected: str) -> Locator:
    """Send `text`; the bot's newest reply once it contains `expected`."""
    before = page.locator(BOT_REPLY).count()
    send(page, text)
    expect(page.locator(BOT_REPLY)).not_to_have_count(before, timeout=BOT_TIMEOUT)
    reply = page.locator(BOT_REPLY).last
    expect(reply.locator(".text")).to_contain_text(expected, timeout=BOT_TIMEOUT)
    return reply


def test_an_orders_status_links_its_tracking_and_only_the_status_asks_whether_it_helped(
    sized: tuple[str, Tab], helpdesk_url: str, tmp_path: Path
) -> None:
    """The walkthrough (2026-12-03): the status printed the carrier's raw tracking URL (several lines on a phone),
    and "Did this help?" stood under the questions for the order number and the e-mail address."""
    size, tab = sized
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path) / "dialogue"
    page = tab.page
    page.goto(helpdesk_url + "/")
    open_widget(page)

    question = bot_says(page, "where is my order?", "What's the order number?")
    expect(question.locator(".fb")).to_have_count(0)
    proof = bot_says(page, "100234", "e-mail address or the delivery postcode")
    expect(proof.locator(".fb")).to_have_count(0)
    status = bot_says(page, "ann.lee@example.com", "Order 100234 shipped")
    link = status.get_by_role("link", name="Track with DHL")
    expect(link).to_be_visible()
    assert (link.get_attribute("href") or "").startswith("https://www.dhl.com/")
    assert link.get_attribute("target") == "_blank" and "noopener" in (link.get_attribute("rel") or "")
    expect(status.locator(".text")).not_to_contain_text("https://")
    expect(status.locator(".text")).not_to_contain_text("](")
    expect(status.locator(".fb")).to_contain_text("Did this help?")
    bubble = status.locator(".text").bounding_box()
    assert bubble is not None and bubble["x"] + bubble["width"] <= SIZES[size]["width"]
    shot(page, folder, f"{size}-4-order-status")
    assert tab.errors() == []


def test_the_bots_buttons_stay_while_the_customer_types_and_go_once_a_message_is_sent(
    sized: tuple[str, Tab], helpdesk_url: str, tmp_path: Path
) -> None:
    """The walkthrough of 2026-12-06: typing one character hid the bot's buttons. They stay until a message is sent
    (a customer who starts typing may still pick one, as in Intercom or Zendesk); a message sent, typed or picked,
    answers them and they go. "Did you mean" choices too: a customer who asks something else instead gets the answer
    to that, and the old choices are gone (they would answer a question no longer asked)."""
    size, tab = sized
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path) / "buttons"
    page = tab.page
    page.goto(helpdesk_url + "/")
    open_widget(page)
    box = page.locator(f"{HOST} textarea")
    choices = page.locator(QUICK)

    send(page, "bedding")  # "Did you mean" with handbook entries as buttons
    asked = page.locator(REPLY_TEXT).filter(has_text="Did you mean")
    expect(asked).to_have_count(1, timeout=BOT_TIMEOUT)
    expect(choices.first).to_be_visible()
    offered = choices.all_inner_texts()
    box.press_sequentially("How do I")
    expect(choices).to_have_text(offered)  # still there while typing
    shot(page, folder, f"{size}-1-typing-keeps-choices")
    box.press_sequentially(" return an item?")
    box.press("Enter")
    expect(page.locator(REPLY_TEXT).filter(has_text="RMA")).to_have_count(1, timeout=BOT_TIMEOUT)
    for title in offered:  # the choices for "bedding" went with the new question
        expect(page.locator(QUICK).filter(has_text=title)).to_have_count(0)
    shot(page, folder, f"{size}-2-choices-gone-after-another-question")

    send(page, "hi, it's about my order 100259")
    where = choices.filter(has_text="Where is my order?")
    expect(where).to_be_visible(timeout=BOT_TIMEOUT)
    box.press_sequentially("whe")
    expect(where).to_be_visible()
    where.click()  # picked while a draft is in the box
    expect(page.locator(f"{HOST} .msg.customer .text").last).to_have_text("Where is my order?")
    expect(where).to_have_count(0)
    expect(box).to_have_value("whe")  # the draft is the customer's: kept
    assert tab.errors() == []


def test_the_address_typed_after_a_shipped_orders_refusal_hears_the_refusal_again(
    sized: tuple[str, Tab], helpdesk_url: str, tmp_path: Path
) -> None:
    """The walkthrough of 2026-12-06: the new address typed after "Order 100234 has already shipped, so its delivery
    address can no longer be changed" got "What would you like me to do with order …" or "I'm not sure I have a good
    answer". Then it was the refusal again word for word; now that the address can't be used and what they can do
    instead, with a person a button away. Order 100234 is Ann Lee's, shipped; nothing here changes it."""
    size, tab = sized
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path) / "dialogue"
    page = tab.page
    page.goto(helpdesk_url + "/")
    open_widget(page)
    asked = "please change the delivery address of order 100234, ann.lee@example.com"
    refusal = bot_says(page, asked, "already shipped")
    why = "Order 100234 has already shipped, so its delivery address can no longer be changed."
    expect(refusal.locator(".text")).to_contain_text(why)
    reply = bot_says(page, "Flat 3, 41 Park Row, Leeds LS1 5HD", "100234")
    expect(reply.locator(".text")).to_contain_text("can't send order 100234 to that address")
    expect(reply.locator(".text")).to_contain_text("redirect the parcel")
    expect(reply.locator(".text")).not_to_contain_text(why)  # not the refusal again word for word
    expect(reply.locator(".text")).not_to_contain_text("What would you like me to do")
    expect(page.locator(QUICK).filter(has_text="Talk to a person")).to_be_visible()
    expect(reply).to_be_in_viewport()
    shot(page, folder, f"{size}-address-after-shipped-refusal")
    assert tab.errors() == []
