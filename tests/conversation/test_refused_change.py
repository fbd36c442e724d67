"""An address typed anyway after the assistant refused to change a shipped order's address, through the running
stack, in English and Chinese: the answer says that address can't be used and what the customer can still do, with
a person a button away; it is not the refusal again word for word (it was: the desk walkthrough of 2026-12-06, lane
ux's notes), and a second address typed after it gets the same kind of answer, not the order menu.

Order 100234 is Ann Lee's, shipped (tests/actions/test_order_flows.py): nothing here changes it. Messages written for
this test.
"""

from __future__ import annotations

import re

import pytest
from support.chat import Chat

SHIPPED = "100234"
ANN = "ann.lee@example.com"
PERSON = "/request_human"


@pytest.mark.parametrize(
    ("asked", "addresses", "shipped", "redirect"),
    [
        (
            f"i need to change the delivery address of order {SHIPPED}, {ANN}",
            ("12 Elm Road, Leeds LS6 2AB", "Flat 2, 9 Mill Lane, York YO1 7HH"),
            "shipped",
            "redirect",
        ),
        (
            f"我想改一下订单 {SHIPPED} 的收货地址，邮箱 {ANN}",
            ("上海市徐汇区漕溪北路 88 号 5 楼", "北京市朝阳区建国路 1 号 3 单元"),
            "已发货",
            "改派",
        ),
    ],
)
def test_an_address_typed_after_the_refusal_hears_what_can_still_be_done_not_the_refusal_again(
    chat: Chat, asked: str, addresses: tuple[str, str], shipped: str, redirect: str
) -> None:
    chat(asked)
    refusal = next(t for t in chat.texts if shipped in t)
    assert SHIPPED in refusal, chat.texts
    for address in addresses:
        chat(address)
        assert "What would you like me to do with" not in chat.text and "需要我做什么" not in chat.text, chat.texts
        assert SHIPPED in chat.text and redirect in chat.text, chat.texts
        for sentence in re.split(r"(?<=[.。])\s*", refusal):  # neither why nor what to do, word for word
            assert not sentence or sentence not in chat.text, (sentence, chat.texts)
        assert PERSON in [b["payload"] for b in chat.buttons], chat.buttons


@pytest.mark.parametrize(
    ("asked", "what_now", "options"),
    [
        (f"i need to change the delivery address of order {SHIPPED}, {ANN}", "so what can I do", ("redirect",)),
        (f"我想改一下订单 {SHIPPED} 的收货地址，邮箱 {ANN}", "那怎么办", ("改派", "拒收")),
        (f"please cancel order {SHIPPED}, {ANN}", "what now?", ("refuse the parcel", "return it within")),
        # a return refused (not delivered yet): the third session of 2026-12-06 got "Sure, what is it?"
        (
            f"can i send back one of the candles from order {SHIPPED} before it arrives? {ANN}",
            "ok so what can i do",
            ("refuse the parcel", "30 days"),
        ),
        (f"订单{SHIPPED}还没到，能先退一个蜡烛吗 {ANN}", "那怎么办", ("拒收", "30 天")),
    ],
)
def test_what_can_i_do_right_after_a_refusal_gets_the_refusals_options_not_a_person_offered(
    chat: Chat, asked: str, what_now: str, options: tuple[str, ...]
) -> None:
    """The walkthrough of 2026-12-06: "那怎么办" / "so what can I do" right after the refusal of an address change got
    "I'm not sure I have a good answer … shall I get a person?" (or "Sure, what is it?"); it asks what the refusal
    said can be done, so that is the answer, with a person a button away."""
    chat(asked)
    assert any(SHIPPED in t for t in chat.texts), chat.texts
    chat(what_now)
    assert all(words in chat.text for words in options), chat.texts
    assert "not sure" not in chat.text and "不确定" not in chat.text and "what is it" not in chat.text, chat.texts
    assert [b["payload"] for b in chat.buttons] == [PERSON], chat.buttons
