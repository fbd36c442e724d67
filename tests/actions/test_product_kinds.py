"""actions/product_kinds.py: the kinds of homeware a message names, and whether an order has none of them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actions.product_kinds import items_named, kinds_in, named_by_kind, named_elsewhere
from helpdesk.orders.model import OrderLine

CANDLE = OrderLine("LH-CAN-0501", "Fig & cedar scented candle", 1, Decimal("28"), name_zh="无花果雪松香薰蜡烛")
TUMBLERS = OrderLine("LH-KIT-0125", "Ribbed tumblers, set of 6", 1, Decimal("32"), name_zh="条纹玻璃杯，6 只装")
BOWLS = OrderLine("LH-KIT-0102", "Stoneware bowls, set of 4", 1, Decimal("42"), name_zh="炻瓷碗，4 只装")
CUSHION_COVER = OrderLine(
    "LH-LIV-0301", "Linen cushion cover 50×50, sage", 2, Decimal("29.95"), name_zh="亚麻抱枕套 50×50，鼠尾草绿"
)
RUG = OrderLine("LH-LIV-0401", "Jute rug 120×170", 1, Decimal("89"), name_zh="黄麻地毯 120×170")


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("hi my order arrived and the mug is cracked", [CANDLE]),
        ("the two mugs came broken", [CANDLE, BOWLS]),
        ("订单到了，杯子裂了", [CANDLE]),
        ("the rug has a stain", [TUMBLERS]),
        # a cushion cover (亚麻抱枕套) is no pillowcase (枕套): its Chinese name made it bedding, and the "cover" of
        # "the wrong size duvet cover" then took the cushion cover for it (the walkthrough of 2026-12-06, fourth)
        ("hi i got the wrong size duvet cover, ordered king got double", [CUSHION_COVER, BOWLS]),
        ("the blanket has a hole", [RUG]),  # a rug (地毯) is no blanket (毯子)
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
        ("抱枕套颜色不对", [CUSHION_COVER]),
        ("地毯有污渍", [RUG]),
    ],
)
def test_no_kind_or_a_kind_of_the_order_is_not_named_elsewhere(text: str, lines: list[OrderLine]) -> None:
    assert not named_elsewhere(text, lines), kinds_in(text)


TABLECLOTH = OrderLine(
    "LH-TXT-0433", "Washed linen tablecloth 160×250", 1, Decimal("79"), name_zh="水洗亚麻桌布 160×250"
)


@pytest.mark.parametrize("text", ["just the glass please", "one of the glasses came cracked", "no, just the cup"])
def test_a_kind_one_line_of_the_order_is_names_that_line(text: str) -> None:
    """The walkthrough of 2026-12-07 (walk1): "just the glass please" for the order's tumblers was not understood."""
    said = items_named(text, [TABLECLOTH, TUMBLERS])
    assert said.returned == {TUMBLERS.sku: None} and not said.kept


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("keep the glass", [TABLECLOTH, TUMBLERS]),  # kept, not returned
        ("I don't want to send the glass back", [TABLECLOTH, TUMBLERS]),
        ("just the glass", [TUMBLERS, BOWLS, OrderLine("LH-KIT-0140", "Glass carafe 1 l", 1, Decimal("24"))]),  # two
        ("just the lamp", [TABLECLOTH, TUMBLERS]),  # a kind the order lacks
        ("只退杯子", [TABLECLOTH, TUMBLERS]),  # Chinese: read the everyday way (actions/items.py)
    ],
)
def test_no_line_is_named_by_a_kind_that_is_kept_shared_missing_or_chinese(text: str, lines: list[OrderLine]) -> None:
    assert named_by_kind(text, lines) is None


def test_a_line_named_by_its_own_words_wins_over_its_kind() -> None:
    assert items_named("the tablecloth", [TABLECLOTH, TUMBLERS]).returned == {TABLECLOTH.sku: None}
