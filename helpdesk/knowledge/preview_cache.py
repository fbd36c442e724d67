"""The impact preview's memory: each question's ranking on the live handbook version, kept between previews.

Ranking 10,000 customer questions means embedding them and searching the index for each (minutes on a busy
2-core machine); an editor previews many edits of one entry in a row, and the questions of the last 30 days
change little between two previews. So the rankings are kept per handbook version (the engine's snapshot
``generation``): a preview with the same version only embeds and ranks questions it has not seen, and the
edit itself is scored against its one entry (helpdesk/knowledge/impact.py).

When the handbook changes (a publish, or a file edited in git) the rankings are carried over instead of thrown
away, as long as few entries changed: each entry whose texts changed, was added or removed leaves every ranking,
and the changed and added ones come back with their exact score against the question's kept vectors. A
question whose spell-checked texts are different on the new version (the handbook's words feed the speller),
or whose ranking grew too short after removals, is ranked again from scratch on the next preview. More than
``MAX_CARRIED`` changed entries (a bulk import, a rebuild with new settings) start the memory afresh.

The memory outlives the process (helpdesk/knowledge/preview_store.py): every question vector is stored by encoder
and text hash (a text is embedded once, whatever the version), and the rankings with the version they were made
on, written by the memory's own low-priority thread after the preview has answered. A restarted action server
reads them back and carries them over to the version it serves, as after a publish, so its first preview ranks
nothing it had ranked before the restart.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import logging
import os
import sqlite3
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from helpdesk.knowledge.engine import KnowledgeBase
from helpdesk.knowledge.language_search import chinese_side
from helpdesk.knowledge.preview_store import PreviewStore, StoredRanking
from helpdesk.knowledge.scoring import message_scores
from helpdesk.knowledge.snapshot import EntryRows, Snapshot
from nlu_addons.language import language_of

logger = logging.getLogger(__name__)
T = TypeVar("T")

DEPTH = 12  # entries kept per question: deeper than the 10 the preview ranks, so removals rarely run it short
MIN_DEPTH = 4  # a carried ranking shorter than this (and than the handbook) is ranked again
MAX_QUESTIONS = 30_000  # questions remembered (the preview asks for at most 10,000 plus the held-out sets)
MAX_CARRIED = 50  # entries changed between two versions that are carried over; more: start afresh


@dataclass
class Ranking:
    """One question on one handbook version: what was embedded for it, the vectors, the best entries."""

    texts: tuple[str, ...]
    vectors: np.ndarray  # one row per text (the whole message, then its question sentence)
    ids: list[str]
    scores: list[float]  # best first (ties by id), as the engine ranks


@dataclass
class CacheCounts:
    """What the memory did, for benchmarks and tests: questions ranked from scratch, found, carried over; question
    texts embedded and texts whose stored vector was used instead; rankings read back from the store."""

    ranked: int = 0
    embedded: int = 0
    vectors_reused: int = 0
    restored: int = 0
    found: int = 0
    carried: int = 0
    dropped: int = 0
    versions: int = 0
    restarts: int = 0
    seen: list[int] = field(default_factory=list)  # generations this memory served


def _signature(rows: EntryRows) -> str:
    """What an entry's scores depend on: its texts (their vectors follow), how many are questions, the weights."""
    digest = hashlib.sha256()
    for text in rows.texts:
        digest.update(text.encode("utf-8") + b"\0")
    digest.update(str(rows.questions).encode() + b"\0" + rows.weights.tobytes())
    return digest.hexdigest()


