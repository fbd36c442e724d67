"""actions/missing_item.py: a message saying part of an order is missing from the parcel, in English or Chinese; not a
parcel that never came, nor anything else. Messages written for this test."""

from __future__ import annotations

import pytest

from actions.missing_item import says_item_missing


@pytest.mark.parametrize(
    "text",
    [
        "hi, i ordered 2 candles but only got 1. order 100234",
        "one item was missing from my parcel",
        "the candle holder wasnt in the box",
        "only 3 of the glasses came",
        "订单100234少发了一件",
        "收到的货不全",
        "订单少了一个杯子",
    ],
)
def test_part_of_an_order_missing(text: str) -> None:
    assert says_item_missing(text)


@pytest.mark.parametrize(
    "text",
    [
        "my parcel never arrived",
        "where is my order 100234",
        "i only got the confirmation email",
        "包裹一直没到",
        "我买了多少个蜡烛",  # 多少个: how many
    ],
)
def test_not_part_of_an_order_missing(text: str) -> None:
    assert not says_item_missing(text)
