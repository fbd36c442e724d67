"""What the parts of bench/kb_bench.py share: the demo handbook and its eval queries, the targets, the machine
and engine version, and timing the engine (threads, a timed embedder, decide()'s index fetch, one-query times).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from common import PROJECT_ROOT, git_state, machine_line, package_version, percentile, summary
from common import machine_info as describe_machine

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import faiss  # noqa: E402
import numpy as np  # noqa: E402

from helpdesk.knowledge import vector_index  # noqa: E402
from helpdesk.knowledge.embedder import Embedder, Progress  # noqa: E402
from helpdesk.knowledge.engine import KnowledgeBase  # noqa: E402
from helpdesk.knowledge.query_files import load_queries  # noqa: E402
from helpdesk.knowledge.settings import Settings  # noqa: E402

DEMO_HANDBOOK = PROJECT_ROOT / "knowledge" / "faq"
EVAL_DIR = PROJECT_ROOT / "eval" / "handbook"
DEFAULT_FETCH_K = 320  # rows the engine asks the index for per decide(k=10) (KnowledgeBase._dense_top)
EDIT_TARGET_SECONDS = 5.0
INDEX_P50_TARGET_MS = 5.0
RECALL_TARGET = 0.95
EF_SEARCHES = (64, 128, 256)
INDEX_EF_SEARCHES = (*EF_SEARCHES, 512)  # 512: beyond the brief, to show the trend on random data


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def machine_info() -> dict[str, Any]:
    info = describe_machine(
        faiss=getattr(faiss, "__version__", package_version("faiss-cpu")),
        torch=package_version("torch"),
        sentence_transformers=package_version("sentence-transformers"),
        numpy=np.__version__,
    )
    info["line"] = machine_text(info)
    return info


def machine_text(info: dict[str, Any]) -> str:
    packages = (("faiss", "faiss"), ("torch", "torch"), ("sentence-transformers", "sentence_transformers"))
    return machine_line(info, packages, end_note=" (shared machine)")


def code_version() -> dict[str, Any]:
    """Which engine was measured: the commit and whether helpdesk/knowledge / kb.yml had local edits."""
    result: dict[str, Any] = {}
    sources = sorted(Path(vector_index.__file__).parent.glob("*.py"))  # the engine's modules, together
    result["engine_sha256"] = hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()[:16]
    commit, paths = git_state("helpdesk/knowledge", "knowledge", "eval/handbook")
    if commit is None:
        return result
    result["git_commit"] = commit
    handbook = ("knowledge/faq/", "eval/handbook/")  # counted, not listed
    result["uncommitted_changes"] = [path for path in paths if not path.startswith(handbook)]
    for folder in handbook:
        count = sum(1 for path in paths if path.startswith(folder))
        if count:
            result["uncommitted_changes"].append(f"{count} files under {folder}")
    return result


def percentiles(samples_ms: Sequence[float]) -> dict[str, float]:
    """common.summary in this report's shape: n, p50/p95/p99, mean and max in ms to 3 decimals."""
    timings = summary(samples_ms, digits=3)
    return {key + ("" if key == "n" else "_ms"): timings[key] for key in ("n", "p50", "p95", "p99", "mean", "max")}


def set_threads(count: int) -> None:
    """Threads for faiss (OpenMP) and torch (intra-op), for the latency runs.

    ONNX Runtime's threads are fixed when the embedder loads (kb.yml's embed_threads): with that backend
    the setting changes the search only.
    """
    faiss.omp_set_num_threads(count)
    import torch

    torch.set_num_threads(count)


class TimedEmbedder(Embedder):
    """The engine's Embedder, remembering how long the last ``encode`` took."""

    last_seconds = 0.0

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        started = time.perf_counter()
        vectors = super().encode(texts, progress)
        self.last_seconds = time.perf_counter() - started
        return vectors


def new_embedder(settings: Settings) -> TimedEmbedder:
    return TimedEmbedder(settings.model, settings.batch_size, threads=settings.embed_threads)


def load_model(embedder: Embedder) -> float:
    started = time.perf_counter()
    embedder.load()
    embedder.encode(["warm-up query so the first batch does not pay for lazy initialisation"])
    return round(time.perf_counter() - started, 2)


def progress_printer(label: str, every_seconds: float = 10.0) -> Progress:
    started = time.perf_counter()
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.perf_counter()
        if done == total or now - last[0] >= every_seconds:
            last[0] = now
            elapsed = now - started
            rate = done / elapsed if elapsed else 0.0
            log(f"  {label}: embedded {done}/{total} texts ({rate:.0f} texts/s, {elapsed:.0f} s)")

    return report


def detect_fetch_k(kb: KnowledgeBase, query: str) -> tuple[int, str]:
    """How many rows decide() asks the FAISS index for (wraps the live index's search once)."""
    seen: list[int] = []
    with contextlib.suppress(Exception):
        snapshot = kb._snapshot  # bench-only peek at a private attribute; falls back below
        index = snapshot.index
        original = index.search

        def spy(x: np.ndarray, k: int, *args: Any, **kwargs: Any) -> Any:
            seen.append(int(k))
            return original(x, k, *args, **kwargs)

        index.search = spy
        try:
            kb.decide(query, k=10)
        finally:
            del index.search
    if seen:
        return seen[0], "measured"
    return DEFAULT_FETCH_K, "assumed"


def eval_query_pool() -> list[str]:
    texts: list[str] = []
    for name, labeled in (
        ("queries_dev.jsonl", True),
        ("queries_test.jsonl", True),
        ("oos_dev.jsonl", False),
        ("oos_test.jsonl", False),
    ):
        texts += [query.text for query in load_queries(EVAL_DIR / name, labeled=labeled)]
    return texts


def single_query_times(index: Any, queries: np.ndarray, k: int, keep: bool = False) -> Any:
    found = np.empty((len(queries), k), dtype=np.int64)
    times = []
    for position in range(len(queries)):
        started = time.perf_counter()
        _, ids = index.search(queries[position : position + 1], k)
        times.append((time.perf_counter() - started) * 1000)
        found[position] = ids[0]
    p50 = round(percentile(sorted(times), 50), 3)
    if keep:
        return p50, found
    return p50, percentiles(times)


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    k = truth.shape[1]
    hits = sum(len(set(row[:k].tolist()) & set(expected.tolist())) for row, expected in zip(found, truth, strict=True))
    return round(hits / (k * len(truth)), 4)
