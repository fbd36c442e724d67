"""An e-mail address corrected in the same line at the identity question (the session of 2026-12-07): "ann.li@… sorry
i mean ann.lee@…" and "不是ann.li@…，是ann.lee@…" were checked with the first address (the wrong one), so the
customer was told no order matches and lost a try. Through the running stack: the address meant is the one checked,
and the order's status follows; with no correction the first address is still the one (a wrong one is refused).

Order 100201 (Zofia Nowak, delivered: 2 jute rugs) of the demo shop, which no other conversation test uses: wrong
answers count against the order (5 a day, whoever asks), so this file makes only one. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100201"
RIGHT = "zofia.nowak@example.org"
WRONG = "zofia.novak@example.org"
NO_MATCH = ("couldn't find an order matching", "没有找到与这个订单号和信息相符的订单")


@pytest.mark.parametrize(
    ("asked", "answer"),
    [
        (f"where is my order {ORDER}", f"{WRONG} sorry i mean {RIGHT}"),
        (f"where is my order {ORDER}", f"not {WRONG} but {RIGHT}"),
        (f"where is my order {ORDER}", f"{WRONG} oops typo, {RIGHT}"),
        (f"where is my order {ORDER}", f"sorry, it's {RIGHT} not {WRONG}"),
        (f"我的订单{ORDER}到哪了", f"不是{WRONG}，是{RIGHT}"),
        (f"我的订单{ORDER}到哪了", f"{WRONG} 写错了，应该是{RIGHT}"),
        # lane czh, 2026-12-07 (walked): "错了", "搞错了", "弄錯了" between the two were no correction:
        # the first address was checked
        (f"我的订单{ORDER}到哪了", f"{WRONG} 错了 是{RIGHT}"),
        (f"订单{ORDER}到哪了", f"{WRONG} 哦 搞错了 {RIGHT}"),
        (f"我的訂單{ORDER}到哪了", f"{WRONG} 弄錯了，{RIGHT}"),
    ],
)
def test_the_corrected_email_is_the_one_checked(chat: Chat, asked: str, answer: str) -> None:
    chat(asked)
    chat(answer)
    assert not any(words in chat.text for words in NO_MATCH), chat.texts
    assert "2 × " in chat.text, chat.texts  # the order's lines, shown once the identity is checked


def test_two_addresses_without_a_correction_still_check_the_first(chat: Chat) -> None:
    chat(f"where is my order {ORDER}")
    chat(f"{WRONG} {RIGHT}")
    assert any(words in chat.text for words in NO_MATCH), chat.texts
