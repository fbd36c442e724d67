"""Editing the handbook's files from the browser: list, read, check, write and delete one entry.

The files stay the source of truth: a publish writes the entry's Markdown file under the handbook folder
atomically (a hidden temporary file in the same folder, then ``os.replace``), so the live reload of the FAQ
engine serves it and ``git diff`` shows it. Nothing outside the folder is ever written: ids must match the
handbook's id pattern, and every path is resolved and checked to lie inside the folder (no symlinked file).

Checks are ``kb validate``'s own (:func:`assemble_handbook` over the folder with the edited file in place of
the one on disk), reported with the line of each problem in the file the form is written as.

A revision is the SHA-256 of the file's bytes. A write names the revision it was based on; when the file has
changed since (another editor published), :class:`EditConflict` (409) carries both versions and nothing is
written. Check and write happen under an exclusive lock on ``.handbook.lock`` in the folder, so two processes
(scale-out) cannot both pass the check.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpdesk.errors import Conflict, Invalid, NotFound, Unprocessable
from helpdesk.knowledge.entry_form import EntryForm, from_markdown, to_markdown, valid_id
from helpdesk.knowledge.fact_refs import apply_facts
from helpdesk.knowledge.facts import facts_stamp
from helpdesk.knowledge.handbook import (
    ZH_MARK,
    Entry,
    Handbook,
    ParsedFile,
    Problem,
    assemble_handbook,
    parse_source,
)
from helpdesk.knowledge.handbook_files import HandbookFiles

LOCK_NAME = ".handbook.lock"


class InvalidEntry(Unprocessable):
    """The edit does not pass the handbook's checks (422 with ``problems: [{line, field, message}]``)."""


class EditConflict(Conflict):
    """The entry changed since the editor opened it (409 with ``current`` and ``yours``)."""


@dataclass(frozen=True)
class Checked:
    """An edit checked as ``kb validate`` would: its file text, problems, warnings, and the answers as served."""

    text: str
    problems: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    rendered: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "problems": self.problems, "warnings": self.warnings, "rendered": self.rendered}


@dataclass(frozen=True)
class StoredEntry:
    """An entry as its file is now: the form, the file's text and revision, its place under the folder."""

    form: EntryForm
    text: str
    revision: str
    path: str  # relative to the handbook folder

    def to_json(self) -> dict[str, Any]:
        return {"entry": self.form.to_json(), "text": self.text, "revision": self.revision, "path": self.path}


