"""The help centre (/help) in headless Chromium against the real stack, on a desktop (1280x800) and a phone
(390x844): the handbook by topic, search with the bot's own engine (a typo included), related articles, the chat
offered with the article as context, and "Was this helpful?" stored and shown in the editors' report beside the
widget's feedback. The search text is the customer's: escaped, cut to 200 characters."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from support.accounts import EDITOR, AgentLogin
from support.agent import Console, submit_console_login
from test_widget_browser import INPUT, PANEL, XSS, Tab, new_tab

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
TYPO_QUERY = "how long dose shiping take"


def shoot(page: Page, name: str, tmp_path: Path) -> None:
    """A full-page screenshot (SCREENSHOT_DIR keeps them for a person to look at)."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"help-{name}.png"), full_page=True)


def votes(db: sqlite3.Connection, faq_id: str) -> list[int]:
    rows = db.execute("SELECT helpful FROM article_votes WHERE faq_id = ? ORDER BY id", (faq_id,))
    return [row["helpful"] for row in rows]


@pytest.fixture()
def tab_for(chromium: Browser) -> Iterator[Callable[[str], Tab]]:
    tabs: list[Tab] = []

    def make(size: str) -> Tab:
        tab = new_tab(chromium, viewport=SIZES[size])
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        tab.page.context.close()


def no_horizontal_scroll(page: Page) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.mark.parametrize("size", list(SIZES))
def test_help_centre_lists_searches_and_leads_on(
    tab_for: Callable[[str], Tab],
    helpdesk_url: str,
    client: httpx.Client,
    db: sqlite3.Connection,
    size: str,
    tmp_path: Path,
) -> None:
    tab = tab_for(size)
    page = tab.page
    page.goto(f"{helpdesk_url}/help")

    # the handbook by topic: every entry listed once, under its topic
    expect(page.get_by_role("heading", name="How can we help?", level=1)).to_be_visible()
    for topic in ("Orders", "Delivery", "Returns & refunds", "Payment & gift cards", "Your account"):
        expect(page.get_by_role("heading", name=topic, level=2)).to_be_visible()
    listed = page.locator(".topics a.title")
    assert listed.count() == len(list((Path(__file__).resolve().parents[2] / "knowledge" / "faq").rglob("*.md")))
    delivery = page.locator("section.topic-card").filter(has=page.get_by_role("heading", name="Delivery", level=2))
    expect(delivery.get_by_role("link", name="How long does delivery take?")).to_be_visible()
    assert no_horizontal_scroll(page)
    shoot(page, f"{size}-index", tmp_path)

    # browse by tag
    page.locator("nav.tags").get_by_role("link", name="gift-cards", exact=True).click()
    expect(page.get_by_role("heading", name="Articles about “gift-cards”")).to_be_visible()
    expect(page.locator(".results").get_by_role("link", name="How do Larkspur gift cards work?")).to_be_visible()

    # search, typos and all, with the bot's engine: the first result is the entry the bot answers from
    page.get_by_role("searchbox").fill(TYPO_QUERY)
    page.get_by_role("searchbox").press("Enter")
    results = page.locator(".results li a.title")
    expect(page.get_by_role("heading", name=f"Results for “{TYPO_QUERY}”")).to_be_visible()
    bot = client.post("/api/chat", json={"conversation_id": None, "text": TYPO_QUERY}).json()
    assert bot["faq"] is not None, bot
    first = results.first
    assert first.get_attribute("href") == f"/help/{bot['faq']['id']}"
    assert no_horizontal_scroll(page)
    shoot(page, f"{size}-search", tmp_path)

    # the article: facts rendered, related articles that lead on
    title = first.inner_text()
    first.click()
    faq_id = bot["faq"]["id"]
    page.wait_for_url(f"**/help/{faq_id}")
    article = page.locator("article.answer")
    expect(article.locator("h1")).to_have_text(title)
    assert "{{" not in article.inner_text()
    related = page.locator(".related a.title")
    assert related.count() >= 2
    hrefs = [related.nth(i).get_attribute("href") for i in range(related.count())]
    assert f"/help/{faq_id}" not in hrefs and all(h and h.startswith("/help/") for h in hrefs)
    second_title = related.first.inner_text()
    related.first.click()
    expect(page.locator("article.answer h1")).to_have_text(second_title)
    page.go_back()
    page.wait_for_url(f"**/help/{faq_id}")

    # was this helpful? 👎, then a change of mind to 👍: one stored vote per reader and article
    before = votes(db, faq_id)
    page.get_by_role("button", name="No", exact=True).click()
    page.wait_for_url(f"**/help/{faq_id}?voted=1#vote")
    expect(page.locator(".vote .thanks")).to_contain_text("Sorry this didn't help")
    expect(page.get_by_role("button", name="No", exact=True)).to_have_attribute("aria-pressed", "true")
    assert votes(db, faq_id) == [*before, 0]
    shoot(page, f"{size}-voted-down", tmp_path)
    page.get_by_role("button", name="Yes", exact=True).click()
    expect(page.locator(".vote .thanks")).to_have_text("Thanks for letting us know!")
    assert votes(db, faq_id) == [*before, 1]

    # still stuck: the chat opens with the article as the start of the message
    page.locator(".chat-offer").get_by_role("button", name="Chat with us").click()
    expect(page.locator(PANEL)).to_be_visible()
    expect(page.locator(INPUT)).to_have_value(f"About “{page.locator('article.answer h1').inner_text()}”: ")
    shoot(page, f"{size}-chat-offer", tmp_path)
    assert tab.errors() == [] and tab.dialogs == []


