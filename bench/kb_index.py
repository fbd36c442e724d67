"""kb_bench's `index` part: the FAISS index alone at 100k and 1M clustered vectors grown from real MiniLM
embeddings (bench/README.md), and 1M uniform random ones as the worst case: the engine's IVF and HNSW against
exact search (build time, memory, one-query latency on 1 thread, recall@10).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import faiss
import numpy as np
from common import peak_rss_mb, percentile, rss_mb
from kb_shared import (
    DEMO_HANDBOOK,
    EF_SEARCHES,
    INDEX_P50_TARGET_MS,
    RECALL_TARGET,
    eval_query_pool,
    log,
    percentiles,
    recall,
    single_query_times,
)

from helpdesk.knowledge import vector_index
from helpdesk.knowledge.embedder import Embedder
from helpdesk.knowledge.entry_texts import entry_texts
from helpdesk.knowledge.handbook import load_handbook
from helpdesk.knowledge.settings import Settings, load_settings

CLUSTER_ALPHA = 0.8  # topic centre = real embedding + ALPHA·(noise with the real covariance)
CLUSTER_BETA = 1.0  # row = topic centre + BETA·(noise with the real covariance)
ROWS_PER_TOPIC = 5  # like an entry: its title, questions and answer passages
INDEX_SIZES = (100_000,)  # below the full size: IVF and HNSW both measured in full
NPROBES = (16, 32, 64, 96, 128, 192)
RANDOM_NPROBES = (64, 128, 256, 512)


def unit_rows(rng: np.random.Generator, count: int, dim: int, chunk: int = 100_000) -> np.ndarray:
    data = np.empty((count, dim), dtype=np.float32)
    for start in range(0, count, chunk):
        block = rng.standard_normal((min(chunk, count - start), dim), dtype=np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        data[start : start + len(block)] = block
    return data


def perturbed_queries(rng: np.random.Generator, data: np.ndarray, count: int, limit: int, sigma: float) -> Any:
    """Queries near stored rows (cos ≈ 1/sqrt(1 + dim·sigma²) ≈ 0.9): each has a true neighbour."""
    sources = rng.choice(min(limit, len(data)), size=count, replace=False)
    noise = rng.standard_normal((count, data.shape[1]), dtype=np.float32) * sigma
    queries = data[sources] + noise
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    return np.ascontiguousarray(queries, dtype=np.float32), sources


def seed_embeddings(settings: Settings, cache: Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Real MiniLM embeddings: the demo handbook's texts (titles, questions, passages) and the eval queries.

    ``cache`` (an .npz) keeps them between runs, keyed by the texts and the model.
    """
    handbook = load_handbook(DEMO_HANDBOOK)
    texts = [
        text for entry_id in sorted(handbook.entries) for text in entry_texts(handbook.entries[entry_id], settings)[0]
    ]
    queries = sorted(set(eval_query_pool()))
    key = hashlib.sha256(json.dumps([settings.model, texts, queries]).encode()).hexdigest()
    if cache is not None and cache.is_file():
        stored = np.load(cache)
        if str(stored["key"]) == key:
            log(f"  seeds from {cache}")
            return stored["texts"], stored["queries"]
    embedder = Embedder(settings.model, settings.batch_size)
    vectors = embedder.encode(texts + queries)
    if cache is not None:
        np.savez(cache, key=np.asarray(key), texts=vectors[: len(texts)], queries=vectors[len(texts) :])
    return vectors[: len(texts)], vectors[len(texts) :]


