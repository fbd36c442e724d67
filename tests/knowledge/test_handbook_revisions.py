"""Revisions of handbook entries in git (a copy of the handbook in a fresh git work tree): a commit per publish of
that one file with the editor as author, the history of an entry, a revision's text and diff, a deletion."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from helpdesk.config import PROJECT_ROOT
from helpdesk.db.models import Agent
from helpdesk.knowledge.handbook_editing import HandbookEditor
from helpdesk.knowledge.handbook_revisions import DatabaseRevisions, GitRevisions, Publish, revisions_for


def git(top: Path, *args: str) -> str:
    command = ["git", "-C", str(top), "-c", "user.name=Setup", "-c", "user.email=setup@example.com", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture()
def work_tree(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT_ROOT / "knowledge" / "faq", tmp_path / "site" / "faq")
    git(tmp_path / "site", "init", "-q")
    git(tmp_path / "site", "add", "-A")
    git(tmp_path / "site", "commit", "-qm", "the handbook")
    (tmp_path / "site" / "unrelated.txt").write_text("someone's work in progress\n")
    git(tmp_path / "site", "add", "unrelated.txt")  # staged, not the editor's to commit
    return tmp_path / "site" / "faq"


def test_a_commit_per_publish_with_the_editor_as_author(work_tree: Path) -> None:
    editor = HandbookEditor(work_tree)
    revisions = revisions_for(work_tree, None)  # type: ignore[arg-type]  # git needs no database
    assert isinstance(revisions, GitRevisions)
    eda = Agent(id=7, username="eda", display_name="Eda Tester", role="editor")
    opened = editor.get("gift-wrapping")
    stored, before = editor.save(
        dataclasses.replace(opened.form, answer=opened.form.answer + "\n\nNew line."), opened.revision
    )
    asyncio.run(
        revisions.record(Publish("gift-wrapping", stored.path, before, stored.text, eda, "gift wrap: new line"))
    )

    top = work_tree.parent
    log = git(top, "log", "--format=%an <%ae>|%cn|%s", "-n1")
    assert log.strip() == "Eda Tester <eda@helpdesk>|Larkspur helpdesk|gift wrap: new line"
    assert git(top, "show", "--name-only", "--format=", "HEAD").split() == ["faq/products/gift-wrapping.md"]
    assert "unrelated.txt" in git(top, "diff", "--cached", "--name-only")  # still staged, not committed

    history = asyncio.run(revisions.history("gift-wrapping", stored.path))
    assert [r.message for r in history] == ["gift wrap: new line", "the handbook"]
    assert [r.to_json()["deleted"] for r in history] == [False, False]  # every line read "(deleted)" in git
    newest = asyncio.run(revisions.revision("gift-wrapping", stored.path, history[0].id))
    assert newest.text == stored.text and "+New line." in newest.diff
    oldest = asyncio.run(revisions.revision("gift-wrapping", stored.path, history[1].id))
    assert oldest.text == opened.text

    was = editor.delete("gift-wrapping", stored.revision)
    asyncio.run(revisions.record(Publish("gift-wrapping", was.path, was.text, None, eda, "")))
    history = asyncio.run(revisions.history("gift-wrapping", None))  # found by its file name once deleted
    assert history[0].message == "handbook: delete gift-wrapping" and len(history) == 3
    assert [r.deleted for r in history] == [True, False, False]
    assert asyncio.run(revisions.revision("gift-wrapping", None, history[0].id)).text is None


def test_outside_a_work_tree_the_database_keeps_them(tmp_path: Path) -> None:
    shutil.copytree(PROJECT_ROOT / "knowledge" / "faq", tmp_path / "faq")
    assert isinstance(revisions_for(tmp_path / "faq", None), DatabaseRevisions)  # type: ignore[arg-type]
