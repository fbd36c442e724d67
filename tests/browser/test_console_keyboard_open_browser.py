"""An agent who opens a chat with the keyboard can type the reply at once (the staff walkthrough of 2026-12-07: Enter
on a chat card opened it, but the card was rebuilt by the lists' refresh and the focus fell to the page; the reply box
was then a dozen Tabs away, past Resolve and Hand back to bot). A queued chat opened so offers Claim first, and the
claim leads to the reply box. In headless Chromium against the running stack, at 1280×800."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect
from support.agent import AvaAtHerDesk, hand_off, history

pytestmark = pytest.mark.browser


def test_enter_on_a_chat_card_leads_to_the_reply_box(ava_desk: AvaAtHerDesk, client: httpx.Client) -> None:
    page, ava = ava_desk.page, ava_desk.api
    mine = hand_off(client, "my vase arrived chipped")
    waiting = hand_off(client, "can i change the colour of my sofa order")
    assert ava.post(f"/conversations/{mine}/claim").status_code == 200
    try:
        ava_desk.log_in()

        page.locator(f'#chats li[data-id="{mine}"]').focus()
        page.keyboard.press("Enter")
        expect(page.locator("#conv-meta")).to_contain_text(mine)
        expect(page.locator("#reply")).to_be_focused()
        page.keyboard.type("Sorry about the vase: a new one is on its way.")
        page.keyboard.press("Enter")
        sent = "Sorry about the vase: a new one is on its way."
        expect(page.locator("#transcript .msg.agent")).to_contain_text(sent)
        assert sent in [m["text"] for m in history(client, mine)["messages"]]

        card = page.locator(f'#queue li[data-id="{waiting}"]')
        card.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#conv-meta")).to_contain_text(waiting)
        expect(page.locator("#claim")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#reply")).to_be_focused()
    finally:
        ava.post(f"/conversations/{mine}/resolve")
        ava.post(f"/conversations/{waiting}/claim")
        ava.post(f"/conversations/{waiting}/resolve")
