"""Which messages ask about the chat's language (actions/other_language.py ``language_asked_about``)."""

from __future__ import annotations

import pytest

from actions.other_language import language_asked_about


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("do you speak chinese?", "zh"),
        ("can we talk in english please", "en"),
        ("english pls", "en"),
        ("reply in mandarin pls", "zh"),
        ("switch to english", "en"),
        ("sprechen sie deutsch?", "de"),
        ("parlez-vous français", "fr"),
        ("please speak in tagalog", "tl"),
        ("你会说中文吗", "zh"),
        ("可以说英文吗", "en"),
        ("能用中文吗", "zh"),
        ("请用中文回复", "zh"),
        ("中文可以吗", "zh"),
        ("能讲普通话吗", "zh"),
        ("會說中文嗎", None),  # traditional characters: the actions read them simplified (actions/turns.said) first
    ],
)
def test_a_question_about_the_chats_language_is_read(text: str, language: str | None) -> None:
    assert language_asked_about(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "can i get the invoice in english",
        "can you write the gift message in chinese",
        "is the manual in english",
        "do you ship to china",
        "sorry my english is bad",
        "我要用英文发票",
        "英文发票可以吗",
        "说明书是中文的吗",
    ],
)
def test_other_messages_naming_a_language_ask_nothing_about_the_chat(text: str) -> None:
    assert language_asked_about(text) is None
