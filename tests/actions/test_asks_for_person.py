"""actions/handoff.py asks_for_person: a person asked for in so many words, in English or Chinese, whatever else the
message says; not after a "not", not a question whether the bot is one. Messages written for this test."""

from __future__ import annotations

import pytest

from actions.handoff import asks_for_person


@pytest.mark.parametrize(
    "text",
    [
        "我的订单100234还没到，我要找真人客服",
        "我的訂單100234還沒到，我要找真人客服",
        "转人工",
        "帮我接人工服务",
        "my order 100234 hasnt arrived yet, i want to talk to a real person",
        "can i speak with someone about order 100259",
        "i need a human",
        "human pls",
        "你是不是机器人啊，换人",
        "换个人",
        "換個真人",
        "能不能换人工",
        "are you a bot? get me a human",
    ],
)
def test_a_person_asked_for_in_words(text: str) -> None:
    assert asks_for_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "不要转人工，帮我查一下订单",
        "i dont want to talk to a person, just tell me where it is",
        "is this a real person?",
        "are you a human",
        "客服几点上班",
        "where is my order 100234",
        "不要换人，你继续说",
        "你是机器人吗",
        "我想换个人信息",
        "可以换人民币付款吗",
        "换个人收货可以吗",
        "能换个颜色吗",
    ],
)
def test_no_person_asked_for(text: str) -> None:
    assert not asks_for_person(text)
