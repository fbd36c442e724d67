"""Which message asks back only some pieces of a set (actions/items.py ``part_of_a_set``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actions.items import part_of_a_set, pieces_of_a_set
from helpdesk.orders import OrderLine

TUMBLERS = OrderLine("LH-KIT-0125", "Ribbed tumblers, set of 6", 1, Decimal("32.00"), False, "条纹玻璃杯，6 只装")
PILLOWCASES = OrderLine("LH-BED-0204", "Percale pillowcases, pair", 1, Decimal("34.95"), False, "精梳棉枕套，一对")
THROW = OrderLine("LH-TXT-0401", "Chunky knit throw, oat", 1, Decimal("89.00"), False, "粗针织毯，燕麦色")
TWO_SETS = OrderLine("LH-KIT-0125", "Ribbed tumblers, set of 6", 2, Decimal("32.00"), False, "条纹玻璃杯，6 只装")


def test_a_sets_size_is_read_from_its_name() -> None:
    assert (TUMBLERS.set_size, PILLOWCASES.set_size, THROW.set_size) == (6, 2, None)


@pytest.mark.parametrize(
    ("text", "lines", "selected", "the_set"),
    [
        ("just 2 of them actually, i want to keep the rest", [TUMBLERS], (), TUMBLERS),
        ("just 2 of them actually, i want to keep the rest", [TUMBLERS, THROW], ("LH-KIT-0125",), TUMBLERS),
        ("i want to return 2 of the tumblers", [TUMBLERS, THROW], (), TUMBLERS),
        ("only one of the pillowcases", [PILLOWCASES, THROW], (), PILLOWCASES),
        ("return the throw and 1 tumbler", [TUMBLERS, THROW], (), TUMBLERS),
        ("只退两个杯子", [TUMBLERS], (), TUMBLERS),
        ("订单100218的杯子我想退掉其中两个，太小了", [TUMBLERS, THROW], (), TUMBLERS),
    ],
)
def test_some_pieces_of_a_set_are_read(
    text: str, lines: list[OrderLine], selected: tuple[str, ...], the_set: OrderLine
) -> None:
    assert part_of_a_set(text, lines, selected) == the_set


@pytest.mark.parametrize(
    ("text", "lines", "selected"),
    [
        ("return the tumblers", [TUMBLERS, THROW], ()),
        ("both pillowcases", [PILLOWCASES], ()),
        ("just 2 of them", [TUMBLERS, THROW], ()),  # which of the two lines: not guessed
        ("return 2 of the tumblers", [TWO_SETS], ()),  # two sets ordered: 2 is both of them
        ("我有一个问题", [TUMBLERS], ()),
        ("return order 100219", [TUMBLERS], ()),
        ("1", [TUMBLERS], ()),
        ("return 1 throw", [TUMBLERS, THROW], ()),
    ],
)
def test_no_part_of_a_set_is_read(text: str, lines: list[OrderLine], selected: tuple[str, ...]) -> None:
    assert part_of_a_set(text, lines, selected) is None


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("订单100218的杯子碎了两个", 2),  # lane cust's note: the whole set of 6 was reported
        ("杯子坏了1只", 1),
        ("玻璃杯裂了一个", 1),
    ],
)
def test_the_count_of_broken_pieces_said_after_the_damage_is_read(text: str, pieces: int) -> None:
    assert pieces_of_a_set(text, [TUMBLERS, THROW]) == (TUMBLERS, pieces)


def test_pieces_broken_with_no_count_are_no_part_of_the_set() -> None:
    assert pieces_of_a_set("订单100218的杯子碎了", [TUMBLERS, THROW]) is None
