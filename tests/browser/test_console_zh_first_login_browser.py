"""A staff member whose console is in Chinese, in a browser that has never shown the console (its own language
English, no language remembered), in headless Chromium against the running stack at 1366×900 (the staff walkthrough
of 2026-12-07):

- times were written in the browser's English ("07:52 AM") on a first login: the console learnt the staff member's
  language from a second request after login, while the page drew the chats with the times in them meanwhile. The
  test holds that request back so the page draws first, as on a busy machine;
- the bot's handbook answers were named by their entry ids, English slugs ("由常见问题 shipping-costs 解答"): they are
  named by their titles, as the customer saw them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import Console, hand_off, say, submit_console_login

from helpdesk.stack import Stack

pytestmark = pytest.mark.browser
CLOCK_WORDS = re.compile(r"\b(AM|PM)\b")


@pytest.fixture(scope="module")
def lin(stack: Stack) -> Iterator[AgentLogin]:
    """An agent of this module's own (her chats only in her list), her console in Chinese."""
    # named "yun": test_handbook_editor_chinese.py adds its own "lin" to the same stack (both in one worker failed)
    account = add_agent_accounts(stack.env["DATABASE_URL"], (("yun", "agent", None, 10),))["yun"]
    console = Console(stack.url)
    assert console.login(account.username, account.password).status_code == 200
    assert console.put("/me/language", {"language": "zh"}).status_code == 200
    console.close()
    return account


@pytest.fixture()
def lin_api(helpdesk_url: str, lin: AgentLogin) -> Iterator[Console]:
    console = Console(helpdesk_url)
    assert console.login(lin.username, lin.password).status_code == 200
    yield console
    console.close()


@pytest.fixture()
def english_browser(chromium: Browser) -> Iterator[Page]:
    """A fresh browser whose own language is American English (12-hour clock)."""
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def test_a_first_login_in_chinese_writes_no_am_or_pm(
    english_browser: Page, helpdesk_url: str, lin: AgentLogin, lin_api: Console, client: httpx.Client
) -> None:
    page = english_browser
    conversation = hand_off(client, "我的订单到哪了")
    assert lin_api.post(f"/conversations/{conversation}/claim").status_code == 200
    assert lin_api.post(f"/conversations/{conversation}/messages", {"text": "您好，我来帮您查。"}).status_code == 201
    assert page.evaluate("new Date(2026, 0, 1, 9, 5).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'})") == (
        "09:05 AM"
    )  # this browser's own clock words

    held: list[Route] = []
    page.goto(helpdesk_url + "/agent")
    expect(page.locator("#login-form")).to_be_visible()
    page.route("**/api/agent/me", lambda route: held.append(route))  # the language's own request waits
    try:
        page.locator("#login-username").fill(lin.username)  # the login form on the page as loaded
        page.locator("#login-password").fill(lin.password)
        page.locator("#login-form button[type=submit]").click()
        chat = page.locator(f'#chats li[data-id="{conversation}"]')
        expect(chat).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        expect(chat).to_contain_text(re.compile(r"\d\d:\d\d"))
        assert not CLOCK_WORDS.search(chat.inner_text()), chat.inner_text()
        chat.click()
        expect(page.locator("#conv-meta")).to_contain_text(conversation)
        times = page.locator("#transcript .msg .who")
        expect(times.first).to_contain_text(re.compile(r"\d\d:\d\d"))
        shown = " | ".join(times.all_inner_texts()) + " | " + page.locator("#conv-meta").inner_text()
        assert not CLOCK_WORDS.search(shown), shown
    finally:
        for route in held:  # let the held requests through
            route.continue_()
        page.unroute("**/api/agent/me")
    assert lin_api.post(f"/conversations/{conversation}/resolve").status_code == 200


def test_the_bots_handbook_answers_are_named_by_their_titles(
    english_browser: Page, helpdesk_url: str, lin: AgentLogin, lin_api: Console, client: httpx.Client
) -> None:
    page = english_browser
    first = say(client, "运费多少")
    conversation, answered = first["conversation_id"], (first["faq"] or {}).get("id")
    assert answered, first  # the bot answered from the handbook
    hand_off_body = say(client, "转人工", conversation)
    assert hand_off_body["mode"] == "queued", hand_off_body
    title = lin_api.get(f"/handbook/{answered}").json()["entry"]["zh_title"]
    assert lin_api.post(f"/conversations/{conversation}/claim").status_code == 200

    submit_console_login(page, helpdesk_url, lin.username, lin.password)
    page.locator(f'#chats li[data-id="{conversation}"]').click()
    line = page.locator("#transcript .msg.bot .who", has_text="由常见问题")
    expect(line.first).to_contain_text(f"由常见问题 “{title}” 解答（得分 0.")
    turn = page.locator("#transcript .msg.customer .ctx summary").first  # what the bot made of "运费多少"
    expect(turn).to_contain_text(f"常见问题 “{title}”")
    shown = " ".join(line.all_inner_texts()) + " " + turn.inner_text()
    assert answered not in shown, shown  # no English slug on the Chinese console
    assert lin_api.post(f"/conversations/{conversation}/resolve").status_code == 200
