"""The summary of an order change, before the agent confirms it, reads like the order's card beside it (headless
Chromium, 1366×900, a helpdesk with its own demo shop): the items named as the card names them (as the customer reads
them in the chat) and its dates in the staff member's own language. The walkthrough of 2026-12-07 saw, in a Chinese
console for a Chinese customer, a card listing "1 × 美利奴羊毛毯，炭灰色" and its cancellation summary "1 × Merino wool
blanket, charcoal" with the refund "€149.00 最晚于 Monday 21 December 退回原支付方式"."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from support.agent import say
from support.desk_orders import INGRID, OrdersDesk, orders_desk
from test_desk_orders_browser import console_page

from helpdesk.orders import sign_identity
from helpdesk.stack import Stack

pytestmark = pytest.mark.browser

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(scope="module")
def desk(stack: Stack) -> Iterator[OrdersDesk]:
    with orders_desk(stack, "sqlite") as running:
        yield running


@pytest.fixture()
def pages() -> Iterator[list[Page]]:
    opened: list[Page] = []
    yield opened
    for page in opened:
        page.context.close()


def chinese_handoff(desk: OrdersDesk, stack: Stack) -> str:
    """Ingrid, signed in on the shop, asks in Chinese about her latest order, then for a person."""
    token = sign_identity(INGRID, stack.env["IDENTITY_SECRET"])
    with httpx.Client(base_url=desk.url, timeout=60) as client:
        first = client.post(
            "/api/chat", json={"conversation_id": None, "text": "我最近的订单到哪了？", "customer_token": token}
        )
        assert first.status_code == 200, first.text
        conversation = str(first.json()["conversation_id"])
        assert say(client, "转人工客服", conversation)["mode"] == "queued"
    return conversation


def claimed_on_a_chinese_console(
    chromium: Browser, desk: OrdersDesk, stack: Stack, pages: list[Page], width: int, height: int
) -> tuple[str, Page]:
    """Ingrid's Chinese handoff (:func:`chinese_handoff`) claimed by Olga at her console set to Chinese, at this
    size: the conversation and Olga's page."""
    conversation = chinese_handoff(desk, stack)
    olga = desk.console("olga")
    assert olga.put("/me/language", {"language": "zh"}).status_code == 200
    olga.close()
    page = console_page(chromium, desk, width, height, pages)
    page.locator(f'#queue li[data-id="{conversation}"]').click(timeout=20_000)
    page.locator("#claim").click()
    expect(page.locator("#reply-form")).to_be_visible(timeout=20_000)
    return conversation, page


def cancellation_summary(page: Page, number: str) -> tuple[list[str], list[str], Locator]:
    """The order's card's item names, the cancellation summary's lines (the dialog open) and its refund fact."""
    card = page.locator(f'#orders li[data-order="{number}"]')
    expect(card.locator('button[data-action="cancel"]')).to_be_enabled(timeout=20_000)
    names = card.locator(".order-items li span:first-child").all_inner_texts()
    card.locator('button[data-action="cancel"]').click()
    dialog = page.locator("#order-dialog")
    expect(dialog.locator(".sum-lines li").first).to_be_visible(timeout=20_000)
    lines = dialog.locator(".sum-lines li").all_inner_texts()
    return names, lines, dialog.locator(".facts dd").last


def test_an_order_changes_summary_names_the_items_as_its_card_and_dates_in_the_staff_language(
    chromium: Browser, desk: OrdersDesk, stack: Stack, pages: list[Page]
) -> None:
    conversation, page = claimed_on_a_chinese_console(chromium, desk, stack, pages, 1366, 900)
    names, lines, refund = cancellation_summary(page, "100257")
    assert names and all(re.search(r"[\u4e00-\u9fff]", n) for n in names), names  # the card: as Ingrid reads them
    assert lines == names
    expect(refund).to_contain_text("退回原支付方式")
    expect(refund).to_contain_text(re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"))
    assert not LATIN_WORD.search(refund.inner_text()), refund.inner_text()
    page.keyboard.press("Escape")

    # an English-speaking supervisor at the same chat: the same names as on the card, the date in English
    sven = console_page(chromium, desk, 1366, 900, pages, "sven")
    sven.locator(f'#chats li[data-id="{conversation}"]').click(timeout=20_000)
    names, lines, refund = cancellation_summary(sven, "100257")
    assert lines == names
    expect(refund).to_contain_text(
        re.compile(r"back to the original payment method by (Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day \d+ [A-Z][a-z]+")
    )


def test_why_an_orders_actions_are_off_reads_in_chinese_on_a_chinese_console(
    chromium: Browser, desk: OrdersDesk, stack: Stack, pages: list[Page]
) -> None:
    # the zhwalk walk of 2026-12-07 (an agent's console in Chinese, at phone size): under "为什么有些操作不可用" each
    # line read "Start a return: 订单 100257 还没有发货，暂时没有可退的商品。", the action's name in English
    _, page = claimed_on_a_chinese_console(chromium, desk, stack, pages, 390, 844)
    card = page.locator('#orders li[data-order="100257"]')
    expect(card.locator('button[data-action="return"]')).to_be_disabled(timeout=20_000)  # not delivered yet
    why = card.locator("details.why-not")
    expect(why.locator("summary")).to_have_text("为什么有些操作不可用")
    why.locator("summary").click()
    lines = why.locator("div")
    expect(lines.first).to_be_visible()
    said = lines.all_inner_texts()
    assert any(line.startswith("发起退货") and "还没有发货" in line for line in said), said
    assert not any(LATIN_WORD.search(line) for line in said), said
