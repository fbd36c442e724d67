"""The Chinese version of a handbook entry: parsed onto the entry, validated with file and line, shown by ``kb``."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from support.kb import PROJECT_ROOT, PYTHON, kb_env

from helpdesk.knowledge.handbook import ZH_MARK, Problem, Translation, load_handbook

ENGLISH = """---
id: refund-policy
title: What is your refund policy?
questions:
  - Can I get my money back?
tags: [refunds]
---
Return unused items within **30 days**.
"""

BILINGUAL = """---
id: refund-policy
title: What is your refund policy?
questions:
  - Can I get my money back?
tags: [refunds]
zh:
  title: 你们的退款政策是什么？
  questions:
    - 能退钱吗
    - 退款會退到哪裡？
---
Return unused items within **30 days**.

<!-- zh -->
签收后 **30 天**内退回未使用的商品。

退款原路返回。
"""

ZH_FRONT = "zh:\n  title: 你们的退款政策是什么？\n  questions:\n    - 能退钱吗\n    - 退款會退到哪裡？\n"
CJK = re.compile(r"[\u3400-\u9fff]")


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def messages(problems: list[Problem]) -> list[str]:
    return [f"{problem.path.name}:{problem.line}: {problem.message}" for problem in problems]


def test_the_chinese_version_is_carried_on_the_entry(tmp_path: Path) -> None:
    write(tmp_path, "refund.md", BILINGUAL)
    handbook = load_handbook(tmp_path)
    assert handbook.problems == [] and handbook.warnings == []
    entry = handbook.entries["refund-policy"]
    assert entry.answer == "Return unused items within **30 days**."
    assert entry.zh == Translation(
        title="你们的退款政策是什么？",
        questions=("能退钱吗", "退款會退到哪裡？"),
        answer="签收后 **30 天**内退回未使用的商品。\n\n退款原路返回。",
    )
    assert entry.version("zh") is entry.zh
    assert entry.version("en") == Translation(entry.title, entry.questions, entry.answer)
    assert entry.missing_languages() == ()
    assert entry.zh.all_questions[0] == "你们的退款政策是什么？"


def test_the_english_entry_is_the_same_with_or_without_chinese(tmp_path: Path) -> None:
    write(tmp_path / "en", "refund.md", ENGLISH)
    write(tmp_path / "both", "refund.md", BILINGUAL)
    english = load_handbook(tmp_path / "en").entries["refund-policy"]
    both = load_handbook(tmp_path / "both").entries["refund-policy"]
    fields = ("id", "title", "questions", "tags", "answer")
    assert [getattr(english, name) for name in fields] == [getattr(both, name) for name in fields]
    assert english.zh is None and english.missing_languages() == ("zh",)


def test_an_entry_without_chinese_is_a_warning_at_its_id_line_and_still_serves(tmp_path: Path) -> None:
    write(tmp_path, "refund.md", ENGLISH)
    handbook = load_handbook(tmp_path)
    assert handbook.problems == []
    assert "refund-policy" in handbook.entries
    assert messages(handbook.warnings) == [
        "refund.md:2: no Chinese version: add 'zh: {title: ..., questions: [...]}' to the front matter and "
        "the Chinese answer after a '<!-- zh -->' line at the end"
    ]


def test_half_a_translation_is_a_warning_where_the_other_half_is(tmp_path: Path) -> None:
    no_answer = BILINGUAL.split(ZH_MARK)[0]
    no_title = BILINGUAL.replace(ZH_FRONT, "")
    write(tmp_path / "a", "a.md", no_answer.replace("refund-policy", "a"))
    write(tmp_path / "b", "b.md", no_title.replace("refund-policy", "b"))
    handbooks = [load_handbook(tmp_path / "a"), load_handbook(tmp_path / "b")]
    assert [handbook.problems for handbook in handbooks] == [[], []]
    assert handbooks[0].entries["a"].zh is None and handbooks[1].entries["b"].zh is None
    assert messages(handbooks[0].warnings + handbooks[1].warnings) == [
        "a.md:7: Chinese title without a Chinese answer: write it after a '<!-- zh -->' line at the end",
        "b.md:10: Chinese answer without a Chinese title: add 'zh: {title: ...}' to the front matter",
    ]


def test_a_broken_chinese_version_is_a_problem_with_its_line(tmp_path: Path) -> None:
    cases = {
        "scalar.md": BILINGUAL.replace(ZH_FRONT, "zh: 退款政策\n"),
        "no-title.md": BILINGUAL.replace("  title: 你们的退款政策是什么？\n", ""),
        "empty-title.md": BILINGUAL.replace("  title: 你们的退款政策是什么？", "  title: ''"),
        "unknown.md": BILINGUAL.replace("  title: 你们的退款政策是什么？", "  title: 退款\n  answer: 好"),
        "questions.md": BILINGUAL.replace("  questions:\n    - 能退钱吗\n    - 退款會退到哪裡？", "  questions: 钱"),
        "empty-answer.md": BILINGUAL.split(ZH_MARK)[0] + ZH_MARK + "\n\n",
        "two-marks.md": BILINGUAL + "\n" + ZH_MARK + "\n更多\n",
    }
    for name, text in cases.items():
        write(tmp_path / name.removesuffix(".md"), name, text.replace("refund-policy", name.removesuffix(".md")))
    found = {name: messages(load_handbook(tmp_path / name.removesuffix(".md")).problems) for name in cases}
    assert found["no-title.md"] == ["no-title.md:7: 'zh' has no 'title': give the Chinese title"]
    assert found["empty-title.md"] == ["empty-title.md:8: 'zh.title' is empty"]
    assert found["unknown.md"] == ["unknown.md:9: unknown key 'zh.answer' (allowed: title, questions)"]
    assert found["questions.md"] == ["questions.md:9: 'zh.questions' must be a list of text, got text"]
    assert found["empty-answer.md"] == [
        "empty-answer.md:15: Chinese answer is empty: write it after the '<!-- zh -->' line, or remove the line"
    ]
    assert found["two-marks.md"] == ["two-marks.md:20: second '<!-- zh -->' line (the first is at line 15)"]
    assert found["scalar.md"] == ["scalar.md:7: 'zh' must be a mapping with 'title' and optional 'questions', got text"]
    for name in cases:  # a broken file serves no entry and so warns about nothing
        assert load_handbook(tmp_path / name.removesuffix(".md")).entries == {}, name


def test_a_chinese_question_asked_by_two_entries_is_reported_in_both(tmp_path: Path) -> None:
    write(tmp_path, "a.md", BILINGUAL.replace("refund-policy", "a"))
    other = BILINGUAL.replace("refund-policy", "b").replace("What is your refund policy?", "Refunds?")
    write(tmp_path, "b.md", other.replace("Can I get my money back?", "Money back?").replace("能退钱吗", "能退钱吗？"))
    found = messages(load_handbook(tmp_path).problems)
    assert len(found) == 6  # the Chinese title and both Chinese questions, each in both files
    assert found[0].startswith("a.md:8: question '你们的退款政策是什么？' is also asked in 'b' (")
    assert any(line.startswith("b.md:10: question '能退钱吗？' is also asked in 'a' (") for line in found)


def test_the_project_handbook_is_complete_in_chinese() -> None:
    handbook = load_handbook(PROJECT_ROOT / "knowledge" / "faq")
    assert handbook.problems == [] and handbook.warnings == []
    assert len(handbook.entries) >= 75
    for entry in handbook.entries.values():
        assert entry.zh is not None, entry.id
        assert len(entry.zh.questions) >= 5, entry.id
        assert CJK.search(entry.zh.title) and CJK.search(entry.zh.answer), entry.id
        assert not CJK.search(entry.answer) and ZH_MARK not in entry.answer, entry.id


# --------------------------------------------------------------------------- the kb command


def kb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "helpdesk.knowledge.cli", *args],
        cwd=cwd,
        env=kb_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def two_entries(faq: Path) -> None:
    """One entry in English only, one in both languages (different English questions: no duplicates)."""
    write(faq, "refund.md", ENGLISH)
    both = BILINGUAL.replace("refund-policy", "both").replace("Can I get my money back?", "Money back?")
    write(faq, "both.md", both.replace("What is your refund policy?", "Refund policy?"))


def test_validate_warns_on_stderr_and_strict_fails(tmp_path: Path) -> None:
    two_entries(tmp_path / "faq")
    result = kb("validate", "faq", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == ["OK: 2 files, 2 valid entries, 0 problems"]
    assert result.stderr.splitlines()[0].startswith("faq/refund.md:2: warning: no Chinese version: ")
    assert "1 entries without a complete Chinese version" in result.stderr
    strict = kb("validate", "--strict", "faq", cwd=tmp_path)
    assert strict.returncode == 1
    assert strict.stdout.splitlines()[-1] == "FAIL: 2 files, 2 valid entries, 0 problems, 1 warnings"


def test_strict_validation_of_the_project_handbook_passes() -> None:
    result = kb("validate", "--strict", "knowledge/faq", cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].endswith(" problems, 0 warnings")


def test_list_and_show_give_both_languages(tmp_path: Path) -> None:
    two_entries(tmp_path / "faq")
    listing = kb("list", "faq", cwd=tmp_path)
    assert listing.returncode == 0
    assert listing.stdout.splitlines() == [
        "both\tRefund policy?\t你们的退款政策是什么？",
        "refund-policy\tWhat is your refund policy?\t(no Chinese version)",
    ]
    missing = kb("list", "faq", "--missing", "zh", cwd=tmp_path)
    assert missing.stdout.splitlines() == ["refund-policy\tWhat is your refund policy?\t(no Chinese version)"]
    show = kb("show", "both", "--dir", "faq", cwd=tmp_path)
    assert show.returncode == 0
    text = show.stdout
    assert text.index("[en]") < text.index("Return unused items") < text.index("[zh]") < text.index("签收后")
    assert "  - 退款會退到哪裡？" in text and ZH_MARK not in text
    untranslated = kb("show", "refund-policy", "--dir", "faq", cwd=tmp_path)
    assert "[zh]\n(missing: kb validate reports where to add it)" in untranslated.stdout
    unknown = kb("show", "nothing-here", "--dir", "faq", cwd=tmp_path)
    assert unknown.returncode == 2 and "no valid entry 'nothing-here'" in unknown.stderr


def test_chinese_answers_cite_the_shop_facts_and_show_the_hours_in_chinese() -> None:
    from helpdesk.knowledge.facts import current_facts

    facts = current_facts()
    entries = load_handbook(PROJECT_ROOT / "knowledge" / "faq").entries
    for entry in entries.values():
        assert entry.zh is not None and "{{" not in entry.zh.answer, entry.id
    threshold = facts.show("free_delivery_threshold")
    assert f"订单金额满 {threshold} 时" in entries["free-shipping"].zh.answer  # type: ignore[union-attr]
    hours = entries["opening-hours"].zh.answer  # type: ignore[union-attr]
    assert facts.show("support_hours_list", language="zh") in hours
    assert "周" in hours and "Monday" not in hours and "（" in hours
    assert facts.show("support_hours", language="zh") in entries["contact-us"].zh.answer  # type: ignore[union-attr]
