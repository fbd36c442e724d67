"""After a cancellation refused because the order has shipped ("… can no longer be cancelled. You can refuse the
parcel on delivery or return it …"), the customer asks how to refuse it (the walkthrough of 2026-12-06, second
session): "ugh fine. how do i refuse it" got the same refusal word for word (the unsure NLU offered the cancellation
first and it was started again), and the handbook had no answer on refusing a parcel. Now the handbook's "How do I
refuse a parcel?" (knowledge/faq/delivery/refuse-parcel.md, en + zh) answers. Order 100234 (shipped), read only:
a refused cancellation changes nothing. Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER, EMAIL = "100234", "ann.lee@example.com"


@pytest.mark.parametrize(
    ("cancel", "how", "refused"),
    [
        ("ok can i just cancel it then", "ugh fine. how do i refuse it", "can no longer be cancelled"),
        ("那能取消吗", "那怎么拒收", "无法再取消"),
    ],
)
def test_how_to_refuse_after_a_refused_cancellation_is_answered(
    chat: Chat, cancel: str, how: str, refused: str
) -> None:
    chat(f"where is order {ORDER}? {EMAIL}" if cancel.isascii() else f"订单{ORDER}到哪了 {EMAIL}")
    chat(cancel)
    assert refused in chat.text, chat.texts
    chat(how)
    assert refused not in chat.text, chat.texts
    assert (chat.last.get("faq") or {}).get("id") == "refuse-parcel", chat.texts


def test_the_handbook_answers_a_first_question_about_refusing_a_parcel(chat: Chat) -> None:
    chat("what happens if i refuse the parcel at the door?")
    assert (chat.last.get("faq") or {}).get("id") == "refuse-parcel", chat.texts
    assert "refund" in chat.text, chat.texts
