"""The handbook as one encoder's vectors, scored with the same embedding the intent head reads.

Each entry is indexed with its title and questions (its synonyms: how customers ask it) and its answer in
passages. An entry's score for a message is 0.45 · the best question row + 0.55 · the cosine with the entry's
centroid over all its rows (questions and answer): the design study's scoring (results/nlu_design_study.md:
P@1 0.886 on the team's test queries vs 0.571 for titles only).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nlu_addons.encoders import CachedEncoder
from nlu_addons.language import Language

BEST_WEIGHT, CENTROID_WEIGHT = 0.45, 0.55


@dataclass(frozen=True)
class IndexedEntry:
    """What one entry is indexed as, in one language side."""

    id: str
    questions: tuple[str, ...]  # title first
    passages: tuple[str, ...]  # the answer, in passages


FACT_REFERENCE = re.compile(r"\{\{\s*fact:([a-z0-9_]+)\s*\}\}")


def handbook_entries(root: Path, language: Language, last_good: dict[str, Any] | None = None) -> list[IndexedEntry]:
    """The handbook's entries as one language side indexes them: the English title, questions and answer
    passages (the multilingual encoder matches Chinese questions to them too), and on the Chinese side also
    an entry's Chinese text where the handbook has one.

    The files are parsed as `kb` parses them (helpdesk.knowledge.handbook; the first file of an id serves), but
    fact references are not rendered: rendering reads the shop's settings through helpdesk.orders, which needs
    Python 3.11, and a fact's name ("free delivery threshold") says as much for matching as its value."""
    from helpdesk.knowledge.entry_texts import answer_passages
    from helpdesk.knowledge.handbook import find_files, parse_path

    def plain(answer: str) -> str:
        return FACT_REFERENCE.sub(lambda m: m.group(1).replace("_", " "), answer)

    entries: dict[str, Any] = {}
    for path in find_files(root):
        entry = parse_path(path).entry
        if last_good is not None:
            # a file broken by an edit keeps serving its last good version, as the action server's handbook does
            entry = last_good[str(path)] = entry or last_good.get(str(path))
        if entry is not None and entry.id not in entries:
            entries[entry.id] = entry
    out = []
    for entry in sorted(entries.values(), key=lambda e: e.id):
        questions = list(entry.all_questions)
        passages = answer_passages(plain(entry.answer), 400, 6)
        if language == "zh":
            zh = getattr(entry, "zh", None)
            if zh is not None:
                questions = [*getattr(zh, "all_questions", ()), *questions]
                passages = [*answer_passages(plain(getattr(zh, "answer", "")), 200, 6), *passages]
        out.append(IndexedEntry(entry.id, tuple(questions), tuple(passages)))
    return out


def normal(text: str) -> str:
    return " ".join(text.lower().split())


class HandbookIndex:
    def __init__(self, entries: Sequence[IndexedEntry], encoder: CachedEncoder) -> None:
        self.ids = [e.id for e in entries]
        texts: list[str] = []
        is_question: list[bool] = []
        starts: list[int] = []
        owner: list[int] = []
        for number, entry in enumerate(entries):
            starts.append(len(texts))
            questions = list(dict.fromkeys(entry.questions))
            texts += questions + list(entry.passages)
            is_question += [True] * len(questions) + [False] * len(entry.passages)
            owner += [number] * (len(questions) + len(entry.passages))
        self.texts = texts
        self._starts = np.array(starts, dtype=np.int64)
        self._question = np.array(is_question, dtype=bool)
        self.vectors = encoder.encode(texts) if texts else np.zeros((0, encoder.dim), dtype=np.float32)
        sums = np.zeros((len(self.ids), encoder.dim), dtype=np.float32)
        np.add.at(sums, np.array(owner, dtype=np.int64), self.vectors)
        self.centroids = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
        self._rows_of: dict[str, list[int]] = {}
        for row, text in enumerate(texts):
            self._rows_of.setdefault(normal(text), []).append(row)

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, queries: np.ndarray, leave_out: Sequence[str] | None = None) -> np.ndarray:
        """(n_queries, n_entries) scores. ``leave_out[i]``: index rows equal to query i's text are ignored
        (scoring a handbook question against the handbook without finding itself)."""
        if not self.ids:
            return np.zeros((len(queries), 0), dtype=np.float32)
        sims = queries @ self.vectors.T
        sims[:, ~self._question] = -np.inf
        if leave_out is not None:
            for i, text in enumerate(leave_out):
                sims[i, self._rows_of.get(normal(text), [])] = -np.inf
        best = np.maximum.reduceat(sims, self._starts, axis=1)
        best = np.where(np.isfinite(best), best, -1.0)
        return np.asarray(BEST_WEIGHT * best + CENTROID_WEIGHT * (queries @ self.centroids.T), dtype=np.float32)
