"""Which Chinese messages tell of a broken or faulty thing (actions/faulty_goods.py, lane cen's rule with the Chinese
words of the czh lane), and whether it broke in use (the guarantee's); an order number given on its own
(actions/parsing.py only_order_number). Messages written for this test, in simplified characters as the rules read
them."""

from __future__ import annotations

import pytest

from actions.faulty_goods import IN_USE_RE, says_faulty
from actions.parsing import only_order_number


@pytest.mark.parametrize(
    ("text", "faulty", "in_use"),
    [
        ("台灯坏了", True, False),
        ("灯泡不亮", True, False),
        ("我的花瓶碎了", True, False),
        ("水壶插上电没反应", True, False),
        ("台灯用了半年就不亮了", True, True),
        ("台灯坏了保修吗", True, True),
        ("机洗会坏吗", False, False),  # whether it breaks: no fault told
        ("灯罩是什么材质的", False, False),
        ("网站打不开", False, False),  # no thing of the shop's kinds
    ],
)
def test_a_broken_thing_in_chinese(text: str, faulty: bool, in_use: bool) -> None:
    assert says_faulty(text) is faulty
    assert bool(IN_USE_RE.search(text)) is in_use


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
