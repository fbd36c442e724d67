"""Reading the chat in the widget (helpdesk/static/widget/widget.js) in headless Chromium, desktop 1280x800 and
phone 390x844: the start of every new reply is in view (and a pill leads down to replies that arrive while the
customer reads above), handbook answers read as rich text with their article as a titled card (never a raw local
URL), untrusted Markdown never runs anything, the greeting offers the bot's topics, and the launcher is the
page's first Tab stop. Replies come from the real stack (bot and agent), except where a canned answer
(page.route) feeds the renderer hostile text."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from support.accounts import AgentLogin
from support.agent import Console, say
from test_widget_browser import HOST, INPUT, PANEL, Tab, chat_response, fulfil_json, new_tab, open_widget, send

pytestmark = pytest.mark.browser

BOT_TIMEOUT = 60_000
BOT_REPLY = f"{HOST} .msg.bot:not(.intro)"
SIZES = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
# ten turns with long handbook answers (their titles), one of them a "Did you mean" with buttons, then its pick
LONG_TURNS = [
    "How do I place an order?",
    "How sustainable are your products?",
    "How do I return an item?",
    "Do you offer business or bulk orders?",
    "bedding",  # "Did you mean" with entries as buttons
    None,  # the first suggestion, picked
    "What is your refund policy?",
    "How do Larkspur gift cards work?",
    "How do I delete my account?",
    "How long does delivery take?",
]


@pytest.fixture(params=list(SIZES))
def sized(request: pytest.FixtureRequest, chromium: Browser) -> Iterator[Tab]:
    t = new_tab(chromium, **SIZES[request.param])
    yield t
    t.page.context.close()


@pytest.fixture()
def tab(chromium: Browser) -> Iterator[Tab]:
    t = new_tab(chromium, **SIZES["desktop"])
    yield t
    t.page.context.close()


def geometry(page: Page, selector: str) -> dict[str, float]:
    """The log's viewport and the last element matching `selector` inside the widget, in page pixels."""
    inner = selector.removeprefix(HOST).strip()
    return page.evaluate(
        """(sel) => {
            const root = document.getElementById('larkspur-chat-host').shadowRoot;
            const log = root.querySelector('.log').getBoundingClientRect();
            const all = root.querySelectorAll(sel);
            const el = all[all.length - 1].getBoundingClientRect();
            return {logTop: log.top, logBottom: log.bottom, top: el.top, bottom: el.bottom};
        }""",
        inner,
    )


def assert_start_in_view(page: Page, selector: str) -> None:
    box = geometry(page, selector)
    assert box["logTop"] - 1 <= box["top"] < box["logBottom"] - 20, box


def bot_turn(page: Page, action: Callable[[], None]) -> None:
    """Do `action` (send, click) and wait until the bot's reply to it is shown."""
    before = page.locator(BOT_REPLY).count()
    action()
    expect(page.locator(BOT_REPLY)).to_have_count(before + 1, timeout=BOT_TIMEOUT)
    page.wait_for_timeout(100)  # the reply's start is brought into view right after it is added


def with_an_agent(page: Page, agent: Console) -> tuple[str, Console]:
    """The customer asks for a person and `agent` takes the chat: the conversation's id, and the agent."""
    bot_turn(page, lambda: send(page, "I'd like to talk to a person please"))
    conversation_id = page.evaluate("localStorage.getItem('larkspur-chat.conversation')")
    assert agent.post(f"/conversations/{conversation_id}/claim").status_code == 200
    return str(conversation_id), agent


def test_the_start_of_each_new_reply_is_in_view_on_desktop_and_phone(sized: Tab, helpdesk_url: str) -> None:
    page = sized.page
    page.goto(helpdesk_url + "/")
    open_widget(page)
    for text in LONG_TURNS:
        if text is None:
            bot_turn(page, lambda: page.locator(f"{BOT_REPLY} .quick button").first.click())
        else:
            bot_turn(page, lambda text=text: send(page, text))
        assert_start_in_view(page, BOT_REPLY)
        if text == "bedding":  # the suggestions under the reply are in view too
            expect(page.locator(f"{BOT_REPLY} .quick button")).to_have_count(3)
            buttons = geometry(page, f"{BOT_REPLY} .quick")
            assert buttons["bottom"] <= buttons["logBottom"], buttons
    # the log really scrolled: the first reply is far above the viewport now
    log = page.locator(f"{HOST} .log")
    assert log.evaluate("(l) => l.scrollHeight > 3 * l.clientHeight && l.scrollTop > 0")
    assert sized.errors() == []


