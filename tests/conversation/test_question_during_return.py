"""A question about sending the parcel back, asked in the middle of a Chinese return (lane czh3's walk, 2026-12-07):
"退回去的时候要贴什么？" (what do I stick on it when I send it back?) at "您想退回订单 … 里的哪些商品？" was read by
an unsure NLU as the refund's status, and the bot offered to switch: "我正在帮您办理退货（订单 …）。要改为查询退款进度
吗？". Now the handbook's how-to-return answer (the label goes on the parcel, the RMA number on the box) comes, from the
returns section the return is in, and the return goes on with its question; in traditional characters too. A question
the returns section does not answer ("可以自己送过去吗？", may I bring it myself?) still gets "not sure", not an entry
the section's word alone would pull near. In English, "do i need the original packaging?" at the identity question
was "not sure" (tests/conversation/test_unsure_question_in_request.py): the return policy answers it. Through the
running stack; nothing is booked (each conversation stops at a question or the summary of the return).

Order 100194 (Aoife Byrne, delivered: an oak wall shelf and 2 sets of ribbed tumblers) of the demo shop, which tests
only read. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100194"
EMAIL = "aoife.byrne@example.com"
SWITCH_OFFER = ("要改为", "要改為")
NOT_SURE = "抱歉，这个问题我不太确定能回答。"


def faq_ids(chat: Chat) -> list[str]:
    """The handbook entries the bot answered from in its last turn, in order (each answer's help-centre article)."""
    return [str(reply["article"]["id"]) for reply in chat.last["replies"] if isinstance(reply.get("article"), dict)]


@pytest.mark.parametrize(
    ("question", "label", "picked", "shelf"),
    [
        ("退回去的时候要贴什么？", "把面单贴在包裹上", "搁板", "橡木墙搁板"),
        ("退回去的時候要貼什麼？", "把面單貼在包裹上", "擱板", "橡木牆擱板"),
    ],
)
def test_what_goes_on_the_parcel_is_answered_and_the_return_goes_on(
    chat: Chat, question: str, label: str, picked: str, shelf: str
) -> None:
    chat(f"我要退货，订单{ORDER}")
    chat(EMAIL)
    assert "哪些商品" in chat.text, chat.texts
    chat(question)
    assert not any(offer in chat.text for offer in SWITCH_OFFER), chat.texts
    assert faq_ids(chat) == ["how-to-return"], chat.last["replies"]
    assert label in chat.text and "RMA" in chat.text, chat.texts
    assert "您想退回其中哪些" in chat.texts[-1] and chat.last["replies"][-1].get("buttons"), chat.last["replies"]
    chat(picked)
    assert shelf in chat.text and "€75.00" in chat.text, chat.texts  # the return's summary, for the shelf alone


def test_a_question_the_returns_section_does_not_answer_is_not_given_its_nearest_entry(chat: Chat) -> None:
    chat(f"我要退货，订单{ORDER}")
    chat(EMAIL)
    chat("可以自己送过去吗？")
    assert chat.texts[0] == NOT_SURE and faq_ids(chat) == [], chat.last["replies"]
    assert "您想退回其中哪些" in chat.texts[-1], chat.texts


def test_an_english_question_the_return_policy_answers_is_answered_at_the_identity_question(chat: Chat) -> None:
    chat(f"hi i'd like to return the tumblers from order {ORDER}")
    chat("do i need the original packaging?")
    assert faq_ids(chat) == ["return-policy"] and "original packaging" in chat.texts[0], chat.last["replies"]
    assert f"delivery postcode did you use for order {ORDER}" in chat.texts[-1], chat.texts
    chat(EMAIL)
    assert "How many of them would you like to send back?" in chat.text, chat.texts
