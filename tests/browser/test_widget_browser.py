"""The website chat widget (helpdesk/static/widget/widget.js) in headless Chromium.

The page and widget come from the real running stack (`helpdesk_url`, tests/conftest.py). Tests 1-3
and the stale-conversation test talk to the real bot; the others replace the chat API with canned
answers via page.route() so they can check exact rendering (buttons, polling, failures).

Uses Debian's Chromium (`apt-get install chromium`); Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect

pytestmark = pytest.mark.browser

HOST = "#larkspur-chat-host"  # the widget's shadow host; Playwright's CSS engine pierces open shadow roots
PANEL = f"{HOST} .panel"
INPUT = f"{HOST} textarea"
CUSTOMER = f"{HOST} .msg.customer"
# replies from the server: bot (not the local greeting), agent or system messages (not local notices)
REPLY_TEXT = f"{HOST} .msg.bot:not(.intro) .text, {HOST} .msg.agent .text, {HOST} .msg.system:not(.notice) .text"
QUICK = f"{HOST} .quick button"
STORAGE_KEY = "larkspur-chat.conversation"
BOT_TIMEOUT = 60_000  # ms; the first turn through a cold Rasa can be slow

XSS = "<img src=x onerror=alert(1)>"


@dataclass
class Tab:
    page: Page
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def errors(self, *expected: str) -> list[str]:
        """Console errors and uncaught exceptions, minus those containing one of `expected`."""
        return [e for e in self.console_errors if not any(x in e for x in expected)]


def new_tab(browser: Browser, **context_options: Any) -> Tab:
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    tab = Tab(page)
    page.on("console", lambda msg: msg.type == "error" and tab.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: tab.console_errors.append(f"uncaught: {exc}"))

    def on_dialog(dialog: Any) -> None:
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return tab


# the two screens every walkthrough looks at
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def sized_tab(browser: Browser, size: str) -> Tab:
    """A fresh tab at one of SIZES (the phone's touch-enabled, as a phone's browser is)."""
    phone = size == "phone"
    return new_tab(browser, viewport=SIZES[size], is_mobile=phone, has_touch=phone)


@pytest.fixture()
def phone(chromium: Browser) -> Iterator[Tab]:
    t = new_tab(chromium, viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    yield t
    t.page.context.close()


def open_widget(page: Page) -> None:
    if not page.locator(PANEL).is_visible():
        page.locator(f"{HOST} .launcher").click()
    expect(page.locator(PANEL)).to_be_visible()
    expect(page.locator(INPUT)).to_be_focused()


def send(page: Page, text: str) -> None:
    page.locator(INPUT).fill(text)
    page.locator(INPUT).press("Enter")


def watch_typing_indicator(page: Page) -> None:
    """Record in window.__typingSeen whether the typing indicator was ever shown (it may be brief)."""
    page.evaluate(
        """() => {
            const t = document.getElementById('larkspur-chat-host').shadowRoot.querySelector('.typing');
            window.__typingSeen = false;
            new MutationObserver(() => { if (!t.hidden) window.__typingSeen = true; })
                .observe(t, {attributes: true, attributeFilter: ['hidden']});
        }"""
    )


def shadow_count(page: Page, selector: str) -> int:
    return page.evaluate(
        "(s) => document.getElementById('larkspur-chat-host').shadowRoot.querySelectorAll(s).length", selector
    )


def fulfil_json(route: Route, body: dict[str, Any], status: int = 200) -> None:
    route.fulfill(status=status, content_type="application/json", body=json.dumps(body))


def chat_response(conversation_id: str, replies: list[dict[str, Any]], mode: str = "bot") -> dict[str, Any]:
    return {
        "conversation_id": conversation_id,
        "mode": mode,
        "replies": replies,
        "nlu": None,
        "faq": None,
        "handoff": None,
    }


# --- against the real stack ---------------------------------------------------------------------


def test_message_reply_and_history_after_reload(tab: Tab, helpdesk_url: str) -> None:
    page = tab.page
    page.goto(helpdesk_url + "/")
    open_widget(page)
    watch_typing_indicator(page)

    send(page, "hello")
    expect(page.locator(f"{CUSTOMER} .text")).to_have_text(["hello"])
    expect(page.locator(REPLY_TEXT).first).to_be_visible(timeout=BOT_TIMEOUT)
    replies = [t.strip() for t in page.locator(REPLY_TEXT).all_text_contents()]
    assert replies and all(replies), replies
    assert page.evaluate("window.__typingSeen") is True, "the typing indicator never appeared"
    expect(page.locator(f"{HOST} .typing")).to_be_hidden()
    expect(page.locator(f"{CUSTOMER} .meta")).to_have_count(0)  # no "Sending…" / "Not sent"
    conversation_id = page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')")
    assert conversation_id

    page.reload()
    open_widget(page)
    expect(page.locator(f"{CUSTOMER} .text")).to_have_text(["hello"])
    expect(page.locator(REPLY_TEXT).first).to_be_visible()
    after = [t.strip() for t in page.locator(REPLY_TEXT).all_text_contents()]
    assert after[: len(replies)] == replies
    assert page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") == conversation_id
    assert tab.errors() == []


def test_markup_in_a_message_is_shown_as_text(tab: Tab, helpdesk_url: str) -> None:
    page = tab.page
    page.goto(helpdesk_url + "/")
    open_widget(page)
    send(page, XSS)

    bubble = page.locator(f"{CUSTOMER} .text")
    expect(bubble).to_have_count(1)
    assert bubble.text_content() == XSS
    assert bubble.evaluate("(e) => e.children.length") == 0
    # wait until the server has answered (and a reply that might echo the text is rendered)
    expect(page.locator(f"{CUSTOMER} .meta")).to_have_count(0, timeout=BOT_TIMEOUT)
    page.wait_for_timeout(500)
    assert shadow_count(page, "img") == 0
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert tab.dialogs == []
    assert tab.errors() == []


def test_phone_panel_is_full_screen(phone: Tab, helpdesk_url: str) -> None:
    page = phone.page
    page.goto(helpdesk_url + "/")
    open_widget(page)
    box = page.locator(PANEL).bounding_box()
    assert box is not None
    assert abs(box["x"]) < 1 and abs(box["width"] - 375) < 1, box
    assert abs(box["y"]) < 1 and abs(box["height"] - 667) < 1, box
    assert phone.errors() == []


def test_stale_conversation_id_is_forgotten(tab: Tab, helpdesk_url: str) -> None:
    page = tab.page
    page.goto(helpdesk_url + "/")
    page.evaluate(f"localStorage.setItem('{STORAGE_KEY}', 'no-such-conversation')")
    page.reload()
    page.wait_for_function(f"() => localStorage.getItem('{STORAGE_KEY}') === null")
    open_widget(page)
    expect(page.locator(f"{HOST} .msg:not(.intro)")).to_have_count(0)
    # the browser itself logs the 404 of the history request
    assert tab.errors("404") == []


# --- against canned API answers (page.route) ----------------------------------------------------


def test_quick_reply_sends_payload_and_shows_title(tab: Tab, helpdesk_url: str) -> None:
    page = tab.page
    payload = '/faq{"faq_id":"delivery-time"}'
    bodies: list[dict[str, Any]] = []

    def api(route: Route) -> None:
        bodies.append(route.request.post_data_json)
        if len(bodies) == 1:
            buttons = [
                {"title": "Delivery times", "payload": payload},
                {"title": "Talk to a person", "payload": "/request_human"},
            ]
            reply = {"text": "I can help with these:", "buttons": buttons}
        else:
            buttons = [{"title": "Thanks!", "payload": "/thank"}]
            reply = {"text": "Delivery takes 2–4 working days.", "buttons": buttons}
        fulfil_json(route, chat_response("conv-quick", [reply]))

    page.route("**/api/chat", api)
    page.goto(helpdesk_url + "/")
    open_widget(page)
    send(page, "hi")
    expect(page.locator(QUICK)).to_have_text(["Delivery times", "Talk to a person"])
    page.locator(QUICK, has_text="Delivery times").click()

    expect(page.locator(f"{CUSTOMER} .text")).to_have_text(["hi", "Delivery times"])
    expect(page.locator(REPLY_TEXT).last).to_have_text("Delivery takes 2–4 working days.")
    assert [b["text"] for b in bodies] == ["hi", payload]
    # the typed first line goes in the conversation the widget started for it (POST /api/chat/start, not routed
    # here): the service may hold a short first line for a burst like any later one
    assert isinstance(bodies[0]["conversation_id"], str) and bodies[0]["conversation_id"]
    assert bodies[1]["conversation_id"] == "conv-quick"
    # only the last bot message has quick replies; they stay while the customer types and go once a message is sent
    expect(page.locator(QUICK)).to_have_text(["Thanks!"])
    page.locator(INPUT).press_sequentially("ok")
    expect(page.locator(QUICK)).to_have_text(["Thanks!"])  # (sent: tests/browser/test_widget_dialogue.py)
    assert tab.errors() == []


def test_failed_send_keeps_the_message_with_retry(tab: Tab, helpdesk_url: str) -> None:
    page = tab.page
    attempts: list[str] = []
    client_ids: set[str] = set()

    def api(route: Route) -> None:
        attempts.append(route.request.post_data_json["text"])
        client_ids.add(route.request.post_data_json["client_message_id"])
        if len(attempts) == 1:
            route.abort()  # network failure
        elif len(attempts) == 2:
            fulfil_json(route, {"error": "database is on fire"}, status=500)
        else:
            fulfil_json(route, chat_response("conv-retry", [{"text": "Got it!", "buttons": []}]))

    page.route("**/api/chat", api)
    page.goto(helpdesk_url + "/")
    open_widget(page)
    send(page, "where is my parcel?")
    meta = page.locator(f"{CUSTOMER} .meta")
    expect(meta).to_contain_text("Not sent")
    page.locator(f"{CUSTOMER} .meta button").click()
    expect(meta).to_contain_text("database is on fire")  # the server's error text
    page.locator(f"{CUSTOMER} .meta button").click()
    expect(page.locator(REPLY_TEXT)).to_have_text(["Got it!"])
    expect(meta).to_have_count(0)
    expect(page.locator(f"{CUSTOMER} .text")).to_have_text(["where is my parcel?"])
    assert attempts == ["where is my parcel?"] * 3
    assert len(client_ids) == 1  # one message retried, so the server can store it once
    assert tab.errors("Failed to load resource") == []


def test_bot_unavailable_notice(tab: Tab, helpdesk_url: str) -> None:
    page = tab.page
    page.route(
        "**/api/chat",
        lambda route: fulfil_json(route, {"error": "the assistant is unavailable", "conversation_id": "c503"}, 503),
    )
    page.goto(helpdesk_url + "/")
    open_widget(page)
    send(page, "hello?")
    expect(page.locator(f"{HOST} .notice")).to_contain_text("received your message")
    expect(page.locator(f"{HOST} .notice")).to_contain_text("the assistant is unavailable")
    assert page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") == "c503"
    assert tab.errors("503") == []


def test_handoff_polls_for_agent_messages_without_duplicates(tab: Tab, helpdesk_url: str) -> None:
    page = tab.page
    posts: list[dict[str, Any]] = []
    polls: list[str] = []
    transcript = [
        {
            "id": 41,
            "sender": "customer",
            "text": "Talk to a person",
            "buttons": [],
            "created_at": "2025-01-01T10:00:00+00:00",
        },
        {
            "id": 42,
            "sender": "system",
            "text": "You're in the queue.",
            "buttons": [],
            "created_at": "2025-01-01T10:00:01+00:00",
        },
    ]
    agent_message = {
        "id": 43,
        "sender": "agent",
        "text": "Hi, I'm Sam.\nSee https://example.com/returns. Not a link: javascript:alert(1)",
        "buttons": [],
        "created_at": "2025-01-01T10:00:05+00:00",
        "agent": {"name": "Sam Okafor", "avatar_url": None},
    }

    def api(route: Route) -> None:
        posts.append(route.request.post_data_json)
        fulfil_json(
            route, {**chat_response("conv-agent", [], mode="queued"), "handoff": {"reason": "customer_request"}}
        )

    def history(route: Route) -> None:
        polls.append(route.request.url)
        if len(polls) >= 2 and agent_message not in transcript:
            transcript.append(agent_message)
        # deliberately ignores ?after= and always answers with everything: the widget must dedupe by id
        mode = "agent" if agent_message in transcript else "queued"
        fulfil_json(route, {"conversation_id": "conv-agent", "mode": mode, "messages": transcript})

    page.route("**/api/chat", api)
    page.route("**/api/chat/conv-agent/messages*", history)
    page.goto(helpdesk_url + "/")
    open_widget(page)
    page.locator(f"{HOST} button.human").click()
    assert page.locator(f"{HOST} button.human").get_attribute("aria-label") == "Talk to a person"

    agent = page.locator(f"{HOST} .msg.agent")
    expect(agent).to_have_count(1, timeout=15_000)
    expect(agent.locator(".lbl .who")).to_have_text("Sam Okafor")  # the agent's name, not "Agent"
    expect(agent.locator(".lbl .av")).to_have_text("SO")
    assert agent.locator(".text").inner_text() == agent_message["text"]
    links = agent.locator("a")
    expect(links).to_have_count(1)
    assert links.get_attribute("href") == "https://example.com/returns"
    assert links.get_attribute("target") == "_blank"
    assert links.get_attribute("rel") == "noopener noreferrer"
    expect(page.locator(f"{HOST} button.human")).to_be_hidden()

    seen = len(polls)
    page.wait_for_timeout(4_500)  # a few more 2-second polls, each answering with the whole transcript
    assert len(polls) >= seen + 2, polls
    assert [{k: v for k, v in p.items() if k != "client_message_id"} for p in posts] == [
        {"conversation_id": None, "text": "/request_human", "lang": "en"}
    ]
    assert all(p["client_message_id"] for p in posts)
    assert any("after=43" in url for url in polls), polls
    expect(page.locator(f"{CUSTOMER} .text")).to_have_text(["Talk to a person"])
    expect(page.locator(f"{HOST} .msg.system:not(.notice) .text")).to_have_text(["You're in the queue."])
    expect(agent).to_have_count(1)
    assert tab.errors() == []


def test_keyboard_and_accessibility(tab: Tab, helpdesk_url: str) -> None:
    page = tab.page
    page.route(
        "**/api/chat", lambda route: fulfil_json(route, chat_response("conv-kb", [{"text": "ok", "buttons": []}]))
    )
    page.goto(helpdesk_url + "/")
    launcher = page.locator(f"{HOST} .launcher")
    assert launcher.get_attribute("aria-label")
    open_widget(page)
    assert launcher.get_attribute("aria-expanded") == "true"
    for button in page.locator(f"{PANEL} button").all():
        assert button.get_attribute("aria-label"), button.evaluate("(b) => b.outerHTML")

    send_button = page.locator(f"{HOST} button.send")
    expect(send_button).to_be_disabled()
    page.locator(INPUT).fill("   \n  ")
    expect(send_button).to_be_disabled()
    page.locator(INPUT).fill("")
    page.locator(INPUT).press_sequentially("line one")
    page.locator(INPUT).press("Shift+Enter")
    page.locator(INPUT).press_sequentially("line two")
    expect(send_button).to_be_enabled()
    page.locator(INPUT).press("Enter")
    expect(page.locator(f"{CUSTOMER} .text")).to_have_text(["line one\nline two"])
    expect(page.locator(INPUT)).to_have_value("")
    assert page.locator(INPUT).get_attribute("maxlength") == "2000"
    page.locator(INPUT).fill("x" * 1950)
    expect(page.locator(f"{HOST} .count")).to_have_text("1950 / 2000")

    page.keyboard.press("Escape")
    expect(page.locator(PANEL)).to_be_hidden()
    assert launcher.get_attribute("aria-expanded") == "false"
    assert tab.errors() == []