def test_search_text_is_escaped_capped_and_a_miss_offers_the_chat(
    tab_for: Callable[[str], Tab], helpdesk_url: str, tmp_path: Path
) -> None:
    tab = tab_for("phone")
    page = tab.page
    page.goto(f"{helpdesk_url}/help")
    long_query = XSS + " " + "x" * 400
    page.evaluate("() => document.querySelector('input[name=q]').removeAttribute('maxlength')")
    page.get_by_role("searchbox").fill(long_query)
    page.get_by_role("searchbox").press("Enter")
    heading = page.locator("#results-h")
    expect(heading).to_contain_text(XSS)  # shown as the text it is
    shown = heading.inner_text().removeprefix("Results for “").removesuffix("”")
    assert len(shown) == 200
    assert page.locator(".results img").count() == 0 and tab.dialogs == []
    expect(page.get_by_role("searchbox")).to_have_value(shown)
    # nothing in the handbook: not a dead end, the chat starts with the question
    page.get_by_role("searchbox").fill("zorblax quantum flux capacitor")
    page.get_by_role("searchbox").press("Enter")
    expect(page.locator(".results")).to_contain_text("We couldn't find an article for that")
    page.get_by_role("button", name="Ask in the chat").click()
    expect(page.locator(INPUT)).to_have_value("zorblax quantum flux capacitor")
    shoot(page, "phone-no-results", tmp_path)
    assert tab.errors() == []


def test_votes_reach_the_editors_report_beside_the_widget_feedback(
    chromium: Browser,
    helpdesk_url: str,
    login: Callable[[str], Console],
    editor_account: AgentLogin,
    tmp_path: Path,
) -> None:
    with httpx.Client(base_url=helpdesk_url, timeout=30, follow_redirects=False) as reader:
        origin = {"Origin": helpdesk_url}
        # a post from another site is refused; a same-site one is stored
        refused = reader.post(
            "/help/gift-cards/vote", data={"helpful": "no"}, headers={"Origin": "https://evil.example"}
        )
        assert refused.status_code == 403
        stored = reader.post("/help/gift-cards/vote", data={"helpful": "no"}, headers=origin)
        assert stored.status_code == 303 and stored.headers["location"] == "/help/gift-cards?voted=1#vote"
        assert "httponly" in stored.headers["set-cookie"].lower()
        assert reader.post("/help/no-such-article/vote", data={"helpful": "no"}, headers=origin).status_code == 404
        assert reader.post("/help/gift-cards/vote", data={"helpful": "maybe"}, headers=origin).status_code == 400
    report = login(EDITOR).get("/unanswered").json()
    row = next(v for v in report["article_votes"] if v["faq_id"] == "gift-cards")
    assert row["not_helpful"] >= 1 and row["title"] == "How do Larkspur gift cards work?"

    editor = new_tab(chromium, viewport={"width": 1280, "height": 800})
    try:
        submit_console_login(editor.page, helpdesk_url, editor_account.username, editor_account.password)
        editor.page.wait_for_url("**/agent/unanswered")
        votes_row = editor.page.locator("#votes-table tbody tr").filter(has_text="How do Larkspur gift cards work?")
        expect(votes_row).to_be_visible()
        expect(votes_row.locator("td").nth(2)).not_to_have_text("0")
        shoot(editor.page, "editor-report", tmp_path)
    finally:
        editor.page.context.close()