class RankingCache:
    """The rankings of one knowledge base's questions, per handbook version; thread-safe."""

    def __init__(self, kb: KnowledgeBase, store: PreviewStore | None = None) -> None:
        self.kb = kb
        self.counts = CacheCounts()
        self.store = store if store is not None else PreviewStore.for_engine(kb.index_dir, kb.embedder, kb.settings)
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._signatures: dict[str, str] = {}
        self._rows: dict[str, Ranking] = {}
        self._restored = False
        self._writer = ThreadPoolExecutor(1, "preview-store", initializer=_low_priority)

    @property
    def size(self) -> int:
        """Questions kept now."""
        return len(self._rows)

    def rankings(self, questions: list[str]) -> tuple[Snapshot, list[Ranking]]:
        """Each question's ranking on the handbook as it is served now (and that version)."""
        with self._lock:
            snapshot = self.kb.snapshot()
            if not self._restored:
                self._restore()
            if snapshot.generation != self._generation:
                self._advance(snapshot)
            missing = [q for q in dict.fromkeys(questions) if q not in self._rows]
            self.counts.found += len(questions) - len(missing)
            if len(self._rows) + len(missing) > MAX_QUESTIONS:
                wanted = set(questions)
                forgotten = [q for q in self._rows if q not in wanted]
                self._rows = {q: r for q, r in self._rows.items() if q in wanted}
                self._write(lambda: self.store.forget_rankings(forgotten))
            if missing:
                groups = self.kb.query_texts(snapshot, missing)
                fresh: dict[str, Ranking] = {}
                for question, texts, vectors in zip(missing, groups, self._vectors(groups), strict=True):
                    fresh[question] = self._ranked(snapshot, tuple(texts), vectors)
                self._rows.update(fresh)
                self.counts.ranked += len(missing)
                stored = _stored_rankings(fresh)
                self._write(lambda: self.store.add_rankings(stored))
            return snapshot, [self._rows[q] for q in questions]

    def _vectors(self, groups: list[list[str]]) -> list[np.ndarray]:
        """The vectors of each group of question texts: stored ones read back, only the others embedded (and
        stored)."""
        flat = list(dict.fromkeys(text for group in groups for text in group))
        known = self._stored(lambda: self.store.vectors(flat)) or {}
        missing = [text for text in flat if text not in known]
        if missing:
            vectors = self.kb.embedder.encode(missing)
            known.update(zip(missing, vectors, strict=True))
            self._write(lambda: self.store.add_vectors(missing, vectors))
        self.counts.embedded += len(missing)
        self.counts.vectors_reused += len(flat) - len(missing)
        return [np.stack([known[text] for text in group]).astype(np.float32, copy=False) for group in groups]

    def _restore(self) -> None:
        """Start from the rankings stored by an earlier process (and the version they were made on)."""
        self._restored = True
        found = self._stored(self.store.load_rankings)
        if not found or not found[1]:
            return
        signatures, stored = found
        vectors = self._stored(lambda: self.store.vectors(t for r in stored.values() for t in r.texts)) or {}
        rows = {
            question: Ranking(r.texts, np.stack([vectors[t] for t in r.texts]), list(r.ids), list(r.scores))
            for question, r in stored.items()
            if r.texts and all(t in vectors for t in r.texts)
        }
        self._signatures, self._rows, self._generation = signatures, rows, None
        self.counts.restored += len(rows)

    def _write(self, action: Callable[[], object]) -> None:
        """``action`` on the store in the memory's writer thread (one, at nice 15, in order): a preview never waits
        for the store to be written (seconds for 10,000 rankings on a busy machine)."""
        self._writer.submit(self._stored, action)

    def flush(self) -> None:
        """Wait until everything handed to the writer is in the store."""
        self._writer.submit(lambda: None).result()

    def _stored(self, action: Callable[[], T]) -> T | None:
        """``action`` on the store; a store that fails is logged and the preview goes on from memory."""
        try:
            return action()
        except (sqlite3.Error, OSError) as error:
            logger.warning("the impact preview's store %s failed: %s", self.store.path, error)
            return None

    def _ranked(self, snapshot: Snapshot, texts: tuple[str, ...], vectors: np.ndarray) -> Ranking:
        ranked = self.kb.rank_vectors(snapshot, vectors, DEPTH)
        return Ranking(texts, vectors, [entry_id for entry_id, _ in ranked], [score for _, score in ranked])

    def _advance(self, snapshot: Snapshot) -> None:
        """Carry the rankings over to ``snapshot`` (or start afresh when too much changed)."""
        signatures = {entry_id: _signature(rows) for entry_id, rows in snapshot.entries.items()}
        old = self._signatures
        changed = [entry_id for entry_id, signature in signatures.items() if old.get(entry_id) != signature]
        removed = [entry_id for entry_id in old if entry_id not in signatures]
        self._generation, self._signatures = snapshot.generation, signatures
        self.counts.versions += 1
        self.counts.seen.append(snapshot.generation)
        if not self._rows or len(changed) + len(removed) > MAX_CARRIED:
            self.counts.restarts += 1 if self._rows else 0
            self._rows = {}
            self._write(lambda: self.store.save_version(signatures, {}))
            return
        questions = list(self._rows)
        now = self.kb.query_texts(snapshot, questions)
        kept = {
            q: self._rows[q] for q, texts in zip(questions, now, strict=True) if tuple(texts) == self._rows[q].texts
        }
        self.counts.dropped += len(questions) - len(kept)
        gone = set(changed) | set(removed)
        for ranking in kept.values():
            pairs = [(i, s) for i, s in zip(ranking.ids, ranking.scores, strict=True) if i not in gone]
            ranking.ids, ranking.scores = [i for i, _ in pairs], [s for _, s in pairs]
        if changed and kept:
            rows = list(kept.values())
            vectors = np.concatenate([r.vectors for r in rows]).astype(np.float32, copy=False)
            starts = np.cumsum([0, *(len(r.vectors) for r in rows[:-1])])
            for entry_id in changed:
                scores = message_scores(snapshot.entries[entry_id], vectors, starts, self.kb.settings)
                for ranking, score in zip(rows, scores.tolist(), strict=True):
                    _insert(ranking, entry_id, score)
        floor = min(MIN_DEPTH, len(snapshot.entries))
        for question, ranking in kept.items():
            if len(ranking.ids) < floor:
                kept[question] = self._ranked(snapshot, ranking.texts, ranking.vectors)
        self.counts.carried += len(kept)
        self._rows = kept
        if changed or removed or len(kept) < len(questions):
            stored = _stored_rankings(kept)
            self._write(lambda: self.store.save_version(signatures, stored))


