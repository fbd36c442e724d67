"""What the bot noted, in the console's words (the staff walkthrough of 2026-12-07: under "What the bot noted" an
English console showed the raw slot "language  zh", under "Language  中文 (Chinese)" of the handoff facts). In
headless Chromium against the running stack, at 1280×800."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect
from support.agent import AvaAtHerDesk, say

pytestmark = pytest.mark.browser


def test_what_the_bot_noted_leaves_the_language_to_the_handoff_facts(
    ava_desk: AvaAtHerDesk, client: httpx.Client
) -> None:
    page, ava = ava_desk.page, ava_desk.api
    conversation = say(client, "你好，我的订单100218收到的杯子碎了两个")["conversation_id"]
    assert say(client, "我要找人工客服", conversation)["mode"] == "queued"
    assert ava.post(f"/conversations/{conversation}/claim").status_code == 200
    try:
        ava_desk.log_in()
        page.locator(f'#chats li[data-id="{conversation}"]').click(timeout=20_000)
        noted = page.locator("#slots")
        expect(noted.locator("dt", has_text="Order asked about")).to_have_count(1)
        expect(noted).to_contain_text("100218")
        assert "language" not in [t.strip().lower() for t in noted.locator("dt").all_inner_texts()]
        expect(page.locator("#handoff")).to_contain_text("中文 (Chinese)")
    finally:
        ava.post(f"/conversations/{conversation}/resolve")
