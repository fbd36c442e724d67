"""换 beside an order number is never a cancellation (issue 18, lane czh2's lead), through the running stack.
"100248换灰" (swap to grey) was read as a cancellation (cancel_order on top, inform second): the bot asked
for the e-mail and then summed up the whole order with "确定要取消订单 100248 吗？（是/否）", one yes from
calling it off. Now the order change answers at once, as for any change of a placed order's goods: items
cannot be swapped once ordered, and what can be done (cancel, change the address, a person) is offered as
buttons, never asked as a yes. Fails with main's nlu_addons/arbiter.py put back. Messages written for this
test (not copied from the eval sets or the training data).
"""

from __future__ import annotations

import re

from support.chat import Chat

CJK = re.compile(r"[\u4e00-\u9fff]")
CANCELLATION_SUMMARY = re.compile(r"确定要取消")


def test_a_swap_beside_an_order_number_starts_the_order_change(chat: Chat) -> None:
    result = chat("100248换灰")
    assert result["nlu"]["intent"] == "change_order", result["nlu"]
    assert result["faq"] is None and result["handoff"] is None and result["mode"] == "bot", result
    assert "更换" in chat.text and not CANCELLATION_SUMMARY.search(chat.text), chat.texts  # the swap answered
    assert "取消订单" in [button["title"] for button in chat.buttons], chat.buttons  # cancelling only if chosen
    chat("ines.costa@example.com")
    assert not CANCELLATION_SUMMARY.search(chat.text), chat.texts  # no summary a yes would confirm
    assert CJK.search(chat.text), chat.texts