def revision_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class HandbookEditor:
    """The handbook folder ``root`` as the editors see it; thread-safe (the web app calls it from threads)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._files = HandbookFiles(self.root)
        self._scan_lock = threading.Lock()
        self._checked: tuple[object, list[ParsedFile]] | None = None  # (stamp, files through the fact checks)
        self._forms: dict[tuple[Path, str], EntryForm] = {}

    def _fact_checked(self) -> list[ParsedFile]:
        """Every file parsed and checked against the shop's facts; done again only when a file or a fact changed."""
        with self._scan_lock:
            self._files.scan(full=False)
            stamp = (tuple(sorted(self._files.stats.items())), facts_stamp())
            if self._checked is None or self._checked[0] != stamp:
                self._checked = (stamp, apply_facts(list(self._files.parsed.values()))[0])
            return self._checked[1]

    # ---- reading -------------------------------------------------------------------------------------------

    def handbook(self) -> Handbook:
        """The folder as ``kb validate`` sees it now (files parsed again only when they changed)."""
        return assemble_handbook(self.root, [], self._fact_checked())

    def listing(self, query: str = "") -> list[dict[str, Any]]:
        """Every entry (broken files too, by their id) matching ``query`` in id, titles, questions or tags of
        either language: title matches first, then by title."""
        handbook = self.handbook()
        broken: dict[Path, int] = {}
        for problem in handbook.problems:
            broken[problem.path] = broken.get(problem.path, 0) + 1
        needle = query.casefold().strip()
        ranked: list[tuple[int, str, dict[str, Any]]] = []
        for parsed in handbook.files:
            entry_id = parsed.entry_id
            if entry_id is None:
                continue
            form = self._form_of(parsed, entry_id)
            rank = _rank(form, needle)
            if rank is None:
                continue
            serving = handbook.entries.get(entry_id)
            row = {
                "id": entry_id,
                "title": form.title,
                "zh_title": form.zh_title,
                "tags": list(form.tags),
                "questions": len(form.questions) + len(form.zh_questions),
                "path": self.relative(parsed.path),
                "problems": broken.get(parsed.path, 0),
                "serving": serving is not None and serving.path == parsed.path,
                "chinese": bool(form.zh_title and form.zh_answer),
            }
            ranked.append((rank, (form.title or entry_id).casefold(), row))
        ranked.sort(key=lambda item: (item[0], item[1], item[2]["id"]))
        return [row for _, _, row in ranked]

    def get(self, entry_id: str) -> StoredEntry:
        path = self._existing_path(entry_id)
        if path is None:
            raise NotFound(f"no handbook entry '{entry_id}'")
        raw = path.read_bytes()
        text = raw.decode("utf-8", errors="replace")
        return StoredEntry(from_markdown(entry_id, text), text, revision_of(raw), self.relative(path))

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    # ---- checking --------------------------------------------------------------------------------------------

    def check(self, form: EntryForm) -> Checked:
        """The form written as a file and checked with the rest of the handbook, as ``kb validate`` would."""
        path = self._existing_path(form.id) or self._new_path(form)
        text, fields = to_markdown(form)
        mine = parse_source(path, text)
        others = [parsed for parsed in self._fact_checked() if parsed.path != path]
        handbook = assemble_handbook(self.root, [mine], others)
        problems = [self._problem(p, fields) for p in handbook.problems if p.path == path]
        lines = text.split("\n")
        for line, field in fields.items():  # in the English answer the mark would start the Chinese one
            if field == "answer" and lines[line - 1].strip() == ZH_MARK:
                message = f"the English answer may not contain a '{ZH_MARK}' line (it starts the Chinese answer)"
                problems.append({"line": line, "field": field, "message": message})
        warnings = [self._problem(w, fields) for w in handbook.warnings if w.path == path]
        served = next((parsed.entry for parsed in handbook.files if parsed.path == path), None)
        return Checked(text, problems, warnings, _rendered(served, form))

    def _problem(self, problem: Problem, fields: dict[int, str]) -> dict[str, Any]:
        message = problem.message.replace(f"{self.root}/", "")  # other files by their place in the folder
        return {"line": problem.line, "field": fields.get(problem.line, "id"), "message": message}

    # ---- writing ---------------------------------------------------------------------------------------------

    def save(self, form: EntryForm, base_revision: str | None) -> tuple[StoredEntry, str | None]:
        """Write the entry if it passes the checks and nobody changed it since ``base_revision`` (None: a new
        entry). Returns the entry as stored and the file's text before (None: it was created)."""
        with self._locked():
            current = self.check_base(form.id, base_revision, form)
            checked = self.check(form)
            if checked.problems:
                raise InvalidEntry(
                    f"the entry has {len(checked.problems)} problem(s): nothing was published",
                    problems=checked.problems,
                    warnings=checked.warnings,
                    text=checked.text,
                )
            before = self.get(form.id).text if current is not None else None
            path = current or self._new_path(form)
            write_atomically(self.root, path, checked.text.encode("utf-8"))
            return self.get(form.id), before

    def delete(self, entry_id: str, base_revision: str | None) -> StoredEntry:
        """Remove the entry's file (when nobody changed it since ``base_revision``); returns what it was."""
        with self._locked():
            path = self.check_base(entry_id, base_revision, None, deleting=True)
            assert path is not None
            was = self.get(entry_id)
            self._inside(path).unlink()
            return was

    def check_base(
        self, entry_id: str, base_revision: str | None, yours: EntryForm | None = None, deleting: bool = False
    ) -> Path | None:
        """The entry's file now (None: a new entry) when an edit based on ``base_revision`` (None: creating it)
        may be written; else EditConflict (409: someone else changed, created or deleted it) or NotFound."""
        current = self._existing_path(entry_id)
        mine = yours.to_json() if yours is not None else None
        if current is None:
            if deleting:
                raise NotFound(f"no handbook entry '{entry_id}'")
            if base_revision is not None:
                raise EditConflict(
                    f"'{entry_id}' was deleted by someone else since you opened it", current=None, yours=mine
                )
            return None
        if base_revision is None and not deleting:
            raise EditConflict(
                f"an entry '{entry_id}' already exists: open it to change it, or choose another id",
                current=self.get(entry_id).to_json(),
                yours=mine,
            )
        self._check_base(entry_id, base_revision, yours)
        return current

    def _check_base(self, entry_id: str, base_revision: str | None, yours: EntryForm | None) -> None:
        current = self.get(entry_id)
        if base_revision != current.revision:
            raise EditConflict(
                f"'{entry_id}' was changed by someone else since you opened it: compare both versions",
                current=current.to_json(),
                yours=yours.to_json() if yours else None,
            )

    @contextmanager
    def _locked(self) -> Iterator[None]:
        lock = self._inside(self.root / LOCK_NAME)
        with open(lock, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # ---- paths -----------------------------------------------------------------------------------------------

    def _existing_path(self, entry_id: str) -> Path | None:
        """The file that claims ``entry_id`` (the first in path order, the one that serves), or None."""
        if not valid_id(entry_id):
            raise NotFound(f"'{entry_id[:100]}' is not a handbook entry id (lower-case letters, digits, dashes)")
        with self._scan_lock:
            self._files.scan(full=False)
            claims = sorted(Path(name) for name, parsed in self._files.parsed.items() if parsed.entry_id == entry_id)
        return self._inside(claims[0]) if claims else None

    def _new_path(self, form: EntryForm) -> Path:
        """A new entry's file: ``<id>.md`` in the folder named like its first tag when there is one, else at the
        top of the handbook."""
        folder = self.root
        if form.tags and valid_id(form.tags[0]) and (self.root / form.tags[0]).is_dir():
            folder = self.root / form.tags[0]
        return self._inside(folder / f"{form.id}.md")

    def _inside(self, path: Path) -> Path:
        """``path`` when it lies inside the handbook folder and is no symlink; else Invalid."""
        return inside(self.root, path)

    def _form_of(self, parsed: ParsedFile, entry_id: str) -> EntryForm:
        key = (parsed.path, parsed.content_hash)
        form = self._forms.get(key)
        if form is None:
            try:
                form = from_markdown(entry_id, parsed.path.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                return EntryForm(id=entry_id)
            if len(self._forms) > 50_000:
                self._forms.clear()
            self._forms[key] = form
        return form


def inside(root: Path, path: Path) -> Path:
    """``path`` when it resolves inside ``root`` (itself resolved) and is not a symlink; else Invalid."""
    resolved = path.parent.resolve() / path.name
    if path.is_symlink() or not resolved.is_relative_to(root) or resolved == root:
        raise Invalid("only files inside the handbook folder can be written")
    return resolved


def write_atomically(root: Path, path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (inside ``root``) so a reader sees the old file or the new one, never half:
    a hidden temporary file in the same folder (the watcher skips dot files), flushed, then renamed over it."""
    target = inside(root, path)
    target.parent.mkdir(parents=True, exist_ok=True)
    inside(root, target.parent / "x")  # the folder itself is inside too
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".edit-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _rank(form: EntryForm, needle: str) -> int | None:
    """0 when ``needle`` is in a title or the id, 1 in a question or tag, None nowhere (everything matches '')."""
    if not needle:
        return 0
    if any(needle in text.casefold() for text in (form.id, form.title, form.zh_title)):
        return 0
    if any(needle in text.casefold() for text in (*form.questions, *form.zh_questions, *form.tags)):
        return 1
    return None


def _rendered(served: Entry | None, form: EntryForm) -> dict[str, str]:
    """The answers as the bot would send them (shop facts filled in); the raw Markdown when the file has
    problems of its own."""
    if served is None:
        return {"en": form.answer, "zh": form.zh_answer}
    return {"en": served.answer, "zh": served.zh.answer if served.zh else form.zh_answer}
