"""The agent console and the widget together in headless Chromium (two browser contexts), against the
real running stack: a customer asks for a person, an agent claims the chat with its context, they talk
live, the agent resolves it and the customer's rating is stored; handing back to the bot while the customer's last
message has no reply asks first (the walkthrough of 2026-12-04: "will it come today?" was left unanswered)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from support.accounts import AgentLogin
from support.agent import submit_console_login
from test_widget_browser import HOST, XSS, Tab, new_tab, open_widget, send

pytestmark = pytest.mark.browser
STORAGE_KEY = "larkspur-chat.conversation"


@pytest.fixture()
def customer(chromium: Browser) -> Iterator[Tab]:
    tab = new_tab(chromium, viewport={"width": 1280, "height": 800})
    yield tab
    tab.page.context.close()


@pytest.fixture()
def agent(chromium: Browser) -> Iterator[Tab]:
    tab = new_tab(chromium, viewport={"width": 1440, "height": 900})
    yield tab
    tab.page.context.close()


def log_in(page: Page, helpdesk_url: str, login: AgentLogin) -> None:
    submit_console_login(page, helpdesk_url, login.username, login.password)
    expect(page.locator("#app")).to_be_visible()
    expect(page.locator("#conn")).to_have_text("live")


def test_customer_and_agent_chat_live_then_rate(
    customer: Tab, agent: Tab, helpdesk_url: str, agent_accounts: dict[str, AgentLogin], db: sqlite3.Connection
) -> None:
    shop = customer.page
    sockets: list[str] = []
    polls: list[str] = []
    shop.on("websocket", lambda ws: sockets.append(ws.url))
    shop.on("request", lambda request: "/messages" in request.url and polls.append(request.url))
    shop.goto(helpdesk_url + "/")
    open_widget(shop)
    send(shop, "I want to talk to a real person please")
    expect(shop.locator(f"{HOST} .st")).to_contain_text("in the queue", timeout=60_000)
    conversation = shop.evaluate(f"localStorage.getItem('{STORAGE_KEY}')")
    assert conversation
    assert any(f"/api/chat/{conversation}/ws" in url for url in sockets)  # live, not polling

    console = agent.page
    log_in(console, helpdesk_url, agent_accounts["ava"])
    item = console.locator(f'#queue li[data-id="{conversation}"]')
    expect(item).to_contain_text("Customer asked for a person")
    item.click()
    expect(console.locator("#handoff")).to_contain_text("Customer asked for a person")
    turn = console.locator("#transcript li.msg.customer").first
    expect(turn.locator(".text")).to_have_text("I want to talk to a real person please")
    expect(turn.locator(".ctx summary")).to_contain_text("intent request_human")
    assert turn.locator(".ctx tr.intent meter").count() >= 3  # the intent ranking with confidence bars
    assert turn.locator(".ctx tr.faq meter").count() >= 1  # the FAQ candidates with their scores
    expect(console.locator("#reply-form")).to_be_hidden()

    console.locator("#claim").click()
    expect(console.locator("#reply-form")).to_be_visible()
    expect(console.locator(f'#chats li[data-id="{conversation}"]')).to_be_visible()
    expect(shop.locator(f"{HOST} .st")).to_have_text("You're chatting with our team")

    console.locator("#reply").press_sequentially("Hello, this is Ava")
    typing = shop.locator(f"{HOST} .typing")
    expect(typing).to_be_visible()
    assert "is typing" in (typing.get_attribute("aria-label") or "")
    console.locator("#reply").press("Enter")
    agent_bubble = shop.locator(f"{HOST} .msg.agent .text")
    expect(agent_bubble).to_have_text(["Hello, this is Ava"])
    expect(typing).to_be_hidden()

    send(shop, XSS)
    shown = console.locator("#transcript li.msg.customer .text").last
    expect(shown).to_have_text(XSS)
    assert shown.evaluate("(e) => e.children.length") == 0
    console.wait_for_timeout(300)
    assert console.evaluate("document.querySelectorAll('img').length") == 0
    assert agent.dialogs == [] and customer.dialogs == []

    console.locator("#note").fill("Wants a callback tomorrow")
    console.locator("#note-form button").click()
    expect(console.locator("#notes li")).to_contain_text(["Wants a callback tomorrow"])

    console.locator("#resolve").click()
    expect(console.locator("#conversation")).to_be_hidden()
    rating = shop.locator(f"{HOST} .rating")
    expect(rating).to_be_visible()
    assert "Wants a callback" not in shop.locator(HOST).inner_text()
    rating.locator("button[aria-label='4 stars']").click()
    rating.locator("textarea").fill("Friendly and quick")
    rating.locator("button.submit").click()
    expect(rating).to_contain_text("Thank you for your feedback!")

    assert len(polls) <= 3, polls  # the socket carried the chat; HTTP only bridged its start
    row = db.execute("SELECT score, comment FROM ratings WHERE conversation_id = ?", (conversation,)).fetchone()
    assert (row["score"], row["comment"]) == (4, "Friendly and quick")
    assert agent.errors("401") == []  # the console asks /api/agent/me before logging in
    assert customer.errors() == []


def test_console_login_errors_are_shown(agent: Tab, helpdesk_url: str) -> None:
    page = agent.page
    page.goto(helpdesk_url + "/agent")
    page.locator("#login-username").fill("nobody-here")
    page.locator("#login-password").fill("wrong password")
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("#login-error")).to_have_text("Wrong username or password.")
    expect(page.locator("#app")).to_be_hidden()
    assert agent.errors("401") == []


def test_console_page_is_served_with_a_strict_csp(agent: Tab, helpdesk_url: str) -> None:
    response = agent.page.goto(helpdesk_url + "/agent")
    assert response is not None and response.ok
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_handing_back_with_the_customers_last_message_unanswered_asks_first(
    customer: Tab, agent: Tab, helpdesk_url: str, agent_accounts: dict[str, AgentLogin]
) -> None:
    shop = customer.page
    shop.goto(helpdesk_url + "/")
    open_widget(shop)
    send(shop, "can i talk to a human pls")
    expect(shop.locator(f"{HOST} .st")).to_contain_text("in the queue", timeout=60_000)
    conversation = shop.evaluate(f"localStorage.getItem('{STORAGE_KEY}')")
    console = agent.page
    log_in(console, helpdesk_url, agent_accounts["ava"])
    console.locator(f'#queue li[data-id="{conversation}"]').click()
    console.locator("#claim").click()
    expect(console.locator("#reply-form")).to_be_visible()
    send(shop, "will it come today?")
    expect(console.locator("#transcript li.msg.customer .text").last).to_have_text("will it come today?")

    console.locator("#handback").click()  # the dialog is dismissed (new_tab): nothing happens
    expect(console.locator("#resolve")).to_be_visible()
    assert agent.dialogs == [
        "The customer's last message has no reply yet, and the bot won't answer it. Hand back anyway?"
    ], agent.dialogs
    expect(shop.locator(f"{HOST} .st")).to_have_text("You're chatting with our team")

    console.locator("#reply").fill("It should arrive today. Anything else? I'll pass you back to our assistant.")
    console.locator("#reply").press("Enter")
    expect(shop.locator(f"{HOST} .msg.agent .text").last).to_contain_text("It should arrive today")
    console.locator("#handback").click()  # answered: no question
    expect(console.locator("#conversation")).to_be_hidden()
    assert len(agent.dialogs) == 1
    expect(shop.locator(f"{HOST} .msg.system .text").last).to_contain_text("You're back with our virtual assistant")
    assert agent.errors("401") == [] and customer.errors() == []
