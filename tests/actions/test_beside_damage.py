"""Which items a message asks back as an ordinary return beside a damage report (actions/beside_damage.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actions.beside_damage import returned_undamaged
from helpdesk.orders import OrderLine

PLATES = OrderLine("LH-KIT-0101", "Stoneware dinner plates, set of 4", 1, Decimal("59.00"), False, "炻瓷餐盘，4 只装")
THROW = OrderLine("LH-TXT-0412", "Chunky knit throw, oat", 1, Decimal("89.00"), False, "粗针织毯，燕麦色")
LINES = [PLATES, THROW]


@pytest.mark.parametrize(
    "text",
    [
        "订单100207的盘子坏了一个，毯子也想退",
        "盘子碎了一个，毯子也想退掉",
        "one of the plates from 100207 arrived broken, and I'd also like to send back the throw",
        "one plate is cracked and i also want to return the throw",
    ],
)
def test_the_throw_asked_back_beside_a_broken_plate_is_an_ordinary_return(text: str) -> None:
    assert returned_undamaged(text, LINES) == {THROW.sku}


@pytest.mark.parametrize(
    "text",
    [
        "one of the plates from 100207 arrived broken",
        "the plates and the throw arrived broken, I want to return them",
        "I'd like to return the plates and the throw, both arrived damaged",
        "the plate is broken, can I return the plate",
        "i want to return the throw",
    ],
)
def test_nothing_is_an_ordinary_return_when_no_other_item_is_asked_back(text: str) -> None:
    assert returned_undamaged(text, LINES) == frozenset()
