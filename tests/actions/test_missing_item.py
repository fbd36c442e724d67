"""actions/missing_item.py: a message saying part of an order is missing from the parcel, in English or Chinese; not a
parcel that never came, nor anything else; and one saying something came that wasn't ordered (not an extra charge,
not a wrong item). Messages written for this test."""

from __future__ import annotations

import pytest

from actions.missing_item import says_item_extra, says_item_missing


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


@pytest.mark.parametrize(
    "text",
    [
        "there's an extra item in my parcel I didn't order",
        "hi i got something in my box that i didnt order, order 100196",
        "i got an extra cushion in my parcel, what do i do with it?",
        "I only ordered one candle but got two",
        "you guys sent me 2 candles but i only ordered one",
        "包裹里多了一件我没买的东西",
        "你们多发了一个杯子",
        "收到一件没订的东西 订单100196",
    ],
)
def test_something_extra_in_the_parcel(text: str) -> None:
    assert says_item_extra(text) and not says_item_missing(text)


@pytest.mark.parametrize(
    "text",
    [
        "was i charged extra?",
        "is there an extra charge for express",
        "you sent me a blue throw, i didn't order that colour",
        "多少钱",
        "i ordered 2 candles but only got 1",
    ],
)
def test_not_something_extra(text: str) -> None:
    assert not says_item_extra(text)