class ClusteredVectors:
    """Vectors shaped like sentence embeddings, grown from real MiniLM embeddings (bench/README.md).

    noise z ~ N(0, Σ), Σ the covariance of the real embeddings (so it lies along the directions
    real sentences vary in, not evenly over 384 dimensions); topic centres T = normalise(s + α·z)
    around randomly chosen real embeddings s; rows x = normalise(T + β·z') around randomly chosen
    topics, ROWS_PER_TOPIC rows per topic on average. Queries are drawn the same way (same topics,
    fresh noise) and are never in the index.
    """

    def __init__(self, seeds: np.ndarray, rows: int, rng: np.random.Generator) -> None:
        self.rng = rng
        self.basis = np.ascontiguousarray((seeds - seeds.mean(axis=0)) / math.sqrt(len(seeds)), dtype=np.float32)
        topics = max(1, rows // ROWS_PER_TOPIC)
        centres = seeds[rng.integers(0, len(seeds), topics)] + CLUSTER_ALPHA * self._noise(topics)
        self.topics = centres / np.linalg.norm(centres, axis=1, keepdims=True)

    def _noise(self, count: int) -> np.ndarray:
        return self.rng.standard_normal((count, len(self.basis)), dtype=np.float32) @ self.basis

    def draw(self, count: int, chunk: int = 100_000) -> tuple[np.ndarray, np.ndarray]:
        data = np.empty((count, self.basis.shape[1]), dtype=np.float32)
        topic_of = self.rng.integers(0, len(self.topics), count)
        for start in range(0, count, chunk):
            end = min(count, start + chunk)
            block = self.topics[topic_of[start:end]] + CLUSTER_BETA * self._noise(end - start)
            data[start:end] = block / np.linalg.norm(block, axis=1, keepdims=True)
        return data, topic_of


def neighbour_stats(queries: np.ndarray, data: np.ndarray, exclude_self: bool = False) -> dict[str, float]:
    """Median cosine of each query's nearest and 10th-nearest row (how clustered the data looks)."""
    index = faiss.IndexFlatIP(data.shape[1])
    index.add(np.ascontiguousarray(data, dtype=np.float32))
    scores, _ = index.search(np.ascontiguousarray(queries, dtype=np.float32), 11)
    scores = scores[:, 1:] if exclude_self else scores[:, :10]
    return {
        "nn1_cos_median": round(float(np.median(scores[:, 0])), 3),
        "nn10_cos_median": round(float(np.median(scores[:, 9])), 3),
    }


def realism(seeds: np.ndarray, seed_queries: np.ndarray, data: np.ndarray, topic_of: np.ndarray) -> dict[str, Any]:
    """The same statistics on the real embeddings and on the generated rows."""
    rng = np.random.default_rng(1)
    pairs = rng.integers(0, len(data), (20_000, 2))
    same = topic_of[pairs[:, 0]] == topic_of[pairs[:, 1]]
    first = {}
    for row, topic in enumerate(topic_of[:200_000].tolist()):
        first.setdefault(topic, []).append(row)
    mates = [rows[:2] for rows in first.values() if len(rows) >= 2][:5000]
    within = [float(data[a] @ data[b]) for a, b in mates]
    return {
        "real": {
            "vectors": len(seeds),
            "queries": len(seed_queries),
            "handbook_rows_among_themselves": neighbour_stats(seeds, seeds, exclude_self=True),
            "eval_queries_vs_handbook": neighbour_stats(seed_queries, seeds),
        },
        "generated": {
            "rows": len(data),
            "rows_among_a_sample_of_themselves": neighbour_stats(data[:500], data, exclude_self=True),
            "same_topic_cos_median": round(float(np.median(within)), 3) if within else None,
            "random_pair_cos_median": round(
                float(np.median(np.sum(data[pairs[~same, 0]] * data[pairs[~same, 1]], axis=1))), 3
            ),
        },
    }


def engine_hnsw_params(settings: Settings, dim: int) -> dict[str, Any]:
    """M, efConstruction, efSearch and metric of the engine's HNSW index, read off its own builder."""
    probe = vector_index.build_index(np.zeros((0, dim), dtype=np.float32), np.zeros(0, np.int64), settings, "hnsw")
    hnsw = faiss.downcast_index(probe.index.index)
    return {
        "M": int(hnsw.hnsw.nb_neighbors(1)),
        "efConstruction": int(hnsw.hnsw.efConstruction),
        "efSearch": int(hnsw.hnsw.efSearch),
        "metric": "inner_product" if hnsw.metric_type == faiss.METRIC_INNER_PRODUCT else "l2",
        "class": "IndexIDMap(IndexHNSWFlat)",
        "source": "helpdesk.knowledge.vector_index.build_index",
    }


def new_hnsw(dim: int, params: dict[str, Any]) -> Any:
    metric = faiss.METRIC_INNER_PRODUCT if params["metric"] == "inner_product" else faiss.METRIC_L2
    index = faiss.IndexHNSWFlat(dim, params["M"], metric)
    index.hnsw.efConstruction = params["efConstruction"]
    index.hnsw.efSearch = params["efSearch"]
    return index


def hnsw_bytes(hnsw: Any, count: int, dim: int) -> int:
    links = int(hnsw.neighbors.size()) * 4 + int(hnsw.offsets.size()) * 8 + int(hnsw.levels.size()) * 4
    return count * dim * 4 + links + count * 8  # vectors, graph, id map


def ivf_bytes(index: Any, dim: int) -> int:
    return int(index.ntotal) * (dim * 4 + 8) + int(index.nlist) * dim * 4  # lists (vectors + ids), centroids


def sweep(
    index: Any,
    queries: np.ndarray,
    truth: np.ndarray,
    set_knob: Callable[[int], None],
    values: Sequence[int],
    knob: str,
    fetch_k: int,
) -> list[dict[str, Any]]:
    """One query at a time on 1 thread for each knob value: p50/p99 at k=10, recall@10, p50 at the engine's k."""
    faiss.omp_set_num_threads(1)
    rows = []
    for value in values:
        set_knob(value)
        for query in queries[:30]:
            index.search(query[None, :], 10)
        found = np.empty((len(queries), 10), dtype=np.int64)
        times, cpu = [], []
        for position in range(len(queries)):
            started, cpu_started = time.perf_counter(), time.thread_time()
            _, ids = index.search(queries[position : position + 1], 10)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - cpu_started) * 1000)
            found[position] = ids[0]
        row = {knob: value, **percentiles(times), "recall_at_10": recall(found, truth)}
        row["cpu_p50_ms"] = round(percentile(sorted(cpu), 50), 3)  # CPU time: what the query needs, load aside
        row["p50_ms_fetch_k"] = single_query_times(index, queries[:200], fetch_k)[0]
        row["meets_targets"] = row["p50_ms"] <= INDEX_P50_TARGET_MS and row["recall_at_10"] >= RECALL_TARGET
        rows.append(row)
        log(f"    {knob}={value}: p50 {row['p50_ms']:.2f} ms, recall@10 {row['recall_at_10']:.3f}")
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    return rows


