"""The handbook editor (/agent/handbook) in headless Chromium against the real stack, on the stack's copy of the
handbook: an editor creates an entry and the customer's widget answers with it; an invalid edit shows the problem
at its field with its line and publishes nothing; two editors on one entry: the second sees both versions; an
agent reads only; on a phone the list and the entry take turns."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from support.accounts import AgentLogin
from support.agent import remove_entry, say, submit_console_login, wait_held_out_ranked
from test_widget_browser import HOST, Tab, new_tab, open_widget, send

from helpdesk.stack import Stack

pytestmark = pytest.mark.browser
QUESTION = "do you do home styling visits"
ANSWER = "Not yet: our **style guides** on the blog show how to pair our textiles and lamps."
LAMP_QUESTION = "can I buy a replacement lampshade"
LAMP_ANSWER = "Yes: **spare shades and bulb holders** for every lamp we sell are in the shop under Spare parts."


@pytest.fixture(autouse=True)
def held_out_ranked(stack: Stack) -> None:
    """Publishing checks the held-out sets: wait for the action server's first ranking of them (see support.kb)."""
    wait_held_out_ranked(stack.ports.actions)


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


def open_handbook(
    page: Page, helpdesk_url: str, account: AgentLogin, entry: str = "", by_link: Path | None = None
) -> None:
    """Log in and open the handbook editor (by_link: through the console header's link, screenshot of the console
    there first)."""
    submit_console_login(page, helpdesk_url, account.username, account.password)
    if account.role == "editor":
        page.wait_for_url("**/agent/unanswered")
    else:
        expect(page.locator("#app")).to_be_visible()  # logged in
    if by_link:  # the console's header links to the handbook for every role
        page.screenshot(path=str(by_link))
        page.locator("#handbook-link").click()
        page.wait_for_url("**/agent/handbook")
    else:
        page.goto(helpdesk_url + "/agent/handbook" + (f"#{entry}" if entry else ""))
    expect(page.locator("#workbench")).to_be_visible()


@pytest.fixture()
def styling(handbook_dir: Path, stack: Stack) -> Iterator[Path]:
    yield handbook_dir / "products" / "interior-styling.md"
    remove_entry(handbook_dir, "interior-styling", stack.ports.actions)


@pytest.fixture()
def lamps(handbook_dir: Path, stack: Stack) -> Iterator[Path]:
    yield handbook_dir / "products" / "lamp-spare-parts.md"
    remove_entry(handbook_dir, "lamp-spare-parts", stack.ports.actions)


def fill_styling(page: Page) -> None:
    page.get_by_role("button", name="New entry").click()
    page.locator("#f-id").fill("interior-styling")
    page.locator("#f-tags").fill("products")
    page.locator("#f-title").fill("Do you offer an interior styling service?")
    # as tests/web/test_handbook_api.py's STYLING: it also answers "do you make custom furniture" and another
    # out-of-scope question of the held-out test set (2 of 117: more than the tolerance), both well above the answer
    # threshold thanks to its last question
    page.locator("#f-questions").fill(
        f"Can I hire your team to style my living room?\n{QUESTION}\ncan a designer help me decorate my flat\n"
        "can you build a custom sofa or table for me"
    )
    page.locator("#f-answer").fill(ANSWER)


