"""The training files as Rasa reads them (issue 18): every line of an examples block is an example (a comment inside
one is skipped by Rasa with a warning, and read as an example by anything else that reads the files), and a Chinese
customer's message with no Chinese character in it ("886", "2333") is marked as Chinese, so that the English side,
which learns from English examples only, does not learn it (nlu_addons.language.written_in)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from nlu_addons import PROJECT_ROOT
from nlu_addons.language import written_in

NLU_DIR = PROJECT_ROOT / "data" / "nlu"


def blocks(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [b for b in data.get("nlu") or [] if isinstance(b, dict) and isinstance(b.get("examples"), str)]


def examples(block: dict[str, Any]) -> list[str]:
    return [line[1:].strip() for line in block["examples"].splitlines()]


@pytest.mark.parametrize("path", sorted(NLU_DIR.rglob("*.yml")), ids=lambda p: str(p.relative_to(NLU_DIR)))
def test_every_line_of_an_examples_block_is_an_example(path: Path) -> None:
    for block in blocks(path):
        strays = [line for line in block["examples"].splitlines() if not line.startswith("-")]
        assert not strays, f"{path}: {block.get('intent') or block.get('regex') or block.get('synonym')}: {strays}"


def test_a_chinese_files_examples_are_all_chinese_to_the_training() -> None:
    chinese = sorted((NLU_DIR / "zh").glob("*.yml"))
    assert chinese
    for path in chinese:
        for block in blocks(path):
            if "intent" not in block:
                continue
            for text in examples(block):
                assert written_in(text, block.get("metadata")) == "zh", f"{path}: {block['intent']}: {text!r}"


def test_an_examples_language_is_its_blocks_when_named_else_its_script() -> None:
    assert written_in("886", {"language": "zh"}) == "zh"
    assert written_in("2333", {"language": "zh", "entry": "app"}) == "zh"
    assert written_in("886") == "en" and written_in("ok", {"entry": "app"}) == "en"
    assert written_in("我的订单到哪了") == "zh" and written_in("where is my order", None) == "en"
    assert written_in("ok", {"language": "fr"}) == "en"  # a language the bot has no side for: the script decides
