"""The searchable state of the handbook: each entry's rows (raw unit vectors, weights, centroid, row ids) and the
snapshot a search reads, swapped in whole on every change."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpdesk.knowledge.handbook import Entry
from helpdesk.knowledge.vector_index import VectorIndex


@dataclass(frozen=True)
class EntryRows:
    """One entry as indexed: its texts' raw unit vectors and weights, its centroid and its row ids.

    The entry's rows have the ids ``first_id`` … ``first_id + len(texts) − 1`` in the index.
    """

    entry: Entry
    texts: tuple[str, ...]
    questions: int  # the first `questions` texts are the title and questions; the rest passages
    vectors: np.ndarray  # raw unit vectors, one row per text
    weights: np.ndarray  # per-row weight applied inside the index
    centroid: np.ndarray  # the normalised mean of its raw vectors (of its questions only if so set)
    first_id: int

    @property
    def row_ids(self) -> np.ndarray:
        return np.arange(self.first_id, self.first_id + len(self.texts), dtype=np.int64)

    def weighted(self) -> np.ndarray:
        weighted: np.ndarray = self.vectors * self.weights[:, None]
        return weighted


@dataclass(frozen=True)
class Snapshot:
    """A searchable state, swapped in whole: a search never sees half an update.

    The FAISS index is shared with the snapshots before and after an incremental change and is
    updated in place under its own lock. Row ids are not reused within one index, so a search that
    started on the previous snapshot only skips rows it does not know.
    """

    entries: dict[str, EntryRows]
    ids: tuple[str, ...]  # entry ids, sorted
    positions: dict[str, int]  # entry id → its position in ids (and centroids)
    centroids: np.ndarray  # one unit vector per entry, ids order
    row_entry: list[str | None]  # row id → entry id; None for a removed row (an HNSW tombstone)
    index: VectorIndex | None
    generation: int
    rows: int  # live rows

    @property
    def size(self) -> int:
        return self.rows

    @property
    def index_kind(self) -> str:
        return self.index.kind if self.index is not None else "flat"

    @property
    def index_description(self) -> str:
        return self.index.describe() if self.index is not None else "flat (exact)"

    def entry(self, entry_id: str) -> Entry | None:
        rows = self.entries.get(entry_id)
        return rows.entry if rows is not None else None


def entry_centroid(vectors: np.ndarray, questions: int, questions_only: bool) -> np.ndarray:
    """The normalised mean of an entry's raw vectors (of its title and questions only if asked)."""
    end = questions if questions_only else len(vectors)
    mean = vectors[: max(end, 1)].mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return np.asarray(mean / norm if norm > 0 else mean, dtype=np.float32)
