"""Every console page in Chinese for a staff member whose language is zh (issue 18.5), in Chromium: the agent console
with a conversation open, search and the alert settings, the dashboard with a figure's conversations, the
unanswered report, admin, follow-ups, the handbook editor with an entry open, and the corrections review — at
1280×800 and 390×844. On each, i18n.js lists the texts with Latin letters it was asked to translate and did not
know (ConsoleI18n.missed()); apart from data (names, ids, titles of handbook entries, e-mails, times) there must
be none, and the page's own words are Chinese. The pages are those of a helpdesk of the module's own
(own_helpdesk()): other test files' agents and customers' words are not on them, so what is left in English is
the console's. Screenshots go to results/tmp/screenshots/zh-*.png (not committed).

tests/web/test_console_i18n.py checks the same catalog against the pages' and scripts' source without a browser.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from support.accounts import AgentLogin
from support.agent import Console, hand_off, say, submit_console_login
from support.helpdesks import OwnHelpdesk

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "results" / "tmp" / "screenshots"
VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 390, "height": 844})
CJK = re.compile(r"[\u3400-\u9fff]")
ENGLISH_QUESTION = "Do the oak chairs come with a warranty?"
ENGLISH_TIME = re.compile(r"\b(AM|PM|Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
# what is data, not the console's words: ids, e-mails, times and dates, figures, file paths, time zones
DATA = re.compile(
    r"[\w.+-]+@[\w.-]+|[a-z0-9]+(-[a-z0-9]+)+|[0-9a-f]{8,}|[\d\s:./,%×–()+-]*(AM|PM)?[\d\s:./,%×–()+-]*"
    r"|[A-Z][a-z]+/[A-Za-z_]+|UTC|[\w/.-]+\.(ya?ml|md|py)|[a-z_]+\.[a-z_.]+|#[0-9a-f]{6}"
    r"|(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[\w ,:]*\d[\w ,:]*"
)


# The `own` fixture's helpdesk (tests/conftest.py): the names and customers' words other test files leave in the
# stack's database (an agent they deactivated, an editor, a customer's question) are not on its pages; every text
# the pages show is this module's or the console's own.
OWN_HELPDESK = "console-zh"
OWN_ACCOUNTS = (("lan", "admin", "orders", 20), ("ava", "agent", "orders", 50))


@pytest.fixture(scope="module")
def helpdesk_url(own: OwnHelpdesk) -> str:  # the client and the browser use the module's own helpdesk
    return own.url


@pytest.fixture(scope="module")
def lan(own: OwnHelpdesk) -> AgentLogin:
    """An admin (every page is open to admins) whose console language is Chinese."""
    return own.accounts["lan"]


@pytest.fixture(scope="module")
def lan_console(own: OwnHelpdesk, lan: AgentLogin) -> Iterator[Console]:
    console = Console(own.url)
    assert console.login(lan.username, lan.password).status_code == 200
    assert console.put("/me/language", {"language": "zh"}).json() == {"language": "zh"}
    yield console
    console.put("/me/language", {"language": "en"})
    console.close()


def data_texts(console: Console) -> set[str]:
    """Names and titles the pages show as they are: agents, teams, handbook entries, canned replies, labels."""
    texts = set()
    for agent in console.get("/agents").json().get("agents", []):
        texts.update(str(agent.get(k) or "") for k in ("display_name", "username", "team", "name"))
    for entry in console.get("/handbook").json().get("entries", []):
        texts.update(str(entry.get(k) or "") for k in ("id", "title", "zh_title", "path"))
    texts.update(str(c.get("title") or "") for c in console.get("/canned").json().get("canned", []))
    texts.update(str(label.get("name") or "") for label in console.get("/labels").json().get("labels", []))
    return {t for t in texts if t}


# between names and figures: "· Ava Tester" (a card's colleague, the separator first), "a, b", "title: x", "(n)"
SEPARATORS = re.compile(r"\s*·\s*|, |: | \(|\)|“|”|\s—\s|[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def is_data(text: str, data: set[str]) -> bool:
    """Only names, titles, ids, figures and times in Latin letters (the console's own words around them are Chinese)."""
    text = re.sub(r"\s+\d+(\.\d+)?%?$", "", text.strip())  # a title with its score
    if not text or text in data or DATA.fullmatch(text):
        return True
    parts = [p.strip() for p in SEPARATORS.split(text)]
    return all(not p or p in data or DATA.fullmatch(p) or not re.search("[A-Za-z]", p) for p in parts)


def visit(page: Page, url: str, ready: Callable[[Page], None]) -> None:
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")  # i18n.js knows the staff member's language
    page.evaluate("() => window.ConsoleI18n.ready")  # (no string evaluation: the console's CSP forbids eval)
    ready(page)
    page.wait_for_timeout(300)  # let the observer see the last changes


def untranslated(page: Page, data: set[str]) -> list[str]:
    missed: list[str] = page.evaluate("window.ConsoleI18n.missed()")
    return sorted(t for t in missed if not is_data(t, data))


def console_ready(conversation: str) -> Callable[[Page], None]:
    def ready(page: Page) -> None:
        expect(page.locator("#app")).to_be_visible()
        summary = page.locator("#alert-settings summary")
        if summary.is_visible():
            summary.click()  # the alert settings' words
            summary.click()
        page.locator("#search-q").fill("转人工")
        page.locator("#search-form button[type=submit]").click()
        expect(page.locator("#search-results li").first).to_be_visible()
        page.locator("#search-clear").click()
        # a colleague's chat: the customer's English question on its card is the customer's, not translated
        expect(page.locator("#chats .question").filter(has_text=ENGLISH_QUESTION)).to_be_visible()
        item = page.locator(f'#queue li[data-id="{conversation}"]')
        expect(item).to_be_visible()
        item.click()
        expect(page.locator("#handoff")).to_contain_text("中文")
        times = " ".join(page.locator("#transcript .who").all_inner_texts() + page.locator("#queue").all_inner_texts())
        assert times and not ENGLISH_TIME.search(times), times

    return ready


def dashboard_ready(page: Page) -> None:
    expect(page.locator("#kpis .kpi").first).to_be_visible()
    # the charts are drawn on canvas, out of i18n.js's sight: their words come translated from dashboard.js
    labels = page.evaluate(
        "() => ['chart-reasons', 'chart-sla'].flatMap((id) => {"
        " const c = window.Chart.getChart(document.getElementById(id));"
        " return [...c.data.labels, ...c.data.datasets.map((d) => d.label || '')]; })"
    )
    assert labels and all(CJK.search(str(x)) or not re.search("[A-Za-z]{2,}", str(x)) for x in labels), labels
    page.locator("#kpis .kpi").first.click()
    expect(page.locator("#drill-list li").first).to_be_visible()


def test_every_console_page_is_chinese_for_a_chinese_staff_member(
    chromium: Browser,
    helpdesk_url: str,
    lan: AgentLogin,
    lan_console: Console,
    client: httpx.Client,
    own: OwnHelpdesk,
) -> None:
    conversation = say(client, "转人工客服")["conversation_id"]
    say(client, "Where is my order 100234?")  # an English one in the lists too
    colleague = Console(helpdesk_url)  # and an English customer's chat with a colleague, on lan's console
    try:
        assert colleague.login(own.accounts["ava"].username, own.accounts["ava"].password).status_code == 200
        assert colleague.post(f"/conversations/{hand_off(client, ENGLISH_QUESTION)}/claim").status_code == 200
    finally:
        colleague.close()
    pages: list[tuple[str, str, Callable[[Page], None]]] = [
        ("console", "/agent", console_ready(conversation)),
        ("dashboard", "/agent/dashboard", dashboard_ready),
        ("unanswered", "/agent/unanswered", lambda p: expect(p.locator("#page")).to_be_visible()),
        ("admin", "/agent/admin", lambda p: expect(p.locator("#t-users tr").nth(1)).to_be_visible()),
        ("followups", "/agent/followups", lambda p: expect(p.locator("body[data-loaded='1']")).to_have_count(1)),
        ("handbook", "/agent/handbook#refund-policy", lambda p: expect(p.locator("#edit-pane")).to_be_visible()),
        ("corrections", "/agent/corrections", lambda p: expect(p.locator("#review")).to_be_visible()),
    ]
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: dict[str, list[str]] = {}
    for viewport in VIEWPORTS:
        # an English browser: the console's own dates and times must follow the staff member's language anyway
        context = chromium.new_context(viewport=viewport, locale="en-US")
        page = context.new_page()
        page.set_default_timeout(20_000)
        submit_console_login(page, helpdesk_url, lan.username, lan.password)
        expect(page.locator("#app")).to_be_visible()
        for name, path, ready in pages:
            visit(page, helpdesk_url + path, ready)
            expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
            assert CJK.search(page.locator("header").first.inner_text()), (name, "header not Chinese")
            page.screenshot(path=str(SHOTS / f"zh-{name}-{viewport['width']}.png"), full_page=True)
            data = data_texts(lan_console)  # as the page was shown: what other tests made meanwhile is data too
            missed = untranslated(page, data)
            if missed:
                problems[f"{name} at {viewport['width']}"] = missed
        context.close()
    assert not problems, "shown in English on a Chinese console (add to i18n/zh.json):\n" + "\n".join(
        f"{where}: {texts}" for where, texts in problems.items()
    )