def _low_priority() -> None:
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 15)


def _stored_rankings(rows: dict[str, Ranking]) -> dict[str, StoredRanking]:
    return {question: StoredRanking(r.texts, list(r.ids), list(r.scores)) for question, r in rows.items()}


def _insert(ranking: Ranking, entry_id: str, score: float) -> None:
    """Put ``entry_id`` at its place in a ranking (best first, ties by id), keeping at most DEPTH entries."""
    keys = [(-s, i) for i, s in zip(ranking.ids, ranking.scores, strict=True)]
    at = bisect.bisect_left(keys, (-score, entry_id))
    if at >= DEPTH:
        return
    ranking.ids.insert(at, entry_id)
    ranking.scores.insert(at, score)
    del ranking.ids[DEPTH:], ranking.scores[DEPTH:]


_CACHES: weakref.WeakKeyDictionary[KnowledgeBase, RankingCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def cache_for(kb: KnowledgeBase) -> RankingCache:
    """The one memory of ``kb``'s rankings in this process."""
    with _CACHES_LOCK:
        cache = _CACHES.get(kb)
        if cache is None:
            cache = _CACHES[kb] = RankingCache(kb)
        return cache


def rank_ahead(kb: KnowledgeBase, questions: list[str]) -> dict[str, int]:
    """Rank (and embed, when new) ``questions`` now so a later preview finds them: what was done. English questions
    are ranked here; Chinese ones, which the preview decides on the handbook's Chinese side
    (helpdesk/knowledge/impact_chinese.py), are embedded there and kept in its memory."""
    english = [q for q in questions if language_of(q) != "zh"]
    chinese = [q for q in questions if language_of(q) == "zh"]
    cache = cache_for(kb)
    ranked, embedded = cache.counts.ranked, cache.counts.embedded
    cache.rankings(english)
    _, chinese_embedded = chinese_side(kb).question_vectors(kb, chinese) if chinese else (None, 0)
    return {
        "questions": len(questions),
        "ranked_now": cache.counts.ranked - ranked,
        "embedded_now": cache.counts.embedded - embedded,
        "chinese_embedded_now": chinese_embedded,
        "kept": cache.size,
    }