def test_an_editor_creates_an_entry_and_the_widget_answers_with_it(
    tab: Tab,
    chromium: Browser,
    client: httpx.Client,
    helpdesk_url: str,
    editor_account: AgentLogin,
    lamps: Path,
    tmp_path: Path,
) -> None:
    page = tab.page
    open_handbook(page, helpdesk_url, editor_account)
    page.get_by_role("button", name="New entry").click()
    page.locator("#f-id").fill("lamp-spare-parts")
    page.locator("#f-tags").fill("products")
    page.locator("#f-title").fill("Do you sell spare parts for your lamps?")
    page.locator("#f-questions").fill(f"{LAMP_QUESTION}\nwhere do I get a new bulb holder for my lamp")
    page.locator("#f-answer").fill(LAMP_ANSWER)
    page.locator("#f-zh_title").fill("你们卖台灯的配件吗？")
    page.locator("#f-zh_answer").fill("有的：我们所有台灯的**灯罩和灯座**都在商店的“配件”栏目里。")
    expect(page.locator("#check-status")).to_have_text("No problems.")
    bubble = page.locator("#preview-en .msg.bot .text")  # the widget's renderer: ** becomes <strong>
    expect(bubble.locator("strong")).to_have_text("spare shades and bulb holders")
    expect(page.locator("#preview-zh .msg.bot .text strong")).to_have_text("灯罩和灯座")
    page.screenshot(path=str(tmp_path / "handbook-new-desktop.png"), full_page=True)
    page.locator("#publish").click()
    # publishing measures the held-out sets first (seconds on a busy machine; the first time after a start longer)
    expect(page.locator("#save-status")).to_contain_text("Published", timeout=60_000)
    assert "spare shades" in lamps.read_text()
    expect(page.locator('#entries .hb-entry[data-id="lamp-spare-parts"]')).to_be_visible()

    # live within seconds: the FAQ engine and the NLU's handbook index both reload the folder (on a busy machine
    # the second can lag a few seconds; the chat API is asked until it answers, bounded)
    started = time.monotonic()
    while "spare shades" not in " ".join(r.get("text", "") for r in say(client, LAMP_QUESTION)["replies"]):
        assert time.monotonic() - started < 30, "the new entry was not live within 30 s"
        time.sleep(0.5)
    customer = new_tab(chromium, viewport={"width": 1280, "height": 800})
    try:
        customer.page.goto(helpdesk_url + "/")
        open_widget(customer.page)
        send(customer.page, LAMP_QUESTION)
        answer = customer.page.locator(f"{HOST} .msg.bot .text strong").filter(has_text="spare shades")
        expect(answer).to_be_visible(timeout=60_000)
    finally:
        customer.page.context.close()
    assert tab.dialogs == []


