"""Every problem and warning ``kb validate`` reports — what the handbook editor shows at a field — reaches a Chinese
staff member in Chinese (issue 18 leftovers, zh-desk 2). The console translates a message by its English template
from i18n/zh.json (tests/support/console_strings.py mirrors static/console/i18n.js's lookup); the problems here are
made for real, by broken files checked as ``kb validate`` checks them (load_handbook) and by the editor's own check."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.console_strings import CJK, Catalog

from helpdesk.knowledge.entry_form import EntryForm
from helpdesk.knowledge.handbook import ZH_MARK, load_handbook
from helpdesk.knowledge.handbook_editing import HandbookEditor

ANSWER = "An answer.\n" + ZH_MARK + "\n中文答案。\n"
ZH = "zh: {title: 中文标题}\n"

BROKEN = {
    "no-front.md": "just an answer\n",
    "unclosed.md": "---\nid: unclosed\ntitle: Unclosed\n",
    "yaml.md": "---\nid: [broken\n---\nA\n",
    "empty-front.md": "---\n---\nA\n",
    "list-front.md": "---\n- a\n---\nA\n",
    "keys.md": "---\nid: Bad_Id\ntitle: 12\ntitle: again\ncolour: red\nquestions:\ntags: [true, '']\n---\n\n",
    "no-title.md": "---\nid: no-title\n1: one\n---\n" + ANSWER,
    "odd-key.md": "---\nid: odd-key\ntitle: Odd\n? [a]\n: b\n---\n" + ANSWER,
    "types.md": "---\nid: types\ntitle: [a, b]\nquestions: just one\ntags: {a: 1}\nzh: [x]\n---\n" + ANSWER,
    "nothing.md": "---\nid: nothing\ntitle: ~\ntags: [1.5, ~]\n---\n" + ANSWER,
    "zh-keys.md": "---\nid: zh-keys\ntitle: Zh keys\nzh:\n  questions: [a]\n  extra: 1\n  extra: 2\n---\nA\n"
    + ZH_MARK
    + "\n\n"
    + ZH_MARK
    + "\n",
    "zh-empty.md": "---\nid: zh-empty\ntitle: Zh empty\n" + ZH + "---\nA\n" + ZH_MARK + "\n",
    "no-zh.md": "---\nid: no-zh\ntitle: No Chinese at all\n---\nAn answer.\n",
    "zh-title-only.md": "---\nid: zh-title-only\ntitle: Only a Chinese title\n" + ZH + "---\nAn answer.\n",
    "zh-answer-only.md": "---\nid: zh-answer-only\ntitle: Only a Chinese answer\n---\n" + ANSWER,
    "dup-a.md": "---\nid: twice\ntitle: Asked twice?\n" + ZH + "---\n" + ANSWER,
    "dup-b.md": "---\nid: twice\ntitle: Asked twice?\n" + ZH + "---\n" + ANSWER,
    "dup-c.md": "---\nid: other\ntitle: Other\nquestions: [asked twice]\n" + ZH + "---\n" + ANSWER,
    "facts.md": (
        "---\nid: facts\ntitle: Facts\n" + ZH + "---\nFree delivery over €20. See {{ fact: nope }} and "
        "{{fact:unknown_fact}} and {{fact:standard_delivery_fee.min}} and {{fact:standard_delivery_fee.low}}. "
        "Hours: {{fact:support_hours_list}} here.\n" + ZH_MARK + "\n中文。\n"
    ),
    "empty-answer.md": "---\nid: empty-answer\ntitle: Empty answer\n" + ZH + "---\n\n",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def messages(root: Path) -> list[str]:
    handbook = load_handbook(root)
    return [problem.message for problem in (*handbook.problems, *handbook.warnings)]


def test_every_problem_kb_validate_reports_has_its_chinese(tmp_path: Path, catalog: Catalog) -> None:
    for name, text in BROKEN.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "binary.md").write_bytes(b"---\nid: binary\x00\n")
    (tmp_path / "latin1.md").write_bytes("---\nid: caf\xe9\n".encode("latin-1"))
    (tmp_path / "huge.md").write_bytes(b"x" * 1_000_001)
    found = sorted(set(messages(tmp_path)))
    assert len(found) >= 30, found  # the broken files above give this many different problems
    untranslated = [message for message in found if not CJK.search(catalog.translate(message) or "")]
    assert not untranslated, "add to helpdesk/static/console/i18n/zh.json:\n" + "\n".join(untranslated)


def test_the_editors_own_check_speaks_chinese_too(tmp_path: Path, catalog: Catalog) -> None:
    (tmp_path / "taken.md").write_text("---\nid: taken\ntitle: Taken?\n" + ZH + "---\n" + ANSWER, encoding="utf-8")
    editor = HandbookEditor(tmp_path)
    form = EntryForm("new-one", title="Taken?", answer=f"first\n{ZH_MARK}\nsecond", zh_title="标题")
    checked = editor.check(form)
    found = [item["message"] for item in (*checked.problems, *checked.warnings)]
    assert any("may not contain" in message for message in found) and any("also asked" in m for m in found), found
    for message in found:
        alone = catalog.translate(message)  # in the list of problems
        assert alone is not None and CJK.search(alone), message
        assert catalog.translate(f"Line 3: {message}") == f"第 3 行：{alone}"  # as shown at its field
