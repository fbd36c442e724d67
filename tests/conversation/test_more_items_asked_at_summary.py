"""More items asked for as a question at a return's summary (the walk of 2026-12-07, lane cen4): "can i return the
lamp shade too?" at "Shall I book this return?" (1 × candle) booked the candle's return at once, without the shade
and without a yes: the question, read as asking for a return, was taken as the yes. "can i return the towel too?"
(read as a handbook question) got the return policy and the same summary, the towel dropped; in Chinese
"浴巾也能一起退吗?" got the same summary again, the towel dropped (and read as more items, 一起退 made it the whole
order). Now the item is added and the summary comes again for the two, to be confirmed; nothing is booked (each
conversation ends with a no).

Order 100187 (Marie Claes, delivered: rattan pendant shade, waffle bath towel, fig & cedar scented candle) of the demo
shop; no conversation test books anything on it. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100187"
EMAIL = "marie.claes@example.net"


@pytest.mark.parametrize(
    ("request_text", "question", "summary", "added", "no", "nothing_booked"),
    [
        (
            f"i want to return the candle from order {ORDER}",
            "can i return the towel too?",
            f"Here's the return for order {ORDER}:",
            "Waffle bath towel",
            "no",
            f"I haven't booked anything for order {ORDER}",
        ),
        (
            f"i want to return the candle from order {ORDER}",
            "can i return the lamp shade too?",
            f"Here's the return for order {ORDER}:",
            "Rattan pendant shade",
            "no",
            f"I haven't booked anything for order {ORDER}",
        ),
        (
            f"我要退订单{ORDER}的蜡烛",
            "浴巾也能一起退吗?",
            f"订单 {ORDER} 的退货如下",
            "华夫格浴巾",
            "不",
            f"订单 {ORDER} 没有办理任何退货",
        ),
    ],
)
def test_an_item_asked_for_at_the_summary_is_added_not_booked_without(
    chat: Chat, request_text: str, question: str, summary: str, added: str, no: str, nothing_booked: str
) -> None:
    chat(request_text)
    chat(EMAIL)
    assert summary in chat.text and added not in chat.text, chat.texts
    chat(question)
    assert "RMA-" not in chat.text, chat.texts  # nothing booked
    again = chat.texts[-1]
    assert summary in again and added in again and "€28.00" in again, chat.texts  # the summary again, with the item
    assert len([line for line in again.splitlines() if line.startswith("- ")]) == 2, chat.texts  # and no other item
    chat(no)
    assert nothing_booked in chat.text, chat.texts
