"""The FAISS index behind the knowledge engine: exact, HNSW or IVF by size, updated in place.

Every row (one embedded text of one entry) has a stable int64 id that is never reused until the
index is rebuilt, so an edit touches only the rows of the entry that changed:

    kind  from (settings)              FAISS index                                   search-time knob
    flat  0                            IndexIDMap(IndexFlatIP): exact                -
    hnsw  approx_index_min_vectors     IndexIDMap(IndexHNSWFlat(hnsw_m))             hnsw_ef_search
    ivf   ivf_index_min_vectors        IndexIVFFlat(nlist = ivf_nlist_factor·√n)     ivf_nprobe

flat and IVF remove rows for real (``remove_ids``). HNSW cannot remove a node, so a replaced row
becomes a tombstone: it stays in the graph (it still helps navigation) but maps to no entry; the
engine asks for proportionally more rows and drops it. :func:`needs_rebuild` says when the
tombstones pass ``max_dead_share`` of the index or the size has crossed into another kind; the
engine then rebuilds the whole index after the change is already being served.

FAISS indexes must not be searched while they are being modified: ``search``, ``add`` and
``remove`` share one lock (an add or remove of one entry's rows holds it for well under a
millisecond). The kinds and their thresholds were chosen with ``bench/kb_bench.py`` (see
knowledge/kb.yml and results/kb_bench.md).
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any, cast

import faiss
import numpy as np

from helpdesk.knowledge.settings import Settings

KINDS = ("flat", "hnsw", "ivf")
IVF_TRAIN_POINTS_PER_LIST = 64  # k-means sample: 64 points per list (FAISS warns below 39)
IVF_MIN_POINTS_PER_LIST = 8


def set_search_threads(threads: int) -> None:
    """faiss's OpenMP threads for this process (0 leaves faiss's default: one per core)."""
    if threads > 0:
        faiss.omp_set_num_threads(threads)


def index_kind(vectors: int, settings: Settings) -> str:
    """The index kind the engine uses for ``vectors`` rows."""
    if vectors >= settings.ivf_index_min_vectors:
        return "ivf"
    if vectors >= settings.approx_index_min_vectors:
        return "hnsw"
    return "flat"


def ivf_nlist(vectors: int, settings: Settings) -> int:
    """Inverted lists for ``vectors`` rows: ivf_nlist_factor·√n, at least 8 rows per list."""
    wanted = round(settings.ivf_nlist_factor * math.sqrt(max(vectors, 1)))
    return max(1, min(wanted, vectors // IVF_MIN_POINTS_PER_LIST))


def construction_settings(settings: Settings) -> dict[str, Any]:
    """The settings a stored index was built with: when they change, the index is rebuilt."""
    return {
        "approx_index_min_vectors": settings.approx_index_min_vectors,
        "ivf_index_min_vectors": settings.ivf_index_min_vectors,
        "hnsw_m": settings.hnsw_m,
        "ivf_nlist_factor": settings.ivf_nlist_factor,
        "question_weight": settings.question_weight,
        "answer_weight": settings.answer_weight,
    }


class VectorIndex:
    """One FAISS index over weighted row vectors, addressed by row id, safe to search while updated."""

    def __init__(self, index: Any, kind: str, settings: Settings, dead: int = 0) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown index kind '{kind}'")
        self.index = index
        self.kind = kind
        self.dead = dead  # HNSW tombstones: rows still in the graph that no entry owns
        self._lock = threading.Lock()
        self.apply_search_settings(settings)

    @property
    def ntotal(self) -> int:
        return int(self.index.ntotal)

    @property
    def live(self) -> int:
        return self.ntotal - self.dead

    @property
    def dead_share(self) -> float:
        total = self.ntotal
        return self.dead / total if total else 0.0

    def apply_search_settings(self, settings: Settings) -> None:
        if self.kind == "hnsw":
            _hnsw(self.index).efSearch = settings.hnsw_ef_search
        elif self.kind == "ivf":
            self.index.nprobe = settings.ivf_nprobe

    def params(self) -> dict[str, Any]:
        """The kind and its parameters, as reported by ``kb build`` and stored in the manifest."""
        if self.kind == "hnsw":
            hnsw = _hnsw(self.index)
            m = int(hnsw.nb_neighbors(1))  # type: ignore[attr-defined]  # missing from faiss's stubs
            return {"kind": "hnsw", "M": m, "efSearch": int(hnsw.efSearch)}
        if self.kind == "ivf":
            return {"kind": "ivf", "nlist": int(self.index.nlist), "nprobe": int(self.index.nprobe)}
        return {"kind": "flat"}

    def describe(self) -> str:
        params = self.params()
        details = ", ".join(f"{key}={value}" for key, value in params.items() if key != "kind")
        text = f"{self.kind} ({details})" if details else f"{self.kind} (exact)"
        if self.dead:
            text += f", {self.dead} tombstones"
        return text

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            total = int(self.index.ntotal)
            if total == 0 or k <= 0:
                empty = np.zeros((len(vectors), 0))
                return empty.astype(np.float32), empty.astype(np.int64)
            found: tuple[np.ndarray, np.ndarray] = self.index.search(vectors, min(k, total))
            return found

    def add(self, weighted: np.ndarray, ids: np.ndarray) -> None:
        if len(ids) == 0:
            return
        data = np.ascontiguousarray(weighted, dtype=np.float32)
        with self._lock:
            self.index.add_with_ids(data, np.ascontiguousarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> None:
        """Drop rows: for real in flat and IVF, as tombstones in HNSW."""
        if len(ids) == 0:
            return
        if self.kind == "hnsw":
            self.dead += len(ids)
            return
        with self._lock:
            self.index.remove_ids(np.ascontiguousarray(ids, dtype=np.int64))

    def serialize(self) -> np.ndarray:
        """The index as bytes (the engine's sync thread is the only writer, so no lock is needed to read)."""
        return faiss.serialize_index(self.index)


def _hnsw(index: Any) -> faiss.HNSW:
    """The HNSW graph inside the engine's IndexIDMap(IndexHNSWFlat)."""
    return cast(faiss.IndexHNSW, faiss.downcast_index(index.index)).hnsw


def needs_rebuild(index: VectorIndex, settings: Settings) -> bool:
    """Too many tombstones, or a size that now calls for another kind of index."""
    return index.dead_share > settings.max_dead_share or index_kind(index.live, settings) != index.kind


def build_index(weighted: np.ndarray, ids: np.ndarray, settings: Settings, kind: str | None = None) -> VectorIndex:
    """A new index of the kind for this size (or ``kind``) over ``weighted`` rows with ``ids``."""
    count, dim = weighted.shape
    kind = kind or index_kind(count, settings)
    if kind == "hnsw":
        hnsw = faiss.IndexHNSWFlat(dim, settings.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = max(40, settings.hnsw_m * 2)
        index: Any = faiss.IndexIDMap(hnsw)
    elif kind == "ivf":
        nlist = ivf_nlist(count, settings)
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        sample_size = min(count, nlist * IVF_TRAIN_POINTS_PER_LIST)
        sample = weighted
        if sample_size < count:
            chosen = np.random.default_rng(0).choice(count, size=sample_size, replace=False)
            sample = weighted[np.sort(chosen)]
        index.train(np.ascontiguousarray(sample, dtype=np.float32))
    else:
        index = faiss.IndexIDMap(faiss.IndexFlatIP(dim))
    built = VectorIndex(index, kind, settings)
    built.add(weighted, ids)
    return built


def read_index(path: Path, kind: str, settings: Settings, dead: int) -> VectorIndex:
    """A stored index, with the current search-time settings applied."""
    index = faiss.read_index(str(path))
    if kind in ("flat", "hnsw"):
        index = faiss.downcast_index(index) if not isinstance(index, faiss.IndexIDMap) else index
        if not isinstance(index, faiss.IndexIDMap):
            raise ValueError(f"{path}: expected an id-mapped {kind} index, got {type(index).__name__}")
        inner = faiss.downcast_index(index.index)
        expected = faiss.IndexHNSW if kind == "hnsw" else faiss.IndexFlat
        if not isinstance(inner, expected):
            raise ValueError(f"{path}: expected a {kind} index, got {type(inner).__name__}")
    elif not isinstance(index, faiss.IndexIVFFlat):
        raise ValueError(f"{path}: expected an IVF index, got {type(index).__name__}")
    return VectorIndex(index, kind, settings, dead)
