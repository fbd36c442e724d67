"""Taking a request back in the same message (actions/requests.py taken_back; through the stack:
tests/conversation/test_taking_back.py): what follows the last "no wait" / "actually no" / "算了" is what the customer
wants; a correction of a detail ("i mean 100234") takes nothing back. Messages written for this test."""

from __future__ import annotations

import pytest

from actions.order_state import CANCEL, CHANGE_ADDRESS, ORDER_STATUS, REFUND_STATUS, RETURN
from actions.requests import TakenBack, taken_back


@pytest.mark.parametrize(
    ("text", "withdrawn", "instead"),
    [
        ("cancel order 100247, no wait, change the delivery address instead", CANCEL, CHANGE_ADDRESS),
        ("I want to cancel order 100247... actually no wait, change the address instead", CANCEL, CHANGE_ADDRESS),
        ("return 100212 actually no, cancel it", RETURN, CANCEL),
        ("i want to return my order 100212, on second thought where is my refund", RETURN, REFUND_STATUS),
        ("帮我取消订单100247，算了，还是改地址吧", CANCEL, CHANGE_ADDRESS),
        ("取消订单100247 不对 是退货", CANCEL, RETURN),
        ("cancel my order 100247. never mind", CANCEL, None),
        ("where is my order 100234 ... nvm, i found it", ORDER_STATUS, None),
    ],
)
def test_the_request_taken_back_and_the_one_instead(text: str, withdrawn: str, instead: str | None) -> None:
    found = taken_back(text)
    assert isinstance(found, TakenBack) and (found.withdrawn, found.instead) == (withdrawn, instead), found


@pytest.mark.parametrize(
    "text",
    [
        "cancel order 100247",
        "where is my order? i mean 100234",
        "cancel 100247, i mean 100248",
        "my order 100234 actually never arrived",
        "never mind, how long does delivery take",
        "cancel order 100247, i mean cancel it now please",
    ],
)
def test_a_message_that_takes_nothing_back(text: str) -> None:
    assert taken_back(text) is None
