"""Chinese first messages the bot used to get confidently wrong (issue 18), through the running stack: another
service's, device's or bank card's password or fee and goods bought from another seller are no handbook question of
the shop's (a person is offered, who can say where to turn); a question about how refunds work in general is
answered from the handbook, not taken for a request about a refund of the customer's own.

Messages written for this test; order 100165 (refunded, marco.rossi) is only read.
"""

from __future__ import annotations

import pytest
from support.chat import Chat


def faq_ids(chat: Chat) -> list[str]:
    """The handbook entries the bot answered from in its last turn (each answer's help-centre article)."""
    return [str(reply["article"]["id"]) for reply in chat.last["replies"] if isinstance(reply.get("article"), dict)]


@pytest.mark.parametrize(
    "text", ["平板的开机密码记不得了，怎么弄", "信用卡的额度能调高一点吗", "在别家超市买的锅漏水了，能修吗"]
)
def test_another_things_password_fee_or_goods_are_not_answered_from_the_shops_handbook(chat: Chat, text: str) -> None:
    body = chat(text)
    assert faq_ids(chat) == [] and body["faq"] is None, chat.texts  # no password-reset, payment or warranty answer
    assert "下单邮箱" not in chat.text, chat.texts  # no order flow asking for the order's proof
    assert body["offer_person"] == {"reason": "low_confidence"}, body


def test_how_refunds_work_in_general_is_answered_and_the_customers_own_refund_is_looked_up(chat: Chat) -> None:
    body = chat("我想问一下，退款一般会退回哪个账户呢")
    assert body["nlu"]["intent"] != "refund_status" or body["faq"] is not None, body["nlu"]
    assert "下单邮箱" not in chat.text and "订单号" not in chat.text, chat.texts  # not asked which order
    assert faq_ids(chat) == ["refund-policy"], chat.texts
