"""The photo offer after a wrong item's answer stays usable while the bot asks on (the walkthrough of 2026-12-06,
desktop and phone): "hi i got the wrong color cushion in order 100160, …" gets the wrong-item answer, the offer of a
photo ("📷 Add a photo", "Skip") and then that order's identity check, all in one turn; the identity check's
message took the photo buttons away, so the offer read "you can send a photo … here" with nothing to press. The
buttons go when the customer answers (their e-mail), as every bot button does. Order 100160 (a sage linen cushion
cover and a bath towel), which no other test changes (other tests book a return on 100212), is only looked at."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_widget_browser import BOT_TIMEOUT, HOST, QUICK, Tab, open_widget, send

pytestmark = pytest.mark.browser


def test_the_photo_buttons_stay_under_the_offer_while_the_order_is_checked(
    sized: tuple[str, Tab], helpdesk_url: str
) -> None:
    _, tab = sized
    page = tab.page
    page.goto(helpdesk_url + "/")
    open_widget(page)
    send(page, "hi i got the wrong color cushion in order 100160, i ordered blue got green")
    asked = page.locator(f"{HOST} .msg.bot .text", has_text="delivery postcode for order 100160")
    expect(asked).to_be_visible(timeout=BOT_TIMEOUT)  # the last words of the turn
    offer = page.locator(f"{HOST} .msg.bot", has_text="You can send a photo of the item you received")
    expect(offer.locator(".quick button")).to_have_text(["📷 Add a photo", "Skip"])
    expect(page.locator(QUICK)).to_have_count(2)  # those two, nothing else
    send(page, "aino.virtanen@example.com")
    # which the customer wants, a replacement or a refund, is asked next (lane ux)
    expect(page.locator(f"{HOST} .msg.bot .text", has_text="from order 100160: the right item sent")).to_be_visible(
        timeout=BOT_TIMEOUT
    )
    expect(offer.locator(".quick")).to_have_count(0)  # answered on: the offer's buttons went
    assert tab.errors() == []
