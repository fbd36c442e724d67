"""Every publish from the handbook editor is a revision: who, when, why, the diff; any one can be viewed and
restored.

Two homes behind one interface (:class:`Revisions`): when the handbook folder is inside a git work tree, a
commit per publish of that one file with the editor as author (:class:`GitRevisions`; the committer is the
helpdesk); otherwise a row per publish in the database, table ``handbook_revisions`` (:class:`DatabaseRevisions`).
:func:`revisions_for` picks the one that fits the folder.
"""

from __future__ import annotations

import asyncio
import difflib
import os
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.db.models import Agent, HandbookRevision, iso
from helpdesk.errors import NotFound, Unavailable

MAX_REVISIONS = 200
GIT_TIMEOUT = 30
HELPDESK_COMMITTER = ("Larkspur helpdesk", "helpdesk@localhost")


@dataclass(frozen=True)
class Publish:
    """One write of an entry's file: its text before and after (None: absent), by whom and why."""

    entry_id: str
    path: str  # relative to the handbook folder
    before: str | None
    after: str | None
    author: Agent
    message: str


@dataclass(frozen=True)
class Revision:
    id: str
    at: str | None
    author: str
    message: str
    text: str | None = None  # the file after this revision (None: deleted, or not read: a history's line)
    diff: str = ""
    deleted: bool = False  # this revision deleted the entry

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at, "author": self.author, "message": self.message, "deleted": self.deleted}


class Revisions(Protocol):
    kind: str

    async def record(self, publish: Publish) -> None: ...

    async def history(self, entry_id: str, path: str | None) -> list[Revision]: ...

    async def revision(self, entry_id: str, path: str | None, revision_id: str) -> Revision: ...


def unified_diff(before: str | None, after: str | None, path: str) -> str:
    lines = difflib.unified_diff(
        (before or "").splitlines(keepends=True),
        (after or "").splitlines(keepends=True),
        fromfile=f"a/{path}" if before is not None else "/dev/null",
        tofile=f"b/{path}" if after is not None else "/dev/null",
    )
    return "".join(lines)


def default_message(publish: Publish) -> str:
    verb = "delete" if publish.after is None else "add" if publish.before is None else "edit"
    return f"handbook: {verb} {publish.entry_id}"


# --------------------------------------------------------------------------- git


class GitRevisions:
    """A commit per publish in the git work tree that holds the handbook folder."""

    kind = "git"

    def __init__(self, root: Path, top: Path) -> None:
        self.root, self.top = root, top
        self._lock = threading.Lock()

    def _git(self, *args: str, check: bool = True) -> str:
        env = {
            **os.environ,
            "GIT_COMMITTER_NAME": HELPDESK_COMMITTER[0],
            "GIT_COMMITTER_EMAIL": HELPDESK_COMMITTER[1],
            "GIT_TERMINAL_PROMPT": "0",
        }
        done = subprocess.run(
            ["git", "-C", str(self.top), *args], capture_output=True, text=True, timeout=GIT_TIMEOUT, env=env
        )
        if check and done.returncode != 0:
            raise Unavailable(f"git {args[0]} failed: {done.stderr.strip()[:300]}")
        return done.stdout

    def _in_top(self, path: str) -> str:
        return (self.root / path).relative_to(self.top).as_posix()

    def _commit(self, publish: Publish) -> None:
        with self._lock:
            where = self._in_top(publish.path)
            self._git("add", "-A", "--", where)
            if not self._git("diff", "--cached", "--name-only", "--", where).strip():
                return  # the same text again: nothing to commit
            author = f"{publish.author.display_name} <{publish.author.username}@helpdesk>"
            message = publish.message or default_message(publish)
            self._git("commit", "--no-verify", "-q", f"--author={author}", "-m", message, "--only", "--", where)

    async def record(self, publish: Publish) -> None:
        await asyncio.to_thread(self._commit, publish)

    def _pathspec(self, entry_id: str, path: str | None) -> str:
        if path is not None:
            return self._in_top(path)
        return f":(glob){self.root.relative_to(self.top).as_posix()}/**/{entry_id}.md"

    def _history(self, entry_id: str, path: str | None) -> list[Revision]:
        # each commit's line (marked with \x1e), then its status for the entry's file: D when it deleted it (every
        # line of the history read "(deleted)" to editors while the text was not read for it)
        out = self._git(
            "log",
            f"-n{MAX_REVISIONS}",
            "--format=%x1e%H%x1f%an%x1f%aI%x1f%s",
            "--name-status",
            "--",
            self._pathspec(entry_id, path),
        )
        revisions = []
        for record in out.split("\x1e")[1:]:
            header, _, statuses = record.partition("\n")
            sha, author, at, subject = (header.split("\x1f") + ["", "", ""])[:4]
            deleted = any(line.startswith("D\t") for line in statuses.splitlines())
            revisions.append(Revision(sha, at, author, subject, deleted=deleted))
        return revisions

    async def history(self, entry_id: str, path: str | None) -> list[Revision]:
        return await asyncio.to_thread(self._history, entry_id, path)

    def _revision(self, entry_id: str, path: str | None, revision_id: str) -> Revision:
        known = {revision.id: revision for revision in self._history(entry_id, path)}
        found = known.get(revision_id)
        if found is None:
            raise NotFound(f"no revision {revision_id[:40]} of '{entry_id}'")
        names = self._git("show", "--name-only", "--format=", revision_id, "--", self._pathspec(entry_id, path))
        where = names.strip().splitlines()[0] if names.strip() else self._pathspec(entry_id, path)
        shown = subprocess.run(
            ["git", "-C", str(self.top), "show", f"{revision_id}:{where}"], capture_output=True, text=True
        )
        text = shown.stdout if shown.returncode == 0 else None
        diff = self._git("show", "--format=", revision_id, "--", where)
        return Revision(found.id, found.at, found.author, found.message, text, diff, deleted=text is None)

    async def revision(self, entry_id: str, path: str | None, revision_id: str) -> Revision:
        return await asyncio.to_thread(self._revision, entry_id, path, revision_id)


