"""Something in the parcel that wasn't ordered (the walk of 2026-12-07, lane cen5, in the widget): "there's an extra
item in my parcel I didn't order" got the missing-item answer ("send you the missing item free of charge") and, with
the order number next, a person to "send what's missing"; with the order number in the message it was read as a
status check (the identity question, then the order's status), in Chinese too. Now the handbook's extra-item answer
(not charged, keep it unused, a free return label), and with the order named a person offered for the label. Through
the running stack; no person is called (the offer is left unanswered).

Order 100196 (Freja Nielsen, delivered: percale pillowcases and a laundry bag), which tests only read. Messages
written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100196"
LABEL_OFFER = f"Shall I get a person to send you a free return label for the extra item in order {ORDER}?"


def test_an_extra_item_gets_its_answer_and_the_order_number_next_a_person_for_the_label(chat: Chat) -> None:
    chat("there's an extra item in my parcel I didn't order")
    assert "packed by mistake" in chat.text and "won't be charged" in chat.text, chat.texts
    assert "missing item" not in chat.text, chat.texts
    chat(ORDER)
    assert LABEL_OFFER in chat.text and "what's missing" not in chat.text, chat.texts


@pytest.mark.parametrize(
    ("report", "answer", "offer"),
    [
        (f"hi i got something in my box that i didnt order, order {ORDER}", "packed by mistake", LABEL_OFFER),
        (f"包裹里多了一件我没买的东西 订单{ORDER}", "打包时多放的", f"给您寄订单 {ORDER} 多出商品的免费退货面单吗"),
    ],
)
def test_an_extra_item_with_the_order_number_is_no_status_check(
    chat: Chat, report: str, answer: str, offer: str
) -> None:
    chat(report)
    assert answer in chat.text and offer in chat.text, chat.texts
    assert "e-mail address or the delivery postcode" not in chat.text and "下单邮箱" not in chat.text, chat.texts
