"""A Chinese question whose best handbook entry shares nothing of that entry's own topic with it, the second entry
close behind, is asked back about ("Did you mean", the best entry first) instead of answered confidently (issue 18,
lane zhroute: nlu_addons.topic_evidence_zh). Before, "能寄到我朋友家吗" (may it go to a friend's address) was answered
with the countries the shop ships to, and "商品和图片不一样怎么办" (the goods do not look like the photo) with how to
place an order: the words they share with those entries are generic (寄到, 商品). A question with the entry's own
words is still answered. Through the running stack; messages written for this test."""

from __future__ import annotations

import json

from support.chat import Chat


def offered(chat: Chat) -> list[str]:
    return [
        json.loads(button["payload"][4:])["faq_id"] for button in chat.buttons if button["payload"].startswith("/faq{")
    ]


def test_an_entry_sharing_only_generic_words_is_offered_not_answered(chat: Chat) -> None:
    chat("能寄到我朋友家吗")
    assert chat.last["faq"] is None, chat.texts
    assert offered(chat)[:1] == ["international-shipping"], chat.buttons
    other = Chat(chat.client)
    other("商品和图片不一样怎么办")
    assert other.last["faq"] is None, other.texts
    assert "wrong-item" in offered(other), other.buttons


def test_a_question_in_the_entrys_own_words_is_still_answered(chat: Chat) -> None:
    chat("你们能寄到哪些国家")
    assert (chat.last["faq"] or {}).get("id") == "international-shipping", chat.texts
