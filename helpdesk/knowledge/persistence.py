"""The engine's state on disk (``settings.index_dir``), so a restart embeds only what changed meanwhile.

``manifest.json`` (model, dim, settings hashes, index kind, per-entry content hash, texts, rows in the vectors
file and row ids in the index, and the entry itself) plus ``vectors-<token>.npy`` (raw unit vectors, entry
order) and ``index-<token>.faiss`` (the weighted index, tombstones included). Each file is written under a
temporary name and renamed into place, the manifest last. The manifest also keeps the last good version of
every entry, which keeps serving when its file is broken.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from helpdesk.knowledge.handbook import Entry, Translation
from helpdesk.knowledge.settings import Settings
from helpdesk.knowledge.snapshot import EntryRows, Snapshot, entry_centroid
from helpdesk.knowledge.vector_index import VectorIndex, construction_settings, read_index

logger = logging.getLogger(__name__)

MANIFEST_FORMAT = 2  # 2: row ids per entry, incremental index (1: rebuilt on every change)
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class SaveJob:
    """What to write for one snapshot, taken while the index matches the manifest."""

    manifest: dict[str, Any]
    vectors: np.ndarray
    index_bytes: np.ndarray


@dataclass(frozen=True)
class StoredRows:
    """The stored entries of the same handbook folder, ready to serve before the first scan."""

    entries: dict[str, EntryRows]
    next_id: int
    row_entry: list[str | None]
    index: VectorIndex | None


@dataclass(frozen=True)
class StoredState:
    """What a manifest gives back: the vector cache (any handbook folder) and, for the same folder, its rows."""

    dim: int
    cache: dict[str, np.ndarray]
    last_good: dict[Path, Entry]
    rows: StoredRows | None


def settings_hash(settings: Settings) -> str:
    relevant = {key: str(value) for key, value in vars(settings).items() if key not in {"index_dir", "watch_interval"}}
    return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:16]


def save_job(snapshot: Snapshot, root: Path, model: str, settings: Settings, next_id: int) -> SaveJob | None:
    """What to write for ``snapshot`` (None for an empty one); the caller holds the sync lock."""
    if snapshot.index is None or snapshot.size == 0:
        return None
    token = f"{snapshot.generation:x}-{secrets.token_hex(6)}"
    entries: dict[str, Any] = {}
    start = 0
    for entry_id in snapshot.ids:
        rows = snapshot.entries[entry_id]
        entry = rows.entry
        entries[entry_id] = {
            "path": _relative(entry.path, root),
            "content_hash": entry.content_hash,
            "title": entry.title,
            "questions": list(entry.questions),
            "tags": list(entry.tags),
            "answer": entry.answer,
            "zh": _translation_json(entry.zh),
            "rows": [start, start + len(rows.texts)],
            "question_rows": rows.questions,
            "first_id": rows.first_id,
            "texts": list(rows.texts),
        }
        start += len(rows.texts)
    manifest = {
        "format": MANIFEST_FORMAT,
        "model": model,
        "dim": int(snapshot.centroids.shape[1]),
        "embedding_hash": settings.embedding_hash(),
        "settings_hash": settings_hash(settings),
        "index_settings": construction_settings(settings),
        "root": str(root.resolve()),
        "index_kind": snapshot.index_kind,
        "index": snapshot.index.params(),
        "rows": snapshot.size,
        "index_rows": snapshot.index.ntotal,
        "next_id": next_id,
        "vectors_file": f"vectors-{token}.npy",
        "index_file": f"index-{token}.faiss",
        "entries": entries,
    }
    vectors = np.concatenate([snapshot.entries[entry_id].vectors for entry_id in snapshot.ids])
    return SaveJob(manifest, vectors, snapshot.index.serialize())


def write_state(index_dir: Path, job: SaveJob) -> None:
    """Write the vectors, the index and then the manifest; remove the files of earlier saves. Raises OSError."""
    manifest = job.manifest
    index_dir.mkdir(parents=True, exist_ok=True)
    vectors_path = index_dir / manifest["vectors_file"]
    index_path = index_dir / manifest["index_file"]
    _atomic(vectors_path, lambda tmp: _save_array(tmp, job.vectors))
    _atomic(index_path, job.index_bytes.tofile)
    _atomic(
        index_dir / MANIFEST,
        lambda tmp: tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8"),
    )
    for stale in [*index_dir.glob("vectors-*.npy"), *index_dir.glob("index-*.faiss")]:
        if stale not in (vectors_path, index_path):
            stale.unlink(missing_ok=True)


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    """The stored manifest, or None if there is none. Raises OSError or ValueError for an unreadable one."""
    path = index_dir / MANIFEST
    if not path.is_file():
        return None
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(manifest, dict):
        raise ValueError("the manifest is not a JSON object")
    return manifest


def restore(
    manifest: dict[str, Any], index_dir: Path, root: Path, model: str, settings: Settings
) -> StoredState | None:
    """The stored state: the vector cache, the last good entries and (same folder) the rows and index.

    None when the manifest was made with another model or embedding settings (everything is embedded again).
    Raises ValueError, KeyError, TypeError, OSError or RuntimeError for a manifest or vectors file that does
    not hold together.
    """
    if manifest.get("format") != MANIFEST_FORMAT:
        raise ValueError(f"manifest format {manifest.get('format')} is not {MANIFEST_FORMAT}")
    if manifest["model"] != model or manifest["embedding_hash"] != settings.embedding_hash():
        logger.info("stored knowledge index was made with other embedding settings: re-embedding")
        return None
    vectors = np.load(index_dir / manifest["vectors_file"], allow_pickle=False)
    if vectors.ndim != 2 or vectors.shape[0] != manifest["rows"] or vectors.shape[1] != manifest["dim"]:
        raise ValueError(f"vectors have shape {vectors.shape}, manifest says {manifest['rows']}×{manifest['dim']}")
    same_root = manifest["root"] == str(root.resolve())
    questions_only = settings.centroid_questions_only > 0
    cache: dict[str, np.ndarray] = {}
    last_good: dict[Path, Entry] = {}
    entries: dict[str, EntryRows] = {}
    for entry_id, data in manifest["entries"].items():
        start, end = data["rows"]
        texts = tuple(data["texts"])
        cache.update(zip(texts, vectors[start:end], strict=True))
        if not same_root:
            continue
        entry = _entry_from_manifest(entry_id, data, root)
        last_good[entry.path] = entry
        questions = int(data["question_rows"])
        weights = np.asarray(
            [settings.question_weight] * questions + [settings.answer_weight] * (len(texts) - questions),
            dtype=np.float32,
        )
        entry_vectors = vectors[start:end]
        centroid = entry_centroid(entry_vectors, questions, questions_only)
        entries[entry_id] = EntryRows(entry, texts, questions, entry_vectors, weights, centroid, int(data["first_id"]))
    dim = int(manifest["dim"])
    if not same_root:
        return StoredState(dim, cache, last_good, None)
    next_id = int(manifest["next_id"])
    row_entry: list[str | None] = [None] * next_id
    for entry_id, rows in entries.items():
        row_entry[rows.first_id : rows.first_id + len(rows.texts)] = [entry_id] * len(rows.texts)
    index = stored_index(index_dir, manifest, settings)
    return StoredState(dim, cache, last_good, StoredRows(entries, next_id, row_entry, index))


def stored_index(index_dir: Path, manifest: dict[str, Any], settings: Settings) -> VectorIndex | None:
    """The stored index, unless it is missing, unreadable or built with other settings (then None: rebuilt)."""
    path = index_dir / manifest["index_file"]
    if manifest.get("index_settings") != construction_settings(settings) or not path.is_file():
        return None
    try:
        index = read_index(path, manifest["index_kind"], settings, int(manifest["index_rows"]) - int(manifest["rows"]))
    except (RuntimeError, ValueError) as error:
        logger.warning("%s: cannot read the stored index (%s); rebuilding it", path, error)
        return None
    if index.ntotal != int(manifest["index_rows"]):
        logger.warning("%s: %d rows, the manifest says %s; rebuilding it", path, index.ntotal, manifest["index_rows"])
        return None
    return index


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _entry_from_manifest(entry_id: str, data: dict[str, Any], root: Path) -> Entry:
    return Entry(
        id=entry_id,
        title=data["title"],
        questions=tuple(data["questions"]),
        tags=tuple(data["tags"]),
        answer=data["answer"],
        path=root / data["path"],
        content_hash=data["content_hash"],
        zh=_translation_from_json(data.get("zh")),
    )


def _translation_json(version: Translation | None) -> dict[str, Any] | None:
    if version is None:
        return None
    return {"title": version.title, "questions": list(version.questions), "answer": version.answer}


def _translation_from_json(data: dict[str, Any] | None) -> Translation | None:
    if not data:
        return None
    return Translation(title=data["title"], questions=tuple(data["questions"]), answer=data["answer"])


def _save_array(path: Path, array: np.ndarray) -> None:
    with path.open("wb") as handle:  # a file object: np.save would append ".npy" to a name
        np.save(handle, array, allow_pickle=False)


def _atomic(target: Path, write: Callable[[Path], object]) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    write(tmp)
    os.replace(tmp, target)
