"""The Chinese words that settle two readings the models leave torn (issue 18): a refund's standing or starting one
(nlu_addons.refund_words_zh), and which of a message's best two handbook entries answers it
(nlu_addons.entry_cues_zh). Messages written for this test.
"""

from __future__ import annotations

import numpy as np
import pytest

from nlu_addons.entry_cues_zh import entries_by_words_zh, preferred_second
from nlu_addons.refund_words_zh import refund_reading_zh


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("寄回去的台灯，钱退了没有", "status"),
        ("退款进度帮我看看", "status"),
        ("我申请的退款到账了没", "status"),  # a status word wins: the refund was started before
        ("退款处理得怎么样了 100234", "status"),
        ("退款咋还没到", "status"),
        ("我要申请退款", "start"),
        ("麻烦给我退钱，订单100234", "start"),
        ("退款一般几天到", None),  # neither: a question about how refunds work
    ],
)
def test_the_words_beside_tui_say_status_or_start(text: str, reading: str | None) -> None:
    assert refund_reading_zh(text) == reading, text


@pytest.mark.parametrize(
    ("text", "best", "second", "swap"),
    [
        ("能不能只退一部分东西", "final-sale-items", "return-policy", True),
        ("清仓区买的东西能退吗", "final-sale-items", "return-policy", False),  # the final-sale goods named
        ("刻字的砧板可以退吗", "final-sale-items", "return-policy", False),
        ("哪些东西不能退", "final-sale-items", "return-policy", False),
        ("打折的东西怎么退", "final-sale-items", "how-to-return", False),
        ("收到货以后多久以内可以退", "refund-timing", "return-policy", True),
        ("退款多少天以内到账", "refund-timing", "return-policy", False),  # the money: when it arrives
        ("退款一般几天到", "refund-timing", "return-policy", False),  # no time limit on returning
        ("能不能只退一部分东西", "final-sale-items", "delivery-time", False),  # second no returns entry
        ("这款卖光了还补货吗", "product-availability", "back-in-stock", True),
        ("这款还有货吗", "product-availability", "back-in-stock", False),
        ("怎么注册个账号再下单", "how-to-order", "create-account", True),
        ("怎么下单", "how-to-order", "create-account", False),
        ("怎么注册个账号再下单", "create-account", "how-to-order", False),  # only towards the named entry
    ],
)
def test_the_words_choose_between_the_best_two_entries(text: str, best: str, second: str, swap: bool) -> None:
    assert preferred_second(text, best, second) is swap, text


def test_only_the_best_two_scores_swap_places() -> None:
    ids = ["delivery-time", "final-sale-items", "return-policy"]
    scores = np.array([[0.41, 0.85, 0.80]])
    swapped = entries_by_words_zh("能不能只退一部分东西", scores, ids)
    assert swapped.tolist() == [[0.41, 0.80, 0.85]]
    assert scores.tolist() == [[0.41, 0.85, 0.80]]  # the message's own row is left as it was
    assert entries_by_words_zh("清仓区买的东西能退吗", scores, ids) is scores
