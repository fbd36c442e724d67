"""Where the shop ships from, with which couriers, and whether it delivers to China (lane czh3's walk, 2026-12-07):
"顺丰发货吗" (do you ship with SF Express?) got "Did you mean" express delivery, delivery options or delivery time,
"你们从哪里发货" "Did you mean" too, and "你们是哪里发货的 几天能到上海" a person offered: the handbook had no entry
saying so. Now the shipping-from entry answers, in the customer's language and script: the Netherlands warehouse,
the European carrier shown at checkout (no SF Express), no delivery to mainland China; the two questions, asked with
a question mark between them, get both answers (with only a space between them the message is still routed out of
scope: lane czh3's notes). Through the running stack; nothing is booked. Messages written for this test (the
handbook's own questions are worded otherwise).
"""

from __future__ import annotations

import pytest
from support.chat import Chat

TWO_THINGS = "您问了两件事，我一件一件来。"


def faq_ids(chat: Chat) -> list[str]:
    """The handbook entries the bot answered from in its last turn, in order (each answer's help-centre article)."""
    return [str(reply["article"]["id"]) for reply in chat.last["replies"] if isinstance(reply.get("article"), dict)]


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("顺丰发货吗", ("荷兰的仓库", "顺丰", "中国大陆")),
        ("你们是哪里发货的", ("荷兰的仓库", "承运商")),
        ("你們是從哪裡寄出的", ("荷蘭的倉庫", "順豐")),
        ("Where do you ship from?", ("warehouse in the Netherlands", "SF Express", "mainland China")),
    ],
)
def test_where_we_ship_from_is_answered(chat: Chat, question: str, said: tuple[str, ...]) -> None:
    chat(question)
    assert faq_ids(chat) == ["shipping-from"], chat.last["replies"]
    assert all(words in chat.text for words in said), chat.texts
    assert chat.last["handoff"] is None and chat.last["mode"] == "bot", chat.last


def test_where_from_and_how_long_get_both_answers(chat: Chat) -> None:
    chat("你们是哪里发货的？几天能到上海？")
    assert TWO_THINGS in chat.text, chat.texts
    assert faq_ids(chat) == ["shipping-from", "delivery-time"], chat.last["replies"]
    assert "无法寄往中国大陆" in chat.text and "工作日" in chat.text, chat.texts