def measure_size(
    data: np.ndarray,
    queries: np.ndarray,
    settings: Settings,
    args: argparse.Namespace,
    hnsw_budget: float | None,
    nprobes: Sequence[int],
) -> dict[str, Any]:
    """Exact, the engine's IVF and (within the budget) the engine's HNSW over ``data``."""
    count, dim = data.shape
    cores = os.cpu_count() or 1
    faiss.omp_set_num_threads(cores)
    result: dict[str, Any] = {
        "vectors": count,
        "engine_kind": vector_index.index_kind(count, settings),
        "load_average_start": round(os.getloadavg()[0], 2),
    }
    started = time.perf_counter()
    flat = faiss.IndexFlatIP(dim)
    flat.add(data)
    _, truth = flat.search(queries, 10)
    faiss.omp_set_num_threads(1)
    result["flat"] = {
        "build_seconds": round(time.perf_counter() - started, 2),
        "p50_ms": single_query_times(flat, queries[:100], 10)[0],
        "index_mb": round(count * dim * 4 / 1e6, 1),
    }
    faiss.omp_set_num_threads(cores)
    del flat
    log(f"  exact: p50 {result['flat']['p50_ms']:.1f} ms")

    ids = np.arange(count, dtype=np.int64)
    rss_before = rss_mb()
    started = time.perf_counter()
    ivf = vector_index.build_index(data, ids, settings, "ivf")
    seconds = time.perf_counter() - started
    result["ivf"] = {
        "nlist": int(ivf.index.nlist),
        "train_points": min(count, int(ivf.index.nlist) * vector_index.IVF_TRAIN_POINTS_PER_LIST),
        "build_seconds": round(seconds, 1),
        "index_mb": round(ivf_bytes(ivf.index, dim) / 1e6, 1),
        "rss_delta_mb": round(rss_mb() - rss_before, 1),
        "engine_nprobe": settings.ivf_nprobe,
    }
    log(f"  IVF nlist={result['ivf']['nlist']}: built in {seconds:.1f} s ({cores} threads)")

    def set_nprobe(value: int, index: Any = ivf.index) -> None:
        index.nprobe = value

    values = sorted(set(nprobes) | {settings.ivf_nprobe})
    result["ivf"]["sweep"] = sweep(ivf.index, queries, truth, set_nprobe, values, "nprobe", args.fetch_k)
    del ivf

    if hnsw_budget is not None and hnsw_budget > 0:
        params = engine_hnsw_params(settings, dim)
        hnsw = vector_index.build_index(np.zeros((0, dim), dtype=np.float32), np.zeros(0, np.int64), settings, "hnsw")
        rss_before = rss_mb()
        built, checkpoints = build_hnsw_chunked(hnsw, data, hnsw_budget)
        inner = faiss.downcast_index(hnsw.index.index)
        entry: dict[str, Any] = {
            "params": params,
            "vectors_built": built,
            "build_seconds": checkpoints[-1]["seconds"],
            "complete": built == count,
            "index_mb": round(hnsw_bytes(inner.hnsw, built, dim) / 1e6, 1),
            "rss_delta_mb": round(rss_mb() - rss_before, 1),
        }
        if built < count:
            entry["projected_seconds_full"] = round(project_seconds(checkpoints, count), 0)
            entry["note"] = (
                f"stopped at {built:,} of {count:,} vectors (budget {hnsw_budget:.0f} s): searched over those, full "
                "build time extrapolated with t ∝ n·log n"
            )
            flat = faiss.IndexFlatIP(dim)
            flat.add(data[:built])
            _, hnsw_truth = flat.search(queries, 10)
            del flat
        else:
            hnsw_truth = truth

        def set_ef(value: int) -> None:
            inner.hnsw.efSearch = value

        values = sorted(set(EF_SEARCHES) | {settings.hnsw_ef_search})
        entry["sweep"] = sweep(hnsw.index, queries, hnsw_truth, set_ef, values, "efSearch", args.fetch_k)
        result["hnsw"] = entry
        del hnsw
    result["load_average_end"] = round(os.getloadavg()[0], 2)
    return result


