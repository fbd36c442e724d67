"""Agents teach the bot, in headless Chromium against the real stack: an agent marks a customer turn "Bot got this
wrong" in the console and picks the right handbook entry (searched by its Chinese title) or intent; a supervisor
accepts one and rejects the other at /agent/corrections; `python -m helpdesk corrections export` then carries the
accepted one, personal data masked, and not the rejected one. Screenshots at desktop and phone size go to
var/screenshots/corrections-*.png for a person to look at."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from playwright.sync_api import Browser, Locator, Page, expect
from support.accounts import AgentLogin
from support.agent import HANDOFF_TEXT, say, submit_console_login
from test_widget_browser import Tab, new_tab

from helpdesk.config import PROJECT_ROOT
from helpdesk.corrections.masking import ORDER_PLACEHOLDER
from helpdesk.stack import Stack

pytestmark = pytest.mark.browser

SHOTS = PROJECT_ROOT / "var" / "screenshots"
RECEIPT = "need a receipt for 100212 for my taxes, send to kim.park@example.com"
PHONE_TEXT = "can u ring me back on 07700 900123 about the thing"


@pytest.fixture()
def desk(chromium: Browser) -> Iterator[Tab]:
    tab = new_tab(chromium, viewport={"width": 1280, "height": 800})
    yield tab
    tab.page.context.close()


def log_in(page: Page, helpdesk_url: str, login: AgentLogin) -> None:
    submit_console_login(page, helpdesk_url, login.username, login.password)
    expect(page.locator("#app")).to_be_visible()


def open_turn(page: Page, conversation_id: str, text: str) -> Locator:
    page.locator(f'#queue li[data-id="{conversation_id}"]').click()
    turn = page.locator("#transcript li.msg.customer").filter(has_text=text)
    expect(turn.locator(".corr-bar button")).to_have_text("Bot got this wrong")
    return turn


def test_an_agent_corrects_a_turn_a_supervisor_accepts_it_and_it_is_exported_masked(
    desk: Tab,
    chromium: Browser,
    client: httpx.Client,
    helpdesk_url: str,
    agent_accounts: dict[str, AgentLogin],
    stack: Stack,
    tmp_path: Path,
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    conversation_id = say(client, RECEIPT)["conversation_id"]
    say(client, PHONE_TEXT, conversation_id)
    assert say(client, HANDOFF_TEXT, conversation_id)["mode"] == "queued"

    page = desk.page
    log_in(page, helpdesk_url, agent_accounts["ava"])
    turn = open_turn(page, conversation_id, RECEIPT)
    # the bot's own reading stays on the turn beside the new control
    expect(turn.locator(".ctx summary")).to_contain_text("intent")
    turn.locator(".corr-bar button").click()
    dialog = page.locator("#correction-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#correction-text")).to_have_text(RECEIPT)
    expect(dialog.locator("#correction-guess")).to_contain_text("The bot read")
    dialog.get_by_label("A handbook answer").check()
    dialog.locator("#correction-search").fill("发票")  # the Chinese title finds the entry too
    entries = dialog.locator(".corr-entry")
    expect(entries.first).to_be_visible()
    invoices = entries.filter(has=page.locator('input[value="invoices"]'))
    expect(invoices).to_have_count(1)
    dialog.locator("#correction-search").fill("invoice")
    expect(dialog.locator('.corr-entry input[value="invoices"]')).to_be_visible()
    dialog.locator('.corr-entry input[value="invoices"]').check()
    dialog.locator("#correction-note").fill("wants the invoice, not the order status")
    page.screenshot(path=str(SHOTS / "corrections-dialog-desktop.png"))
    dialog.locator("#correction-save").click()
    expect(dialog).to_be_hidden()
    expect(turn.locator(".corr-tag")).to_contain_text("waiting for review")

    # a second turn, marked on a phone-sized screen: a new question
    page.set_viewport_size({"width": 390, "height": 844})
    other = page.locator("#transcript li.msg.customer").filter(has_text=PHONE_TEXT)
    other.locator(".corr-bar button").click()
    dialog.get_by_label("A request the bot handles").check()
    dialog.locator("#correction-intent").select_option("request_human")
    page.screenshot(path=str(SHOTS / "corrections-dialog-phone.png"))
    dialog.locator("#correction-save").click()
    expect(other.locator(".corr-tag")).to_contain_text("Wants to talk to a person")
    page.screenshot(path=str(SHOTS / "corrections-console-phone.png"))
    # the marks survive a reload
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    expect(page.locator("#app")).to_be_visible()
    page.locator(f'#queue li[data-id="{conversation_id}"]').click()
    marked = page.locator("#transcript li.msg.customer .corr-tag")
    expect(marked).to_have_count(2)
    page.screenshot(path=str(SHOTS / "corrections-console-desktop.png"))
    assert desk.errors("401") == []

    # the supervisor's review list: the words masked, accept one, reject the other
    review = new_tab(chromium, viewport={"width": 1280, "height": 800})
    try:
        rp = review.page
        log_in(rp, helpdesk_url, agent_accounts["sue"])
        expect(rp.locator("#corrections-link")).to_be_visible()
        rp.locator("#corrections-link").click()
        rp.wait_for_url("**/agent/corrections")
        receipt = rp.locator(".cr-item").filter(has_text="need a receipt for")
        expect(receipt).to_contain_text("wants the invoice")
        assert "kim.park@example.com" not in rp.content() and "07700 900123" not in rp.content()
        rp.screenshot(path=str(SHOTS / "corrections-review-desktop.png"))
        # the stack is shared with other test files, which may leave corrections waiting: the count goes down by ours
        waiting = rp.locator(".cr-item[data-id]")  # the list's rows (not its "Nothing waits" line)
        pending = int(rp.locator("#count-pending").inner_text())
        assert pending >= 2 and waiting.count() == pending, (pending, waiting.count())
        receipt.get_by_role("button", name="Accept").click()
        expect(rp.locator(".cr-item").filter(has_text="need a receipt for")).to_have_count(0)
        rp.locator(".cr-item").filter(has_text="ring me back").get_by_role("button", name="Reject").click()
        expect(rp.locator(".cr-item").filter(has_text="ring me back")).to_have_count(0)
        expect(rp.locator("#count-pending")).to_have_text(str(pending - 2))
        expect(waiting).to_have_count(pending - 2)
        rp.get_by_role("button", name="Accepted").click()
        expect(rp.locator(".cr-item").filter(has_text="need a receipt for")).to_contain_text("Accepted by")
        rp.set_viewport_size({"width": 390, "height": 844})
        rp.screenshot(path=str(SHOTS / "corrections-review-phone.png"), full_page=True)
        assert review.errors("401") == []
    finally:
        review.page.context.close()

    # the agent's console now shows the verdict
    page.locator(f'#queue li[data-id="{conversation_id}"]').click()
    expect(page.locator("#transcript li.msg.customer .corr-tag.accepted")).to_have_count(1)

    out = tmp_path / "export"
    done = subprocess.run(
        [sys.executable, "-m", "helpdesk", "corrections", "export", "--out", str(out)],
        cwd=PROJECT_ROOT,
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    everything = "\n".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    assert "kim.park" not in everything and "100212" not in everything and "07700" not in everything
    rows = [json.loads(line) for line in (out / "routing.jsonl").read_text().splitlines()]
    receipt_rows = [r for r in rows if r["text"].startswith("need a receipt for")]
    assert receipt_rows and receipt_rows[-1]["expect"] == {"faq_id": "invoices"}
    assert ORDER_PLACEHOLDER in receipt_rows[-1]["text"]
    assert not [r for r in rows if "ring me back" in r["text"]]  # rejected
    nlu = yaml.safe_load((out / "nlu_en.yml").read_text())["nlu"]
    assert any("need a receipt for" in block["examples"] for block in nlu if block["intent"] == "faq")
