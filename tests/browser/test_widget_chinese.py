"""The widget on a Chinese page (issue 18.5): every string Chinese on <html lang="zh-CN"> (title, greeting,
placeholder, buttons, aria labels, the greeting's topics), a Chinese reply from the real bot, and English
unchanged on an English page. A Chinese customer on an English page gets the widget's own words in Chinese too once
they write (the walkthrough of 2026-12-04: Chinese answers under "Did this help?", "Talk to a person" and an English
queue and rating), also after a reload. On a zh-TW page, or once a customer writes traditional characters (the chat
API's `script`), the widget's words are traditional (its zh-Hant table). Desktop 1280×800 and phone 390×844."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from helpdesk.conversation.script import writes_traditional

pytestmark = pytest.mark.browser

HOST = "#larkspur-chat-host"
CJK = re.compile(r"[\u3400-\u9fff]")
SHOTS = Path(__file__).resolve().parents[2] / "results" / "tmp" / "screenshots"  # not committed


def page_in(browser: Browser, helpdesk_url: str, lang: str, viewport: dict[str, int], attrs: str = "") -> Page:
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(20_000)

    def shop_page(route: Route) -> None:
        route.fulfill(
            content_type="text/html; charset=utf-8",
            body=f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>shop</title></head>'
            f'<body><h1>Larkspur Home</h1><script src="{helpdesk_url}/widget.js" {attrs} async></script></body></html>',
        )

    page.route(f"{helpdesk_url}/shop-{lang}.html", shop_page)
    page.goto(f"{helpdesk_url}/shop-{lang}.html")
    return page


@pytest.fixture(params=[{"width": 1280, "height": 800}, {"width": 390, "height": 844}], ids=["desktop", "phone"])
def viewport(request: pytest.FixtureRequest) -> Iterator[dict[str, int]]:
    yield request.param


SHOP_TITLES = 'data-title="Larkspur help" data-title-zh="Larkspur 客服" data-title-zh-hant="Larkspur 客服中心"'


@pytest.mark.parametrize(
    ("lang", "shown"), [("en-GB", "Larkspur help"), ("zh-CN", "Larkspur 客服"), ("zh-TW", "Larkspur 客服中心")]
)
def test_the_shops_own_title_is_shown_in_the_widgets_language(
    chromium: Browser, helpdesk_url: str, lang: str, shown: str
) -> None:
    # the demo shop's page gave only data-title="Larkspur Home help": a Chinese customer read English in the header
    page = page_in(chromium, helpdesk_url, lang, {"width": 390, "height": 844}, SHOP_TITLES)
    page.locator(f"{HOST} .launcher").click()
    expect(page.locator(f"{HOST} .head h2")).to_have_text(shown)
    expect(page.locator(f"{HOST} .panel")).to_have_attribute("aria-label", shown)
    page.context.close()


def test_the_shops_title_follows_a_chinese_writer_on_an_english_page(chromium: Browser, helpdesk_url: str) -> None:
    page = page_in(chromium, helpdesk_url, "en-GB", {"width": 390, "height": 844}, SHOP_TITLES)
    page.locator(f"{HOST} .launcher").click()
    expect(page.locator(f"{HOST} .head h2")).to_have_text("Larkspur help")
    page.locator(f"{HOST} textarea").fill("你们发货到瑞士吗")
    page.locator(f"{HOST} textarea").press("Enter")
    expect(page.locator(f"{HOST} .msg.bot:not(.intro) .text").last).to_contain_text("瑞士", timeout=60_000)
    expect(page.locator(f"{HOST} .head h2")).to_have_text("Larkspur 客服")
    page.context.close()


def test_the_widget_speaks_chinese_on_a_chinese_page(
    chromium: Browser, helpdesk_url: str, viewport: dict[str, int]
) -> None:
    page = page_in(chromium, helpdesk_url, "zh-CN", viewport)
    launcher = page.locator(f"{HOST} .launcher")
    expect(launcher).to_have_attribute("aria-label", "打开聊天")
    launcher.click()
    panel = page.locator(f"{HOST} .panel")
    expect(panel).to_be_visible()
    expect(page.locator(f"{HOST} .head h2")).to_have_text("在线客服")
    expect(page.locator(f"{HOST} textarea")).to_have_attribute("placeholder", "请输入消息…")
    expect(page.locator(f"{HOST} .human")).to_have_text("转人工客服")
    topics = page.locator(f"{HOST} .quick button")
    expect(topics.first).to_have_text("我的订单到哪了？")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"widget-zh-{viewport['width']}.png"))
    labels = page.evaluate(
        """() => [...document.getElementById('larkspur-chat-host').shadowRoot
              .querySelectorAll('[aria-label],[placeholder],button,h2')]
              .filter((e) => e.offsetParent !== null)
              .map((e) => e.getAttribute('aria-label') || e.getAttribute('placeholder') || e.textContent.trim())
              .filter((s) => s)"""
    )
    english = [s for s in labels if re.search(r"[A-Za-z]{3,}", s) and not CJK.search(s) and "Larkspur" not in s]
    assert not english, english  # no English string on the Chinese widget

    topics.first.click()  # a topic button: the bot answers in the language of its title
    reply = page.locator(f"{HOST} .msg.bot:not(.intro) .text").last
    expect(reply).to_contain_text("订单号", timeout=60_000)
    expect(page.locator(f"{HOST} .msg.bot:not(.intro)").last.locator(".fb")).to_have_count(0)  # a question: no 👍 👎
    page.locator(f"{HOST} textarea").fill("100234，邮编 2511 AB")
    page.locator(f"{HOST} textarea").press("Enter")
    status = page.locator(f"{HOST} .msg.bot:not(.intro)").last
    expect(status.locator(".text")).to_contain_text("订单 100234", timeout=60_000)
    # the tracking page as a short link in Chinese, not the carrier's raw URL
    link = status.get_by_role("link", name="在 DHL 查看物流")
    expect(link).to_be_visible()
    assert (link.get_attribute("href") or "").startswith("https://www.dhl.com/")
    expect(status.locator(".text")).not_to_contain_text("https://")
    expect(status.locator(".fb")).to_contain_text("这个回答有帮助吗？")
    page.screenshot(path=str(SHOTS / f"widget-zh-reply-{viewport['width']}.png"))
    page.context.close()


def test_the_widget_stays_english_on_an_english_page(chromium: Browser, helpdesk_url: str) -> None:
    page = page_in(chromium, helpdesk_url, "en-GB", {"width": 1280, "height": 800})
    page.locator(f"{HOST} .launcher").click()
    expect(page.locator(f"{HOST} .head h2")).to_have_text("Chat with us")
    expect(page.locator(f"{HOST} textarea")).to_have_attribute("placeholder", "Type your message…")
    expect(page.locator(f"{HOST} .quick button").first).to_have_text("Where is my order?")
    page.context.close()


def test_the_widget_follows_a_chinese_customer_on_an_english_page(
    chromium: Browser, helpdesk_url: str, viewport: dict[str, int]
) -> None:
    page = page_in(chromium, helpdesk_url, "en-GB", viewport)
    page.locator(f"{HOST} .launcher").click()
    expect(page.locator(f"{HOST} textarea")).to_have_attribute("placeholder", "Type your message…")
    page.locator(f"{HOST} textarea").fill("我的订单100234到哪了？邮编 2511 AB")
    page.locator(f"{HOST} textarea").press("Enter")
    status = page.locator(f"{HOST} .msg.bot:not(.intro)").last
    expect(status.locator(".text")).to_contain_text("订单 100234", timeout=60_000)
    expect(status.locator(".fb")).to_contain_text("这个回答有帮助吗？")
    expect(page.locator(f"{HOST} .human")).to_have_text("转人工客服")
    expect(page.locator(f"{HOST} textarea")).to_have_attribute("placeholder", "请输入消息…")
    expect(page.locator(f"{HOST} .head .st")).to_have_text("智能助手")
    intro = page.locator(f"{HOST} .msg.intro")
    expect(intro.locator(".text")).to_have_text("您好！今天有什么可以帮您？")  # the widget's greeting too
    expect(intro.locator(".who")).to_have_text("智能助手")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"widget-follows-zh-{viewport['width']}.png"))
    page.reload()  # the same conversation: still Chinese
    if not page.locator(f"{HOST} .panel").is_visible():
        page.locator(f"{HOST} .launcher").click()
    expect(page.locator(f"{HOST} textarea")).to_have_attribute("placeholder", "请输入消息…")
    expect(page.locator(f"{HOST} .human")).to_have_text("转人工客服")
    page.context.close()


def visible_labels(page: Page) -> list[str]:
    return list(
        page.evaluate(
            """() => [...document.getElementById('larkspur-chat-host').shadowRoot
              .querySelectorAll('[aria-label],[placeholder],button,h2,.st,.who')]
              .filter((e) => e.offsetParent !== null)
              .map((e) => e.getAttribute('aria-label') || e.getAttribute('placeholder') || e.textContent.trim())
              .filter((s) => s)"""
        )
    )


def test_the_widget_speaks_traditional_chinese_on_a_taiwanese_page(
    chromium: Browser, helpdesk_url: str, viewport: dict[str, int]
) -> None:
    """Issue 18 (lane ui): on <html lang="zh-TW"> the widget's own words are traditional Chinese in Taiwan's usage
    (線上客服, 請輸入訊息…) before the first reply, and so are the topics, the bot's answer and "這個回答有幫助嗎？"."""
    page = page_in(chromium, helpdesk_url, "zh-TW", viewport)
    launcher = page.locator(f"{HOST} .launcher")
    expect(launcher).to_have_attribute("aria-label", "開啟聊天")
    launcher.click()
    expect(page.locator(f"{HOST} .head h2")).to_have_text("線上客服")
    expect(page.locator(f"{HOST} textarea")).to_have_attribute("placeholder", "請輸入訊息…")
    expect(page.locator(f"{HOST} .human")).to_have_text("轉人工客服")
    expect(page.locator(f"{HOST} .msg.intro .text")).to_have_text("您好！今天有什麼可以幫您？")
    topics = page.locator(f"{HOST} .quick button")
    expect(topics.first).to_have_text("我的訂單到哪了？")
    labels = visible_labels(page)
    assert not [s for s in labels if writes_traditional(s) is False], labels  # nothing in simplified characters
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"widget-zh-hant-{viewport['width']}.png"))

    topics.first.click()
    expect(page.locator(f"{HOST} .msg.bot:not(.intro) .text").last).to_contain_text("訂單號", timeout=60_000)
    page.locator(f"{HOST} textarea").fill("100234，郵編 2511 AB")
    page.locator(f"{HOST} textarea").press("Enter")
    status = page.locator(f"{HOST} .msg.bot:not(.intro)").last
    expect(status.locator(".text")).to_contain_text("訂單 100234", timeout=60_000)
    expect(status.locator(".fb")).to_contain_text("這個回答有幫助嗎？")
    customer = page.locator(f"{HOST} .msg.customer .text").first
    expect(customer).to_have_text("我的訂單到哪了？")  # the topic as shown: the conversation stays traditional
    page.screenshot(path=str(SHOTS / f"widget-zh-hant-reply-{viewport['width']}.png"))
    page.context.close()


