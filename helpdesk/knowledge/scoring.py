"""Scoring: which entries a query vector may match (the index's best rows, the closest centroids) and each
candidate's exact score.

    blend = (1 − w) · best + w · second_best    (of weight · cos(query, text); w = second_hit_weight)
    score = (1 − c) · blend + c · cos(query, centroid)                      (c = centroid_weight)

For a message of several sentences an entry's score is its whole-message score, raised to
``(1 − s)·whole + s·sentence`` when that is higher (s = sentence_weight). Why these terms and weights:
docs/knowledge-engine-experiments.md.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from helpdesk.knowledge.decision import Candidate
from helpdesk.knowledge.handbook import Entry
from helpdesk.knowledge.settings import Settings

if TYPE_CHECKING:  # (the snapshot's FAISS index is not needed to score: Rasa's environment scores without it)
    from helpdesk.knowledge.snapshot import EntryRows, Snapshot


def score_entries(snapshot: Snapshot, vectors: np.ndarray, k: int, settings: Settings) -> dict[str, float]:
    """Candidate entries from the index (by their best vector), then scored exactly.

    ``vectors`` are the whole message first, then its question sentence(s) if any. An entry's
    score is its score for the whole message, raised to ``(1 − s)·whole + s·best sentence`` when
    that is higher (s = sentence_weight): a long message whose question sits in one sentence
    is not drowned by its context, while a single sentence alone never counts fully.
    """
    wanted = max(2 * k, 20)
    pool = set(dense_top(snapshot, vectors, wanted))
    centroid_sims = vectors @ snapshot.centroids.T  # (query vectors × entries)
    if settings.centroid_weight > 0:
        best_centroid = centroid_sims.max(axis=0)
        closest = np.arange(len(best_centroid))
        if len(best_centroid) > wanted:
            closest = np.argpartition(-best_centroid, wanted - 1)[:wanted]
        pool.update(snapshot.ids[position] for position in closest)
    scores = {}
    for entry_id in pool:
        position = snapshot.positions[entry_id]
        entry_scores = entry_score(snapshot.entries[entry_id], vectors, centroid_sims[:, position], settings)
        scores[entry_id] = message_score(entry_scores, settings.sentence_weight)
    return scores


def message_score(vector_scores: np.ndarray, sentence_weight: float) -> float:
    """One message's score from its vectors' scores (the whole message first, then its sentences)."""
    return float(raised_by_sentences(np.asarray(vector_scores), np.zeros(1, dtype=np.int64), sentence_weight)[0])


def raised_by_sentences(per_vector: np.ndarray, starts: np.ndarray, sentence_weight: float) -> np.ndarray:
    """Messages' scores from their vectors' scores (rows: message i's vectors from ``starts[i]``, the whole message
    first, then its sentences; further axes, e.g. one column per entry, are kept): the whole message's score,
    raised to ``(1 − s)·whole + s·best sentence`` when that is higher (s = ``sentence_weight``)."""
    whole = per_vector[starts].astype(np.float64)
    sentences = per_vector.astype(np.float64, copy=True)
    sentences[starts] = -np.inf
    best_sentence = np.maximum.reduceat(sentences, starts, axis=0)
    has_sentence = np.isfinite(best_sentence)
    raised = np.maximum(
        whole, (1 - sentence_weight) * whole + sentence_weight * np.where(has_sentence, best_sentence, 0.0)
    )
    scores: np.ndarray = np.where(has_sentence, raised, whole)
    return scores


def message_scores(rows: EntryRows, vectors: np.ndarray, starts: np.ndarray, settings: Settings) -> np.ndarray:
    """:func:`message_score` of one entry for many messages at once: ``vectors`` are the messages' vectors one
    after another, message i's from ``starts[i]`` (each message has at least one)."""
    if len(starts) == 0:
        return np.zeros(0, dtype=np.float64)
    per_vector = entry_score(rows, vectors, vectors @ rows.centroid, settings)
    return raised_by_sentences(per_vector, starts, settings.sentence_weight)


def entry_score(rows: EntryRows, vectors: np.ndarray, centroid_sims: np.ndarray, settings: Settings) -> np.ndarray:
    """Per query vector: ``(1 − c)·((1 − w)·best + w·second-best) + c·centroid``.

    best and second-best are of the entry's weighted similarities, centroid is the cosine
    with the entry's centroid; w = second_hit_weight, c = centroid_weight.
    """
    hits = (vectors @ rows.vectors.T) * rows.weights
    if hits.shape[1] == 1:
        best = second = hits[:, 0]
    else:
        top_two = np.partition(hits, hits.shape[1] - 2, axis=1)[:, -2:]
        best, second = top_two[:, 1], top_two[:, 0]
    return blended(best, second, centroid_sims, settings)


def blended(best: np.ndarray, second: np.ndarray, centroid_sims: np.ndarray, settings: Settings) -> np.ndarray:
    """``(1 − c)·((1 − w)·best + w·second-best) + c·centroid`` elementwise (w = second_hit_weight, c =
    centroid_weight): the engine's score of an entry from its best and second-best weighted similarities and the
    cosine with its centroid. The routing decision inside Rasa scores the handbook with it too
    (nlu_addons/handbook_index.py)."""
    weight, centroid = settings.second_hit_weight, settings.centroid_weight
    blend = (1 - weight) * best.astype(np.float64) + weight * second.astype(np.float64)
    scores: np.ndarray = (1 - centroid) * blend + centroid * centroid_sims.astype(np.float64)
    return scores


def dense_top(snapshot: Snapshot, vectors: np.ndarray, k: int) -> dict[str, float]:
    """Per-entry max over the index hits of every query vector, widening until ``k`` entries per vector.

    Rows no entry owns (HNSW tombstones, or rows added after this snapshot) are skipped; the
    first fetch is deeper by the share of such rows.
    """
    index = snapshot.index
    if index is None:
        return {}
    total = index.ntotal
    alive = max(snapshot.size / total, 0.05) if total else 1.0
    fetch = min(total, math.ceil(max(64, k * 16) / alive))
    row_entry = snapshot.row_entry
    known = len(row_entry)
    while True:
        scores, rows = index.search(vectors, fetch)
        best: dict[str, float] = {}
        enough = True
        for vector_scores, vector_rows in zip(scores, rows, strict=True):
            found: set[str] = set()
            for score, row in zip(vector_scores.tolist(), vector_rows.tolist(), strict=True):
                if row < 0 or row >= known:
                    continue
                entry_id = row_entry[row]
                if entry_id is None:
                    continue
                found.add(entry_id)
                if score > best.get(entry_id, -math.inf):
                    best[entry_id] = score
            enough = enough and len(found) >= k
        if enough or fetch >= total:
            return best
        fetch = min(total, fetch * 4)


def candidate(entry: Entry, score: float) -> Candidate:
    return Candidate(id=entry.id, title=entry.title, score=round(score, 6), answer=entry.answer, path=entry.path)
