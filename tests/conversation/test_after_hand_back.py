"""An agent hands a chat back to the bot and the customer sends the order number for what they had asked before the
hand-off: the walkthrough of 2026-12-07 saw "我要退货", "转人工", the agent's hand-back, then "100218" answered with
"查询进度、取消，还是办理退货？", the return the customer had asked for forgotten. Through the running stack and the
console's API: the request under way at the hand-off carries on for that order (its identity check, then its own
question), and an order number after a hand-off with no request under way still asks what to do.

Orders of the demo shop: 100218 (Grace Murphy, delivered), 100259 (Thomas Leroy, placed). Messages written for this
test.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from support.agent import Console
from support.chat import Chat

WHAT_TO_DO = ("What would you like me to do with order", "需要我做什么")


def handed_back(chat: Chat, console: Console) -> None:
    """A person claims the queued chat and hands it back to the bot."""
    assert chat.last["mode"] == "queued", chat.texts
    assert console.post(f"/conversations/{chat.id}/claim").status_code == 200
    assert console.post(f"/conversations/{chat.id}/handback").status_code == 200


@pytest.mark.parametrize(
    ("asked", "person", "email", "next_question"),
    [
        ("我要退货", "转人工", "grace.murphy@example.net", "您想退回订单 100218 里的哪些商品"),
        (
            "i want to return an item from my order",
            "can i talk to a person please",
            "grace.murphy@example.net",
            "Which items from order 100218",
        ),
    ],
)
def test_the_order_number_after_a_hand_back_carries_on_the_request(
    chat: Chat, login: Callable[[str], Console], asked: str, person: str, email: str, next_question: str
) -> None:
    chat(asked)
    chat(person)
    handed_back(chat, login("sue"))
    body = chat("100218")
    assert body["mode"] == "bot", chat.texts
    assert not any(words in chat.text for words in WHAT_TO_DO), chat.texts
    assert "100218" in chat.text, chat.texts  # its identity check
    chat(email)
    assert next_question in chat.text, chat.texts


def test_an_order_number_after_a_hand_back_with_no_request_asks_what_to_do(
    chat: Chat, login: Callable[[str], Console]
) -> None:
    chat("can i talk to a person please")
    handed_back(chat, login("sue"))
    chat("100259")
    assert any(words in chat.text for words in WHAT_TO_DO), chat.texts
