"""Refusals in the customer's language (issue 18, item 2): the widget sends its language as Accept-Language and the
helpdesk words its errors in Chinese for a Chinese widget (helpdesk/errors_zh.py), English otherwise — through the
running stack. The table is checked against the messages the services really raise, so it cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from helpdesk.errors_zh import MESSAGES, in_chinese

ROOT = Path(__file__).resolve().parents[2] / "helpdesk"
ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_a_chinese_widget_gets_its_refusals_in_chinese(client: httpx.Client) -> None:
    empty = client.post("/api/chat", json={"conversation_id": None, "text": "   "}, headers=ZH)
    assert empty.status_code == 400 and empty.json()["error"] == "消息内容为空：请输入您想说的话。"
    english = client.post("/api/chat", json={"conversation_id": None, "text": "   "}, headers={"Accept-Language": "en"})
    assert english.status_code == 400 and english.json()["error"] == "text is empty"
    assert client.post("/api/chat", json={"conversation_id": None, "text": " "}).json()["error"] == "text is empty"

    long = client.post("/api/chat", json={"conversation_id": None, "text": "好" * 5000}, headers=ZH)
    assert long.status_code == 400
    assert re.fullmatch(r"消息太长了：共 5000 个字符，最多 \d+ 个。请分几条发送。", long.json()["error"]), long.json()

    broken = client.post("/api/chat", content=b"{not json", headers={**ZH, "Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json()["error"] == "请求格式不对：请刷新页面后重试。"

    unknown = client.post("/api/chat", json={"conversation_id": "nope-" + "0" * 20, "text": "你好"}, headers=ZH)
    assert unknown.status_code in (400, 404) and CJK.search(unknown.json()["error"]), unknown.json()

    chat = client.post("/api/chat", json={"conversation_id": None, "text": "你好"}, headers=ZH).json()
    rating = client.post(f"/api/chat/{chat['conversation_id']}/rating", json={"score": 5}, headers=ZH)
    assert rating.status_code == 409
    assert rating.json()["error"] == "这里没有可以评价的会话（或者已经评价过了）。"
    bad_score = client.post(f"/api/chat/{chat['conversation_id']}/rating", json={"score": 9}, headers=ZH)
    assert bad_score.status_code == 400 and bad_score.json()["error"] == "评分必须是 1 到 5 的整数。"


def test_a_message_without_a_chinese_entry_stays_english_and_figures_are_kept() -> None:
    assert in_chinese("something no service says") is None
    assert in_chinese("the file is too large: 12.5 MB, the limit is 10 MB") == "文件太大了：12.5 MB，最大 10 MB。"
    assert (
        in_chinese("too many files from your connection: at most 20 an hour")
        == "您发送的文件太多了：每小时最多 20 个。"
    )
    assert in_chinese("the Rasa server did not answer: ReadTimeout") == "智能助手暂时没有响应"
    assert in_chinese("text is too long: many characters, the limit is 4000") is None  # a count matches figures only


def test_the_handbook_gate_refuses_a_chinese_editor_in_chinese_with_the_figures_as_they_are() -> None:
    refused = (
        "Not published: it makes held-out figures worse than the tolerance: P@1 on zh (Chinese) 0.894 → 0.882. "
        "A supervisor or admin must confirm publishing it."
    )
    assert in_chinese(refused) == (
        "未发布：它会让留出集指标变差，超出容差（P@1 on zh (Chinese) 0.894 → 0.882）。需要主管或管理员确认后才能发布。"
    )
    not_ready = (
        "Not published: the held-out figures cannot be computed right now (the FAQ engine is not ready). "
        "Only a supervisor or admin can confirm publishing it."
    )
    assert (
        in_chinese(not_ready) == "未发布：现在无法计算留出集指标（FAQ 引擎还没有就绪）。只有主管或管理员可以确认发布。"
    )


@pytest.mark.parametrize("english", sorted(MESSAGES))
def test_every_entry_is_a_message_the_helpdesk_raises_and_is_chinese(english: str) -> None:
    chinese = MESSAGES[english]
    assert CJK.search(chinese), chinese
    assert set(re.findall(r"\{\w+\}", chinese)) <= set(re.findall(r"\{\w+\}", english)), english
    # every fixed part of the message is in the helpdesk's source (a changed message would leave its entry behind)
    source = SOURCE
    for part in re.split(r"\{\w+\}", english):
        part = part.strip(" :;,")
        if len(part) > 3:
            assert part in source, f"no service raises {english!r} any more (missing {part!r})"


SOURCE = "\n".join(p.read_text(encoding="utf-8") for p in ROOT.rglob("*.py") if p.name != "errors_zh.py")