def test_a_pill_leads_to_a_reply_that_came_while_the_customer_read_above(
    tab: Tab, helpdesk_url: str, console_for: Callable[[AgentLogin], Console], agent_accounts: dict[str, AgentLogin]
) -> None:
    page = tab.page
    page.goto(helpdesk_url + "/")
    open_widget(page)
    for text in ("How do I return an item?", "What is your refund policy?"):
        bot_turn(page, lambda text=text: send(page, text))
    conversation_id, agent = with_an_agent(page, console_for(agent_accounts["ava"]))
    # the agent has joined (the queue's notice may come after the join on a loaded machine: a CI-like run at load 10
    # saw "You're number 19 in the queue" last, with 19 other tests' chats waiting on the shared stack)
    joined = page.locator(f"{HOST} .msg.system:not(.notice) .text", has_text="has joined the chat")
    expect(joined).to_have_count(1, timeout=20_000)

    page.locator(f"{HOST} .log").evaluate("(log) => { log.scrollTop = 0; }")  # the customer reads from the top
    page.wait_for_timeout(200)
    reply = agent.post(f"/conversations/{conversation_id}/messages", {"text": "Found it: **refund sent**."})
    assert reply.status_code == 201
    pill = page.locator(f"{HOST} .pill")
    expect(pill).to_be_visible()
    expect(pill).to_contain_text("New message")
    box = geometry(page, f"{HOST} .msg.agent")
    assert box["top"] >= box["logBottom"], box  # not scrolled away from what the customer reads
    pill.click()
    expect(pill).to_be_hidden()
    assert_start_in_view(page, f"{HOST} .msg.agent")

    # reading at the newest reply: the next one is scrolled to without a pill
    assert agent.post(f"/conversations/{conversation_id}/messages", {"text": "Anything else?"}).status_code == 201
    expect(page.locator(f"{HOST} .msg.agent")).to_have_count(2)
    page.wait_for_timeout(200)
    expect(pill).to_be_hidden()
    assert_start_in_view(page, f"{HOST} .msg.agent")
    assert tab.errors() == []


def test_a_handbook_answer_reads_as_rich_text_with_a_titled_article_card(tab: Tab, helpdesk_url: str) -> None:
    page = tab.page
    page.goto(helpdesk_url + "/")
    open_widget(page)
    bot_turn(page, lambda: send(page, "How long does delivery take?"))
    answer = page.locator(BOT_REPLY).last
    # the handbook's list with bold labels, and its paragraphs
    expect(answer.locator(".text ul > li")).to_have_count(2)
    expect(answer.locator(".text ul > li strong").first).to_have_text("Standard delivery and pick-up points:")
    assert answer.locator(".text > p").count() >= 2
    assert "**" not in (answer.locator(".text").text_content() or "")
    # the article as a titled card, not as an address
    card = answer.locator("a.card")
    expect(card).to_contain_text("How long does delivery take?")
    assert (card.get_attribute("href") or "").endswith("/help/delivery-time")
    assert card.get_attribute("rel") == "noopener noreferrer"
    assert "http" not in (page.locator(f"{HOST} .log").text_content() or "")
    assert tab.errors() == []


HOSTILE = "\n".join(
    [
        "<script>window.__pwned = 'script'</script>",
        "<img src=x onerror=\"window.__pwned = 'img'\">",
        "[click me](javascript:window.__pwned='link')",
        "[tab](java\tscript:window.__pwned='tab')",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "**<svg onload=\"window.__pwned='svg'\">bold</svg>**",
        "- <iframe src=\"javascript:window.__pwned='iframe'\"></iframe>",
        "![pic](x.png\" onerror=\"window.__pwned='attr')",
        "<a href=\"javascript:window.__pwned='a'\">raw a</a>",
        "`<b>code</b>` and [safe](https://example.com/ok) and *em*",
    ]
)


