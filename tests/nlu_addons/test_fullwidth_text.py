"""Full-width digits, letters and e-mail addresses are read as ASCII (nlu_addons.fullwidth_text); Chinese punctuation
and a full stop ending a sentence stay as written."""

from __future__ import annotations

import pytest

from nlu_addons.fullwidth_text import halfwidth_text


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("订单１００２３４到哪了", "订单100234到哪了"),
        ("ann.lee＠example.com", "ann.lee@example.com"),
        ("ann.lee@example。com", "ann.lee@example.com"),
        ("ａｎｎ．ｌｅｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ann.lee@example.com"),
        ("ann.lee@example。co。uk谢谢", "ann.lee@example.co.uk谢谢"),
    ],
)
def test_full_width_is_read_as_ascii(typed: str, read: str) -> None:
    assert halfwidth_text(typed) == read


@pytest.mark.parametrize(
    "typed",
    ["好的，谢谢！", "我的邮箱是ann.lee@example.com。", "好的。ann.lee@example.com", "能寄到爱尔兰吗？运费多少？"],
)
def test_punctuation_and_sentence_ends_stay(typed: str) -> None:
    assert halfwidth_text(typed) == typed
