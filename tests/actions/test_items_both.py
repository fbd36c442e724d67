"""An order of two items and a customer who says "both" (the walkthrough of 2026-12-06, second session): "actually
both items" at "Which items from order 100162 would you like to return?" got "Sorry, I couldn't tell which items
from order 100162 you mean." three times running. "both" / "两个都退" names every item of an order of two; with
items named, those items; with more than two lines it names nothing by itself."""

from __future__ import annotations

import pytest

from actions.items import choose, read_items
from helpdesk.orders import OrderLine

TWO = [
    OrderLine("LH-TXT-0131", "Linen cushion cover 50×50, sage", 1, "29.00", name_zh="亚麻靠垫套 50×50，鼠尾草绿"),
    OrderLine("LH-KIT-0404", "Stoneware bowls, set of 4", 1, "39.00", name_zh="炻瓷碗，4只装"),
]
THREE = [*TWO, OrderLine("LH-CAN-0501", "Fig & cedar scented candle", 1, "28.00", name_zh="无花果雪松香薰蜡烛")]


def chosen(text: str, lines: list[OrderLine]) -> dict[str, int] | None:
    said = read_items(text, lines)
    return choose(said, lines, None) if said.anything else None


@pytest.mark.parametrize(
    "text", ["actually both items", "both", "both of them pls", "the two of them", "两个都退", "两件都要退"]
)
def test_both_returns_every_item_of_an_order_of_two(text: str) -> None:
    assert chosen(text, TWO) == {"LH-TXT-0131": 1, "LH-KIT-0404": 1}


def test_both_with_items_named_is_those_items_and_alone_names_nothing_of_three() -> None:
    assert chosen("both the cushion cover and the candle", THREE) == {"LH-TXT-0131": 1, "LH-CAN-0501": 1}
    assert chosen("both", THREE) is None
    assert chosen("两个都退", THREE) is None


def test_a_line_of_two_named_in_the_singular_is_unclear() -> None:
    """ "just the towel" of 2 towels: which one or how many is asked (lane fixes); a plural, "both" or a count is
    clear."""
    from decimal import Decimal

    from actions.items import pieces_answer, pieces_unclear, read_items
    from helpdesk.orders import OrderLine

    towels = OrderLine("LH-TXT-0420", "Waffle bath towel, stone", 2, Decimal("24.95"))
    sheet = OrderLine("LH-BED-0210", "Linen fitted sheet 160×200, clay", 1, Decimal("69.00"))
    lines = [sheet, towels]
    for text in ("just the towel", "the bath towel please", "send the towel back"):
        assert pieces_unclear(text, read_items(text, lines), lines) == towels, text
    for text in ("just the towels", "both towels", "one towel", "2 towels", "the sheet", "1 of the towels"):
        assert pieces_unclear(text, read_items(text, lines), lines) is None, text
    assert pieces_answer("just one", towels) == 1 and pieces_answer("both", towels) == 2
    assert pieces_answer("3", towels) is None and pieces_answer("hmm", towels) is None
    assert read_items("", lines, ["LH-TXT-0420*1"]).returned == {"LH-TXT-0420": 1}
