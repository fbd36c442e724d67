"""An ordinary return asked for beside a damage report (lane cust3, 2026-12-07): "订单100207的盘子坏了一个，毯子也想退"
(one plate broken, and the throw to go back too) put the throw into the damage report: "免费给您寄新的，还是全额退款
€103.75", return shipping free, for a throw that is not the shop's fault. Now the broken plate alone is in the report
(its share of the set, €14.75), and the customer is told the throw goes back as an ordinary return, on their return
terms, once the report is done. English and Chinese, through the running stack; nothing is booked (each conversation
stops at the question "replacement or refund?").

Order 100207 (Sofia Papadopoulou, delivered: stoneware dinner plates, set of 4, €59.00, and a chunky knit throw,
€89.00), which tests only read. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100207"
EMAIL = "sofia.papadopoulou@example.net"


@pytest.mark.parametrize(
    ("report", "note", "asked"),
    [
        (
            f"订单{ORDER}的盘子坏了一个，毯子也想退",
            "“粗针织毯，燕麦色”没有损坏，不算在这次破损处理里：它按普通退货办理",
            "炻瓷餐盘，4 只装（其中 1 件）",
        ),
        (
            f"one of the plates from {ORDER} arrived broken, and I'd also like to send back the throw",
            "“Chunky knit throw, oat” didn't arrive damaged, so it isn't part of this report: it goes back as an "
            "ordinary return",
            "Stoneware dinner plates, set of 4 – single piece from order",
        ),
        (
            f"one plate from order {ORDER} is cracked and i also want to return the throw",
            "“Chunky knit throw, oat” didn't arrive damaged",
            "Stoneware dinner plates, set of 4 – single piece from order",
        ),
    ],
)
def test_the_throw_stays_out_of_the_damage_report(chat: Chat, report: str, note: str, asked: str) -> None:
    chat(report)
    chat(EMAIL)
    assert note in chat.text, chat.texts
    question = chat.texts[-1]
    assert asked in question and "€14.75" in question, chat.texts
    assert "€103.75" not in chat.text and "throw" not in question and "毯" not in question, chat.texts
    assert [b["title"] for b in chat.buttons][1] in ("Refund me €14.75", "退款 €14.75"), chat.buttons


def test_both_reported_damaged_stay_in_the_report(chat: Chat) -> None:
    chat(f"the plates and the throw from order {ORDER} both arrived damaged, i want to return them")
    chat(EMAIL)
    assert "didn't arrive damaged" not in chat.text, chat.texts
    assert "Chunky knit throw, oat" in chat.texts[-1] and "€148.00" in chat.texts[-1], chat.texts
