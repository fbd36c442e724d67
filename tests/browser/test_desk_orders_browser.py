"""The customer's orders in the agent console, in headless Chromium (desktop 1280x800 and phone 390x844): a customer
signed in on the shop asks for a person; the agent claims the chat, reads the verified customer and their order
cards, cancels an order from its card after a summary, and the customer's widget shows the note with the agent's
name; the demo shop has the order cancelled. Screenshots go to the stack's work folder (screenshots/)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from support.agent import submit_console_login
from support.desk_orders import OrdersDesk, orders_desk, signed_in_handoff
from test_widget_browser import HOST, STORAGE_KEY, new_tab, open_widget

from helpdesk.stack import Stack

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def desk(stack: Stack) -> Iterator[OrdersDesk]:
    with orders_desk(stack, "sqlite") as running:
        yield running


@pytest.fixture(scope="module")
def shots(stack: Stack) -> Path:
    folder = stack.workdir / "screenshots"  # type: ignore[attr-defined]
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture()
def pages(chromium: Browser) -> Iterator[list[Page]]:
    """The test's browser pages; their contexts (and sockets) close after the test, whatever happened."""
    opened: list[Page] = []
    yield opened
    for page in opened:
        page.context.close()


def console_page(
    chromium: Browser, desk: OrdersDesk, width: int, height: int, pages: list[Page], account_name: str = "olga"
) -> Page:
    tab = new_tab(chromium, viewport={"width": width, "height": height})
    pages.append(tab.page)
    account = desk.accounts[account_name]
    submit_console_login(tab.page, desk.url, account.username, account.password)
    expect(tab.page.locator("#app")).to_be_visible()
    expect(tab.page.locator("#conn")).to_have_class(re.compile(r"\blive\b"), timeout=20_000)  # "live" / "实时"
    return tab.page


def test_an_agent_cancels_an_order_from_its_card_and_the_customer_sees_it(
    chromium: Browser, desk: OrdersDesk, stack: Stack, shots: Path, pages: list[Page]
) -> None:
    conversation = signed_in_handoff(desk, stack)
    page = console_page(chromium, desk, 1280, 800, pages)
    expect(page.locator("#my-status")).to_have_value("online")
    page.locator(f'#queue li[data-id="{conversation}"]').click(timeout=20_000)
    page.locator("#claim").click()
    expect(page.locator("#reply-form")).to_be_visible(timeout=20_000)

    expect(page.locator("#customer")).to_contain_text("Ingrid Berg", timeout=20_000)
    expect(page.locator("#customer .verified")).to_have_text("Verified: signed in on the shop's website")
    order = page.locator('#orders li[data-order="100257"]')
    expect(order.locator('button[data-action="cancel"]')).to_be_enabled(timeout=20_000)  # claimed: actions on
    expect(order.locator(".order-status")).to_have_text("Paid, waiting to be packed")
    expect(order.locator(".order-items li").first).to_contain_text("×")
    expect(order).to_contain_text("Total")
    expect(order.locator('button[data-action="return"]')).to_be_disabled()  # not delivered: no return yet
    assert "customer_verified_by" not in page.locator("#context").inner_text()  # no internal labels
    page.screenshot(path=str(shots / "desk-orders-panel-1280.png"))

    order.locator('button[data-action="cancel"]').click()
    dialog = page.locator("#order-dialog")
    expect(dialog.locator(".sum-title")).to_have_text("Cancel order 100257?", timeout=20_000)
    expect(dialog.locator("#order-submit")).to_have_text("Confirm cancellation")
    page.screenshot(path=str(shots / "desk-orders-confirm-1280.png"))
    assert desk.order_status("100257") == "paid"  # the summary changed nothing
    dialog.locator("#order-submit").click()
    expect(dialog).to_be_hidden(timeout=20_000)
    note = page.locator("#transcript li.msg.system .text").filter(has_text="Your order 100257 was cancelled")
    expect(note).to_contain_text("by Olga Tester", timeout=20_000)
    expect(order.locator(".order-status")).to_have_text("Cancelled")
    expect(page.locator("#orders .order-history")).to_contain_text("Cancelled order 100257 · Olga Tester")
    assert desk.order_status("100257") == "cancelled"
    page.screenshot(path=str(shots / "desk-orders-done-1280.png"))

    # the customer's widget (the same conversation, on the shop page) shows the note
    customer = new_tab(chromium, viewport={"width": 390, "height": 844})
    pages.append(customer.page)
    customer.page.add_init_script(f"localStorage.setItem('{STORAGE_KEY}', '{conversation}')")
    customer.page.goto(desk.url + "/")
    open_widget(customer.page)
    expect(
        customer.page.locator(f"{HOST} .msg.system").filter(has_text="Your order 100257 was cancelled by Olga")
    ).to_be_visible()
    customer.page.screenshot(path=str(shots / "desk-orders-customer-390.png"))

    # the tracking sent from a delivered order's card: the customer follows it from a link, not a raw address
    page.locator('#orders li[data-order="100124"] button[data-action="resend_tracking"]').click()
    title = "Send the tracking of order 100124 to the customer?"
    expect(dialog.locator(".sum-title")).to_have_text(title, timeout=20_000)
    dialog.locator("#order-submit").click()
    expect(dialog).to_be_hidden(timeout=20_000)
    sent = customer.page.locator(f"{HOST} .msg.system").filter(has_text="sent you the tracking of your order 100124")
    expect(sent.locator("a")).to_have_attribute("href", re.compile(r"^https://\S+$"), timeout=20_000)
    expect(sent.locator("a")).to_have_attribute("rel", "noopener noreferrer")
    customer.page.screenshot(path=str(shots / "desk-orders-tracking-390.png"))

    # the same conversation on a phone: the cards are readable and the actions reachable
    phone = console_page(chromium, desk, 390, 844, pages)
    phone.locator(f'#chats li[data-id="{conversation}"]').click()
    card = phone.locator('#orders li[data-order="100124"]')
    card.scroll_into_view_if_needed()
    expect(card.locator(".order-status")).to_be_visible()
    box = card.bounding_box()
    assert box is not None and box["width"] <= 390  # no sideways scrolling
    phone.screenshot(path=str(shots / "desk-orders-panel-390.png"), full_page=False)
    with phone.expect_response(lambda r: r.url.endswith("/api/agent/status")) as answer:
        phone.locator("#my-status").select_option("away")
    assert answer.value.ok  # stored before the reload (going away also hands back unanswered chats: it takes a moment)
    expect(phone.locator("#my-status")).to_have_value("away")
    phone.reload()
    expect(phone.locator("#my-status")).to_have_value("away")  # kept on the account
