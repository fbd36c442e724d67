"""Handbook validation: every kind of problem is found, at the right file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpdesk.knowledge.handbook import (
    MAX_FILE_BYTES,
    Entry,
    Problem,
    load_handbook,
    normalize_question,
    parse_file,
)

CLEAN = """---
id: refund-policy
title: What is your refund policy?
questions:
  - Can I get my money back?
tags: [refunds, money]
---
Return unused items within **30 days**.
"""


def write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def only_problem(root: Path) -> Problem:
    handbook = load_handbook(root)
    assert len(handbook.problems) == 1, [str(problem) for problem in handbook.problems]
    return handbook.problems[0]


def assert_problem(problem: Problem, path: Path, line: int, *words: str) -> None:
    text = str(problem)
    assert text.startswith(f"{path}:{line}: "), text
    for word in words:
        assert word in problem.message, text


def test_clean_file_passes(tmp_path: Path) -> None:
    path = write(tmp_path, "money/refund.md", CLEAN)
    handbook = load_handbook(tmp_path)
    assert handbook.problems == []
    entry = handbook.entries["refund-policy"]
    assert entry == Entry(
        id="refund-policy",
        title="What is your refund policy?",
        questions=("Can I get my money back?",),
        tags=("refunds", "money"),
        answer="Return unused items within **30 days**.",
        path=path,
        content_hash=entry.content_hash,
    )
    assert len(entry.content_hash) == 64
    assert entry.all_questions == ("What is your refund policy?", "Can I get my money back?")


def test_parse_file_accepts_a_path_relative_to_root(tmp_path: Path) -> None:
    write(tmp_path, "a/refund.md", CLEAN)
    entry, problems = parse_file(Path("a/refund.md"), tmp_path)
    assert problems == []
    assert entry is not None and entry.path == tmp_path / "a" / "refund.md"


def test_crlf_and_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    write(tmp_path, "refund.md", b"\xef\xbb\xbf" + CLEAN.replace("\n", "\r\n").encode())
    handbook = load_handbook(tmp_path)
    assert handbook.problems == []
    assert handbook.entries["refund-policy"].tags == ("refunds", "money")


def test_yaml_syntax_error_line_is_offset_by_the_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.md", "---\nid: bad-yaml\ntitle: ok\nquestions: [one, two\n---\nBody\n")
    problem = only_problem(tmp_path)
    assert_problem(problem, path, 4, "YAML syntax error", "flow sequence")


def test_yaml_colon_inside_value(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.md", "---\nid: colon\ntitle: Why: because\n---\nBody\n")
    assert_problem(only_problem(tmp_path), path, 3, "YAML syntax error", "mapping values")


def test_missing_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path, "plain.md", "# Refunds\n\nReturn within 30 days.\n")
    assert_problem(only_problem(tmp_path), path, 1, "missing front matter")


def test_unclosed_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path, "open.md", "---\nid: open\ntitle: Open?\nAnswer without closing line\n")
    assert_problem(only_problem(tmp_path), path, 1, "not closed")


def test_empty_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.md", "---\n---\nBody\n")
    assert_problem(only_problem(tmp_path), path, 1, "front matter is empty")


def test_front_matter_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "list.md", "---\n- id\n- title\n---\nBody\n")
    assert_problem(only_problem(tmp_path), path, 2, "must be a mapping", "a list")


def test_missing_id(tmp_path: Path) -> None:
    path = write(tmp_path, "noid.md", "---\ntitle: No id here?\n---\nBody\n")
    assert_problem(only_problem(tmp_path), path, 1, "missing required key 'id'")


def test_missing_title(tmp_path: Path) -> None:
    path = write(tmp_path, "notitle.md", "---\nid: no-title\n---\nBody\n")
    assert_problem(only_problem(tmp_path), path, 1, "missing required key 'title'")


def test_empty_title(tmp_path: Path) -> None:
    path = write(tmp_path, "t.md", "---\nid: empty-title\ntitle: '  '\n---\nBody\n")
    assert_problem(only_problem(tmp_path), path, 3, "'title' is empty")


def test_empty_id_value(tmp_path: Path) -> None:
    path = write(tmp_path, "t.md", "---\nid:\ntitle: Where is my id?\n---\nBody\n")
    assert_problem(only_problem(tmp_path), path, 2, "'id' is empty")


def test_empty_answer(tmp_path: Path) -> None:
    path = write(tmp_path, "t.md", "---\nid: no-answer\ntitle: Anything?\n---\n\n   \n")
    assert_problem(only_problem(tmp_path), path, 4, "answer is empty")


def test_empty_question_item(tmp_path: Path) -> None:
    text = "---\nid: q\ntitle: Title?\nquestions:\n  - fine\n  - ''\n---\nBody\n"
    path = write(tmp_path, "t.md", text)
    assert_problem(only_problem(tmp_path), path, 6, "questions item 2 is empty")


def test_questions_must_be_a_list(tmp_path: Path) -> None:
    path = write(tmp_path, "t.md", "---\nid: q\ntitle: Title?\nquestions: just one\n---\nBody\n")
    assert_problem(only_problem(tmp_path), path, 4, "'questions' must be a list", "got text")


def test_question_that_yaml_reads_as_a_mapping(tmp_path: Path) -> None:
    text = "---\nid: q\ntitle: Title?\nquestions:\n  - fine\n  - Note: can I pay later?\n---\nBody\n"
    path = write(tmp_path, "t.md", text)
    assert_problem(only_problem(tmp_path), path, 6, "questions item 2 must be text", "quote it")


def test_title_of_wrong_type(tmp_path: Path) -> None:
    path = write(tmp_path, "t.md", "---\nid: numeric\ntitle: 2024\n---\nBody\n")
    assert_problem(only_problem(tmp_path), path, 3, "'title' must be text", "a number")


def test_tag_of_wrong_type(tmp_path: Path) -> None:
    path = write(tmp_path, "t.md", "---\nid: tagged\ntitle: Tagged?\ntags:\n  - ok\n  - yes\n---\nBody\n")
    assert_problem(only_problem(tmp_path), path, 6, "tags item 2 must be text", "true/false")


def test_bad_id_characters(tmp_path: Path) -> None:
    path = write(tmp_path, "t.md", "---\ntitle: Refunds?\nid: Refund_Policy\n---\nBody\n")
    assert_problem(only_problem(tmp_path), path, 3, "bad id 'Refund_Policy'")


@pytest.mark.parametrize("bad_id", ["-lead", "trail-", "two--dashes", "spa ce", "ümlaut"])
def test_more_bad_ids(tmp_path: Path, bad_id: str) -> None:
    path = write(tmp_path, "t.md", f"---\nid: '{bad_id}'\ntitle: Bad?\n---\nBody\n")
    assert_problem(only_problem(tmp_path), path, 2, "bad id")


def test_unknown_key(tmp_path: Path) -> None:
    path = write(tmp_path, "t.md", "---\nid: extra\ntitle: Extra?\ntags: [a]\ncategory: misc\n---\nBody\n")
    assert_problem(only_problem(tmp_path), path, 5, "unknown key 'category'", "allowed: id, title")


def test_duplicate_key_in_one_file(tmp_path: Path) -> None:
    path = write(tmp_path, "t.md", "---\nid: twice\ntitle: One?\ntitle: Two?\n---\nBody\n")
    assert_problem(only_problem(tmp_path), path, 4, "duplicate key 'title' (first at line 3)")


def test_duplicate_ids_across_files_report_both_places(tmp_path: Path) -> None:
    first = write(tmp_path, "a/first.md", "---\nid: same\ntitle: First?\n---\nOne\n")
    second = write(tmp_path, "b/second.md", "---\ntitle: Second?\n\nid: same\n---\nTwo\n")
    handbook = load_handbook(tmp_path)
    assert [str(problem) for problem in handbook.problems] == [
        f"{first}:2: duplicate id 'same': also in {second}:4",
        f"{second}:4: duplicate id 'same': also in {first}:2",
    ]
    assert handbook.entries["same"].path == first  # the first in path order keeps the id


def test_same_question_in_two_entries_case_and_punctuation_insensitive(tmp_path: Path) -> None:
    one_text = "---\nid: one\ntitle: Payment options?\nquestions:\n  - Can I pay by card?\n---\nA\n"
    one = write(tmp_path, "one.md", one_text)
    two = write(tmp_path, "two.md", "---\nid: two\ntitle: '  can i PAY by card '\n---\nB\n")
    handbook = load_handbook(tmp_path)
    messages = [str(problem) for problem in handbook.problems]
    assert messages == [
        f"{one}:5: question 'Can I pay by card?' is also asked in 'two' ({two}:3)",
        f"{two}:3: question 'can i PAY by card' is also asked in 'one' ({one}:5)",
    ]
    assert set(handbook.entries) == {"one", "two"}


def test_title_repeated_as_question_in_same_entry(tmp_path: Path) -> None:
    path = write(tmp_path, "t.md", "---\nid: rep\ntitle: Do you ship?\nquestions:\n  - do you ship\n---\nA\n")
    problems = load_handbook(tmp_path).problems
    assert [problem.line for problem in problems] == [3, 5]
    assert all(problem.path == path and "also asked in 'rep'" in problem.message for problem in problems)


def test_non_utf8_file(tmp_path: Path) -> None:
    path = write(tmp_path, "latin1.md", "---\nid: latin\ntitle: Café?\n---\nCrème brûlée\n".encode("latin-1"))
    assert_problem(only_problem(tmp_path), path, 3, "not valid UTF-8", "0xe9")


def test_binary_file_with_nul_byte(tmp_path: Path) -> None:
    path = write(tmp_path, "blob.md", b"---\nid: blob\ntitle: Blob?\n---\nok\n\x00\x01\x02")
    assert_problem(only_problem(tmp_path), path, 6, "binary file", "NUL")


def test_oversized_file_is_rejected_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "huge.md", CLEAN + "x" * MAX_FILE_BYTES)

    def refuse(self: Path) -> bytes:
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    problem = only_problem(tmp_path)
    assert_problem(problem, path, 1, "too large", str(MAX_FILE_BYTES))


def test_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    text = CLEAN.rstrip("\n") + " " + "x" * (MAX_FILE_BYTES - len(CLEAN.encode()) - 1) + "\n"
    write(tmp_path, "big.md", text)
    handbook = load_handbook(tmp_path)
    assert (tmp_path / "big.md").stat().st_size == MAX_FILE_BYTES
    assert handbook.problems == [] and "refund-policy" in handbook.entries


def test_every_problem_of_a_file_is_reported(tmp_path: Path) -> None:
    text = "---\nid: Bad Id\ntitle: ''\nquestions: 3\nowner: me\n---\n"
    path = write(tmp_path, "many.md", text)
    problems = load_handbook(tmp_path).problems
    assert [(problem.path, problem.line) for problem in problems] == [
        (path, 2),
        (path, 3),
        (path, 4),
        (path, 5),
        (path, 6),
    ]


def test_hidden_files_and_other_extensions_are_ignored(tmp_path: Path) -> None:
    write(tmp_path, "refund.md", CLEAN)
    write(tmp_path, ".drafts/broken.md", "not a handbook file")
    write(tmp_path, ".#refund.md", "editor lock file")
    write(tmp_path, "notes.txt", "not markdown")
    handbook = load_handbook(tmp_path)
    assert handbook.problems == [] and list(handbook.entries) == ["refund-policy"]


def test_missing_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_handbook(tmp_path / "nowhere")


def test_problem_string_format() -> None:
    assert str(Problem(Path("faq/a.md"), 7, "bad thing")) == "faq/a.md:7: bad thing"


def test_normalize_question() -> None:
    assert normalize_question("  Can I PAY—by card?! ") == "can i pay by card"
    assert normalize_question("e-mail") == normalize_question("E mail")
