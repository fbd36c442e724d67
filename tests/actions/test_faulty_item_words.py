"""Which messages tell of a broken or faulty thing (actions/faulty_item.py), and which handbook entry answers them;
a question whether things break, or a broken thing of a named order (its return), is none. Messages written for this
test."""

from __future__ import annotations

import pytest

from actions.faulty_item import faulty_item_entry
from actions.parsing import only_order_number


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("台灯坏了", "damaged-item"),
        ("灯泡不亮", "damaged-item"),
        ("我的抱枕坏了", "damaged-item"),
        ("the bulb wont light", "damaged-item"),
        ("my lamp is broken, can it be repaired?", "damaged-item"),
        ("台灯用了半年就不亮了", "warranty"),
        ("my kettle stopped working after 8 months", "warranty"),
        ("台灯坏了保修吗", "warranty"),
        ("机洗会坏吗", None),  # whether it breaks: no fault told
        ("will the lamp break if it falls", None),
        ("订单100218的杯子碎了", None),  # a named order's: its return (actions/faq.py received_goods_answered)
        ("your website is broken", None),  # no thing of the shop's kinds
        ("how do i clean my lamp", None),
    ],
)
def test_a_broken_thing_and_its_entry(text: str, entry: str | None) -> None:
    assert faulty_item_entry(text) == entry


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("订单100218", "100218"),
        ("订单号是 100218", "100218"),
        ("我的订单：100218", "100218"),
        ("訂單號100218", "100218"),
        ("order #100218", "100218"),
        ("订单100218到哪了", None),
        ("order 100218 please cancel", None),
        ("订单100218和100219", None),
    ],
)
def test_an_order_number_given_on_its_own(text: str, number: str | None) -> None:
    assert only_order_number(text) == number
