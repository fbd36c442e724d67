"""A chat card in the agent console, in headless Chromium against the real stack, at 1280x800 and 390x844, in an
English and a Chinese console: the card's last line names the agent's own reply "You:" (Chatwoot's word; it read
"agent: …", untranslated), a chat the customer wrote to since the agent looked shows how many lines arrived (a count
badge, as Chatwoot's list has; only a coloured edge before; kept by the server: a reload and the agent's other consoles
show it, and reading the chat in one console clears it in the others), and on a phone the canned-reply select's
first line can be read whole (it showed "Insert a…"). Walkthrough follow-ups of 2026-12-06. Screenshots go to
$SCREENSHOT_DIR (or the test's folder)."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import Console, hand_off, say, submit_console_login
from test_widget_browser import SIZES, Tab, sized_tab

from helpdesk.stack import Stack

pytestmark = pytest.mark.browser

YOU = {"en": "You:", "zh": "我："}


@pytest.fixture(scope="module")
def yan(stack: Stack) -> AgentLogin:
    """An agent of this module only: its chats and language are nobody else's."""
    return add_agent_accounts(stack.env["DATABASE_URL"], (("yan", "agent", None, 20),))["yan"]


@pytest.fixture(params=[(size, lang) for size in sorted(SIZES) for lang in ("en", "zh")], ids=lambda p: "-".join(p))
def console_tab(
    request: pytest.FixtureRequest, chromium: Browser, helpdesk_url: str, yan: AgentLogin
) -> Iterator[tuple[str, str, Tab, Console]]:
    size, lang = request.param
    api = Console(helpdesk_url)
    assert api.login(yan.username, yan.password).status_code == 200
    assert api.put("/me/language", {"language": lang}).status_code == 200
    opened = sized_tab(chromium, size)
    yield size, lang, opened, api
    opened.page.context.close()
    for chat in api.get("/chats").json()["conversations"]:  # tidy: nobody is left in this agent's chats
        api.post(f"/conversations/{chat['conversation_id']}/resolve")
    api.put("/me/language", {"language": "en"})
    api.close()


def shot(page: Page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path) / "chat-cards"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_a_chat_card_says_you_for_the_agents_reply_and_counts_unread_lines(
    console_tab: tuple[str, str, Tab, Console], helpdesk_url: str, yan: AgentLogin, client: httpx.Client, tmp_path: Path
) -> None:
    size, lang, tab, api = console_tab
    tag = secrets.token_hex(2)
    conversation = hand_off(client, f"my lamp shade arrived dented {tag}")
    assert api.post(f"/conversations/{conversation}/claim").status_code == 200
    reply = f"Sorry about that, I'll send a new shade today {tag}"
    assert api.post(f"/conversations/{conversation}/messages", {"text": reply}).status_code == 201

    page = tab.page
    submit_console_login(page, helpdesk_url, yan.username, yan.password)
    live = re.compile(r"\blive\b")  # the class: its text is "实时" in the Chinese console
    expect(page.locator("#conn")).to_have_class(live, timeout=20_000)
    card = page.locator(f'#chats li[data-id="{conversation}"]')
    expect(card).to_be_visible(timeout=20_000)
    last = card.locator(".preview-line, div.preview")  # the card's last line (a div.preview before)
    expect(last).to_have_text(f"{YOU[lang]} {reply}")  # "agent: Sorry…" before, in either language
    expect(card.locator(".unread-count")).to_have_count(0)
    shot(page, tmp_path, f"chat-card-you-{size}-{lang}")

    other = page.context.new_page()  # same session: the agent's second console (a second tab, their phone)
    other.goto(helpdesk_url + "/agent")
    expect(other.locator("#conn")).to_have_class(live, timeout=20_000)
    untitled = other.title()
    say(client, f"thanks, will it be the same colour {tag}", conversation)
    say(client, f"the sage green one {tag}", conversation)
    badge = card.locator(".unread-count")
    expect(badge).to_have_text("2", timeout=10_000)  # two lines since the agent looked
    expect(card).to_have_class(re.compile(r"\bunread\b"))
    expect(last).to_have_text(f"the sage green one {tag}")  # the customer's own line: no label
    shot(page, tmp_path, f"chat-card-unread-{size}-{lang}")

    # the count is the server's: it survives a reload (it lasted only for the page load), and the agent's other
    # console shows it too, its page title counting the chat that wrote
    other_badge = other.locator(f'#chats li[data-id="{conversation}"] .unread-count')
    expect(other_badge).to_have_text("2", timeout=10_000)
    expect(other).to_have_title(f"(1) {untitled}", timeout=10_000)  # as long as its badge may take
    page.reload()
    expect(page.locator("#conn")).to_have_class(live, timeout=20_000)
    expect(badge).to_have_text("2", timeout=10_000)
    expect(page).to_have_title(f"(1) {untitled}", timeout=10_000)  # the title counts it after a reload too

    card.click()
    expect(page.locator("#transcript")).to_contain_text(f"the sage green one {tag}")
    if size == "phone":
        assert_canned_select_readable(page)
        shot(page, tmp_path, f"chat-open-{size}-{lang}")
        page.locator("#back-to-lists").click()
    expect(badge).to_have_count(0)  # read now
    expect(other_badge).to_have_count(0, timeout=10_000)  # read in one console: read in the agent's others, live
    expect(other).to_have_title(untitled, timeout=10_000)
    page.reload()
    expect(card).to_be_visible(timeout=20_000)
    expect(badge).to_have_count(0)  # and it stays read
    other.close()
    assert tab.errors("401") == []  # the console asks /api/agent/me before logging in


def assert_canned_select_readable(page: Page) -> None:
    """The select's shown line (its first option, in the console's language) fits the select: Chromium cuts a
    select's text with "…" where it does not, and "Insert a…" says nothing."""
    select = page.locator("#canned")
    expect(select).to_be_visible()
    fits = select.evaluate(
        """(s) => {
          const style = getComputedStyle(s);
          const ctx = document.createElement("canvas").getContext("2d");
          ctx.font = style.font;
          const text = s.options[s.selectedIndex].text;
          const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20; // arrow
          return { text, width: ctx.measureText(text).width, room };
        }"""
    )
    assert fits["width"] <= fits["room"], fits