def assert_inert(page: Page, bubble_selector: str) -> None:
    bubble = page.locator(bubble_selector)
    assert bubble.evaluate("(b) => b.querySelectorAll('script, img, svg, iframe, object, embed').length") == 0
    hrefs = bubble.evaluate("(b) => [...b.querySelectorAll('a')].map((a) => a.href)")
    assert hrefs == ["https://example.com/ok"], hrefs
    assert bubble.evaluate(
        "(b) => [...b.querySelectorAll('*')].every((e) => [...e.attributes].every((a) => !a.name.startsWith('on')))"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    text = bubble.text_content() or ""
    assert "<script>" in text and "javascript:" in text  # shown as the text it is
    expect(bubble.locator("code")).to_have_text("<b>code</b>")
    expect(bubble.locator("em")).to_have_text("em")


def test_hostile_markdown_from_the_bot_is_inert(tab: Tab, helpdesk_url: str) -> None:
    page = tab.page
    page.route("**/api/chat", lambda route: fulfil_json(route, chat_response("conv-xss", [{"text": HOSTILE}])))
    page.goto(helpdesk_url + "/")
    open_widget(page)
    send(page, "hi")
    expect(page.locator(f"{BOT_REPLY} .text")).to_have_count(1)
    assert_inert(page, f"{BOT_REPLY} .text")
    assert tab.dialogs == [] and tab.errors() == []


def test_hostile_markdown_from_an_agent_is_inert(
    tab: Tab, helpdesk_url: str, console_for: Callable[[AgentLogin], Console], agent_accounts: dict[str, AgentLogin]
) -> None:
    page = tab.page
    page.goto(helpdesk_url + "/")
    open_widget(page)
    conversation_id, agent = with_an_agent(page, console_for(agent_accounts["ava"]))
    assert agent.post(f"/conversations/{conversation_id}/messages", {"text": HOSTILE}).status_code == 201
    expect(page.locator(f"{HOST} .msg.agent .text")).to_have_count(1, timeout=15_000)
    assert_inert(page, f"{HOST} .msg.agent .text")
    assert tab.dialogs == [] and tab.errors() == []


def test_the_greeting_offers_the_bots_topics(tab: Tab, helpdesk_url: str, client: httpx.Client) -> None:
    topics = client.get("/api/chat/status").json()["topics"]
    assert [t["title"] for t in topics] == [
        "Where is my order?",
        "Return an item",
        "How long does delivery take?",
        "Talk to a person",
    ]
    page = tab.page
    page.goto(helpdesk_url + "/")
    open_widget(page)
    buttons = page.locator(f"{HOST} .msg.intro .quick button")
    expect(buttons).to_have_text([t["title"] for t in topics])
    bot_turn(page, lambda: buttons.first.click())
    expect(page.locator(f"{HOST} .msg.customer .text")).to_have_text(["Where is my order?"])
    expect(page.locator(BOT_REPLY).last).to_contain_text("order number")
    # the bot's own greeting has the same topics
    hello = say(client, "hello")
    assert [b["title"] for b in hello["replies"][-1]["buttons"]] == [t["title"] for t in topics]
    assert tab.errors() == []


def test_the_launcher_is_the_first_tab_stop(tab: Tab, helpdesk_url: str) -> None:
    page = tab.page
    page.goto(helpdesk_url + "/")
    expect(page.locator(f"{HOST} .launcher")).to_be_visible()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const h = document.getElementById('larkspur-chat-host');"
        " return document.activeElement === h ? h.shadowRoot.activeElement.className"
        " : document.activeElement.outerHTML; }"
    )
    assert focused == "launcher", focused
    page.keyboard.press("Enter")
    expect(page.locator(PANEL)).to_be_visible()
    expect(page.locator(INPUT)).to_be_focused()
    # the topics are reachable from the keyboard too
    page.keyboard.press("Shift+Tab")
    assert (
        page.evaluate("() => document.getElementById('larkspur-chat-host').shadowRoot.activeElement.textContent")
        == "Talk to a person"
    )
    assert tab.errors() == []