def test_a_traditional_writer_on_a_simplified_page_gets_the_widget_in_traditional(
    chromium: Browser, helpdesk_url: str, viewport: dict[str, int]
) -> None:
    """A customer writing traditional characters on a zh-CN page: the chat API's `script` turns the widget's own
    words traditional with the bot's (also after a reload), and back once they write simplified ones."""
    page = page_in(chromium, helpdesk_url, "zh-CN", viewport)
    page.locator(f"{HOST} .launcher").click()
    expect(page.locator(f"{HOST} textarea")).to_have_attribute("placeholder", "请输入消息…")
    page.locator(f"{HOST} textarea").fill("我的訂單100234到哪了？郵編 2511 AB")
    page.locator(f"{HOST} textarea").press("Enter")
    status = page.locator(f"{HOST} .msg.bot:not(.intro)").last
    expect(status.locator(".text")).to_contain_text("訂單 100234", timeout=60_000)
    expect(status.locator(".fb")).to_contain_text("這個回答有幫助嗎？")
    expect(page.locator(f"{HOST} .head h2")).to_have_text("線上客服")
    expect(page.locator(f"{HOST} textarea")).to_have_attribute("placeholder", "請輸入訊息…")
    expect(page.locator(f"{HOST} .human")).to_have_text("轉人工客服")
    expect(page.locator(f"{HOST} .msg.intro .text")).to_have_text("您好！今天有什麼可以幫您？")
    expect(page.locator(f"{HOST} .root")).to_have_attribute("lang", "zh-Hant")  # traditional glyph shapes
    labels = visible_labels(page)
    assert not [s for s in labels if writes_traditional(s) is False], labels
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"widget-follows-zh-hant-{viewport['width']}.png"))
    page.reload()  # the same conversation: still traditional
    if not page.locator(f"{HOST} .panel").is_visible():
        page.locator(f"{HOST} .launcher").click()
    expect(page.locator(f"{HOST} textarea")).to_have_attribute("placeholder", "請輸入訊息…")
    page.locator(f"{HOST} textarea").fill("谢谢，那我再等等")
    page.locator(f"{HOST} textarea").press("Enter")
    expect(page.locator(f"{HOST} textarea")).to_have_attribute("placeholder", "请输入消息…", timeout=60_000)
    expect(page.locator(f"{HOST} .head h2")).to_have_text("在线客服")
    expect(page.locator(f"{HOST} .root")).to_have_attribute("lang", "zh")
    page.context.close()


