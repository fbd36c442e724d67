"""A rambling damage report that names one item broken and another fine (the session of 2026-12-07): "… the
tumblers came smashed, … the tablecloth is fine though" started a report for both items (a replacement or a refund
of €111.00 offered for the tablecloth too). Through the running stack: the remedy asked about is the tumblers' alone,
in English and Chinese; the conversation stops at that question, so nothing is booked.

Order 100218 (Grace Murphy, delivered: ribbed tumblers set of 6 + washed linen tablecloth) of the demo shop.
Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

EMAIL = "grace.murphy@example.net"
TUMBLERS = ("Ribbed tumblers", "条纹玻璃杯")
TABLECLOTH = ("tablecloth", "桌布")


@pytest.mark.parametrize(
    "report",
    [
        "hi, so my order 100218 finally came today after ages, the box looked ok from outside but when i opened it the "
        f"tumblers came smashed, like completely shattered, the tablecloth is fine though. {EMAIL}",
        f"order 100218: the tablecloth arrived fine but the tumblers are broken, {EMAIL}",
        f"订单100218到了，杯子全碎了，桌布没问题。{EMAIL}",
        # the rest said to be fine is not "everything"
        f"order 100218 arrived, the tumblers came smashed but everything else is fine. {EMAIL}",
        f"order 100218 arrived and the tumblers came smashed, the rest is ok. {EMAIL}",
    ],
)
def test_the_item_said_to_be_fine_is_not_in_the_report(chat: Chat, report: str) -> None:
    chat(report)
    question = chat.texts[-1]
    assert any(words in question for words in TUMBLERS), chat.texts
    assert not any(words in question for words in TABLECLOTH), chat.texts
