"""Knowledge-engine benchmark: answer quality, query latency, build and reload, handbook and index scale.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/kb_bench.py            # full run (~30 min on 2 cores)
    HF_HUB_OFFLINE=1 .venv/bin/python bench/kb_bench.py --quick    # 1k entries, 100k vectors (~5 min)

Parts (``--parts`` picks some; all by default):

  quality    the demo handbook (knowledge/faq) on the held-out TEST split with the kb.yml thresholds
  latency    one query (embed + search + decide) on the demo handbook, sequential, after a warm-up
  build      cold build of the demo handbook, then a restart with unchanged files (in-process and a
             fresh Python process)
  synthetic  a generated handbook of real Markdown files (10k entries; 1k with --quick), embedded
             with the real model in a child process: build rate, peak RSS, index kind, search
             latency, restart, watcher tick cost and the time for a file edit to go live
  index      the vector index alone at 1M random unit vectors (100k with --quick), in a child
             process: exact IndexFlatIP vs IndexHNSWFlat (the engine's parameters, efSearch
             64/128/256), build time, memory, one-query latency on 1 thread and recall@10; plus
             exact vs HNSW at 10k/25k/50k vectors around the engine's switch point

Every index lives in a temporary folder; nothing under var/ is touched. Writes results/kb_bench.json
and results/kb_bench.md (``--out``). Timings on a shared machine are noisy: the load average at the
start and end is recorded with the machine description.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from common import PROJECT_ROOT
from kb_index import child_index
from kb_report import markdown_report, notes
from kb_shared import (
    DEFAULT_FETCH_K,
    DEMO_HANDBOOK,
    EVAL_DIR,
    TimedEmbedder,
    code_version,
    detect_fetch_k,
    eval_query_pool,
    load_model,
    log,
    machine_info,
    machine_text,
    new_embedder,
    percentiles,
    progress_printer,
    set_threads,
)
from kb_synthetic import child_synthetic

from helpdesk.knowledge.embedder import Embedder
from helpdesk.knowledge.engine import KnowledgeBase
from helpdesk.knowledge.evaluate import evaluate
from helpdesk.knowledge.query_files import load_queries
from helpdesk.knowledge.settings import Settings, load_settings

PARTS = ("quality", "latency", "build", "synthetic", "index")


def measure_decide(
    kb: KnowledgeBase, embedder: TimedEmbedder, queries: Sequence[str], configs: dict[str, int]
) -> dict[str, Any]:
    """decide() per query, timed, one at a time, under each thread setting in turn.

    The settings alternate query by query (in a rotating order), so a burst of load from other jobs
    on the machine hits all of them alike. Also records how much of each query was the embedding.
    """
    labels = list(configs)
    totals: dict[str, list[float]] = {label: [] for label in labels}
    embeds: dict[str, list[float]] = {label: [] for label in labels}
    for position, query in enumerate(queries, start=1):
        shift = position % len(labels)
        for label in labels[shift:] + labels[:shift]:
            set_threads(configs[label])
            started = time.perf_counter()
            kb.decide(query, k=10)
            totals[label].append((time.perf_counter() - started) * 1000)
            embeds[label].append(embedder.last_seconds * 1000)
        if position % 250 == 0 or position == len(queries):
            medians = ", ".join(f"{label} {np.median(totals[label]):.1f} ms" for label in labels)
            log(f"  {position}/{len(queries)} queries, p50 so far: {medians}")
    runs = {}
    for label in labels:
        rest = [total - embed for total, embed in zip(totals[label], embeds[label], strict=True)]
        runs[label] = {
            "threads": configs[label],
            "total": percentiles(totals[label]),
            "embed": percentiles(embeds[label]),
            "search_and_decide": percentiles(rest),
        }
    return runs


def part_build(
    settings: Settings, embedder: TimedEmbedder, tmp: Path, repeats: int
) -> tuple[dict[str, Any], KnowledgeBase]:
    runs = []
    for attempt in range(1, repeats + 1):
        log(f"build: cold build of the demo handbook ({attempt}/{repeats}, a fresh index folder each time)")
        index_settings = settings.replace(index_dir=tmp / f"demo-index-{attempt}")
        texts_before = embedder.texts_encoded
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        kb = KnowledgeBase(DEMO_HANDBOOK, index_settings, embedder)
        report = kb.build(progress_printer("demo"))
        cold_wall = time.perf_counter() - started
        runs.append(
            {
                "entries": report.entries,
                "vectors": report.vectors,
                "index_kind": report.index_kind,
                "embedded_entries": report.embedded,
                "embedded_texts": report.embedded_texts,
                "texts_encoded_by_model": embedder.texts_encoded - texts_before,
                "build_seconds": round(report.seconds, 3),
                "wall_seconds": round(cold_wall, 3),
                "entries_per_second": round(report.entries / report.seconds, 1),
                "texts_per_second": round(report.embedded_texts / report.seconds, 1),
                "problems": len(report.problems),
                "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            }
        )
        log(f"  cold: {report}")
    cold = dict(sorted(runs, key=lambda run: run["build_seconds"])[len(runs) // 2])  # the median run
    cold["all_build_seconds"] = [run["build_seconds"] for run in runs]
    cold["runs"] = runs

    log("build: restart with unchanged files (new KnowledgeBase and a fresh, unloaded Embedder)")
    fresh = new_embedder(index_settings)
    started = time.perf_counter()
    restarted = KnowledgeBase(DEMO_HANDBOOK, index_settings, fresh)
    restart_report = restarted.build()
    restart = {
        "load_seconds": round(time.perf_counter() - started, 4),
        "build_seconds": round(restart_report.seconds, 4),
        "embedded_entries": restart_report.embedded,
        "embedded_texts": restart_report.embedded_texts,
        "reused_entries": restart_report.reused,
        "texts_encoded_by_model": fresh.texts_encoded,
        "model_loaded": fresh.loaded,
        "index_kind": restart_report.index_kind,
    }
    log(f"  restart: {restart_report}; model loaded: {fresh.loaded}")

    log("build: restart in a fresh Python process (imports included)")
    started = time.perf_counter()
    child = run_child("restart", tmp, ["--handbook", str(DEMO_HANDBOOK), "--index-dir", str(index_settings.index_dir)])
    child["process_wall_seconds"] = round(time.perf_counter() - started, 3)
    restart["fresh_process"] = child
    log(f"  fresh process: ready in {child['process_wall_seconds']} s, embedded {child['embedded_texts']} texts")
    return {"cold": cold, "restart": restart}, kb


def part_quality(kb: KnowledgeBase) -> dict[str, Any]:
    log("quality: test split (queries_test.jsonl + oos_test.jsonl)")
    queries = load_queries(EVAL_DIR / "queries_test.jsonl")
    oos = load_queries(EVAL_DIR / "oos_test.jsonl", labeled=False)
    result = evaluate(kb, queries, oos)
    log(
        f"  P@1 {result['p_at_1']}, MRR@10 {result['mrr_at_10']}, answered {result['answered_rate']}, "
        f"wrong {result['wrong_answer_rate']}, OOS answered {result.get('oos_answered_rate')}"
    )
    return result


def part_latency(kb: KnowledgeBase, embedder: TimedEmbedder, n_queries: int, seed: int) -> dict[str, Any]:
    import torch

    pool = eval_query_pool()
    rng = random.Random(seed)
    queries = [pool[position % len(pool)] for position in range(n_queries)]
    rng.shuffle(queries)
    default_threads = torch.get_num_threads()
    fetch_k, fetch_source = detect_fetch_k(kb, queries[0])
    result: dict[str, Any] = {
        "queries": n_queries,
        "distinct_queries": len(set(queries)),
        "source": "eval/handbook/*.jsonl (dev + test, in-scope + out-of-scope), cycled and shuffled",
        "index_kind": kb.index_kind,
        "vectors": kb.status()["vectors"],
        "embedding_backend": embedder.backend,
        "index_fetch_k": fetch_k,
        "index_fetch_k_source": fetch_source,
        "runs": {},
    }
    configs = {"1_thread": 1, f"{default_threads}_threads": default_threads}
    log(f"latency: {n_queries} queries × {len(configs)} thread settings (torch + faiss), alternating, after a warm-up")
    for query in queries[:50]:
        for threads in configs.values():
            set_threads(threads)
            kb.decide(query, k=10)
    load_before = os.getloadavg()[0]
    result["runs"] = measure_decide(kb, embedder, queries, configs)
    result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    set_threads(default_threads)
    return result


def run_child(kind: str, tmp: Path, extra: list[str]) -> dict[str, Any]:
    out = tmp / f"child-{kind}.json"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        kind,
        "--tmp",
        str(tmp),
        "--child-out",
        str(out),
    ]
    subprocess.run(command + extra, check=True, cwd=PROJECT_ROOT)
    return json.loads(out.read_text())


def child_restart(args: argparse.Namespace) -> dict[str, Any]:
    settings = load_settings().replace(index_dir=Path(args.index_dir))
    embedder = Embedder(settings.model, settings.batch_size)
    started = time.perf_counter()
    report = KnowledgeBase(Path(args.handbook), settings, embedder).build()
    return {
        "build_seconds": round(time.perf_counter() - started, 3),
        "embedded_texts": report.embedded_texts,
        "model_loaded": embedder.loaded,
        "entries": report.entries,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small run: 1k synthetic entries, 100k vectors")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated subset of {', '.join(PARTS)}")
    parser.add_argument("--entries", type=int, help="synthetic handbook size (default 10000, --quick 1000)")
    parser.add_argument("--vectors", type=int, help="index-alone size (default 1000000, --quick 100000)")
    parser.add_argument("--queries", type=int, help="latency queries on the demo handbook (default 1000, --quick 500)")
    parser.add_argument("--index-queries", type=int, default=1000, help="queries for the index-alone part")
    parser.add_argument("--index-sizes", help="index part: comma-separated sizes (default 100000 and --vectors)")
    parser.add_argument("--edits", type=int, default=3, help="file edits timed with the watcher")
    parser.add_argument(
        "--prefill-vectors",
        action="store_true",
        help="synthetic part: random vectors for the initial texts instead of embedding them (busy machine)",
    )
    parser.add_argument("--build-repeats", type=int, default=3, help="cold builds of the demo handbook (median kept)")
    parser.add_argument("--hnsw-budget", type=float, default=900.0, help="seconds allowed for the big HNSW build")
    parser.add_argument("--fetch-k", type=int, default=DEFAULT_FETCH_K, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "kb_bench.json")
    parser.add_argument("--child", choices=("synthetic", "index", "restart"), help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--tmp", help=argparse.SUPPRESS)
    parser.add_argument("--handbook", help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", help=argparse.SUPPRESS)
    parser.add_argument("--from-json", type=Path, help="only rewrite the Markdown report from a results JSON")
    args = parser.parse_args()
    if args.from_json:
        results = json.loads(args.from_json.read_text())
        results["notes"] = notes(results)
        args.from_json.write_text(json.dumps(results, indent=2, default=str) + "\n")
        args.from_json.with_suffix(".md").write_text(markdown_report(results))
        print(args.from_json.with_suffix(".md").read_text())
        return 0
    args.entries = args.entries or (1_000 if args.quick else 10_000)
    args.vectors = args.vectors or (100_000 if args.quick else 1_000_000)
    args.queries = args.queries or (500 if args.quick else 1_000)

    if args.child:
        child: Callable[[argparse.Namespace], dict[str, Any]] = {
            "synthetic": child_synthetic,
            "index": child_index,
            "restart": child_restart,
        }[args.child]
        args.child_out.write_text(json.dumps(child(args), indent=1, default=str))
        return 0

    parts = [part.strip() for part in args.parts.split(",") if part.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        parser.error(f"unknown parts: {', '.join(unknown)}")
    overrides = sorted(name for name in os.environ if name.startswith("KB_"))
    settings = load_settings()
    results: dict[str, Any] = {
        "command": " ".join(["bench/kb_bench.py", *sys.argv[1:]]),
        "quick": args.quick,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine_info(),
        "code": code_version(),
        "settings": {key: str(value) for key, value in vars(settings).items() if key != "index_dir"},
        "kb_env_overrides": overrides,
    }
    log(f"machine: {results['machine']['line']}")
    wall = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if {"quality", "latency", "build"} & set(parts):
            embedder = new_embedder(settings)
            results["model_load_seconds"] = load_model(embedder)
            log(f"model {settings.model} loaded in {results['model_load_seconds']} s")
            build, kb = part_build(settings, embedder, tmp, args.build_repeats)
            if "build" in parts:
                results["build"] = build
            if "quality" in parts:
                results["quality"] = part_quality(kb)
            if "latency" in parts:
                results["latency"] = part_latency(kb, embedder, args.queries, args.seed)
        if "synthetic" in parts:
            extra = ["--entries", str(args.entries), "--queries", str(args.queries), "--edits", str(args.edits)]
            extra += ["--prefill-vectors"] if args.prefill_vectors else []
            results["synthetic"] = run_child("synthetic", tmp, extra + ["--seed", str(args.seed)])
        if "index" in parts:
            extra = ["--vectors", str(args.vectors), "--index-queries", str(args.index_queries)]
            extra += ["--index-sizes", args.index_sizes] if args.index_sizes else []
            extra += ["--hnsw-budget", str(args.hnsw_budget), "--fetch-k", str(_fetch_k(results, args))]
            results["index"] = run_child("index", tmp, extra + ["--seed", str(args.seed)])
    results["machine"]["load_average_end"] = [round(value, 2) for value in os.getloadavg()]
    results["machine"]["line"] = machine_text(results["machine"])
    results["total_minutes"] = round((time.perf_counter() - wall) / 60, 1)
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    run = {key: results[key] for key in ("command", "started", "finished", "total_minutes", "code")}
    run["load_average"] = [results["machine"]["load_average_start"][0], results["machine"]["load_average_end"][0]]
    results["runs"] = {part: run for part in parts}
    if set(parts) != set(PARTS) and args.out.is_file():
        results = merge_results(json.loads(args.out.read_text()), results, parts)
    results["notes"] = notes(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    markdown = markdown_report(results)
    args.out.with_suffix(".md").write_text(markdown)
    print(markdown)
    log(f"wrote {args.out} and {args.out.with_suffix('.md')}")
    return 0


def merge_results(previous: dict[str, Any], current: dict[str, Any], parts: list[str]) -> dict[str, Any]:
    """The parts just run on top of an earlier results file's other parts (each part keeps its run)."""
    merged = dict(current)
    earlier = previous.get("runs") or {
        part: {key: previous.get(key) for key in ("command", "started", "finished", "total_minutes", "code")}
        | {"load_average": [(previous.get("machine") or {}).get("load_average_start", [None])[0]]}
        for part in PARTS
    }
    for part in PARTS:
        if part not in parts and part in previous:
            merged[part] = previous[part]
            merged["runs"][part] = earlier.get(part, {})
    return merged


def _fetch_k(results: dict[str, Any], args: argparse.Namespace) -> int:
    for part in ("latency", "synthetic"):
        found = results.get(part, {})
        found = found.get("search", found) if part == "synthetic" else found
        if found.get("index_fetch_k_source") == "measured":
            return int(found["index_fetch_k"])
    return args.fetch_k


if __name__ == "__main__":
    raise SystemExit(main())
