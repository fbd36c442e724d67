"""A refusal the widget shows comes in the widget's language (issue 18, item 2): on a Chinese shop page a customer
waiting for a person tries to send a program dressed as a photo, and the widget says why in Chinese — the
helpdesk's own words (helpdesk/errors_zh.py), not the widget's generic failure line. On an English page the same
refusal stays English. Desktop and phone, Chromium, the real stack."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

pytestmark = pytest.mark.browser

HOST = "#larkspur-chat-host"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120  # a Windows program's first bytes, named .jpg below
SHOTS = Path(__file__).resolve().parents[2] / "results" / "tmp" / "screenshots"


def shop_page(browser: Browser, helpdesk_url: str, lang: str, viewport: dict[str, int]) -> Page:
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(30_000)

    def serve(route: Route) -> None:
        route.fulfill(
            content_type="text/html; charset=utf-8",
            body=f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>shop</title></head>'
            f'<body><h1>Larkspur Home</h1><script src="{helpdesk_url}/widget.js" async></script></body></html>',
        )

    page.route(f"{helpdesk_url}/refusal-{lang}.html", serve)
    page.goto(f"{helpdesk_url}/refusal-{lang}.html")
    return page


@pytest.mark.parametrize(
    ("lang", "person", "refusal"),
    [
        ("zh-CN", "转人工客服", "只能发送照片（JPEG、PNG 或 WebP）和 PDF 文件。"),
        ("en", "I want to talk to a real person please", "only photos (JPEG, PNG or WebP) and PDF files can be sent"),
    ],
)
@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}], ids=str)
def test_the_widget_shows_the_helpdesks_refusal_in_its_language(
    chromium: Browser, helpdesk_url: str, lang: str, person: str, refusal: str, viewport: dict[str, int]
) -> None:
    page = shop_page(chromium, helpdesk_url, lang, viewport)
    page.locator(f"{HOST} .launcher").click()
    page.locator(f"{HOST} textarea").fill(person)
    page.locator(f"{HOST} textarea").press("Enter")
    expect(page.locator(f"{HOST} button.attach")).to_be_visible(timeout=60_000)  # a conversation: files allowed
    page.locator(f"{HOST} input[type=file]").set_input_files(
        {"name": "receipt.jpg", "mimeType": "image/jpeg", "buffer": PROGRAM}
    )
    expect(page.locator(f"{HOST} .fileerr")).to_have_text(refusal)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"widget-refusal-{lang}-{viewport['width']}.png"))
    page.context.close()