def test_a_change_the_held_out_sets_flag_needs_a_supervisors_confirmation(
    tab: Tab,
    chromium: Browser,
    helpdesk_url: str,
    editor_account: AgentLogin,
    agent_accounts: dict[str, AgentLogin],
    styling: Path,
    tmp_path: Path,
) -> None:
    page = tab.page
    open_handbook(page, helpdesk_url, editor_account)
    fill_styling(page)
    expect(page.locator("#check-status")).to_contain_text("No problems.")  # (a warning: no Chinese)
    page.locator("#publish").click()
    gate = page.locator("#gate-dialog")
    expect(gate).to_be_visible(timeout=60_000)
    expect(gate.locator("#gate-text")).to_contain_text("out-of-scope answered on test")
    expect(gate.locator('tr[data-set="test"] td[data-figure="oos_answered_rate"]')).to_have_class("worse")
    expect(gate.locator(".hb-held-out-changed")).to_contain_text("do you make custom furniture")  # the reason why
    expect(gate.locator("#gate-confirm")).to_be_hidden()  # an editor cannot confirm it
    expect(gate.locator("#gate-who")).to_contain_text("Ask a supervisor")
    page.screenshot(path=str(tmp_path / "handbook-gate-editor.png"), full_page=True)
    gate.get_by_role("button", name="Keep editing").click()
    expect(page.locator("#save-status")).to_contain_text("Not published")
    assert not styling.exists()

    second = new_tab(chromium, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        supervisor = second.page
        open_handbook(supervisor, helpdesk_url, agent_accounts["sue"])
        fill_styling(supervisor)
        expect(supervisor.locator("#check-status")).to_contain_text("No problems.")
        supervisor.locator("#publish").click()
        confirm = supervisor.locator("#gate-dialog #gate-confirm")
        expect(confirm).to_be_visible(timeout=60_000)
        width = supervisor.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width  # the figures fit the phone
        supervisor.screenshot(path=str(tmp_path / "handbook-gate-supervisor-phone.png"), full_page=True)
        confirm.click()
        expect(supervisor.locator("#save-status")).to_contain_text("Published", timeout=60_000)
        assert styling.exists() and "style guides" in styling.read_text()
        expect(supervisor.locator("#revisions li").first).to_contain_text("confirmed by Sue Tester")
    finally:
        second.page.context.close()


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
    open_handbook(page, helpdesk_url, agent_accounts["ava"], by_link=tmp_path / "console-phone.png")
    expect(page.get_by_role("button", name="New entry")).to_be_hidden()
    page.locator("#search").fill("退款")
    # the search has run and drawn its list (a click on the list it replaces opens nothing: a CI-like run at load 5)
    expect(page.locator("#list-status")).to_contain_text("match")
    expect(page.locator('#entries .hb-entry[data-id="refund-policy"]')).to_be_visible()
    page.locator('#entries .hb-entry[data-id="refund-policy"]').click()
    expect(page.locator("#edit-pane")).to_be_visible(timeout=15_000)  # the entry is fetched first
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


def test_an_editor_asks_a_supervisor_who_confirms_and_the_editor_sees_it_published(
    tab: Tab,
    chromium: Browser,
    helpdesk_url: str,
    editor_account: AgentLogin,
    agent_accounts: dict[str, AgentLogin],
    styling: Path,
    tmp_path: Path,
) -> None:
    page = tab.page
    open_handbook(page, helpdesk_url, editor_account)
    fill_styling(page)
    page.locator("#f-message").fill("styling visits, asked in chat")
    expect(page.locator("#check-status")).to_contain_text("No problems.")
    page.locator("#publish").click()
    gate = page.locator("#gate-dialog")
    expect(gate).to_be_visible(timeout=60_000)
    expect(gate.locator("#gate-confirm")).to_be_hidden()
    gate.get_by_role("button", name="Ask a supervisor").click()
    expect(page.locator("#save-status")).to_contain_text("Sent to a supervisor", timeout=60_000)
    # the request names the entry by its title (the staff walkthrough of 2026-12-07: "Publish interior-styling")
    asked = "Publish “Do you offer an interior styling service?”"
    mine = page.locator("#requests li.hb-request").filter(has_text=asked).first
    expect(mine).to_contain_text("Waiting for a supervisor")
    assert not styling.exists()

    second = new_tab(chromium, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        supervisor = second.page
        open_handbook(supervisor, helpdesk_url, agent_accounts["sue"])
        badge = supervisor.locator("#requests-link")
        expect(badge).to_be_visible(timeout=30_000)
        expect(badge.locator("#requests-count")).not_to_have_text("")
        badge.click()
        waiting = supervisor.locator('#requests li.hb-request[data-state="waiting"]').filter(has_text=asked)
        expect(waiting).to_have_count(1)
        expect(waiting).to_contain_text("Eda Tester")
        expect(waiting).to_contain_text("styling visits, asked in chat")
        expect(waiting.locator(".worse")).to_contain_text("oos answered rate on test")
        width = supervisor.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width  # the request fits the phone
        supervisor.screenshot(path=str(tmp_path / "handbook-request-supervisor-phone.png"), full_page=True)
        waiting.get_by_role("button", name="Confirm and publish").click()
        published = "Published “Do you offer an interior styling service?”."
        expect(supervisor.locator("#requests-status")).to_have_text(published, timeout=60_000)
        assert styling.exists() and "style guides" in styling.read_text()
    finally:
        second.page.context.close()
    # the editor's page shows the outcome without a reload (it asks every 10 s)
    expect(mine).to_contain_text("Published by Sue Tester", timeout=30_000)
    page.screenshot(path=str(tmp_path / "handbook-request-editor.png"), full_page=True)
