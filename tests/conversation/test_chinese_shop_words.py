"""Chinese order requests in the words of Chinese online-shopping chats and in traditional characters (issue 18),
through the running stack: 拍 for "bought", 掌柜的 as a form of address, 出貨 (traditional) for "shipped", and a
refund already asked for ("钱到账没") start the order flow they ask for, not "Did you mean" or a person.
No order number is given: the flow asks for it, in Chinese. Messages written for this test (not in the training
data nor in an evaluation set)."""

from __future__ import annotations

import httpx
import pytest
from support.agent import say

from nlu_addons.language import simplified

REQUESTS = [
    ("我買的抱枕出貨了嗎", "order_status"),
    ("掌柜的，我拍的那套床品走到哪了", "order_status"),
    ("我寄回去的那个托盘，钱到账没", "refund_status"),
]


@pytest.mark.parametrize(("text", "intent"), REQUESTS)
def test_a_chinese_shoppers_request_in_chat_words_starts_its_flow(client: httpx.Client, text: str, intent: str) -> None:
    result = say(client, text)
    assert result["nlu"]["intent"] == intent, result["nlu"]
    assert result["faq"] is None and result["handoff"] is None, result
    # read in simplified characters: a customer writing traditional ones is answered in them
    texts = simplified(" ".join(str(reply["text"]) for reply in result["replies"]))
    assert "您是想问下面这些吗" not in texts, texts  # no "Did you mean"
    # the message is the request, not a second question beside it: no handbook answer before the flow (the order
    # status ones got the stock levels or the bedding sizes first, "您问了两件事")
    assert "两件事" not in texts, texts
    assert "订单号" in texts, texts  # the flow asks which order, in Chinese


def test_a_chinese_question_whether_buying_needs_an_account_is_answered_by_the_account_entry(
    client: httpx.Client,
) -> None:
    # "Do I need an account to shop with you?" is the account entry's question in English; in Chinese the ordering
    # entry asked it too (不注册能直接下单吗), now its own guest-checkout question (可以用游客身份结账吗), and the
    # question went to how to order
    result = say(client, "不想注册，能直接下单吗")
    assert result["nlu"]["intent"] == "faq", result["nlu"]
    assert result["faq"] is not None and result["faq"]["id"] == "create-account", result["faq"]