def child_index(args: argparse.Namespace) -> dict[str, Any]:
    settings = load_settings()
    dim, total = 384, args.vectors
    rng = np.random.default_rng(args.seed)
    log("index: embedding the seeds (demo handbook texts and eval queries) with the real model")
    seeds, seed_queries = seed_embeddings(settings, Path(args.tmp) / "seed-embeddings.npz")
    result: dict[str, Any] = {
        "vectors": total,
        "dim": dim,
        "queries": args.index_queries,
        "engine_settings": {
            "approx_index_min_vectors": settings.approx_index_min_vectors,
            "ivf_index_min_vectors": settings.ivf_index_min_vectors,
            "hnsw_m": settings.hnsw_m,
            "hnsw_ef_search": settings.hnsw_ef_search,
            "ivf_nlist_factor": settings.ivf_nlist_factor,
            "ivf_nprobe": settings.ivf_nprobe,
        },
        "engine_kind_at_full_size": vector_index.index_kind(total, settings),
        "generator": {
            "seeds": f"{len(seeds)} real MiniLM embeddings of the demo handbook's texts, "
            f"{len(seed_queries)} of the eval queries",
            "alpha": CLUSTER_ALPHA,
            "beta": CLUSTER_BETA,
            "rows_per_topic": ROWS_PER_TOPIC,
        },
        "build_threads": os.cpu_count() or 1,
        "search_threads": 1,
        "clustered": {},
    }
    sizes = [int(size) for size in args.index_sizes.split(",")] if args.index_sizes else []
    sizes = sizes or [size for size in INDEX_SIZES if size < total] + [total]
    for size in sizes:
        log(f"index: {size:,} clustered vectors (generated from the real embeddings)")
        started = time.perf_counter()
        generator = ClusteredVectors(seeds, size, rng)
        data, topic_of = generator.draw(size)
        queries, _ = generator.draw(args.index_queries)
        log(f"  generated in {time.perf_counter() - started:.1f} s")
        if size == total:
            result["realism"] = realism(seeds, seed_queries, data, topic_of)
            result["realism"]["generated"]["queries_vs_rows"] = neighbour_stats(queries, data)
            log(f"  realism: {result['realism']}")
        # HNSW in full on the smaller sizes; at the full size only within --hnsw-budget (0: skipped)
        budget = args.hnsw_budget if size == total else max(args.hnsw_budget, 900.0)
        result["clustered"][str(size)] = measure_size(data, queries, settings, args, budget, NPROBES)
        args.child_out.write_text(json.dumps(result, indent=1, default=str))  # partial results survive a stop
        del data, topic_of
    result["peak_rss_clustered_mb"] = round(peak_rss_mb(), 1)

    log(f"index: {total:,} uniform random unit vectors (the worst case)")
    data = unit_rows(rng, total, dim)
    queries, _ = perturbed_queries(rng, data, args.index_queries, min(total, 250_000), 0.025)
    result["random"] = measure_size(data, queries, settings, args, None, RANDOM_NPROBES)
    result["random"]["queries"] = "stored row + N(0, 0.025²) per dimension, renormalised (cos ≈ 0.9 to its source)"
    result["fetch_k"] = args.fetch_k
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return result


