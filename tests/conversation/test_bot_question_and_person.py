"""A customer who asks whether they are talking to a bot and, in the same message, for a person ("你是不是机器人啊，
换人", "are you a bot? get me a human"): the walkthrough of 2026-12-07 saw the NLU read the bot question (rightly)
and the bot answer "I'm a bot… if you'd rather talk to a person, just say so", losing the person asked for in so many
words; mid-request the order's question came back after it. Through the running stack: the person is called (the
conversation queued), the request under way ends, and a bot question alone is still answered as before.

Order 100259 (Thomas Leroy, placed) of the demo shop. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

from helpdesk.vocabulary import HANDOFF_REQUESTED

BOT_ANSWERS = ("I'm the Larkspur Home virtual assistant, a bot", "我是 Larkspur Home 的智能助手")
ORDER_QUESTIONS = ("e-mail address or delivery postcode", "e-mail address or the delivery postcode", "邮箱或收货邮编")


@pytest.mark.parametrize(
    "said",
    [
        "你是不是机器人啊，换人",
        "你是机器人吗？换个真人来",
        "are you a bot? get me a human",
        "r u a bot?? i need a human",
    ],
)
def test_a_bot_question_asking_for_a_person_calls_one(chat: Chat, said: str) -> None:
    body = chat(said)
    assert body["mode"] == "queued", chat.texts
    assert (body["handoff"] or {}).get("reason") == HANDOFF_REQUESTED, body
    assert not any(answer in chat.text for answer in BOT_ANSWERS), chat.texts


@pytest.mark.parametrize("said", ["are you a bot? i want a human", "你是不是机器人啊，换人工"])
def test_mid_request_a_bot_question_asking_for_a_person_ends_the_request(chat: Chat, said: str) -> None:
    chat("cancel my order 100259")
    assert any(question in chat.text for question in ORDER_QUESTIONS), chat.texts
    body = chat(said)
    assert body["mode"] == "queued", chat.texts
    assert not any(question in chat.text for question in ORDER_QUESTIONS), chat.texts
    assert not any(answer in chat.text for answer in BOT_ANSWERS), chat.texts


@pytest.mark.parametrize("said", ["are you a bot?", "你是机器人吗"])
def test_a_bot_question_alone_is_answered_and_no_person_called(chat: Chat, said: str) -> None:
    body = chat(said)
    assert body["mode"] == "bot" and body["handoff"] is None, chat.texts
    assert any(answer in chat.text for answer in BOT_ANSWERS), chat.texts