def test_a_link_in_a_chinese_sentence_ends_where_the_address_ends(chromium: Browser, helpdesk_url: str) -> None:
    """The czh lane's walk (2026-12-07, phone): the refused address change of a shipped order says "通过物流链接
    （https://…tracking-id=…）联系 DHL 改派"; Chinese goes on without a space, and the link took "）联系" into its
    address (a tracking id the carrier does not know). The link is the carrier's address and nothing after it."""
    page = page_in(chromium, helpdesk_url, "zh-CN", {"width": 390, "height": 844})
    page.locator(f"{HOST} .launcher").click()
    for line, shown in [("我的订单100234到哪了？ann.lee@example.com", "订单 100234"), ("能改地址吗", "改派")]:
        page.locator(f"{HOST} textarea").fill(line)
        page.locator(f"{HOST} textarea").press("Enter")
        expect(page.locator(f"{HOST} .msg.bot:not(.intro) .text").last).to_contain_text(shown, timeout=60_000)
    refusal = page.locator(f"{HOST} .msg.bot:not(.intro)").last
    link = refusal.locator("a[href*='tracking']")
    expect(link).to_have_count(1)
    href = link.get_attribute("href") or ""
    assert re.search(r"tracking-id=[A-Za-z0-9]+$", href), href
    expect(link).not_to_contain_text("联系")
    page.context.close()
