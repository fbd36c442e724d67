"""The handbook folder as the engine last saw it: one parse per file, read again only when its size or mtime
changed, and the last good version of every entry (it keeps serving while its file is broken)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from helpdesk.knowledge.facts import facts_stamp
from helpdesk.knowledge.handbook import Entry, Handbook, ParsedFile, parse_path

logger = logging.getLogger(__name__)


class HandbookFiles:
    """The files under ``root`` at the last :meth:`scan`; not thread-safe (the engine scans under its sync lock)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.parsed: dict[str, ParsedFile] = {}  # file path → its last parse
        self.stats: dict[str, tuple[int, int]] = {}  # file path → (mtime_ns, size) when last read
        self.last_good: dict[Path, Entry] = {}
        self.facts: tuple[object, ...] | None = None  # the shop facts' files when last read (answers cite them)

    def scan(self, full: bool) -> bool:
        """Stat every file; read again only those whose size or mtime changed. True if any file changed, or a file
        of the shop's facts (then every answer is rendered again).

        A tick with nothing changed costs one ``stat`` per file (no reading, no parsing).
        """
        stats = stat_files(self.root)
        facts, facts_changed = facts_stamp(), False
        if facts != self.facts:
            self.facts, facts_changed = facts, self.facts is not None
        if not full and stats == self.stats and not facts_changed:
            return False
        current: dict[str, ParsedFile] = {}
        changed = full or facts_changed
        for name, stat_key in stats.items():
            previous = self.parsed.get(name)
            if not full and previous is not None and self.stats.get(name) == stat_key:
                current[name] = previous
                continue
            parsed = parse_path(Path(name))
            if previous is not None and previous.content_hash == parsed.content_hash:
                parsed = previous  # touched but not changed
            else:
                changed = True
                if parsed.entry is None and not full:
                    self._log_broken(parsed)
            current[name] = parsed
        changed = changed or len(current) != len(self.parsed)
        self.parsed, self.stats = current, stats
        return changed

    def serving_entries(self, handbook: Handbook) -> dict[str, Entry]:
        """The handbook's entries, plus the last good version of each entry whose file is broken now."""
        serving = dict(handbook.entries)
        last_good = {entry.path: entry for entry in serving.values()}
        for path in sorted(handbook.broken_paths()):
            fallback = self.last_good.get(path)
            if fallback is not None and fallback.id not in serving:
                serving[fallback.id] = fallback
                last_good[path] = fallback
        self.last_good = last_good
        return serving

    def _log_broken(self, parsed: ParsedFile) -> None:
        fallback = self.last_good.get(parsed.path)
        keeps = f"; last good version of '{fallback.id}' keeps serving" if fallback else ""
        for problem in parsed.problems:
            logger.warning("%s%s", problem, keeps)


def stat_files(root: Path) -> dict[str, tuple[int, int]]:
    """Every handbook file under ``root`` (as :func:`find_files` lists them) → its (mtime_ns, size).

    ``*.md`` files at any depth, skipping names that start with a dot and not entering symlinked
    folders; one ``stat`` per file.
    """
    found: dict[str, tuple[int, int]] = {}
    folders = [str(root)]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            folders.append(entry.path)
                        elif entry.name.endswith(".md") and entry.is_file():
                            status = entry.stat()
                            found[entry.path] = (status.st_mtime_ns, status.st_size)
                    except OSError:
                        continue  # deleted while listing
        except OSError:
            continue
    return found
