"""helpdesk/conversation/script.py: which script a Chinese customer writes, and replies turned into it. Messages
written for this test."""

from __future__ import annotations

import pytest

from helpdesk.conversation.script import (
    buttons_in_script,
    in_script,
    page_traditional,
    script_name,
    script_of,
    script_shown,
    writes_traditional,
)


@pytest.mark.parametrize(
    ("text", "traditional"),
    [
        ("我的訂單100234什麼時候到", True),
        ("謝謝", True),
        ("我的订单100234什么时候到", False),
        ("谢谢", False),
        ("好的", None),  # characters both scripts share
        ("ann.lee@example.com", None),
        ("where is my order", None),
    ],
)
def test_the_script_a_message_shows(text: str, traditional: bool | None) -> None:
    assert writes_traditional(text) is traditional


def test_a_message_showing_no_script_keeps_the_one_before_it() -> None:
    assert script_of(["好的", "100234", "我的訂單到哪了"]) is True
    assert script_of(["好的", "我的订单到哪了", "我的訂單到哪了"]) is False  # the latest that shows one
    assert script_of(["好的"]) is False  # none shown: simplified, as the bot writes


def test_replies_and_button_titles_in_traditional_script() -> None:
    assert in_script("为了保护您的信息安全：请提供订单 100234 的下单邮箱。", True) == (
        "為了保護您的信息安全：請提供訂單 100234 的下單郵箱。"
    )
    assert in_script("订单 100234", False) == "订单 100234"
    buttons = [{"title": "是的，取消订单", "payload": "/affirm"}]
    assert buttons_in_script(buttons, True) == [{"title": "是的，取消訂單", "payload": "/affirm"}]
    assert buttons_in_script(buttons, False) is buttons


@pytest.mark.parametrize(
    ("tag", "traditional"),
    [
        ("zh-TW", True),
        ("zh-HK", True),
        ("zh-MO", True),
        ("zh-Hant", True),
        ("zh-Hant-TW", True),
        ("zh_TW", True),
        ("ZH-tw", True),
        ("zh-CN", False),
        ("zh", False),
        ("zh-Hans", False),
        ("zh-Hans-HK", False),  # the script subtag says simplified
        ("zh-SG", False),
        ("en-GB", False),
        ("", False),
        (None, False),
    ],
)
def test_a_page_language_tag_in_traditional_characters(tag: str | None, traditional: bool) -> None:
    assert page_traditional(tag) is traditional


def test_the_script_the_chat_api_reports() -> None:
    assert script_shown(["好的", "100234", "我的訂單到哪了"]) is True
    assert script_shown(["好的", "100234"]) is None  # nothing shown: the API says none (the widget keeps its own)
    assert [script_name(True), script_name(False), script_name(None)] == ["Hant", "Hans", None]


def test_a_packs_measure_word_is_written_as_taiwan_writes_it() -> None:
    """ "条纹玻璃杯，6 只装" read "6 只裝" to a traditional writer (OpenCC keeps 只 after a digit: also "only")."""
    assert in_script("- 1 × 条纹玻璃杯，6 只装（€32.00）", True) == "- 1 × 條紋玻璃杯，6 隻裝（€32.00）"
    assert in_script("这一套只能整套退回", True) == "這一套只能整套退回"  # "only" stays 只
