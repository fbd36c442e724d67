"""The handbook editor for a Chinese staff member (issue 18 leftovers, zh-desk 2 and 3), in Chromium against the real
stack: the problems ``kb validate`` finds in an edit are shown in Chinese, in the list and at their field, and the
Chinese preview labels the bot as a Chinese chat does (智能助手) while the English preview keeps "Assistant".
Uses its own editor account (lin), so other tests' staff stay English. Nothing is published."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import Console, submit_console_login

from helpdesk.stack import Stack

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "results" / "tmp" / "screenshots"  # not committed


@pytest.fixture(scope="module")
def lin(stack: Stack) -> Iterator[AgentLogin]:
    account = add_agent_accounts(stack.env["DATABASE_URL"], (("lin", "editor", None, 1),))["lin"]
    console = Console(stack.url)
    assert console.login(account.username, account.password).status_code == 200
    assert console.put("/me/language", {"language": "zh"}).status_code == 200
    yield account
    console.put("/me/language", {"language": "en"})
    console.close()


def open_workbench(chromium: Browser, helpdesk_url: str, lin: AgentLogin) -> Page:
    """lin's handbook workbench at desktop size (an editor lands on the unanswered report after login)."""
    page = chromium.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.set_default_timeout(20_000)
    submit_console_login(page, helpdesk_url, lin.username, lin.password)
    page.wait_for_url("**/agent/unanswered")
    page.goto(helpdesk_url + "/agent/handbook")
    expect(page.locator("#workbench")).to_be_visible()
    return page


def test_a_chinese_editor_reads_the_checks_and_the_preview_in_chinese(
    chromium: Browser, helpdesk_url: str, lin: AgentLogin
) -> None:
    page = open_workbench(chromium, helpdesk_url, lin)
    expect(page.locator("#new-entry")).to_have_text("新建条目")
    page.locator("#new-entry").click()
    page.locator("#f-id").fill("zh-desk-gift-wrap")
    page.locator("#f-tags").fill("orders")
    page.locator("#f-title").fill("How long does delivery take?")  # another entry's title: asked twice
    page.locator("#f-answer").fill("We wrap gifts for free, and delivery is free over €20.")  # the fact says €50
    page.locator("#f-zh_title").fill("可以包装礼物吗？")
    page.locator("#f-zh_answer").fill("可以，我们**免费**包装礼物。")

    problems = page.locator("#problems")
    expect(problems).to_contain_text("问题 'How long does delivery take?' 在 'delivery-time'")
    expect(problems).to_contain_text("这里写的是 €20，而商店事实 'free_delivery_threshold' 是 €50")
    expect(page.locator("#check-status")).to_have_text("2 个问题：请在发布前修正。")
    expect(page.locator(".hb-inline").first).to_contain_text("第 ")  # at its field, with its line
    expect(page.locator(".hb-inline", has_text="里也有").first).to_be_visible()
    missed = page.evaluate("() => window.ConsoleI18n.missed()")
    assert not [text for text in missed if "also asked" in text or "fact" in text], missed

    # the previews: each answer as the chat in its language shows it
    expect(page.locator("#preview-zh .msg.bot .who")).to_have_text("智能助手")
    expect(page.locator("#preview-zh .msg.bot .text strong")).to_have_text("免费")
    expect(page.locator("#preview-en .msg.bot .who")).to_have_text("Assistant")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "handbook-editor-zh-1280.png"), full_page=True)
    page.context.close()


def test_a_chinese_editor_reads_which_held_out_questions_a_change_answers_differently_in_chinese(
    chromium: Browser, helpdesk_url: str, lin: AgentLogin
) -> None:
    """The impact preview's list of held-out questions answered differently: the console's words in Chinese
    (不回答, 无关问题), the questions and entry ids as written."""
    page = open_workbench(chromium, helpdesk_url, lin)
    page.locator("#new-entry").click()
    page.locator("#f-id").fill("zh-desk-styling")
    page.locator("#f-tags").fill("products")
    page.locator("#f-title").fill("Do you offer an interior styling service?")
    # as tests/web/test_handbook_api.py's STYLING: it answers the out-of-scope "do you make custom furniture"
    page.locator("#f-questions").fill(
        "Can I hire your team to style my living room?\ndo you do home styling visits\n"
        "can a designer help me decorate my flat\ncan you build a custom sofa or table for me"
    )
    page.locator("#f-answer").fill("Not yet: our **style guides** on the blog show how to pair our textiles and lamps.")
    page.locator("#impact-run").click()
    changed = page.locator(".hb-held-out-changed")
    expect(changed).to_be_visible(timeout=120_000)
    changed.locator("summary").click()
    furniture = changed.locator("li", has_text="do you make custom furniture")
    expect(furniture).to_contain_text("— 不回答 → zh-desk-styling (无关问题)")
    missed = page.evaluate("() => window.ConsoleI18n.missed()")
    assert not [text for text in missed if text in ("not answered", "out of scope") or text.startswith("should be")]
    page.context.close()


def test_a_chinese_editor_reads_the_entrys_chinese_title_as_its_heading(
    chromium: Browser, helpdesk_url: str, lin: AgentLogin, editor_account: AgentLogin
) -> None:
    """The staff walkthrough of 2026-12-07: the editor's heading was the entry's English title ("An item is missing
    from my order") above a Chinese screen; an English editor still reads the English title."""
    page = open_workbench(chromium, helpdesk_url, lin)
    page.locator(".hb-entry", has=page.locator(".meta", has_text="missing-item ·")).click()
    expect(page.locator("#f-zh_title")).to_have_value("订单里少了一件商品")
    expect(page.locator("#edit-h")).to_have_text("订单里少了一件商品")
    page.context.close()

    english = chromium.new_context(viewport={"width": 1280, "height": 800}).new_page()
    english.set_default_timeout(20_000)
    submit_console_login(english, helpdesk_url, editor_account.username, editor_account.password)
    english.wait_for_url("**/agent/unanswered")
    english.goto(helpdesk_url + "/agent/handbook#missing-item")
    expect(english.locator("#edit-h")).to_have_text("An item is missing from my order")
    english.context.close()
