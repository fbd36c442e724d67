"""A handbook answer that did not help (the walkthrough of 2026-12-06, walk1): "I cant log in to my account" got the
password-reset answer, then "it says my password is wrong but i reset it twice" got the same answer again, word for
word; "that didnt help, i already tried that" after the how-to-return answer got "Did you mean: A problem with a
payment"; "没用，我试过了" got "没问题。还有什么其他需要帮忙的吗？". Through the running stack the bot says its answer
above is all the help centre has and offers a person, in the customer's language; a yes hands the conversation over.
Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

ALL_IT_HAS = ("My answer just above is all our help centre has", "上面的回答就是帮助中心关于")


@pytest.mark.parametrize(
    ("asked", "entry", "again", "language"),
    [
        ("I cant log in to my account", "password-reset", "it says my password is wrong but i reset it twice", "en"),
        ("how do i return something", "how-to-return", "that didnt help, i already tried that", "en"),
        ("how do I reset my password?", "password-reset", "that doesn't work", "en"),
        ("如何退货", "how-to-return", "没用，我试过了", "zh"),
    ],
)
def test_an_answer_that_did_not_help_is_not_repeated_and_a_person_is_offered(
    chat: Chat, asked: str, entry: str, again: str, language: str
) -> None:
    body = chat(asked)
    assert body["faq"] is not None and body["faq"]["id"] == entry, body
    first_answer = chat.texts[0]
    chat(again)
    assert ALL_IT_HAS[language == "zh"] in chat.text, chat.texts
    assert first_answer not in chat.text, chat.texts  # not the same answer again
    assert chat.last["mode"] == "bot", chat.last  # offered, not queued yet
    chat(chat.buttons[0]["payload"])  # "Yes, get a person"
    assert chat.last["mode"] == "queued", chat.last


def test_another_question_after_an_answer_gets_its_own_answer(chat: Chat) -> None:
    body = chat("how do i reset my password")
    assert body["faq"] is not None and body["faq"]["id"] == "password-reset", body
    body = chat("do you ship to norway?")
    assert body["faq"] is not None and body["faq"]["id"] == "international-shipping", body
    assert not any(words in chat.text for words in ALL_IT_HAS), chat.texts


def test_a_plain_no_after_an_answer_is_still_a_no(chat: Chat) -> None:
    chat("how do i reset my password")
    chat("no")
    assert not any(words in chat.text for words in ALL_IT_HAS), chat.texts
    assert chat.last["mode"] == "bot", chat.last
