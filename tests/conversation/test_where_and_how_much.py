"""Where the shop ships and what it costs, asked in one message (the session of 2026-12-07): "do you ship to ireland
and how much is it" got where the shop ships ("delivery prices are the same everywhere") but no price; "ship to
ireland? how much" the same. A bare "how much" asks it of the clause before it: through the running stack, both are
answered, the price with it. In Chinese ("能寄到爱尔兰吗？多少钱", "你们寄爱尔兰吗？要多少钱") a bare 多少钱 after a
question about sending asks the postage. "请问发爱尔兰吗?邮费多少" (发 for 发货, lane czh's walk) got the postage
only: 发 or 寄 before a country asks whether the shop sends there. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

WHERE = ("We ship to all EU countries", "我们配送至所有欧盟国家", "我們配送至所有歐盟國家")
PRICE = "€4.95"


@pytest.mark.parametrize(
    "asked",
    [
        "do you ship to ireland and how much is it",
        "ship to ireland? how much",
        "ship to ireland and how much",
        "能寄到爱尔兰吗？多少钱",
        "你们寄爱尔兰吗？要多少钱",
        "请问发爱尔兰吗?邮费多少",
        "你们发不发爱尔兰，邮费多少",
        "發愛爾蘭嗎？運費多少",
    ],
)
def test_where_the_shop_ships_and_its_price_are_both_answered(chat: Chat, asked: str) -> None:
    chat(asked)
    assert any(words in chat.text for words in WHERE), chat.texts
    assert PRICE in chat.text, chat.texts


@pytest.mark.parametrize(
    "asked",
    [
        "how long does shipping to germany take and is it free",
        "how long does delivery to france take, does it cost extra",
    ],
)
def test_how_long_and_is_it_free_are_both_answered(chat: Chat, asked: str) -> None:
    # lane cen, 2026-12-07: only the price was answered ("is it free" is about the shipping asked of just before)
    chat(asked)
    assert "3–5 business days" in chat.text, chat.texts
    assert PRICE in chat.text, chat.texts
