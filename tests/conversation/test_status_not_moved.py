"""A customer told where their order is who answers that it has not moved ("tracking hasnt moved in 5 days, this is
ridiculous"): the walkthrough of 2026-12-07 saw the same status text given again (or the handbook's "tell me your
order number" for the order just checked). Through the running stack: not the same text, a person offered, who can
check with the carrier; the offer's yes hands off.

Order 100234 (Ann Lee, shipped with DHL) of the demo shop. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

from helpdesk.vocabulary import HANDOFF_REQUESTED

ORDER = "100234"
EMAIL = "ann.lee@example.com"
UNCHANGED = ("shows nothing newer than what I told you above", "目前没有比上面更新的物流信息")
ASKS_FOR_EMAIL = ("leave your e-mail address", "留下邮箱")


@pytest.mark.parametrize(
    ("asked", "stuck"),
    [
        (f"where is my order {ORDER}", "tracking hasnt moved in 5 days, this is ridiculous"),
        (f"where is my order {ORDER}", "it still says the same thing"),
        (f"我的订单{ORDER}到哪了", "物流五天没更新了，太离谱了"),
    ],
)
def test_a_status_not_moved_gets_a_person_offered_not_the_same_text(chat: Chat, asked: str, stuck: str) -> None:
    chat(asked)
    chat(EMAIL)
    status = chat.texts[0]
    assert "DHL" in status, chat.texts
    chat(stuck)
    assert status not in chat.texts, chat.texts
    assert any(words in chat.text for words in UNCHANGED), chat.texts
    # the e-mail address was given as the order's proof: the offer does not ask for it again
    assert not any(words in chat.text for words in ASKS_FOR_EMAIL), chat.texts
    yes = chat.buttons[0]
    body = chat(yes["payload"])
    assert body["mode"] == "queued" and (body["handoff"] or {}).get("reason") == HANDOFF_REQUESTED, chat.texts
