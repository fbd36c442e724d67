"""The impact preview decides Chinese questions as Chinese customers are answered (issue 18 for editors): on the
handbook's Chinese side (helpdesk/knowledge/language_search.py), not with the English FAQ engine, which reads
Chinese as noise. Real entries of knowledge/faq and the real held-out rows written for them, on the real encoders:
"before" is what the Chinese search answers today, an edit that takes an entry's Chinese questions away shows up
as a loss on the Chinese set (and only there), and the per-language figures name their language."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.kb import PROJECT_ROOT, kb_settings, shared_embedder

from helpdesk.knowledge import held_out, impact, language_search
from helpdesk.knowledge.decision import Decided
from helpdesk.knowledge.engine import KnowledgeBase
from helpdesk.knowledge.entry_form import from_markdown

ENTRIES = ("payment-methods", "currency", "delivery-time", "express-delivery", "gift-cards", "invoices")
EDITED = "payment-methods"
HELD_OUT = PROJECT_ROOT / "eval" / "handbook"


def rows(name: str, keep: object = None) -> list[dict[str, str]]:
    found = [json.loads(line) for line in (HELD_OUT / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in found if keep is None or row.get("faq_id") in ENTRIES]


@pytest.fixture()
def kb(tmp_path: Path) -> KnowledgeBase:
    root = tmp_path / "faq"
    for entry_id in ENTRIES:
        source = next((PROJECT_ROOT / "knowledge" / "faq").rglob(f"{entry_id}.md"))
        (root / source.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(source, root / source.parent.name / source.name)
    knowledge = KnowledgeBase(root, kb_settings(tmp_path / "index"), shared_embedder())
    knowledge.build()
    return knowledge


@pytest.fixture()
def sets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The team's held-out rows of these entries: the English test set and the Chinese set, with their
    out-of-scope questions."""
    folder = tmp_path / "held-out"
    folder.mkdir()
    for name, keep in (
        ("queries_test.jsonl", True),
        ("oos_test.jsonl", None),
        ("queries_zh.jsonl", True),
        ("oos_zh.jsonl", None),
    ):
        chosen = rows(name, keep)[: None if keep else 40]
        (folder / name).write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in chosen))
    monkeypatch.setattr(held_out, "held_out_folder", lambda: folder)
    held_out.load_sets.cache_clear()
    yield folder
    held_out.load_sets.cache_clear()


def form(kb: KnowledgeBase, entry_id: str) -> dict[str, object]:
    return from_markdown(entry_id, next(kb.root.rglob(f"{entry_id}.md")).read_text(encoding="utf-8")).to_json()


def test_chinese_questions_are_decided_as_the_chinese_search_answers_them(kb: KnowledgeBase, sets: Path) -> None:
    chinese = [row["query"] for row in rows("queries_zh.jsonl", True)]
    english = [row["query"] for row in rows("queries_test.jsonl", True)][:5]
    unchanged = form(kb, EDITED)
    found = impact.impact(kb, EDITED, impact.preview_entry(EDITED, unchanged), [*chinese, *english], form=unchanged)
    assert found["chinese_questions"] == len(chinese) + len(rows("queries_zh.jsonl", True)) + 40
    assert found["newly_answered"] == found["taken"] == found["stopped"] == []  # nothing changes
    by_set = {row["set"]: row for row in found["held_out"]["sets"]}
    assert by_set["zh"]["language"] == "zh" and by_set["test"]["language"] == "en"
    assert by_set["zh"]["before"] == by_set["zh"]["after"] and found["held_out"]["worse"] == []
    # "before" is exactly what a Chinese customer's search gets: the first entry and whether it is answered
    searched = [Decided.of(language_search.decide(kb, question)) for question in chinese]
    answered = [d.answered for d in searched]
    assert by_set["zh"]["before"]["answered_rate"] == round(sum(a is not None for a in answered) / len(chinese), 4)
    expected = [row["faq_id"] for row in rows("queries_zh.jsonl", True)]
    hits = sum(d.top == e for d, e in zip(searched, expected, strict=True))
    assert by_set["zh"]["before"]["p_at_1"] == round(hits / len(chinese), 4)
    assert by_set["zh"]["before"]["p_at_1"] > 0.6  # the English engine ranked these at P@1 0.12 on the whole set


def test_taking_an_entrys_chinese_questions_away_is_a_chinese_loss(kb: KnowledgeBase, sets: Path) -> None:
    asked = ["支持支付宝吗", "能用微信付款吗", "Can I pay with PayPal?"]
    edited = {**form(kb, EDITED), "zh_questions": []}
    found = impact.impact(kb, EDITED, impact.preview_entry(EDITED, edited), asked, form=edited)
    by_set = {row["set"]: row for row in found["held_out"]["sets"]}
    zh, test = by_set["zh"], by_set["test"]
    assert zh["after"]["answered_rate"] < zh["before"]["answered_rate"]
    lost = [c for c in zh["changed"] if c["expected"] == EDITED and c["before"] == EDITED and c["after"] != EDITED]
    assert lost, zh["changed"]
    assert {(w["set"], w["language"]) for w in found["held_out"]["worse"]} == {("zh", "zh")}
    assert test["before"] == test["after"]  # the English figures do not move: the English texts did not change
    stopped = {o["question"] for o in found["stopped"]}
    assert "Can I pay with PayPal?" not in stopped and stopped & {"支持支付宝吗", "能用微信付款吗"}
    assert all(" on zh (Chinese) " in held_out.describe(w) for w in found["held_out"]["worse"])


def test_deleting_an_entry_loses_its_chinese_answers(kb: KnowledgeBase, sets: Path) -> None:
    asked = ["这张礼品卡还能用多久"]
    deleted = impact.impact(kb, "gift-cards", None, asked)
    assert [o["question"] for o in deleted["stopped"]] == asked
    zh = next(row for row in deleted["held_out"]["sets"] if row["set"] == "zh")
    assert zh["after"]["p_at_1"] < zh["before"]["p_at_1"]
