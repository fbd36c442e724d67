"""The pieces of one item told apart in a damage or wrong-item report (the walk of 2026-12-07, lane cen4, in the
widget): "i want to return 2 candles from order 100199, one is chipped and the other is the wrong colour" offered a
replacement or a refund of €139.00 for the whole order (the plates and the vase too: "the other" was read as "the
others", everything), and "the candles from order 100199 arrived and one is chipped" (2 candles ordered) a refund of
both, €56.00. Now the report is the candles', and one chipped candle is one candle, in English and in Chinese.
Through the running stack; each conversation stops at the question "replacement or refund?", so nothing is booked.

Order 100199 (Sophie Martin, delivered: stoneware dinner plates set of 4 €59, stoneware vase €24, 2 × fig & cedar
scented candle €28 each) of the demo shop; no test books anything on it. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100199"
EMAIL = "sophie.martin@example.org"


def test_one_piece_and_the_other_is_the_item_not_the_whole_order(chat: Chat) -> None:
    chat(f"i want to return 2 candles from order {ORDER}, one is chipped and the other is the wrong colour")
    chat(EMAIL)
    asked = chat.texts[-1]
    assert asked.startswith(f"What would you like for Fig & cedar scented candle from order {ORDER}:"), chat.texts
    assert "€56.00" in asked and "plates" not in asked and "vase" not in asked, chat.texts
    assert "Refund me €56.00" in [button["title"] for button in chat.buttons], chat.buttons


@pytest.mark.parametrize(
    ("report", "start"),
    [
        (
            f"the candles from order {ORDER} arrived and one is chipped",
            f"What would you like for Fig & cedar scented candle from order {ORDER}:",
        ),
        (f"订单{ORDER}的蜡烛到了，其中一个有缺口", f"订单 {ORDER} 的无花果雪松香薰蜡烛"),
    ],
)
def test_one_chipped_of_two_candles_is_one_candle(chat: Chat, report: str, start: str) -> None:
    chat(report)
    chat(EMAIL)
    asked = chat.texts[-1]
    assert asked.startswith(start), chat.texts
    assert "€28.00" in asked and "€56.00" not in asked, chat.texts