# --------------------------------------------------------------------------- database


class DatabaseRevisions:
    """A row per publish in ``handbook_revisions`` (the file's text after it); the first publish of an entry
    that existed before also keeps the text it replaced, so the original can be restored."""

    kind = "database"

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def record(self, publish: Publish) -> None:
        async with self.sessions() as session, session.begin():
            if publish.before is not None:
                earlier = await session.scalar(
                    select(HandbookRevision.id).where(HandbookRevision.entry_id == publish.entry_id).limit(1)
                )
                if earlier is None:
                    session.add(
                        HandbookRevision(
                            entry_id=publish.entry_id,
                            path=publish.path,
                            text=publish.before,
                            author_id=None,
                            author_name="(before the editor)",
                            message="the entry as it was before its first publish from the editor",
                        )
                    )
                    await session.flush()
            session.add(
                HandbookRevision(
                    entry_id=publish.entry_id,
                    path=publish.path,
                    text=publish.after,
                    author_id=publish.author.id,
                    author_name=publish.author.display_name,
                    message=publish.message or default_message(publish),
                )
            )

    async def _rows(self, entry_id: str) -> list[HandbookRevision]:
        async with self.sessions() as session:
            rows = await session.scalars(
                select(HandbookRevision)
                .where(HandbookRevision.entry_id == entry_id)
                .order_by(HandbookRevision.id.desc())
                .limit(MAX_REVISIONS)
            )
            return list(rows)

    async def history(self, entry_id: str, path: str | None) -> list[Revision]:
        return [
            Revision(str(row.id), iso(row.created_at), row.author_name, row.message, row.text, deleted=row.text is None)
            for row in await self._rows(entry_id)
        ]

    async def revision(self, entry_id: str, path: str | None, revision_id: str) -> Revision:
        rows = await self._rows(entry_id)
        for position, row in enumerate(rows):
            if str(row.id) == revision_id:
                before = rows[position + 1].text if position + 1 < len(rows) else None
                diff = unified_diff(before, row.text, row.path)
                return Revision(
                    str(row.id), iso(row.created_at), row.author_name, row.message, row.text, diff, row.text is None
                )
        raise NotFound(f"no revision {revision_id[:40]} of '{entry_id}'")


def git_top(root: Path) -> Path | None:
    """The work tree holding ``root``, when it is in one (and git is installed)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return Path(done.stdout.strip()).resolve() if done.returncode == 0 and done.stdout.strip() else None


def revisions_for(root: Path, sessions: async_sessionmaker[AsyncSession]) -> Revisions:
    """Git when the handbook folder is in a git work tree, else the database."""
    top = git_top(root)
    return GitRevisions(root.resolve(), top) if top is not None else DatabaseRevisions(sessions)
