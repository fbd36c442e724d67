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
UNCHANGED = (
    "shows nothing newer than what I told you above",
    "目前没有比上面更新的物流信息",
    "目前沒有比上面更新的物流信息",
)
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


@pytest.mark.parametrize(
    ("asked", "stuck"),
    [("订单100253 到哪了", "怎么还没发货啊 都好几天了"), ("我的訂單100253到哪了", "怎麼還沒出貨")],
)
def test_not_shipped_yet_said_in_chinese_is_about_the_order_just_checked(chat: Chat, asked: str, stuck: str) -> None:
    """Lane czh's walk (2026-12-07): "怎么还没发货啊 都好几天了" (why hasn't it shipped, it's been days) right after the
    status of 100253 (James Whitfield, paid, not packed yet) got "还是订单 100253 吗？" and the customer's four other
    orders: Chinese leaves out the "it" of "why hasn't it shipped". That order, nothing newer, and a person offered."""
    chat(asked)
    chat("james.whitfield@example.net")
    assert "100253" in chat.text, chat.texts
    chat(stuck)
    assert "还是订单" not in chat.text and "還是訂單" not in chat.text, chat.texts
    assert any(words in chat.text for words in UNCHANGED), chat.texts
    assert chat.last["mode"] == "bot" and chat.buttons[0]["payload"] != "/inform", chat.buttons


@pytest.mark.parametrize(
    ("asked", "hurry", "words"),
    [
        ("我的包裹咋还没到啊，都一周了，单号100253", "那能帮我催一下吗", "我这边没法让订单 100253 更快"),
        ("我的訂單100253到哪了", "可以幫我催一下嗎", "我這邊沒法讓訂單 100253 更快"),  # read as an opener
        ("where is my order 100253", "can you hurry it up?", "I can't make order 100253 go any faster from here"),
        # read as small talk (the orchestrator's walk of 2026-12-07, afternoon: "I'm just the Larkspur Home assistant,
        # so I'm better at parcels than at that", a dead end)
        (
            "helo my odrer 100253 hasnt shiped yet its been a week??",
            "ok can u hurry it up",
            "I can't make order 100253 go any faster from here",
        ),
        # the orchestrator's walk of 2026-12-07 (evening): "Did you mean" pick-up points and express delivery
        ("我的订单100253到哪了", "可以快点吗", "我这边没法让订单 100253 更快"),
        ("where is my order 100253", "any way to get it here sooner?", "I can't make order 100253 go any faster"),
    ],
)
def test_asked_to_hurry_right_after_the_status_says_it_cannot_and_offers_a_person(
    chat: Chat, asked: str, hurry: str, words: str
) -> None:
    """The czh lane's walk (2026-12-07): "那能帮我催一下吗" (can you chase it for me?) right after the status of 100253
    (James Whitfield, paid, not packed yet) got "Did you mean" product availability ("can you hurry it up?": express
    delivery). The bot says it cannot, and offers a person who can check with the warehouse or the carrier."""
    chat(asked)
    chat("james.whitfield@example.net")
    assert "100253" in chat.text, chat.texts
    chat(hurry)
    assert words in chat.text, chat.texts
    assert chat.last["mode"] == "bot" and chat.buttons[0]["payload"] == "/request_human", chat.last
