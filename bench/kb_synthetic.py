"""kb_bench's `synthetic` part: a generated handbook of real Markdown files (bench/data/kb_synthetic.yml),
embedded with the real model in a child process: build rate, peak RSS, search latency, restart, the watcher's
tick and how long a file edit takes to go live, and the stored index's recall on those real embeddings.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import time
import uuid
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import yaml
from common import peak_rss_mb, rss_mb
from kb_index import engine_hnsw_params, new_hnsw, unit_rows
from kb_shared import (
    EDIT_TARGET_SECONDS,
    EF_SEARCHES,
    TimedEmbedder,
    detect_fetch_k,
    load_model,
    log,
    new_embedder,
    percentiles,
    progress_printer,
    recall,
    set_threads,
    single_query_times,
)

from helpdesk.knowledge import vector_index
from helpdesk.knowledge.engine import KnowledgeBase, RefreshReport
from helpdesk.knowledge.entry_texts import entry_texts
from helpdesk.knowledge.handbook import load_handbook
from helpdesk.knowledge.settings import Settings, load_settings

DATA = Path(__file__).resolve().parent / "data" / "kb_synthetic.yml"


def load_data(path: Path = DATA) -> dict[str, Any]:
    """The generator's tables: collections, item types, colours, warehouses and intents (see the file's head)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["item_types"] = {
        item: (tuple(spec["materials"]), (int(spec["kg"][0]), int(spec["kg"][1])), spec["category"])
        for item, spec in data["item_types"].items()
    }
    return data


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def product_values(
    rng: random.Random, data: dict[str, Any], product: str, item: str, material: str, kg_range: tuple[int, int]
) -> dict[str, Any]:
    """The numbers and words one product's entries are filled with (drawn in a fixed order from ``rng``)."""
    colours = rng.sample(data["colours"], 3)
    kg = rng.randint(*kg_range)
    low = rng.choice((3, 4, 5, 6, 8))
    return {
        "product": product,
        "item": item,
        "material": material,
        "material_cap": material[0].upper() + material[1:],
        "secondary": rng.choice(("brushed steel", "solid oak", "brass", "linen", "recycled aluminium", "cork")),
        "country": rng.choice(("Portugal", "Poland", "Lithuania", "Denmark", "Italy", "Vietnam")),
        "warehouse": rng.choice(data["warehouses"]),
        "days": rng.randint(1, 5),
        "days2": rng.randint(2, 6),
        "kg": kg,
        "boxes": rng.randint(1, 4),
        "minutes": rng.choice((15, 20, 30, 45, 60, 90)),
        "assembly": rng.choice((29, 39, 49, 69, 89)),
        "distance": rng.choice((30, 40, 50)),
        "kit": rng.choice((12.95, 14.95, 19.95, 24.95)),
        "years": rng.choice((2, 3, 5, 10, 15)),
        "return_days": rng.choice((30, 60, 100)),
        "collection": rng.choice((25, 35, 49, 59)),
        "low": low,
        "high": low * rng.choice((4, 5, 6)),
        "w": rng.randint(40, 240),
        "d": rng.randint(30, 110),
        "h": rng.randint(30, 210),
        "box": rng.randint(60, 230),
        "colour": colours[0],
        "colour2": colours[1],
        "colour3": colours[2],
        "weeks": rng.randint(2, 12),
        "report_days": rng.choice((2, 7, 14)),
        "load": rng.choice((15, 25, 40, 60, 120, 150, 250)),
        "place": rng.choice(("indoor", "indoor", "covered outdoor", "year-round outdoor")),
        "cover": rng.choice((29, 39, 49)),
        "price_days": rng.choice((14, 30)),
        "takeback": rng.choice((19, 29, 39)),
        "samples": rng.choice((3, 5, 6)),
        "smell_days": rng.choice((3, 7, 14)),
        "months": rng.choice((3, 6, 12)),
        "min_order": rng.choice((100, 150, 200)),
        "max_order": rng.choice((2500, 5000)),
    }


