"""The widget's string tables (helpdesk/static/widget/widget.js, issue 18): the traditional-Chinese one (zh-Hant) says
everything the simplified one says, with the same placeholders, and none of it in simplified characters. Read from
the script itself (no build step: the tables are object literals of `key: "text"` lines)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpdesk.conversation.script import writes_traditional

WIDGET = Path(__file__).resolve().parents[2] / "helpdesk" / "static" / "widget" / "widget.js"
TABLES = ("STRINGS", "WAIT_STRINGS", "FILE_STRINGS")
ENTRY = re.compile(r'(\w+):\s*"((?:[^"\\]|\\.)*)"')
PLACEHOLDER = re.compile(r"\{\w+\}")


def table(name: str) -> dict[str, dict[str, str]]:
    """{language: {key: text}} of the widget's table `name`."""
    source = WIDGET.read_text(encoding="utf-8")
    start = source.index(f"const {name} = {{\n")
    body = source[start : source.index("\n  };", start)]
    parts = re.split(r'(?m)^    (en|zh|"zh-Hant"): \{', body)
    return {lang.strip('"'): dict(ENTRY.findall(text)) for lang, text in zip(parts[1::2], parts[2::2], strict=True)}


@pytest.mark.parametrize("name", TABLES)
def test_the_traditional_table_says_everything_the_simplified_one_says(name: str) -> None:
    languages = table(name)
    simplified, traditional = languages["zh"], languages["zh-Hant"]
    assert simplified and set(traditional) == set(simplified) == set(languages["en"])
    for key, text in traditional.items():
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(simplified[key])), key
        assert writes_traditional(text) is not False, (key, text)  # nothing in simplified characters


def test_taiwan_usage() -> None:
    words = table("STRINGS")["zh-Hant"]
    assert words["title"] == "線上客服" and words["helpfulQuestion"] == "這個回答有幫助嗎？"
    assert words["placeholder"] == "請輸入訊息…" and words["newMessages"] == "{n} 則新訊息"
