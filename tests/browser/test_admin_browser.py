"""The admin screens in headless Chromium against a helpdesk process of its own (own SQLite database and
business-hours file; the stack's Rasa and actions): an admin adds a user, who can then log in; changes the
business hours, and the very next handoff follows them; the audit trail shows both. An agent then uses a canned
reply by typing "/" in the reply box, its placeholders filled. Desktop and phone screenshots (SCREENSHOT_DIR)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from playwright.sync_api import Browser, Page, expect
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import HANDOFF_TEXT, Console, say, submit_console_login
from support.helpdesks import extra_helpdesk
from test_widget_browser import Tab, new_tab

from helpdesk.conversation.business_hours import DAYS
from helpdesk.stack import Stack

pytestmark = pytest.mark.browser
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def shoot(page: Page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"admin-{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def desk(stack: Stack) -> Iterator[tuple[str, dict[str, AgentLogin]]]:
    workdir = stack.workdir / "admin-browser"  # type: ignore[attr-defined]
    workdir.mkdir(exist_ok=True)
    schedule = workdir / "business_hours.yml"
    schedule.write_text(yaml.safe_dump({"time_zone": "UTC", "weekly": {d: ["00:00-24:00"] for d in DAYS}}))
    database_url = f"sqlite+aiosqlite:///{workdir / 'helpdesk.db'}"
    accounts = add_agent_accounts(database_url, (("boss", "admin", None, 5), ("amy", "agent", "orders", 5)))
    env = {"DATABASE_URL": database_url, "BUSINESS_HOURS": "on", "BUSINESS_HOURS_FILE": str(schedule)}
    with extra_helpdesk(stack, "admin-browser", env) as url:
        yield url, accounts


@pytest.fixture(params=list(SIZES))
def tab(request: pytest.FixtureRequest, chromium: Browser) -> Iterator[tuple[str, Tab]]:
    opened = new_tab(chromium, viewport=SIZES[request.param])
    yield request.param, opened
    opened.page.context.close()


def test_an_admin_adds_a_user_and_changes_the_hours_and_the_handoff_follows(
    desk: tuple[str, dict[str, AgentLogin]], tab: tuple[str, Tab], tmp_path: Path
) -> None:
    url, accounts = desk
    size, opened = tab
    page = opened.page
    submit_console_login(page, url, "boss", accounts["boss"].password)
    expect(page.locator("#app")).to_be_visible()
    page.goto(url + "/agent/admin")
    expect(page.locator("body[data-loaded='1']")).to_be_attached()
    expect(page.locator("#me")).to_contain_text("Boss Tester")

    # a user
    username = f"kim-{size}"
    page.locator("#u-username").fill(username)
    page.locator("#u-name").fill("Kim <b>Park</b>")
    page.locator("#u-role").select_option("agent")
    page.locator("#u-team").fill("orders")
    page.locator("#u-cap").fill("4")
    page.locator("#user-form button[type=submit]").click()
    expect(page.locator("#password-box code")).to_be_visible()
    password = page.locator("#password-box code").inner_text()
    row = page.locator(f"#t-users tr[data-username='{username}']")
    expect(row).to_be_visible()
    expect(row.locator("input").first).to_have_value("Kim <b>Park</b>")  # as text, never as markup
    kim = Console(url)
    assert kim.login(username, password).status_code == 200
    assert (kim.agent["team"], kim.agent["max_concurrent"]) == ("orders", 4)
    kim.close()

    # the hours: closed every day, and the next handoff says the team is away
    for day in DAYS:
        page.locator(f"#h-{day}").fill("")
    page.locator("#hours-form button[type=submit]").click()
    expect(page.locator("#flash")).to_contain_text("Business hours saved")
    expect(page.locator("#hours-status")).to_contain_text("Closed now")
    with httpx.Client(base_url=url, timeout=60) as customer:
        assert customer.get("/api/chat/status").json()["business_hours"]["open"] is False
        body = say(customer, HANDOFF_TEXT)
        assert "Our support team is away right now" in body["replies"][-1]["text"]
        # a malformed interval is refused with the file's own message, and nothing changes
        page.locator("#h-monday").fill("17:00-09:00")
        page.locator("#hours-form button[type=submit]").click()
        expect(page.locator("#flash")).to_contain_text("must end after it starts")
        assert customer.get("/api/chat/status").json()["business_hours"]["open"] is False
        for day in DAYS:
            page.locator(f"#h-{day}").fill("00:00-24:00")
        page.locator("#hours-form button[type=submit]").click()
        expect(page.locator("#hours-status")).to_contain_text("Open now")
        assert customer.get("/api/chat/status").json()["business_hours"]["open"] is True
        body = say(customer, HANDOFF_TEXT)
        assert not any("away right now" in r["text"] for r in body["replies"])

    audit = page.locator("#t-audit")
    expect(audit).to_contain_text("user.add")
    expect(audit).to_contain_text("business_hours.save")
    page.locator("#c-starter").click()
    expect(page.locator("#canned-items li[data-shortcut='hello']")).to_be_visible()
    shoot(page, size, tmp_path)
    assert opened.errors("400", "401") == []  # refused hours answer 400; the console asks /me before login


def add_starter_canned_replies(url: str, accounts: dict[str, AgentLogin]) -> None:
    """The admin adds the starter canned replies (English and Chinese) through the API."""
    boss = Console(url)
    assert boss.login("boss", accounts["boss"].password).status_code == 200
    assert boss.post("/admin/canned/starter").status_code == 200
    boss.close()


def test_an_agent_types_a_slash_and_gets_the_canned_reply_filled(
    desk: tuple[str, dict[str, AgentLogin]], chromium: Browser, tmp_path: Path
) -> None:
    url, accounts = desk
    add_starter_canned_replies(url, accounts)
    with httpx.Client(base_url=url, timeout=60) as customer:
        conversation = say(customer, HANDOFF_TEXT)["conversation_id"]
    opened = new_tab(chromium, viewport=SIZES["desktop"])
    try:
        page = opened.page
        submit_console_login(page, url, "amy", accounts["amy"].password)
        expect(page.locator("#app")).to_be_visible()
        amy = Console(url)
        assert amy.login("amy", accounts["amy"].password).status_code == 200
        amy.post(f"/conversations/{conversation}/claim")  # or automatic assignment gave it to her already
        assert conversation in [c["conversation_id"] for c in amy.get("/chats").json()["conversations"]]
        amy.close()
        page.reload()
        page.locator(f"#chats li[data-id='{conversation}']").click()
        expect(page.locator("#conv-meta")).to_contain_text(conversation)
        reply = page.locator("#reply")
        reply.click()
        reply.type("/hel")
        expect(page.locator("#shortcut-list li").first).to_contain_text("/hello")
        shoot(page, "shortcut", tmp_path)
        reply.press("Enter")
        # a customer nobody verified: the greeting's neutral form (lane fixes), not the braces
        expect(reply).to_have_value("Hi, this is Amy from Larkspur Home. How can I help you today?")
        expect(page.locator("#shortcut-list")).to_be_hidden()
        assert opened.errors("401") == []
    finally:
        opened.page.context.close()


def test_a_slash_in_a_chinese_chat_lists_the_chinese_canned_replies(
    desk: tuple[str, dict[str, AgentLogin]], chromium: Browser, tmp_path: Path
) -> None:
    """The walkthrough of 2026-12-06: "/" in a Chinese chat listed the seven English starter replies first and, eight
    at most, only one Chinese one (/chaxun); /nihao and /zaijian were not offered at all. It lists the replies for
    the chat's language (and those for any language), as the "Insert a canned reply…" list does."""
    url, accounts = desk
    add_starter_canned_replies(url, accounts)
    with httpx.Client(base_url=url, timeout=60) as customer:
        body = say(customer, "我要人工客服")
    assert body["language"] == "zh" and body["mode"] == "queued", body
    conversation = body["conversation_id"]
    amy = Console(url)
    assert amy.login("amy", accounts["amy"].password).status_code == 200
    amy.post(f"/conversations/{conversation}/claim")  # or automatic assignment gave it to her already
    amy.close()
    opened = new_tab(chromium, viewport=SIZES["desktop"])
    try:
        page = opened.page
        submit_console_login(page, url, "amy", accounts["amy"].password)
        page.locator(f"#chats li[data-id='{conversation}']").click()
        expect(page.locator("#conv-meta")).to_contain_text(conversation)
        reply = page.locator("#reply")
        reply.click()
        reply.type("/")
        listed = page.locator("#shortcut-list li")
        expect(listed.first).to_be_visible()
        shortcuts = [str(s) for s in listed.evaluate_all("items => items.map(i => i.dataset.shortcut)")]
        assert {"nihao", "chaxun", "zaijian"} <= set(shortcuts) and "hello" not in shortcuts, shortcuts
        shoot(page, "shortcut-zh", tmp_path)
        reply.type("nihao")
        reply.press("Enter")
        expect(reply).to_have_value(re.compile(r"您好，我是 Larkspur Home 的客服Amy"))
        assert opened.errors("401") == []
    finally:
        opened.page.context.close()
