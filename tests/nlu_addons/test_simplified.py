"""Traditional Chinese read as simplified (nlu_addons/language.py ``simplified``, issue 18): what the bot understands
of a Taiwan or Hong Kong customer's message, character for character, with nothing else changed, and the converter
run only for a text it changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu_addons import language
from nlu_addons.handbook_index import handbook_entries
from nlu_addons.language import simplified


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("付款頁面一直轉圈圈", "付款页面一直转圈圈"),
        ("我要取消訂單100234", "我要取消订单100234"),
        ("發票在哪裡下載？", "发票在哪里下载？"),
        ("退貨運費誰出", "退货运费谁出"),
        ("不用了，謝謝", "不用了，谢谢"),
        ("訂單 100234 的地址改成台北市信義路五段7號", "订单 100234 的地址改成台北市信义路五段7号"),
        ("我的order到哪了 顯示已發貨", "我的order到哪了 显示已发货"),
    ],
)
def test_traditional_characters_are_read_as_simplified_ones_in_place(written: str, read: str) -> None:
    assert simplified(written) == read
    assert len(simplified(written)) == len(written)  # a position in one is the same position in the other


@pytest.mark.parametrize(
    "text",
    [
        "付款页面一直转圈圈",
        "可以开公司抬头的发票吗",  # 抬 stays (the Hong Kong table would make it 擡)
        "我没什么要问的了，就这么办",  # 么 stays (the Taiwan table would make it 幺)
        "著名品牌的床单只有一只吗，后来怎么没货了",
        "账号注册不了，头发干了再说",
        "where is my order 100234?",
        "ann.lee@example.com",
        "",
    ],
)
def test_simplified_chinese_and_english_are_left_as_written(text: str) -> None:
    assert simplified(text) == text


def test_the_converter_runs_only_for_a_text_it_changes() -> None:
    language._converted.cache_clear()
    for text in ["付款页面一直转圈圈", "我要取消订单", "hello there", "订单100234到哪了"]:
        simplified(text)
    assert language._converted.cache_info().misses == 0  # no simplified or English text reached the converter
    simplified("付款頁面一直轉圈圈")
    simplified("付款頁面一直轉圈圈")
    info = language._converted.cache_info()
    assert (info.misses, info.hits) == (1, 1)  # converted once, then remembered


def test_skipping_the_converter_never_changes_the_result() -> None:
    """The characters that let a text skip the converter are exact: for every entry of the conversion's dictionaries,
    in a simplified sentence, the helper gives what the converter gives."""
    convert, _ = language._t2s()
    keys = [key for group in convert.__self__._dict_chain_data for _, _, table in group for key in table]
    assert len(keys) > 4000
    different = [key for key in keys if simplified(f"请问{key}的") != convert(f"请问{key}的")]
    assert different == []


def test_the_chinese_side_indexes_a_traditional_handbook_wording_in_simplified(tmp_path: Path) -> None:
    (tmp_path / "invoices.md").write_text(
        "---\nid: invoices\ntitle: Where is my invoice?\nzh:\n  title: 發票在哪裡下載？\n  questions:\n"
        "    - 怎麼開發票\n---\nIn your account.\n\n<!-- zh -->\n在您的帳戶裡。\n",
        encoding="utf-8",
    )
    chinese = handbook_entries(tmp_path, "zh", examples={"invoices": ["電子發票"]})[0]
    assert chinese.questions[:2] == ("发票在哪里下载？", "怎么开发票")
    assert chinese.examples == ("电子发票",)
    assert chinese.passages[0] == "在您的帐户里。"
    english = handbook_entries(tmp_path, "en")[0]
    assert english.questions[0] == "Where is my invoice?"
