"""The handbook editor's file side (helpdesk/knowledge/handbook_editing.py) on a copy of the handbook: every
entry opens in the form and is written back byte for byte, checks are kb validate's with lines at their
fields, writes are atomic and only inside the folder, a stale base revision is a conflict with both versions."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

from helpdesk.config import PROJECT_ROOT
from helpdesk.errors import Invalid, NotFound
from helpdesk.knowledge.entry_form import EntryForm, to_markdown
from helpdesk.knowledge.handbook import load_handbook
from helpdesk.knowledge.handbook_editing import EditConflict, HandbookEditor, InvalidEntry


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "faq"
    shutil.copytree(PROJECT_ROOT / "knowledge" / "faq", copy)
    return copy


def test_every_entry_opens_in_the_form_and_is_written_back_unchanged(folder: Path) -> None:
    editor = HandbookEditor(folder)
    rows = editor.listing()
    assert len(rows) == len(load_handbook(folder).entries) > 50
    for row in rows:
        stored = editor.get(row["id"])
        assert to_markdown(stored.form)[0] == stored.text, row["id"]
        assert editor.check(stored.form).problems == []


def test_search_finds_entries_in_both_languages(folder: Path) -> None:
    editor = HandbookEditor(folder)
    english = {row["id"] for row in editor.listing("refund")}
    chinese = {row["id"] for row in editor.listing("退款")}
    assert "refund-policy" in english and "refund-policy" in chinese
    assert {row["id"] for row in editor.listing("express-delivery")} == {"express-delivery"}
    assert editor.listing("no such words anywhere zzz") == []


def test_problems_come_with_their_line_and_field_and_nothing_is_written(folder: Path) -> None:
    editor = HandbookEditor(folder)
    stored = editor.get("express-delivery")
    before = (folder / stored.path).read_bytes()
    bad = dataclasses.replace(stored.form, questions=(*stored.form.questions, "What is your refund policy?"))
    with pytest.raises(InvalidEntry) as refused:
        editor.save(bad, stored.revision)
    problems = refused.value.details["problems"]
    assert len(problems) == 1
    text_lines = refused.value.details["text"].split("\n")
    assert text_lines[problems[0]["line"] - 1] == "  - What is your refund policy?"
    assert problems[0]["field"] == f"questions.{len(bad.questions) - 1}"
    assert "refund-policy" in problems[0]["message"] and str(folder) not in problems[0]["message"]
    assert (folder / stored.path).read_bytes() == before

    unknown_fact = dataclasses.replace(stored.form, answer="Ships in {{fact:warp_speed_days}} days.")
    (problem,) = editor.check(unknown_fact).problems
    assert problem["field"] == "answer" and "warp_speed_days" in problem["message"]
    assert editor.check(unknown_fact).text.split("\n")[problem["line"] - 1] == "Ships in {{fact:warp_speed_days}} days."


def test_a_publish_writes_the_file_and_a_stale_revision_is_a_conflict(folder: Path) -> None:
    editor = HandbookEditor(folder)
    opened = editor.get("express-delivery")
    first = dataclasses.replace(opened.form, answer=opened.form.answer + "\n\nFirst editor's line.")
    saved, before = editor.save(first, opened.revision)
    assert before == opened.text and saved.revision != opened.revision
    assert "First editor's line." in (folder / "delivery" / "express-delivery.md").read_text()
    assert load_handbook(folder).entries["express-delivery"].answer.endswith("First editor's line.")

    second = dataclasses.replace(opened.form, title="How fast is express delivery?")
    with pytest.raises(EditConflict) as conflict:
        editor.save(second, opened.revision)
    assert conflict.value.details["current"]["revision"] == saved.revision
    assert conflict.value.details["current"]["entry"]["answer"].endswith("First editor's line.")
    assert conflict.value.details["yours"]["title"] == "How fast is express delivery?"
    assert "First editor's line." in (folder / "delivery" / "express-delivery.md").read_text()
    assert not [p for p in folder.rglob("*") if p.name.startswith(".edit-")]  # no temporary file left


def test_create_and_delete(folder: Path) -> None:
    editor = HandbookEditor(folder)
    form = EntryForm(
        id="engraving-service", title="Can you engrave a gift?", tags=("orders",), answer="Yes, **€3** per parcel."
    )
    with pytest.raises(EditConflict):
        editor.save(form, "not-the-revision-of-a-file-that-does-not-exist")
    stored, before = editor.save(form, None)
    assert before is None and stored.path == "orders/engraving-service.md"
    assert load_handbook(folder).entries["engraving-service"].answer == "Yes, **€3** per parcel."
    with pytest.raises(EditConflict):  # a second "new" entry with the same id
        editor.save(form, None)
    with pytest.raises(EditConflict):
        editor.delete("engraving-service", "stale")
    editor.delete("engraving-service", stored.revision)
    assert not (folder / "orders" / "engraving-service.md").exists()
    with pytest.raises(NotFound):
        editor.get("engraving-service")


def test_nothing_outside_the_folder_is_written(folder: Path, tmp_path: Path) -> None:
    editor = HandbookEditor(folder)
    for bad_id in ("../etc", "..", "a/b", "UPPER", "", "x" * 101):
        with pytest.raises(NotFound):
            editor.get(bad_id)
        with pytest.raises(NotFound):
            editor.save(EntryForm(id=bad_id, title="t", answer="a"), None)
    outside = tmp_path / "outside.md"
    outside.write_text("---\nid: linked-entry\ntitle: Linked\n---\nOutside the folder.\n")
    (folder / "linked-entry.md").symlink_to(outside)
    with pytest.raises(Invalid):
        editor.save(EntryForm(id="linked-entry", title="Linked", answer="Overwritten?"), None)
    assert outside.read_text().endswith("Outside the folder.\n")
    os.unlink(folder / "linked-entry.md")
    # a symlinked folder leads outside too
    (tmp_path / "elsewhere").mkdir()
    (folder / "orders-link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(Invalid):
        editor.save(EntryForm(id="sneaky", title="Sneaky", tags=("orders-link",), answer="a"), None)
    assert list((tmp_path / "elsewhere").iterdir()) == []
