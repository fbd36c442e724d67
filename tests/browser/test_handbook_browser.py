"""The handbook editor (/agent/handbook) in headless Chromium against the real stack, on the stack's copy of the
handbook: an editor creates an entry and the customer's widget answers with it; an invalid edit shows the problem
at its field with its line and publishes nothing; two editors on one entry: the second sees both versions; an
agent reads only; on a phone the list and the entry take turns."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from support.accounts import AgentLogin
from support.agent import submit_console_login
from test_widget_browser import HOST, Tab, new_tab, open_widget, send

pytestmark = pytest.mark.browser
QUESTION = "do you do home styling visits"
ANSWER = "Not yet: our **style guides** on the blog show how to pair our textiles and lamps."


@pytest.fixture()
def tab(chromium: Browser) -> Iterator[Tab]:
    opened = new_tab(chromium, viewport={"width": 1280, "height": 800})
    yield opened
    opened.page.context.close()


@pytest.fixture()
def phone(chromium: Browser) -> Iterator[Tab]:
    opened = new_tab(chromium, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield opened
    opened.page.context.close()


def open_handbook(page: Page, helpdesk_url: str, account: AgentLogin, entry: str = "") -> None:
    submit_console_login(page, helpdesk_url, account.username, account.password)
    if account.role == "editor":
        page.wait_for_url("**/agent/unanswered")
    else:
        expect(page.locator("#app")).to_be_visible()  # logged in
    page.goto(helpdesk_url + "/agent/handbook" + (f"#{entry}" if entry else ""))
    expect(page.locator("#workbench")).to_be_visible()


@pytest.fixture()
def styling(handbook_dir: Path) -> Iterator[Path]:
    yield handbook_dir / "products" / "interior-styling.md"
    for path in handbook_dir.rglob("interior-styling.md"):
        path.unlink()


def test_an_editor_creates_an_entry_and_the_widget_answers_with_it(
    tab: Tab, chromium: Browser, helpdesk_url: str, editor_account: AgentLogin, styling: Path, tmp_path: Path
) -> None:
    page = tab.page
    open_handbook(page, helpdesk_url, editor_account)
    page.get_by_role("button", name="New entry").click()
    page.locator("#f-id").fill("interior-styling")
    page.locator("#f-tags").fill("products")
    page.locator("#f-title").fill("Do you offer an interior styling service?")
    page.locator("#f-questions").fill(f"{QUESTION}\ncan a designer help me decorate my flat")
    page.locator("#f-answer").fill(ANSWER)
    page.locator("#f-zh_title").fill("你们提供室内软装搭配服务吗？")
    page.locator("#f-zh_answer").fill("暂时没有：博客里的**搭配指南**介绍了如何搭配我们的纺织品和灯具。")
    expect(page.locator("#check-status")).to_have_text("No problems.")
    bubble = page.locator("#preview-en .msg.bot .text")  # the widget's renderer: ** becomes <strong>
    expect(bubble.locator("strong")).to_have_text("style guides")
    expect(page.locator("#preview-zh .msg.bot .text strong")).to_have_text("搭配指南")
    page.screenshot(path=str(tmp_path / "handbook-new-desktop.png"), full_page=True)
    page.locator("#publish").click()
    expect(page.locator("#save-status")).to_contain_text("Published")
    assert "style guides" in styling.read_text()
    expect(page.locator('#entries .hb-entry[data-id="interior-styling"]')).to_be_visible()

    customer = new_tab(chromium, viewport={"width": 1280, "height": 800})
    try:
        customer.page.goto(helpdesk_url + "/")
        open_widget(customer.page)
        send(customer.page, QUESTION)
        answer = customer.page.locator(f"{HOST} .msg.bot .text strong").filter(has_text="style guides")
        expect(answer).to_be_visible(timeout=60_000)
    finally:
        customer.page.context.close()
    assert tab.dialogs == []


def test_an_invalid_edit_shows_its_line_and_publishes_nothing(
    tab: Tab, helpdesk_url: str, editor_account: AgentLogin, handbook_dir: Path
) -> None:
    before = (handbook_dir / "delivery" / "express-delivery.md").read_bytes()
    page = tab.page
    open_handbook(page, helpdesk_url, editor_account, "express-delivery")
    expect(page.locator("#f-title")).to_have_value("How does express delivery work?")
    questions = page.locator("#f-questions")
    questions.fill(questions.input_value() + "\nWhat is your refund policy?")
    inline = page.locator('.hb-field[data-field="questions"] .hb-inline')
    expect(inline).to_contain_text("is also asked in 'refund-policy'")
    line = int(inline.inner_text().split(":")[0].removeprefix("Line "))
    page.locator("#file-view summary").click()
    expect(page.locator("#file-lines li").nth(line - 1)).to_have_text("  - What is your refund policy?")
    expect(page.locator("#file-lines li.bad")).to_have_count(1)
    expect(page.locator("#publish")).to_be_disabled()
    assert (handbook_dir / "delivery" / "express-delivery.md").read_bytes() == before


def test_two_editors_on_one_entry_the_second_sees_both_versions(
    tab: Tab,
    chromium: Browser,
    helpdesk_url: str,
    editor_account: AgentLogin,
    agent_accounts: dict[str, AgentLogin],
    handbook_dir: Path,
) -> None:
    path = handbook_dir / "products" / "gift-wrapping.md"
    original = path.read_bytes()
    second = new_tab(chromium, viewport={"width": 1280, "height": 800})
    try:
        open_handbook(tab.page, helpdesk_url, editor_account, "gift-wrapping")
        open_handbook(second.page, helpdesk_url, agent_accounts["sue"], "gift-wrapping")
        for page, who in ((tab.page, "Eda"), (second.page, "Sue")):
            expect(page.locator("#f-answer")).not_to_have_value("")
            page.locator("#f-answer").fill(page.locator("#f-answer").input_value() + f"\n\n{who}'s note.")
            expect(page.locator("#check-status")).to_have_text("No problems.")
        tab.page.locator("#publish").click()
        expect(tab.page.locator("#save-status")).to_contain_text("Published")
        second.page.locator("#publish").click()
        dialog = second.page.locator("#conflict-dialog")
        expect(dialog).to_be_visible()
        expect(dialog.locator("#conflict-theirs")).to_contain_text("Eda's note.")
        expect(dialog.locator("#conflict-yours")).to_contain_text("Sue's note.")
        assert "Sue's note." not in path.read_text() and "Eda's note." in path.read_text()
        second.page.get_by_role("button", name="Take theirs (drop my edit)").click()
        expect(second.page.locator("#f-answer")).to_have_value(answer_in(path))
    finally:
        second.page.context.close()
        path.write_bytes(original)


def answer_in(path: Path) -> str:
    """The English answer of a handbook file (what the editor's answer box shows)."""
    from helpdesk.knowledge.entry_form import from_markdown

    return from_markdown("x", path.read_text()).answer


def test_an_agent_reads_and_a_phone_shows_list_then_entry(
    phone: Tab, helpdesk_url: str, agent_accounts: dict[str, AgentLogin], tmp_path: Path
) -> None:
    page = phone.page
    open_handbook(page, helpdesk_url, agent_accounts["ava"])
    expect(page.get_by_role("button", name="New entry")).to_be_hidden()
    page.locator("#search").fill("退款")
    expect(page.locator('#entries .hb-entry[data-id="refund-policy"]')).to_be_visible()
    page.locator('#entries .hb-entry[data-id="refund-policy"]').click()
    expect(page.locator("#edit-pane")).to_be_visible()
    expect(page.locator("#list-pane")).to_be_hidden()  # a phone shows one at a time
    expect(page.locator("#read-only")).to_be_visible()
    expect(page.locator("#actions")).to_be_hidden()
    assert page.locator("#f-answer").get_attribute("readonly") is not None
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone
    page.screenshot(path=str(tmp_path / "handbook-phone.png"), full_page=True)
    page.get_by_role("button", name="← Entries").click()
    expect(page.locator("#list-pane")).to_be_visible()


def test_a_revision_is_viewed_and_restored(
    tab: Tab, helpdesk_url: str, editor_account: AgentLogin, handbook_dir: Path
) -> None:
    path = handbook_dir / "products" / "dishwasher-safe.md"
    original = path.read_text()
    page = tab.page
    open_handbook(page, helpdesk_url, editor_account, "dishwasher-safe")
    answer = page.locator("#f-answer")
    expect(answer).not_to_have_value("")
    answer.fill(answer.input_value() + "\n\nHand-wash the gold rims.")
    page.locator("#f-message").fill("gold rims")
    expect(page.locator("#check-status")).to_have_text("No problems.")
    page.locator("#publish").click()
    expect(page.locator("#save-status")).to_contain_text("Published")
    revisions = page.locator("#revisions li")
    expect(revisions.first).to_contain_text("gold rims")
    expect(revisions.last).to_contain_text("before the editor")
    revisions.last.get_by_role("button").click()
    expect(page.locator("#revision-dialog")).to_be_visible()
    page.get_by_role("button", name="Restore this version").click()
    expect(page.locator("#save-status")).to_have_text("Restored and published.")
    expect(answer).not_to_have_value(re.compile("gold rims"))
    expect(revisions.first).to_contain_text("restore dishwasher-safe")
    assert path.read_text() == original


def test_the_impact_preview_lists_the_questions_a_new_entry_would_answer(
    tab: Tab, client: httpx.Client, helpdesk_url: str, editor_account: AgentLogin, tmp_path: Path
) -> None:
    asked = "can a designer help me decorate my flat"
    client.post("/api/chat", json={"conversation_id": None, "text": asked})
    page = tab.page
    open_handbook(page, helpdesk_url, editor_account)
    page.get_by_role("button", name="New entry").click()
    page.locator("#f-id").fill("interior-styling")
    page.locator("#f-title").fill("Do you offer an interior styling service?")
    page.locator("#f-questions").fill("do you do home styling visits\ncan a designer help me decorate my flat")
    page.locator("#f-answer").fill(ANSWER)
    page.get_by_role("button", name="Preview impact").click()
    expect(page.locator("#impact-sentence")).to_contain_text("would now answer", timeout=60_000)
    expect(page.locator('#impact-lists [data-list="newly_answered"] li').filter(has_text=asked)).to_have_count(1)
    page.screenshot(path=str(tmp_path / "handbook-impact.png"), full_page=True)
