"""The files of questions the knowledge engine is measured on (eval/handbook/*.jsonl): one JSON object a line,
``{"query": ..., "faq_id": ...}`` for an in-scope question (the entry that answers it), ``{"query": ...}`` for an
out-of-scope one.

Read by ``kb eval`` and the benchmarks (helpdesk/knowledge/evaluate.py) and by the helpdesk's publish gate, which
lists the held-out questions (helpdesk/knowledge/held_out.py): this module needs neither numpy nor the engine, so
the helpdesk process loads neither (the engine lives in the action server; tests/test_process_memory.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


class JsonlError(ValueError):
    """A bad line in a queries file."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True)
class LabeledQuery:
    text: str
    faq_id: str | None  # None for out-of-scope queries
    source: str = ""  # file:line it came from


def _parse_line(path: Path, number: int, line: str, labeled: bool) -> LabeledQuery:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise JsonlError(path, number, f"invalid JSON: {error.msg} (column {error.colno})") from error
    if not isinstance(data, dict):
        raise JsonlError(path, number, "each line must be a JSON object")
    text = data.get("query")
    if not isinstance(text, str) or not text.strip():
        raise JsonlError(path, number, "'query' must be a non-empty string")
    if not labeled:
        return LabeledQuery(text.strip(), None, f"{path}:{number}")
    faq_id = data.get("faq_id")
    if not isinstance(faq_id, str) or not faq_id.strip():
        raise JsonlError(path, number, "'faq_id' must be a non-empty string")
    return LabeledQuery(text.strip(), faq_id.strip(), f"{path}:{number}")


def load_queries(path: Path, labeled: bool = True) -> list[LabeledQuery]:
    """Read a JSONL file of queries; blank lines are skipped, anything else bad raises JsonlError."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise JsonlError(path, 0, f"cannot read: {error.strerror or error}") from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JsonlError(path, raw.count(b"\n", 0, error.start) + 1, "not valid UTF-8") from error
    queries = [
        _parse_line(path, number, line, labeled)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]
    if not queries:
        raise JsonlError(path, 1, "no queries in file")
    return queries
