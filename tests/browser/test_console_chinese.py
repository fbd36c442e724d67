"""The console in a staff member's own language (issue 18.5): the setting (PUT /api/agent/me/language), the
switch in the console header, Chinese screens at desktop and phone size, the conversation's language shown,
and canned replies offered for the conversation's language. Uses its own account (mei) so other tests' agents
stay English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import Console, say, submit_console_login

from helpdesk.stack import Stack

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "results" / "tmp" / "screenshots"  # not committed
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def mei(stack: Stack) -> AgentLogin:
    return add_agent_accounts(stack.env["DATABASE_URL"], (("mei", "supervisor", None, 20),))["mei"]


@pytest.fixture()
def mei_console(helpdesk_url: str, mei: AgentLogin) -> Iterator[Console]:
    console = Console(helpdesk_url)
    assert console.login(mei.username, mei.password).status_code == 200
    yield console
    console.put("/me/language", {"language": "en"})
    console.close()


def open_console(browser: Browser, helpdesk_url: str, account: AgentLogin, viewport: dict[str, int]) -> Page:
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(20_000)
    submit_console_login(page, helpdesk_url, account.username, account.password)
    expect(page.locator("#app")).to_be_visible()
    return page


def test_the_language_setting_is_the_staff_members_own(mei_console: Console) -> None:
    assert mei_console.agent["language"] == "en"
    assert mei_console.put("/me/language", {"language": "fr"}).status_code == 400
    assert mei_console.put("/me/language", {"language": "zh"}).json() == {"language": "zh"}
    assert mei_console.get("/me").json()["agent"]["language"] == "zh"
    assert mei_console.http.put("/api/agent/me/language", json={"language": "en"}).status_code == 403  # no CSRF


def test_canned_replies_are_offered_for_the_conversations_language(mei_console: Console) -> None:
    zh = mei_console.post("/canned", {"title": "退货步骤 (zh test)", "text": "请用原包装寄回商品。", "language": "zh"})
    en = mei_console.post("/canned", {"title": "Return steps (zh test)", "text": "Send it back.", "language": "en"})
    anyone = mei_console.post("/canned", {"title": "Order link (zh test)", "text": "https://shop.example"})
    assert zh.status_code == en.status_code == anyone.status_code == 201
    assert zh.json()["language"] == "zh" and anyone.json()["language"] is None
    titles = {c["title"] for c in mei_console.get("/canned", params={"language": "zh"}).json()["canned"]}
    assert {"退货步骤 (zh test)", "Order link (zh test)"} <= titles and "Return steps (zh test)" not in titles
    changed = mei_console.put(f"/canned/{en.json()['id']}", {"title": "Return steps (zh test)", "text": "Send it."})
    assert changed.json()["language"] == "en"  # an edit without a language keeps it
    assert mei_console.post("/canned", {"title": "x", "text": "y", "language": "de"}).status_code == 400


def test_a_chinese_console_for_a_chinese_conversation(
    chromium: Browser, helpdesk_url: str, mei: AgentLogin, mei_console: Console, client: httpx.Client
) -> None:
    mei_console.put("/me/language", {"language": "zh"})
    mei_console.post("/canned", {"title": "您好 (zh console)", "text": "您好，我来帮您看看。", "language": "zh"})
    mei_console.post("/canned", {"title": "Hello (en console)", "text": "Hi, let me look.", "language": "en"})
    conversation = say(client, "转人工客服")["conversation_id"]
    for viewport in ({"width": 1280, "height": 800}, {"width": 390, "height": 844}):
        page = open_console(chromium, helpdesk_url, mei, viewport)
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        expect(page.locator(".brand").first).to_have_text("Larkspur Home · 客服工作台")
        expect(page.locator("#console-language")).to_have_value("zh")
        expect(page.locator("#my-status option[value=online]")).to_have_text("在线")
        item = page.locator(f'#queue li[data-id="{conversation}"]')
        expect(item).to_contain_text("客户要求转人工")
        item.click()
        expect(page.locator("#handoff")).to_contain_text("中文")
        options = page.locator("#canned option").all_text_contents()
        assert "您好 (zh console)" in options and "Hello (en console)" not in options, options
        expect(page.locator("#reply")).to_have_attribute("placeholder", re.compile("回复客户"))
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"console-zh-{viewport['width']}.png"), full_page=True)
        page.context.close()

    page = open_console(chromium, helpdesk_url, mei, {"width": 1280, "height": 800})
    expect(page.locator("#console-language")).to_have_value("zh")  # the staff member's setting is known
    page.goto(helpdesk_url + "/agent/dashboard")
    expect(page.locator(".brand").first).to_have_text("Larkspur Home · 客服数据看板")
    page.screenshot(path=str(SHOTS / "dashboard-zh-1280.png"))
    page.goto(helpdesk_url + "/agent")
    with page.expect_navigation():
        page.locator("#console-language").select_option("en")  # the switch: the console reloads in English
    expect(page.locator(".brand").first).to_have_text("Larkspur Home · Agent console")
    assert mei_console.get("/me").json()["agent"]["language"] == "en"
    page.context.close()


def test_suggested_replies_are_in_the_conversations_language(mei_console: Console, client: httpx.Client) -> None:
    conversation = say(client, "你们的退货期限是多久？")["conversation_id"]
    say(client, "转人工客服", conversation)
    body = mei_console.get(f"/conversations/{conversation}/suggestions").json()
    assert body["suggestions"], body
    for suggestion in body["suggestions"]:
        assert CJK.search(suggestion["title"]) and "阅读全文：" in suggestion["text"], suggestion
    english = say(client, "How long do I have to return something?")["conversation_id"]
    say(client, "I want to talk to a real person please", english)
    body = mei_console.get(f"/conversations/{english}/suggestions").json()
    assert body["suggestions"] and not any(CJK.search(s["text"]) for s in body["suggestions"]), body
