"""The handbook editor (/agent/handbook) in headless Chromium against the real stack (the walkthrough of 2026-12-05
as an editor): an edit not published yet was dropped without a word when the editor clicked another entry in the
list or "New entry"; now the editor is dialogs.asked first, and "Cancel" keeps the edit where it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from support.accounts import AgentLogin
from support.agent import Dialogs, submit_console_login

pytestmark = pytest.mark.browser
EDITED = "missing-item"
OTHER = "safety-recalls"
ADDED = "Photos of the box help us find it faster."


def entry(page: Page, entry_id: str) -> None:
    page.locator(f'.hb-entry[data-id="{entry_id}"]').click()


def test_an_edit_not_published_is_kept_unless_the_editor_drops_it(
    answering_page: Page, helpdesk_url: str, editor_account: AgentLogin, handbook_dir: Path
) -> None:
    page = answering_page
    dialogs = Dialogs(page)
    submit_console_login(page, helpdesk_url, editor_account.username, editor_account.password)
    page.wait_for_url("**/agent/unanswered")
    page.goto(helpdesk_url + "/agent/handbook")

    entry(page, EDITED)
    expect(page.locator("#f-id")).to_have_value(EDITED)
    entry(page, OTHER)  # nothing changed: no question
    expect(page.locator("#f-id")).to_have_value(OTHER)
    entry(page, EDITED)
    expect(page.locator("#f-id")).to_have_value(EDITED)
    assert dialogs.asked == []

    original = page.locator("#f-answer").input_value()
    page.locator("#f-answer").fill(original + "\n\n" + ADDED)
    entry(page, OTHER)
    expect(page.locator("#f-id")).to_have_value(EDITED)  # "Cancel": the edit stays
    expect(page.locator("#f-answer")).to_have_value(original + "\n\n" + ADDED)
    assert dialogs.asked == [f"Leave '{EDITED}' without publishing? Your changes will be lost."]
    page.locator("#new-entry").click()
    expect(page.locator("#f-id")).to_have_value(EDITED)
    expect(page.locator("#f-answer")).to_have_value(original + "\n\n" + ADDED)
    assert len(dialogs.asked) == 2

    dialogs.accept = True  # "OK": the other entry opens, the edit is dropped and nothing was published
    entry(page, OTHER)
    expect(page.locator("#f-id")).to_have_value(OTHER)
    assert len(dialogs.asked) == 3
    entry(page, EDITED)
    expect(page.locator("#f-answer")).to_have_value(original)
    assert len(dialogs.asked) == 3
    assert not any(ADDED in path.read_text() for path in handbook_dir.rglob("*.md"))
