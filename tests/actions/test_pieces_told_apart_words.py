"""How many pieces of one item a report means when the count stands apart from the item's name (the walk of
2026-12-07, lane cen4; the conversations: tests/conversation/test_pieces_told_apart.py). "one is chipped and the other
is the wrong colour" is the item's two pieces, not the order's other items; "the candles arrived and one is chipped"
is one candle of two; what is not a count of pieces ("which one", "one is fine", "return the others") reads as
before."""

from __future__ import annotations

import pytest

from actions.items import choose, pieces_of_a_set, read_items
from helpdesk.orders import OrderLine

LINES = [
    OrderLine("LH-KIT-0101", "Stoneware dinner plates, set of 4", 1, "59.00", name_zh="炻瓷餐盘，4 只装"),
    OrderLine("LH-CLR-0901", "Stoneware vase, last-season glaze", 1, "24.00", name_zh="炻瓷花瓶，过季釉色"),
    OrderLine("LH-CAN-0501", "Fig & cedar scented candle", 2, "28.00", name_zh="无花果雪松香薰蜡烛"),
]


def chosen(text: str) -> dict[str, int] | None:
    said = read_items(text, LINES)
    return choose(said, LINES, None, final_sale=True) if said.anything else None


@pytest.mark.parametrize(
    ("text", "selection"),
    [
        # one piece and the other: the item, both pieces
        ("i want to return 2 candles, one is chipped and the other is the wrong colour", {"LH-CAN-0501": 2}),
        ("the candles: one arrived broken, the other one is scratched", {"LH-CAN-0501": 2}),
        ("订单100199的蜡烛，一个有缺口，另一个颜色不对", {"LH-CAN-0501": 2}),
        # a count as the clause's subject: that many pieces
        ("the candles from order 100199 arrived and one is chipped", {"LH-CAN-0501": 1}),
        ("the candles arrived and one of them is chipped", {"LH-CAN-0501": 1}),
        ("订单100199的蜡烛到了，其中一个有缺口", {"LH-CAN-0501": 1}),
        # no count of pieces: as before
        ("the candles arrived, which one is cheaper", {"LH-CAN-0501": 2}),
        ("the candles came, one is fine", {"LH-CAN-0501": 2}),
        ("蜡烛到了，一个是好的", {"LH-CAN-0501": 2}),
        ("keep the vase and return the others", {"LH-KIT-0101": 1, "LH-CAN-0501": 2}),
        ("return the plates and the other stuff", {"LH-KIT-0101": 1, "LH-CLR-0901": 1, "LH-CAN-0501": 2}),
    ],
)
def test_pieces_told_apart(text: str, selection: dict[str, int]) -> None:
    assert chosen(text) == selection


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("a plate arrived broken", 1),
        ("hi, a dinner plate is chipped", 1),
        ("a plate set arrived broken", None),  # the set, not one of it
        ("the plates arrived broken", None),  # no count: the set
        ("a vase is chipped", None),  # no set
    ],
)
def test_a_or_an_before_one_piece_of_a_set_counts_one(text: str, pieces: int | None) -> None:
    """The orchestrator's walk of 2026-12-07 (evening, lane cen5's note): "a plate arrived broken" offered the whole
    set of 4; "one plate" already counted one."""
    found = pieces_of_a_set(text, LINES)
    assert (found[1] if found is not None else None) == pieces, found
