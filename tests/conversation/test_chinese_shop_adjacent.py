"""Chinese first messages about business next to the shop's that the shop does not do (issue 18), through the
running stack: who founded the brand, whether the company is listed, furniture made to measure. The handbook has
entries whose words are near (where the goods are made, business orders, the bedding size guide), and before
data/nlu/zh/shop_adjacent.yml the bot answered them from those entries: a confident wrong answer. Now it answers
from no entry (a person is offered, or "Did you mean"). Messages written for this test (not copied from the eval
sets or the training data).
"""

from __future__ import annotations

import pytest
from support.chat import Chat


def faq_ids(chat: Chat) -> list[str]:
    """The handbook entries the bot answered from in its last turn (each answer's help-centre article)."""
    return [str(reply["article"]["id"]) for reply in chat.last["replies"] if isinstance(reply.get("article"), dict)]


@pytest.mark.parametrize("text", ["你们的品牌是谁创办的", "你们公司有上市吗", "衣柜能不能按尺寸定做"])
def test_business_next_to_the_shops_is_not_answered_from_the_handbook(chat: Chat, text: str) -> None:
    body = chat(text)
    assert faq_ids(chat) == [] and body["faq"] is None, chat.texts
    assert "下单邮箱" not in chat.text, chat.texts  # no order flow asking for the order's proof
    assert body["mode"] == "bot" and body["language"] == "zh", body
