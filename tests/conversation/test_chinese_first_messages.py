"""Chinese first messages the bot used to get confidently wrong (issue 18), through the running stack: another
service's, device's or bank card's password or fee and goods bought from another seller are no handbook question of
the shop's (a person is offered, who can say where to turn); a question about how refunds work in general is
answered from the handbook, not taken for a request about a refund of the customer's own.

Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat


def faq_ids(chat: Chat) -> list[str]:
    """The handbook entries the bot answered from in its last turn (each answer's help-centre article)."""
    return [str(reply["article"]["id"]) for reply in chat.last["replies"] if isinstance(reply.get("article"), dict)]


@pytest.mark.parametrize("text", ["手机开机密码忘记了", "其他品牌的台灯坏了能换吗", "信用卡的额度能调高一点吗"])
def test_another_things_password_fee_or_goods_are_not_answered_from_the_shops_handbook(chat: Chat, text: str) -> None:
    body = chat(text)
    assert faq_ids(chat) == [] and body["faq"] is None, chat.texts  # no password-reset, payment or warranty answer
    assert "下单邮箱" not in chat.text, chat.texts  # no order flow asking for the order's proof
    assert body["offer_person"] == {"reason": "low_confidence"}, body


def test_how_refunds_work_in_general_is_answered_from_the_handbook(chat: Chat) -> None:
    # the asker's 我 and a 呢 softening the question: still a question about how refunds work, not the refund status
    # flow asking which order
    body = chat("我想问一下，退款一般会退回哪个账户呢")
    assert faq_ids(chat) == ["refund-policy"] and body["faq"] is not None, chat.texts
    assert "查询退款进度" not in chat.text and "请问订单号是多少" not in chat.text, chat.texts
