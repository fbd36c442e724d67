"""The help centre in Chinese in Chromium (issue 18, item 2), desktop and phone: a reader whose browser is Chinese
gets the Chinese page, opens an article from the index, the chat widget on the page speaks Chinese and starts with
the article's Chinese question, and the English switch leads back.
Screenshots: results/tmp/screenshots/help-zh-*.png (not committed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "results" / "tmp" / "screenshots"
HOST = "#larkspur-chat-host"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}], ids=str)
def test_a_chinese_reader_uses_the_help_centre_in_chinese(
    chromium: Browser, helpdesk_url: str, viewport: dict[str, int]
) -> None:
    context = chromium.new_context(viewport=viewport, locale="zh-CN")  # the browser asks for Chinese pages
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(helpdesk_url + "/help")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("h1")).to_have_text("有什么可以帮您？")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.locator("#topic-delivery a.title", has_text="配送需要多长时间").click()
    expect(page).to_have_url(re.compile(r"/help/delivery-time\?lang=zh$"))
    expect(page.locator("article h1")).to_have_text("配送需要多长时间？")
    expect(page.locator(f"{HOST} .launcher")).to_have_attribute("aria-label", "打开聊天")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"help-zh-{viewport['width']}.png"), full_page=True)

    page.locator(".chat-offer button.chat").click()
    expect(page.locator(f"{HOST} textarea")).to_have_value(re.compile("^关于“配送需要多长时间？”："))
    page.locator(f"{HOST} .close").click()  # the chat closed (on a phone it covers the page)
    page.locator("header a.language").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("article h1")).to_have_text("How long does delivery take?")
    assert not CJK.search(page.locator("main").inner_text())
    context.close()


def test_a_chinese_reader_finds_an_article_by_asking_in_chinese(chromium: Browser, helpdesk_url: str) -> None:
    """The search box answers a Chinese question with the article that covers it (none of its words are in the
    article's Chinese title): before, the English-only FAQ engine found nothing for any Chinese question."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(helpdesk_url + "/help")
    page.locator("#help-q").fill("寄到我家要几天")
    page.locator("#help-q").press("Enter")
    expect(page.locator("#results-h")).to_have_text("“寄到我家要几天”的搜索结果")
    first = page.locator("section.results a.title").first
    expect(first).to_have_text("配送需要多长时间？")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "help-zh-search-390.png"), full_page=True)
    first.click()
    expect(page).to_have_url(re.compile(r"/help/delivery-time\?lang=zh$"))
    expect(page.locator("article h1")).to_have_text("配送需要多长时间？")
    context.close()
