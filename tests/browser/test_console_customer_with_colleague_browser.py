"""An agent sees that the customer in front of them is in a chat with a colleague right now (the staff walkthrough
of 2026-12-07: Ann Lee, verified by e-mail, was with Bruno about her parcel 100234 when she opened a second chat,
about order 100247, which went to Alice; Alice's "Earlier conversations" said "No earlier conversations (or the
customer is not known)", since an agent may not open a colleague's chat, so two agents worked the same customer's
orders without knowing of each other). The colleague's chat stays closed to her: only who and since when are shown.
In headless Chromium against the running stack, at 1280×800, in English and in Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import expect
from support.agent import AvaAtHerDesk, Console, hand_off

pytestmark = pytest.mark.browser


def test_an_agent_sees_that_the_customer_is_in_a_chat_with_a_colleague(
    ava_desk: AvaAtHerDesk, client: httpx.Client, login: Callable[[str], Console]
) -> None:
    page, ava, ben = ava_desk.page, ava_desk.api, login("ben")
    with_ben = hand_off(client, "where is my order 100234? ann.lee@example.com")
    with_ava = hand_off(client, "i want to cancel order 100247, ann.lee@example.com")
    try:
        assert ben.post(f"/conversations/{with_ben}/claim").status_code == 200
        assert ava.post(f"/conversations/{with_ava}/claim").status_code == 200
        assert ava.get(f"/conversations/{with_ben}").status_code == 403  # still not hers to open

        found = ava.get(f"/conversations/{with_ava}/history").json()
        assert with_ben not in [c["conversation_id"] for c in found["conversations"]]
        assert "Ben Tester" in [c["assignee_name"] for c in found["with_colleagues"]], found

        ava_desk.log_in()
        page.locator(f'#chats li[data-id="{with_ava}"]').click(timeout=20_000)
        history = page.locator("#history")
        expect(history.locator("li.with-colleague", has_text="Ben Tester")).to_have_text(
            re.compile(r"^Also in a chat with Ben Tester now \(since \d\d:\d\d( [AP]M)?\)\.$")
        )
        expect(history).not_to_contain_text("No earlier conversations")

        assert ava.put("/me/language", {"language": "zh"}).status_code == 200
        try:
            page.reload()
            page.locator(f'#chats li[data-id="{with_ava}"]').click(timeout=20_000)
            expect(history).to_contain_text("该客户此刻也在与 Ben Tester 对话")
        finally:
            ava.put("/me/language", {"language": "en"})

        # once ben resolves his chat, it is an earlier conversation ava may open, as before
        assert ben.post(f"/conversations/{with_ben}/resolve").status_code == 200
        found = ava.get(f"/conversations/{with_ava}/history").json()
        assert with_ben in [c["conversation_id"] for c in found["conversations"]]
        assert "Ben Tester" not in [c["assignee_name"] for c in found["with_colleagues"]]
    finally:
        ben.post(f"/conversations/{with_ben}/resolve")
        ava.post(f"/conversations/{with_ava}/resolve")