def build_hnsw_chunked(index: Any, data: np.ndarray, budget: float) -> tuple[int, list[dict[str, Any]]]:
    """Add ``data`` in chunks with progress; stop at a quarter or half when the whole would exceed ``budget``."""
    total = len(data)
    chunk = max(10_000, total // 40)
    stops = {total // 4, total // 2}
    checkpoints: list[dict[str, Any]] = []
    started = time.perf_counter()
    added = 0
    stop_at = total
    while added < stop_at:
        size = min(chunk, stop_at - added)
        for stop in sorted(stops):
            if added < stop < added + size:
                size = stop - added
                break
        index.add(data[added : added + size], np.arange(added, added + size, dtype=np.int64))
        added += size
        elapsed = time.perf_counter() - started
        checkpoints.append({"vectors": added, "seconds": round(elapsed, 1)})
        if added in stops or added == stop_at:
            log(f"  HNSW: {added:,}/{total:,} vectors, {elapsed:.0f} s, RSS {rss_mb():.0f} MB")
        if added in stops and stop_at == total:
            projected = project_seconds(checkpoints, total)
            log(f"  HNSW: projected {projected:.0f} s for {total:,} (budget {budget:.0f} s)")
            if projected > budget:
                half = total // 2
                stop_at = half if added < half and project_seconds(checkpoints, half) <= budget else added
    return added, checkpoints


def project_seconds(checkpoints: list[dict[str, Any]], target: int) -> float:
    """Build time for ``target`` vectors from the marginal rate of the last chunks, t ∝ n·log n."""
    last = checkpoints[-1]
    if last["vectors"] >= target:
        return float(last["seconds"])
    previous = checkpoints[-3] if len(checkpoints) >= 3 else {"vectors": 0, "seconds": 0.0}
    per_vector = (last["seconds"] - previous["seconds"]) / max(1, last["vectors"] - previous["vectors"])
    growth = math.log(target) / math.log(max(2, last["vectors"]))
    return last["seconds"] + (target - last["vectors"]) * per_vector * growth
