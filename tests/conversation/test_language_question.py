"""A customer asks whether the bot speaks their language (the walkthrough of 2026-12-06, seventh session): "do you
speak chinese?" and "can we talk in english please" were offered a person ("I'm not sure I have a good answer"),
"能用中文吗" after an English order check got "Did you mean" with delivery countries and currencies, "你会说中文吗"
got "好的！". Now: yes, in the language asked for, with the topics in it; a language the bot does not speak gets
which ones it does, and a person offered. Through the running stack; messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

YES_ENGLISH = "Yes, of course: I can help you in English."
YES_CHINESE = "当然可以，我可以用中文为您服务。"


@pytest.mark.parametrize(
    ("asked", "yes", "topic"),
    [
        ("do you speak chinese?", YES_CHINESE, "我的订单到哪了？"),
        ("你会说中文吗", YES_CHINESE, "我的订单到哪了？"),
        ("can we talk in english please", YES_ENGLISH, "Where is my order?"),
        ("可以说英文吗", YES_ENGLISH, "Where is my order?"),
    ],
)
def test_the_bot_says_yes_in_the_language_asked_for(chat: Chat, asked: str, yes: str, topic: str) -> None:
    chat(asked)
    assert chat.texts == [chat.texts[0]] and chat.texts[0].startswith(yes), chat.texts
    assert topic in [b["title"] for b in chat.buttons] and chat.last["handoff"] is None, chat.texts


def test_chinese_asked_for_after_an_english_order_check(chat: Chat) -> None:
    chat("hi where is my order 100234? ann.lee@example.com")
    assert "Order 100234" in chat.text, chat.texts
    chat("能用中文吗")
    assert chat.texts[0].startswith(YES_CHINESE) and "您是想问" not in chat.text, chat.texts
    chat("那什么时候到")
    assert "订单 100234" in chat.text, chat.texts


def test_a_language_the_bot_does_not_speak_is_told_which_it_does(chat: Chat) -> None:
    chat("sprechen sie deutsch?")
    assert "I can only chat in English or Chinese" in chat.text, chat.texts
    assert [b["payload"] for b in chat.buttons] == ["/request_human", "/deny"], chat.texts


@pytest.mark.parametrize(
    ("asked", "yes", "answer"),
    [
        ("sorry can you answer in english? when will i get the money", YES_ENGLISH, "10 business days"),
        ("请用中文回复，退款什么时候到账", YES_CHINESE, "10 个工作日"),
    ],
)
def test_a_question_beside_the_language_question_is_answered(chat: Chat, asked: str, yes: str, answer: str) -> None:
    """The walkthrough of 2026-12-07: the yes only, the question beside it dropped (asked again, it was answered)."""
    chat(asked)
    assert chat.texts[0].startswith(yes), chat.texts
    assert answer in chat.text, chat.texts