def generate_handbook(root: Path, count: int, seed: int, data: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """``count`` entries as Markdown files under ``root``; returns one held-out query per entry.

    Entries combine a product (collection × item type, with its own material and numbers) with an
    intent (delivery, care, warranty, ...): each has a title, 3 questions picked from 6 phrasings
    and a 2–3 sentence answer from the intent's sentences filled with that product's values.
    """
    data = data or load_data()
    item_types, intents = data["item_types"], data["intents"]
    collections = data["collections"]
    combos = [(collection, item, intent) for collection in collections for item in item_types for intent in intents]
    if count > len(combos):
        raise SystemExit(f"at most {len(combos)} synthetic entries (asked for {count})")
    rng = random.Random(seed)
    rng.shuffle(combos)
    held_out: list[dict[str, str]] = []
    materials: dict[tuple[str, str], str] = {}
    for collection, item, intent in combos[:count]:
        materials_for_item, kg_range, category = item_types[item]
        material = materials.setdefault((collection, item), rng.choice(materials_for_item))
        product = f"{collection} {item}"
        values = product_values(rng, data, product, item, material, kg_range)
        spec = intents[intent]
        phrasings = [template.format(**values) for template in spec["questions"]]
        rng.shuffle(phrasings)
        sentences = [template.format(**values) for template in spec["answer"]]
        chosen = sorted(rng.sample(range(len(sentences)), rng.choice((2, 3))))
        answer = " ".join(sentences[position] for position in chosen)
        answer = answer.replace(product, f"**{product}**", 1)
        entry_id = _slug(f"{collection}-{item}-{intent}")
        front = {
            "id": entry_id,
            "title": spec["title"].format(**values),
            "questions": phrasings[:3],
            "tags": [intent, _slug(item), category],
        }
        path = root / intent / f"{entry_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000) + "---\n" + answer
        path.write_text(text + "\n", encoding="utf-8")
        held_out.append({"query": phrasings[3], "faq_id": entry_id, "path": str(path), "title": front["title"]})
    return held_out


def child_synthetic(args: argparse.Namespace) -> dict[str, Any]:
    tmp = Path(args.tmp)
    settings = load_settings().replace(index_dir=tmp / "synthetic-index")
    root = tmp / "synthetic-handbook"
    log(f"synthetic: writing {args.entries} entries as Markdown files under {root}")
    started = time.perf_counter()
    held_out = generate_handbook(root, args.entries, args.seed)
    files = list(root.rglob("*.md"))
    generate_seconds = time.perf_counter() - started
    handbook_bytes = sum(path.stat().st_size for path in files)
    result: dict[str, Any] = {
        "entries_requested": args.entries,
        "files": len(files),
        "handbook_mb": round(handbook_bytes / 1e6, 2),
        "generate_seconds": round(generate_seconds, 2),
        "rss_before_model_mb": round(rss_mb(), 1),
    }
    embedder = new_embedder(settings)
    result["model_load_seconds"] = load_model(embedder)
    result["rss_after_model_mb"] = round(rss_mb(), 1)
    log(f"synthetic: model loaded in {result['model_load_seconds']} s; cold build (real embeddings)")

    kb = KnowledgeBase(root, settings, embedder)
    result["prefilled_vectors"] = bool(args.prefill_vectors)
    if args.prefill_vectors:
        # bench-only: seeded random unit vectors for every text instead of model embeddings, so that the
        # refresh path can be timed at this size when the machine is too busy to embed ~50k texts
        log("synthetic: --prefill-vectors: random unit vectors for the handbook's texts (nothing embedded)")
        texts = sorted(
            {text for entry in load_handbook(root).entries.values() for text in entry_texts(entry, settings)[0]}
        )
        rows = unit_rows(np.random.default_rng(args.seed), len(texts), embedder.dim)
        kb._vectors.vectors.update(zip(texts, rows, strict=True))
        kb._vectors.dim = embedder.dim
    load_before = os.getloadavg()[0]
    report = kb.build(progress_printer("synthetic"))
    result["build"] = {
        "entries": report.entries,
        "vectors": report.vectors,
        "index_kind": report.index_kind,
        "embedded_texts": report.embedded_texts,
        "seconds": round(report.seconds, 2),
        "entries_per_second": round(report.entries / report.seconds, 1),
        "texts_per_second": round(report.embedded_texts / report.seconds, 1),
        "problems": len(report.problems),
        "approx_index_min_vectors": settings.approx_index_min_vectors,
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
    started = time.perf_counter()
    load_handbook(root)
    result["parse_seconds"] = round(time.perf_counter() - started, 2)
    result["rss_after_build_mb"] = round(rss_mb(), 1)
    result["peak_rss_after_build_mb"] = round(peak_rss_mb(), 1)
    index_files = {path.name: path.stat().st_size for path in settings.index_dir.iterdir()}
    result["index_dir_mb"] = round(sum(index_files.values()) / 1e6, 1)
    log(f"  {report}; peak RSS {result['peak_rss_after_build_mb']} MB")

    default_threads = faiss.omp_get_max_threads()
    if not args.prefill_vectors:
        synthetic_search(kb, settings, embedder, held_out, args, result)
    else:
        kb.decide(held_out[0]["query"])  # a serving engine has answered queries before (speller ready)

    # restart with unchanged files: nothing embedded, model not even loaded
    fresh = new_embedder(settings)
    started = time.perf_counter()
    restart_report = KnowledgeBase(root, settings, fresh).build()
    result["restart"] = {
        "seconds": round(time.perf_counter() - started, 2),
        "embedded_texts": restart_report.embedded_texts,
        "model_loaded": fresh.loaded,
        "index_kind": restart_report.index_kind,
    }
    log(f"synthetic: restart with unchanged files: {result['restart']}")
    set_threads(default_threads)
    return synthetic_changes(kb, settings, root, held_out, args, result)


def synthetic_search(
    kb: KnowledgeBase,
    settings: Settings,
    embedder: TimedEmbedder,
    held_out: list[dict[str, str]],
    args: argparse.Namespace,
    result: dict[str, Any],
) -> None:
    """Search latency: held-out phrasings (not in the files), one at a time, 1 thread."""
    rng = random.Random(args.seed + 1)
    sample = [rng.choice(held_out) for _ in range(max(500, min(args.queries, 1000)))]
    set_threads(1)
    for item in sample[:30]:
        kb.decide(item["query"], k=10)
    log(f"synthetic: {len(sample)} held-out queries, 1 thread, decide() each")
    hits = 0
    totals: list[float] = []
    embeds: list[float] = []
    for position, item in enumerate(sample, start=1):
        started = time.perf_counter()
        decision = kb.decide(item["query"], k=10)
        totals.append((time.perf_counter() - started) * 1000)
        embeds.append(embedder.last_seconds * 1000)
        hits += bool(decision.best and decision.best.id == item["faq_id"])
        if position % 250 == 0:
            log(f"  {position}/{len(sample)} queries, p50 so far {np.median(totals):.1f} ms")
    fetch_k, fetch_source = detect_fetch_k(kb, sample[0]["query"])
    result["search"] = {
        "decide": percentiles(totals),
        "embed": percentiles(embeds),
        "search_and_decide": percentiles([a - b for a, b in zip(totals, embeds, strict=True)]),
        "held_out_hit_at_1": round(hits / len(sample), 4),
        "index_fetch_k": fetch_k,
        "index_fetch_k_source": fetch_source,
    }
    result["search"]["index_on_real_vectors"] = real_vector_recall(kb, settings, sample, fetch_k)


def synthetic_changes(
    kb: KnowledgeBase,
    settings: Settings,
    root: Path,
    held_out: list[dict[str, str]],
    args: argparse.Namespace,
    result: dict[str, Any],
) -> dict[str, Any]:
    """The watcher's idle tick, edits going live, add/delete, and a restart after those changes."""
    # the watcher's cost per tick when nothing changed
    idle = []
    for _ in range(3):
        refreshed = kb.refresh()
        idle.append(refreshed.seconds)
    result["idle_refresh_seconds"] = [round(value, 3) for value in idle]
    log(f"synthetic: refresh() with nothing changed: {result['idle_refresh_seconds']} s")

    result["edit_live"] = measure_edit_live(kb, settings, held_out, args.edits, args.seed)

    # one more edit, an added file and a deleted file, each with a direct refresh(), to split the
    # delay into poll wait and refresh work (live_seconds: until served; seconds: with saving)
    target = held_out[-1]
    token = _edit_answer(Path(target["path"]))
    refreshed = kb.refresh()
    served = token in (kb.entry(target["faq_id"]).answer if kb.entry(target["faq_id"]) else "")
    result["edit_refresh"] = _refresh_row(refreshed, served)
    log(f"synthetic: direct refresh() after one edit: {refreshed}")
    new_path = Path(target["path"]).with_name("zz-added-entry.md")
    new_path.write_text(
        Path(target["path"])
        .read_text(encoding="utf-8")
        .replace(f"id: {target['faq_id']}", "id: zz-added-entry", 1)
        .replace("title: ", "title: Added entry - ", 1),
        encoding="utf-8",
    )
    refreshed = kb.refresh()
    result["add_refresh"] = _refresh_row(refreshed, kb.entry("zz-added-entry") is not None)
    log(f"synthetic: direct refresh() after adding a file: {refreshed}")
    new_path.unlink()
    refreshed = kb.refresh()
    result["delete_refresh"] = _refresh_row(refreshed, kb.entry("zz-added-entry") is None)
    log(f"synthetic: direct refresh() after deleting it: {refreshed}")
    result["index_after_changes"] = kb.status()["index"]

    # a restart after those incremental changes: the stored state serves the edited entries
    fresh = new_embedder(settings)
    started = time.perf_counter()
    restarted = KnowledgeBase(root, settings, fresh)
    restart_report = restarted.build()
    edited = restarted.entry(target["faq_id"])
    result["restart_after_changes"] = {
        "seconds": round(time.perf_counter() - started, 2),
        "embedded_texts": restart_report.embedded_texts,
        "model_loaded": fresh.loaded,
        "index": restart_report.index_description,
        "edited_entry_served": edited is not None and token in edited.answer,
        "deleted_entry_gone": restarted.entry("zz-added-entry") is None,
    }
    log(f"synthetic: restart after the changes: {result['restart_after_changes']}")
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    result["rss_end_mb"] = round(rss_mb(), 1)
    return result


def _refresh_row(report: RefreshReport, served: bool) -> dict[str, Any]:
    return {
        "live_seconds": round(report.live_seconds, 3),
        "seconds": round(report.seconds, 3),
        "added": report.added,
        "changed": report.changed,
        "removed": report.removed,
        "embedded_entries": report.embedded,
        "index_kind": report.index_kind,
        "served": served,
    }


def real_vector_recall(
    kb: KnowledgeBase, settings: Settings, sample: list[dict[str, str]], fetch_k: int
) -> dict[str, Any] | None:
    """The engine's stored index vs exact search over the same (weighted) vectors, for real queries."""
    manifest_path = settings.index_dir / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        vectors = np.load(settings.index_dir / manifest["vectors_file"])
        stored = faiss.read_index(str(settings.index_dir / manifest["index_file"]))
    except (OSError, ValueError, KeyError, RuntimeError) as error:
        log(f"  (skipping recall on real vectors: {error})")
        return None
    weights = np.empty(len(vectors), dtype=np.float32)
    position_of = np.full(int(manifest["next_id"]), -1, dtype=np.int64)  # the index's row id → vectors row
    for data in manifest["entries"].values():
        start, end = data["rows"]
        questions = data["question_rows"]
        weights[start : start + questions] = settings.question_weight
        weights[start + questions : end] = settings.answer_weight
        position_of[data["first_id"] : data["first_id"] + end - start] = np.arange(start, end)
    weighted = np.ascontiguousarray(vectors * weights[:, None], dtype=np.float32)
    queries = kb.embedder.encode(sorted({item["query"] for item in sample}))
    exact = faiss.IndexFlatIP(weighted.shape[1])
    exact.add(weighted)
    _, truth = exact.search(queries, 10)
    result: dict[str, Any] = {"vectors": len(weighted), "queries": len(queries), "index": manifest["index_kind"]}
    exact_times = single_query_times(exact, queries[:200], 10)
    result["flat_p50_ms_k10"] = exact_times[0]
    if manifest["index_kind"] != "hnsw":
        # the engine chose another kind at this size: build its HNSW over the same vectors to compare
        stored = faiss.IndexIDMap(new_hnsw(weighted.shape[1], engine_hnsw_params(settings, weighted.shape[1])))
        stored.add_with_ids(weighted, np.arange(len(weighted), dtype=np.int64))
        position_of = np.arange(len(weighted), dtype=np.int64)
        result["index"] = "HNSW built by the bench with the engine's parameters (the engine used another kind)"
    inner = faiss.downcast_index(stored.index)
    for ef in EF_SEARCHES:
        inner.hnsw.efSearch = ef
        p50, found = single_query_times(stored, queries, 10, keep=True)
        mapped = np.where(found >= 0, position_of[np.maximum(found, 0)], -1)
        result[f"ef{ef}"] = {"p50_ms_k10": p50, "recall_at_10": recall(mapped, truth)}
    inner.hnsw.efSearch = settings.hnsw_ef_search
    result["p50_ms_fetch_k"] = single_query_times(stored, queries[:200], fetch_k)[0]
    # what a full rebuild (a kind switch, or tombstones past their share) costs over these vectors
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    started = time.perf_counter()
    vector_index.build_index(weighted, np.arange(len(weighted), dtype=np.int64), settings)
    result["index_rebuild_seconds"] = round(time.perf_counter() - started, 2)
    faiss.omp_set_num_threads(1)
    log(f"  index on real vectors: {result}")
    return result


def _edit_answer(path: Path) -> str:
    token = f"ZQX{uuid.uuid4().hex[:10].upper()}"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + f" Reference code {token}.\n", encoding="utf-8")
    return token


def measure_edit_live(
    kb: KnowledgeBase, settings: Settings, held_out: list[dict[str, str]], edits: int, seed: int
) -> dict[str, Any]:
    """Start the watcher, edit one file at a time, poll every 50 ms until entry() and decide() serve it."""
    interval = settings.watch_interval
    log(f"synthetic: edit going live with the watcher (interval {interval} s), {edits} edits")
    kb.start_watcher(interval)
    rng = random.Random(seed + 2)
    trials = []
    try:
        time.sleep(interval * 1.5)
        for number in range(edits):
            target = rng.choice(held_out[:-1])
            time.sleep(rng.uniform(0, interval))  # edits land at random points of the poll cycle
            token = _edit_answer(Path(target["path"]))
            started = time.perf_counter()
            entry_seconds = decide_seconds = None
            while time.perf_counter() - started < 180:
                entry = kb.entry(target["faq_id"])
                if entry_seconds is None and entry is not None and token in entry.answer:
                    entry_seconds = time.perf_counter() - started
                if entry_seconds is not None:
                    passage = next(text for text in entry_texts(entry, settings)[0] if token in text)
                    # served: decide() ranks the new version (the synthetic handbook has near-twins of every
                    # entry, so a twin may rank first for its own passage)
                    ranked = kb.decide(passage, k=10).ranked
                    if any(found.id == target["faq_id"] and token in found.answer for found in ranked):
                        decide_seconds = time.perf_counter() - started
                        break
                time.sleep(0.05)
            trials.append(
                {
                    "entry_id": target["faq_id"],
                    "entry_live_seconds": None if entry_seconds is None else round(entry_seconds, 2),
                    "decide_live_seconds": None if decide_seconds is None else round(decide_seconds, 2),
                }
            )
            log(f"  edit {number + 1}/{edits}: {trials[-1]}")
            time.sleep(interval)  # let the watcher settle before the next edit
    finally:
        kb.stop_watcher(timeout=120)
    live = [trial["decide_live_seconds"] for trial in trials if trial["decide_live_seconds"] is not None]
    return {
        "watch_interval": interval,
        "trials": trials,
        "median_seconds": round(float(np.median(live)), 2) if live else None,
        "max_seconds": round(max(live), 2) if live else None,
        "all_served": len(live) == len(trials),
        "target_seconds": EDIT_TARGET_SECONDS,
    }
