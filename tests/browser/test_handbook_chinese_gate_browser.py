"""The handbook editor's impact preview and publish gate for a change to an entry's Chinese texts (issue 18 for
editors), in headless Chromium against the real stack: the Chinese held-out set is decided as Chinese customers are
answered, so taking payment-methods' Chinese questions away shows as a Chinese loss (the row marked, the questions
it stops answering listed, the headline per language) and publishing it waits for a supervisor. At desktop size
for an English-speaking editor and at phone size for a Chinese-speaking one. Nothing is published."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from support.accounts import AgentLogin
from support.agent import wait_held_out_ranked
from test_handbook_browser import open_handbook
from test_widget_browser import new_tab

from helpdesk.stack import Stack

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "results" / "tmp" / "screenshots"  # not committed
ENTRY = "payment-methods"


@pytest.fixture(autouse=True)
def held_out_ranked(stack: Stack) -> None:
    wait_held_out_ranked(stack.ports.actions)


def take_the_chinese_questions_away(page: Page) -> None:
    expect(page.locator("#f-id")).to_have_value(ENTRY)
    expect(page.locator("#f-zh_questions")).to_have_value(re.compile("支持支付宝吗"))
    page.locator("#f-zh_questions").fill("")  # the Chinese title and answer stay


def shot(page: Page, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=full_page)  # a dialog: the viewport it is shown in


def test_an_editor_sees_a_chinese_loss_in_the_preview_and_the_gate_stops_it(
    chromium: Browser, helpdesk_url: str, editor_account: AgentLogin, handbook_dir: Path
) -> None:
    path = next(handbook_dir.rglob(f"{ENTRY}.md"))
    before = path.read_bytes()
    tab = new_tab(chromium, viewport={"width": 1280, "height": 800})
    page = tab.page
    try:
        open_handbook(page, helpdesk_url, editor_account, ENTRY)
        take_the_chinese_questions_away(page)
        page.locator("#impact-run").click()
        zh = page.locator('#impact-lists tr[data-set="zh"]')
        expect(zh).to_be_visible(timeout=120_000)
        expect(zh.locator("th")).to_contain_text("zh· Chinese")
        expect(zh.locator('td[data-figure="p_at_1"]')).to_have_class("worse")
        expect(page.locator('#impact-lists tr[data-set="test"] td.worse')).to_have_count(0)  # English unchanged
        sentence = page.locator("#impact-sentence")
        expect(sentence).to_contain_text(re.compile(r"English held-out P@1 (\d\.\d+) → \1;"))
        expect(sentence).to_contain_text("Chinese held-out P@1")
        expect(sentence).to_contain_text("P@1 on zh (Chinese)")
        changed = page.locator("#impact-lists .hb-held-out-changed")
        changed.locator("summary").click()
        expect(changed.locator("li", has_text="能用支付宝吗")).to_contain_text("[zh] 能用支付宝吗 — payment-methods → ")
        shot(page, "handbook-chinese-loss-preview-1280.png")

        page.locator("#publish").click()
        gate = page.locator("#gate-dialog")
        expect(gate).to_be_visible(timeout=120_000)
        expect(gate.locator("#gate-text")).to_contain_text("P@1 on zh (Chinese)")
        expect(gate.locator('tr[data-set="zh"] td[data-figure="p_at_1"]')).to_have_class("worse")
        expect(gate.locator("#gate-confirm")).to_be_hidden()  # an editor cannot confirm it
        shot(page, "handbook-chinese-loss-gate-1280.png", full_page=False)
        assert path.read_bytes() == before
    finally:
        page.context.close()


def test_a_chinese_editor_on_a_phone_sees_the_chinese_loss(
    chromium: Browser, helpdesk_url: str, chinese_editor: AgentLogin, handbook_dir: Path
) -> None:
    path = next(handbook_dir.rglob(f"{ENTRY}.md"))
    before = path.read_bytes()
    tab = new_tab(chromium, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = tab.page
    try:
        open_handbook(page, helpdesk_url, chinese_editor, ENTRY)
        take_the_chinese_questions_away(page)
        page.locator("#impact-run").click()
        zh = page.locator('#impact-lists tr[data-set="zh"]')
        expect(zh).to_be_visible(timeout=120_000)
        expect(zh.locator("th .lang")).to_have_text("· 中文")
        expect(zh.locator('td[data-figure="p_at_1"]')).to_have_class("worse")
        expect(page.locator('#impact-lists tr[data-set="test"] th .lang')).to_have_text("· 英文")
        # the headline in the editor's language, one line per language, the figures and ids as they are
        sentence = page.locator("#impact-sentence")
        expect(sentence).to_contain_text(re.compile(r"^最近的 \d+ 个客户提问中："))
        expect(sentence).to_contain_text(re.compile(r"英文留出集：P@1 (\d\.\d+) → \1；"))
        expect(sentence).to_contain_text("中文留出集：P@1 ")
        expect(sentence).to_contain_text(
            re.compile(r"以下指标变差超出容差（需要主管确认）： ?评测集 \S+（中文）的P@1：0\.")
        )
        # each line a Chinese sentence: "；" between its phrases and "。" at its end (they ended in an ASCII ".")
        lines = sentence.locator(".hb-summary-line").all_inner_texts()
        assert lines and all(line.endswith("。") for line in lines), lines
        assert not [line for line in lines if "; " in line or line.endswith(".")], lines
        missed = page.evaluate("() => window.ConsoleI18n.missed()")
        summary = page.locator("#impact-sentence span span").all_inner_texts()
        assert summary and not [text for text in missed if text in summary], missed  # every phrase of it in Chinese
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width  # the figures fit the phone
        shot(page, "handbook-chinese-loss-preview-390.png")
        page.locator("#publish").click()
        gate = page.locator("#gate-dialog")
        expect(gate).to_be_visible(timeout=120_000)
        expect(gate.locator('tr[data-set="zh"] td[data-figure="p_at_1"]')).to_have_class("worse")
        expect(gate.locator("#gate-text")).to_have_text(
            re.compile(r"^未发布：它会让留出集指标变差，超出容差（P@1 on zh \(Chinese\) 0\.\d+ → 0\.\d+）。需要主管")
        )
        shot(page, "handbook-chinese-loss-gate-390.png", full_page=False)
        assert path.read_bytes() == before
    finally:
        page.context.close()
