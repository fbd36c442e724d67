"""Chat typos of the words that name an order flow are read as those words (actions/requests.py FLOW_SPELLER; through
the stack: tests/conversation/test_typos_in_requests.py). Messages written for this test."""

from __future__ import annotations

import pytest

from actions.order_state import CANCEL, ORDER_STATUS, REFUND_STATUS, RETURN
from actions.requests import order_request


@pytest.mark.parametrize(
    ("text", "flow"),
    [
        ("i whant to retrun my order 100212", RETURN),
        ("I want to retrn order 100212", RETURN),
        ("pls cancle order 100247", CANCEL),
        ("cancell my order 100247", CANCEL),
        ("where is my refnd for 100165", REFUND_STATUS),
        ("wheer is my oder 100234", ORDER_STATUS),
    ],
)
def test_a_flow_word_with_a_typo_is_that_flow(text: str, flow: str) -> None:
    assert order_request(text) == flow


@pytest.mark.parametrize("text", ["my candle for order 100212 smells odd", "retro lamp in order 100212?"])
def test_words_near_no_flow_word_name_no_flow(text: str) -> None:
    assert order_request(text) is None
