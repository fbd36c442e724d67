"""actions/product_kinds.py: the kinds of homeware a message names, and whether an order has none of them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actions.product_kinds import kinds_in, named_elsewhere
from helpdesk.orders.model import OrderLine

CANDLE = OrderLine("LH-CAN-0501", "Fig & cedar scented candle", 1, Decimal("28"), name_zh="无花果雪松香薰蜡烛")
TUMBLERS = OrderLine("LH-KIT-0125", "Ribbed tumblers, set of 6", 1, Decimal("32"), name_zh="条纹玻璃杯，6 只装")
BOWLS = OrderLine("LH-KIT-0102", "Stoneware bowls, set of 4", 1, Decimal("42"), name_zh="炻瓷碗，4 只装")


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("hi my order arrived and the mug is cracked", [CANDLE]),
        ("the two mugs came broken", [CANDLE, BOWLS]),
        ("订单到了，杯子裂了", [CANDLE]),
        ("the rug has a stain", [TUMBLERS]),
    ],
)
def test_a_kind_no_line_is_named_elsewhere(text: str, lines: list[OrderLine]) -> None:
    assert named_elsewhere(text, lines)


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("one of the glasses is chipped", [TUMBLERS]),  # a loose word for the order's own tumblers
        ("a cup arrived cracked", [TUMBLERS]),
        ("one of the plates is chipped", [BOWLS]),
        ("杯子碎了一个", [TUMBLERS]),
        ("the candle arrived snapped", [CANDLE]),
        ("it arrived broken", [CANDLE]),  # names no kind
        ("the box was crushed and it smells of smoke", [CANDLE]),  # packaging is not an item
        ("I had to throw it away, it was light blue not green", [CANDLE]),
        ("the mug and the candle are both broken", [CANDLE]),  # one of them is in the order
    ],
)
def test_no_kind_or_a_kind_of_the_order_is_not_named_elsewhere(text: str, lines: list[OrderLine]) -> None:
    assert not named_elsewhere(text, lines), kinds_in(text)
