"""The process-wide knowledge base: built or loaded once, kept fresh by a file watcher.

The action webhook process owns it (the model and index in memory, once); everything else asks that
process over HTTP.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from helpdesk.knowledge.settings import load_settings, project_root

if TYPE_CHECKING:  # imported lazily below: the engine pulls in numpy, faiss and the embedder
    from helpdesk.knowledge.engine import KnowledgeBase


class LoadReport(TypedDict):
    """What loading the knowledge base did (in /kb/status)."""

    entries: int
    vectors: int
    index: str
    embedded_texts: int
    seconds: float


_lock = threading.Lock()
_kb: KnowledgeBase | None = None
_error: str | None = None
_loaded_at: float | None = None
_build: LoadReport | None = None


def handbook_dir() -> Path:
    """KB_DIR, or the project's knowledge/faq."""
    configured = os.environ.get("KB_DIR")
    return Path(configured).resolve() if configured else project_root() / "knowledge" / "faq"


def get_knowledge_base() -> KnowledgeBase:
    """Load (or build) the index once per process and start watching the handbook."""
    global _kb, _error, _loaded_at, _build
    with _lock:
        if _kb is not None:
            return _kb
        from helpdesk.knowledge.embedder import Embedder
        from helpdesk.knowledge.engine import KnowledgeBase
        from helpdesk.knowledge.vector_index import set_search_threads

        try:
            settings = load_settings()
            embedder = Embedder(
                settings.model, settings.batch_size, threads=settings.embed_threads, graph=settings.onnx_graph
            )
            kb = KnowledgeBase(handbook_dir(), settings, embedder)
            report = kb.build()
            set_search_threads(settings.search_threads)  # after the build, which may train an index on all cores
            kb.embedder.encode(["warm-up"])  # the first query should not pay for the model load
            kb.start_watcher(settings.watch_interval)
        except Exception as exc:
            _error = f"{exc.__class__.__name__}: {exc}"
            raise
        _kb, _error, _loaded_at = kb, None, time.time()
        _build = {
            "entries": report.entries,
            "vectors": report.vectors,
            "index": report.index_description,
            "embedded_texts": report.embedded_texts,
            "seconds": round(report.seconds, 3),
        }
        return kb


def loaded_knowledge_base() -> KnowledgeBase | None:
    """The knowledge base if it has finished loading, else None (never blocks)."""
    return _kb


def status() -> dict[str, object]:
    """/kb/status: ready or not (with the load error), what loading did and :meth:`KnowledgeBase.status`."""
    kb = _kb
    if kb is None:
        return {"ready": False, "error": _error}
    return {"ready": True, "loaded_at": _loaded_at, "build": _build, **kb.status()}
