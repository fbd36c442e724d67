"""kb_bench's report: results/kb_bench.md from the results JSON (the summary table, the index tables, the notes)."""

from __future__ import annotations

from typing import Any

from kb_index import project_seconds
from kb_shared import EDIT_TARGET_SECONDS, EF_SEARCHES, INDEX_P50_TARGET_MS, RECALL_TARGET


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _engine_setting(results: dict[str, Any], name: str) -> int:
    """An engine setting as the results record it (the index part's own record if it has one)."""
    recorded = (results.get("index") or {}).get("engine_settings", {}).get(name)
    value = (results.get("settings") or {}).get(name, recorded)
    return int(float(value))


def _engine_kind(results: dict[str, Any], vectors: int) -> str:
    if vectors >= _engine_setting(results, "ivf_index_min_vectors"):
        return "ivf"
    return "hnsw" if vectors >= _engine_setting(results, "approx_index_min_vectors") else "flat"


def _sweep_row(rows: list[dict[str, Any]], knob: str, value: int) -> dict[str, Any] | None:
    return next((row for row in rows if row[knob] == value), None)


def _search_text(row: dict[str, Any] | None) -> str:
    if row is None:
        return "–"
    cpu = f" (CPU {row['cpu_p50_ms']:.2f} ms)" if "cpu_p50_ms" in row else ""
    return f"p50 {row['p50_ms']:.2f}{cpu} / p99 {row['p99_ms']:.2f} ms, recall@10 {row['recall_at_10']:.3f}"


def _met(row: dict[str, Any] | None) -> str:
    target = f"p50 ≤ {INDEX_P50_TARGET_MS:.0f} ms, recall@10 ≥ {RECALL_TARGET}"
    if row is None:
        return target
    return f"{target}: {'met' if row['meets_targets'] else 'not met'}"


def index_table_rows(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    index = results["index"]
    total = max(int(size) for size in index["clustered"])  # the full size, unless the run stopped before it
    nprobe, ef = _engine_setting(results, "ivf_nprobe"), _engine_setting(results, "hnsw_ef_search")
    big = index["clustered"][str(total)]
    kind = _engine_kind(results, total)
    label = f"Index alone, {total:,} clustered vectors (grown from real MiniLM embeddings)"
    ivf, hnsw = big["ivf"], big.get("hnsw")
    rows = []
    if kind == "ivf":
        row = _sweep_row(ivf["sweep"], "nprobe", nprobe)
        rows += [
            (
                f"{label}: the engine's index",
                f"ivf (IndexIVFFlat, nlist={ivf['nlist']} = {_engine_setting(results, 'ivf_nlist_factor')}·√n, "
                f"nprobe={nprobe}): {_search_text(row)}, one query on 1 thread",
                _met(row),
            ),
            (
                f"{label}: build and memory of that index",
                f"{ivf['build_seconds']:.0f} s on {index['build_threads']} threads (k-means on "
                f"{ivf['train_points']:,} sampled rows, then adding all); {ivf['index_mb']:,.0f} MB "
                f"(RSS +{ivf['rss_delta_mb']:,.0f} MB)",
                "",
            ),
        ]
    elif hnsw:
        row = _sweep_row(hnsw["sweep"], "efSearch", ef)
        rows.append((f"{label}: the engine's index", f"hnsw (efSearch={ef}): {_search_text(row)}", _met(row)))
    rows.append(
        (
            f"{label}: exact IndexFlatIP",
            f"p50 {big['flat']['p50_ms']:.1f} ms, one query on 1 thread; {big['flat']['index_mb']:,.0f} MB",
            "",
        )
    )
    if hnsw and hnsw["complete"]:
        row = _sweep_row(hnsw["sweep"], "efSearch", ef)
        rows.append(
            (
                f"{label}: HNSW M={hnsw['params']['M']}, efSearch={ef} (not chosen)",
                f"{_search_text(row)}; build {hnsw['build_seconds']:.0f} s, {hnsw['index_mb']:,.0f} MB",
                "",
            )
        )
    else:
        below = [size for size in index["clustered"] if int(size) < total and index["clustered"][size].get("hnsw")]
        if below:
            largest = index["clustered"][below[-1]]["hnsw"]
            projected = project_seconds(
                [{"vectors": largest["vectors_built"], "seconds": largest["build_seconds"]}], total
            )
            rows.append(
                (
                    f"{label}: HNSW M={largest['params']['M']} (not chosen)",
                    f"not built at this size; {int(below[-1]):,} vectors took {largest['build_seconds']:.0f} s, so "
                    f"~{projected:.0f} s projected for {total:,} (t ∝ n·log n), "
                    f"vs {ivf['build_seconds']:.0f} s for IVF",
                    "",
                )
            )
    random_part = index.get("random")
    if random_part:
        sweep_rows = random_part["ivf"]["sweep"]
        row = _sweep_row(sweep_rows, "nprobe", nprobe)
        shown = nprobe
        if row is None:  # not measured at the engine's value: the nearest larger one
            row = next((r for r in sweep_rows if r["nprobe"] >= nprobe), sweep_rows[-1])
            shown = f"{row['nprobe']}, the nearest measured to the engine's {nprobe}"
        best = next((r for r in sweep_rows if r["recall_at_10"] >= RECALL_TARGET), None)
        text = f"IVF nlist={random_part['ivf']['nlist']}, nprobe={shown}: {_search_text(row)}"
        if best is not None:
            text += f"; recall ≥ {RECALL_TARGET} first at nprobe={best['nprobe']}: p50 {best['p50_ms']:.2f} ms"
        rows.append((f"Index alone, {total:,} uniform random unit vectors (worst case, not realistic)", text, ""))
    return rows


def index_sections(results: dict[str, Any]) -> list[str]:
    index = results["index"]
    nprobe, ef = _engine_setting(results, "ivf_nprobe"), _engine_setting(results, "hnsw_ef_search")
    lines = [
        "## Index alone: clustered vectors by size",
        "",
        f"Vectors grown from real MiniLM embeddings (see the notes and bench/README.md), {index['queries']} queries "
        "drawn the same way and never indexed, one at a time on 1 thread; recall@10 against exact search over the "
        f"same vectors. Engine settings: HNSW from {_engine_setting(results, 'approx_index_min_vectors'):,} vectors "
        f"(efSearch {ef}), IVF from {_engine_setting(results, 'ivf_index_min_vectors'):,} (nprobe {nprobe}).",
        "",
        f"| vectors | engine uses | exact p50 | IVF build | IVF MB | IVF nprobe={nprobe} | HNSW build | HNSW MB "
        f"| HNSW efSearch={ef} |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for size, part in index["clustered"].items():
        ivf, hnsw = part["ivf"], part.get("hnsw")
        ivf_row = _sweep_row(ivf["sweep"], "nprobe", nprobe)
        hnsw_row = _sweep_row(hnsw["sweep"], "efSearch", ef) if hnsw else None
        hnsw_build = "not built"
        if hnsw:
            hnsw_build = f"{hnsw['build_seconds']:.0f} s" + ("" if hnsw["complete"] else f" ({hnsw['note']})")
        lines.append(
            f"| {int(size):,} | {_engine_kind(results, int(size))} | {part['flat']['p50_ms']:.1f} ms | "
            f"{ivf['build_seconds']:.0f} s (nlist {ivf['nlist']}) | {ivf['index_mb']:,.0f} | "
            f"{_search_text(ivf_row)} | {hnsw_build} | {hnsw['index_mb'] if hnsw else '–'} | {_search_text(hnsw_row)} |"
        )
    lines.append("")
    for size, part in index["clustered"].items():
        lines += [
            f"### {int(size):,} clustered vectors: the search-time knobs",
            "",
            f"| index | knob | p50 | p99 | recall@10 | p50 at k={index['fetch_k']} |",
            "|---|---|---|---|---|---|",
        ]
        for name, knob in (("ivf", "nprobe"), ("hnsw", "efSearch")):
            for row in (part.get(name) or {}).get("sweep", []):
                lines.append(
                    f"| {name} | {knob}={row[knob]} | {row['p50_ms']:.2f} ms | {row['p99_ms']:.2f} ms | "
                    f"{row['recall_at_10']:.3f} | {row['p50_ms_fetch_k']:.2f} ms |"
                )
        lines.append("")
    random_part = index.get("random")
    if random_part:
        lines += [
            f"### {random_part['vectors']:,} uniform random unit vectors (worst case, not realistic)",
            "",
            f"Queries: {random_part['queries']}. Exact p50 {random_part['flat']['p50_ms']:.1f} ms; IVF nlist "
            f"{random_part['ivf']['nlist']} built in {random_part['ivf']['build_seconds']:.0f} s.",
            "",
            "| nprobe | p50 | p99 | recall@10 |",
            "|---|---|---|---|",
        ]
        for row in random_part["ivf"]["sweep"]:
            lines.append(
                f"| {row['nprobe']} | {row['p50_ms']:.2f} ms | {row['p99_ms']:.2f} ms | {row['recall_at_10']:.3f} |"
            )
        lines.append("")
    realism = index.get("realism")
    if realism:
        real, generated = realism["real"], realism["generated"]
        lines += [
            "### How the generated vectors compare with real embeddings",
            "",
            "Median cosine of the nearest and the 10th-nearest neighbour:",
            "",
            "| set | nearest | 10th nearest |",
            "|---|---|---|",
            f"| real: {real['vectors']} handbook rows among themselves | "
            f"{real['handbook_rows_among_themselves']['nn1_cos_median']} | "
            f"{real['handbook_rows_among_themselves']['nn10_cos_median']} |",
            f"| real: {real['queries']} eval queries against the handbook rows | "
            f"{real['eval_queries_vs_handbook']['nn1_cos_median']} | "
            f"{real['eval_queries_vs_handbook']['nn10_cos_median']} |",
            f"| generated: 500 rows against all {generated['rows']:,} | "
            f"{generated['rows_among_a_sample_of_themselves']['nn1_cos_median']} | "
            f"{generated['rows_among_a_sample_of_themselves']['nn10_cos_median']} |",
            f"| generated: the queries against all {generated['rows']:,} rows | "
            f"{generated['queries_vs_rows']['nn1_cos_median']} | {generated['queries_vs_rows']['nn10_cos_median']} |",
            "",
            f"Two rows of the same generated topic: median cosine {generated['same_topic_cos_median']} (real: rows of "
            f"one handbook entry, 0.47); two random generated rows: {generated['random_pair_cos_median']}.",
            "",
        ]
    return lines


def synthetic_table_rows(synthetic: dict[str, Any]) -> list[tuple[str, str, str]]:
    sb, search, edit = synthetic["build"], synthetic.get("search"), synthetic["edit_live"]
    prefilled = synthetic.get("prefilled_vectors", False)
    name = f"Synthetic {sb['entries']:,}-entry handbook" + (" (pre-filled random vectors)" if prefilled else "")
    rows: list[tuple[str, str, str]] = []
    if prefilled:
        rows.append(
            (
                f"{name}: build without embedding ({sb['vectors']:,} vectors): parse, index, save",
                f"{sb['seconds']:.0f} s (not a cold-build figure: nothing was embedded)",
                "",
            )
        )
    else:
        rows.append(
            (
                f"{name}: cold build ({sb['vectors']:,} vectors, real embeddings)",
                f"{sb['seconds']:.0f} s: {sb['entries_per_second']:.1f} entries/s, "
                f"{sb['texts_per_second']:.0f} texts/s",
                "",
            )
        )
    rows += [
        (f"{name}: peak RSS of the process", f"{synthetic['peak_rss_mb']:,.0f} MB", ""),
        (f"{name}: index", synthetic.get("index_after_changes") or sb["index_kind"], ""),
    ]
    if search:
        rows.append(
            (
                f"{name}: one query (decide), 1 thread",
                f"p50 {search['decide']['p50_ms']:.1f} / p99 {search['decide']['p99_ms']:.1f} ms "
                f"(search + decide alone p50 {search['search_and_decide']['p50_ms']:.1f} / "
                f"p99 {search['search_and_decide']['p99_ms']:.1f} ms)",
                "",
            )
        )
    parse = synthetic.get("parse_seconds")
    rows += [
        (
            f"{name}: restart with unchanged files",
            f"{synthetic['restart']['seconds']:.1f} s, re-embedded {synthetic['restart']['embedded_texts']}"
            + (f" (parsing the {synthetic['files']:,} files alone: {parse:.1f} s)" if parse is not None else ""),
            "0 re-embedded",
        ),
        (
            f"{name}: watcher tick with nothing changed (refresh())",
            ", ".join(f"{value:.2f}" for value in synthetic["idle_refresh_seconds"]) + " s",
            "",
        ),
        (
            f"{name}: one file edit live in decide() (watcher, {edit['watch_interval']} s interval)",
            f"median {_fmt(edit['median_seconds'])} s, max {_fmt(edit['max_seconds'])} s over "
            f"{len(edit['trials'])} edits",
            f"≤ {EDIT_TARGET_SECONDS:.0f} s: "
            + ("met" if (edit["max_seconds"] or 1e9) <= EDIT_TARGET_SECONDS else "not met"),
        ),
    ]
    for key, label in (
        ("edit_refresh", "an edited file"),
        ("add_refresh", "an added file"),
        ("delete_refresh", "a deleted file"),
    ):
        row = synthetic.get(key)
        if row and "live_seconds" in row:
            rows.append(
                (
                    f"{name}: refresh() for {label}",
                    f"served after {row['live_seconds']:.2f} s ({row['seconds']:.2f} s with saving the index), "
                    f"re-embedded {row['embedded_entries']} entries, served: {'yes' if row['served'] else 'no'}",
                    "",
                )
            )
    after = synthetic.get("restart_after_changes")
    if after:
        rows.append(
            (
                f"{name}: restart after those changes",
                f"{after['seconds']:.1f} s, re-embedded {after['embedded_texts']}, model loaded: "
                f"{'yes' if after['model_loaded'] else 'no'}, edited entry served: "
                f"{'yes' if after['edited_entry_served'] else 'no'}, deleted entry gone: "
                f"{'yes' if after['deleted_entry_gone'] else 'no'}",
                "0 re-embedded",
            )
        )
    return rows


def markdown_report(results: dict[str, Any]) -> str:
    lines = ["# Knowledge-engine benchmark", ""]
    machine = results["machine"]
    lines += [f"Machine: {machine['line']}.", ""]
    version = results.get("code", {})
    lines += [
        f"Engine: commit {version.get('git_commit', '?')}, engine sha256 {version.get('engine_sha256')}"
        + (f", uncommitted: {', '.join(version['uncommitted_changes'])}" if version.get("uncommitted_changes") else "")
        + f". Run: `{results['command']}`, {results['total_minutes']} min, {results['finished']}.",
        "",
        "| measurement | result | target |",
        "|---|---|---|",
    ]
    rows: list[tuple[str, str, str]] = []
    quality = results.get("quality")
    if quality:
        rows += [
            ("Demo handbook, TEST split: P@1", _fmt(quality["p_at_1"], 3), ""),
            ("Demo handbook, TEST split: MRR@10", _fmt(quality["mrr_at_10"], 3), ""),
            ("Demo handbook, TEST split: answered (in-scope)", _pct(quality["answered_rate"]), ""),
            ("Demo handbook, TEST split: wrong answers (in-scope)", _pct(quality["wrong_answer_rate"]), ""),
            ("Demo handbook, TEST split: out-of-scope answered", _pct(quality.get("oos_answered_rate")), ""),
        ]
    latency = results.get("latency")
    if latency:
        for label, run in latency["runs"].items():
            total = run["total"]
            rows.append(
                (
                    f"One query on the demo handbook (embed with {latency.get('embedding_backend', 'torch')} + "
                    f"search + decide), {label.replace('_', ' ')}",
                    f"p50 {total['p50_ms']:.1f} / p95 {total['p95_ms']:.1f} / p99 {total['p99_ms']:.1f} ms "
                    f"(embedding p50 {run['embed']['p50_ms']:.1f} ms, n={total['n']})",
                    "",
                )
            )
    build = results.get("build")
    if build:
        cold, restart = build["cold"], build["restart"]
        rows += [
            (
                f"Cold build, demo handbook ({cold['entries']} entries, {cold['vectors']} vectors)",
                f"{cold['build_seconds']:.2f} s: {cold['entries_per_second']:.1f} entries/s, "
                f"{cold['texts_per_second']:.0f} texts/s (median of "
                f"{', '.join(f'{value:.1f}' for value in cold['all_build_seconds'])} s)",
                "",
            ),
            (
                "Restart, unchanged files (in-process)",
                f"{restart['load_seconds'] * 1000:.0f} ms, re-embedded {restart['embedded_texts']} texts, "
                f"model loaded: {'yes' if restart['model_loaded'] else 'no'}",
                "0 re-embedded",
            ),
            (
                "Restart, unchanged files (fresh Python process, imports included)",
                f"{restart['fresh_process']['process_wall_seconds']:.2f} s, re-embedded "
                f"{restart['fresh_process']['embedded_texts']} texts",
                "0 re-embedded",
            ),
        ]
    synthetic = results.get("synthetic")
    if synthetic:
        rows += synthetic_table_rows(synthetic)
    index = results.get("index")
    if index and "clustered" in index:
        rows += index_table_rows(results)
    lines += [f"| {name} | {value} | {target} |" for name, value, target in rows]
    lines.append("")

    if index and "clustered" in index:
        lines += index_sections(results)
    real = (synthetic or {}).get("search", {}).get("index_on_real_vectors")
    if real:
        lines += [
            f"## HNSW on real embeddings ({real['vectors']:,} vectors of the synthetic handbook)",
            "",
            f"Index: {real['index']}. {real['queries']} held-out query embeddings, one at a time on 1 thread, "
            f"recall@10 against exact search over the same weighted vectors (exact p50 {real['flat_p50_ms_k10']:.2f} "
            "ms).",
            "",
            "| efSearch | p50 k=10 | recall@10 |",
            "|---|---|---|",
        ]
        for ef in EF_SEARCHES:
            if f"ef{ef}" in real:
                row = real[f"ef{ef}"]
                lines.append(f"| {ef} | {row['p50_ms_k10']:.2f} ms | {row['recall_at_10']:.3f} |")
        lines.append("")
    if results.get("notes"):
        lines += ["## Notes", ""] + [f"- {note}" for note in results["notes"]] + [""]
    return "\n".join(lines)


def notes(results: dict[str, Any]) -> list[str]:
    found = [
        "Latency is one query at a time in one Python thread; '1 thread' also limits torch and faiss to one "
        "thread each, the other run uses the libraries' defaults.",
        *results.get("extra_notes", []),
    ]
    runs = results.get("runs") or {}
    if len({run.get("finished") for run in runs.values()}) > 1:
        found.append(
            "Parts come from different runs: "
            + "; ".join(
                f"{part}: {run.get('finished')}, load average {run.get('load_average')}" for part, run in runs.items()
            )
            + "."
        )
    latency = results.get("latency")
    if latency:
        found.append(
            f"decide(k=10) asks the index for {latency['index_fetch_k']} rows ({latency['index_fetch_k_source']}); "
            "HNSW latencies are given at k=10 and at that size."
        )
        runs = list(latency["runs"].values())
        if len(runs) == 2 and runs[1]["total"]["p50_ms"] > 2 * runs[0]["total"]["p50_ms"]:
            load = latency.get("load_average") or results["machine"]["load_average_start"][:1]
            found.append(
                "With torch's default intra-op threads the query embedding was "
                f"{runs[1]['embed']['p50_ms'] / runs[0]['embed']['p50_ms']:.0f}× slower than with one thread in "
                f"this run (load average {load[0]} when the latency part started): two OpenMP threads that wait on "
                "each other stall whenever another job takes one of the cores. On a quiet machine the second "
                "thread helps a little instead, so this ratio measures contention, not the engine."
            )
    changes = results.get("code", {}).get("uncommitted_changes")
    if changes:
        found.append(
            "The engine, its settings or the handbook had uncommitted edits when this ran (see the Engine line): "
            "the quality figures describe that working tree; re-run `--parts quality` for a committed version."
        )
    synthetic = results.get("synthetic")
    if synthetic:
        edit, refresh = synthetic["edit_live"], synthetic.get("edit_refresh", {})
        found.append(
            f"Edit going live = waiting for the next watcher tick (0–{edit['watch_interval']} s) + one refresh(); "
            f"at {synthetic['build']['vectors']:,} vectors a refresh() after one edit served the change after "
            f"{refresh.get('live_seconds', refresh.get('seconds', 0)):.2f} s (stat every file, re-read the changed "
            "one, embed its changed texts, swap its rows in the index), and one with nothing changed took "
            f"{min(synthetic['idle_refresh_seconds']):.2f}–{max(synthetic['idle_refresh_seconds']):.2f} s."
        )
        if synthetic.get("prefilled_vectors"):
            found.append(
                "The synthetic part ran with --prefill-vectors: the handbook's texts got seeded random unit vectors "
                "instead of model embeddings (the machine was too busy to embed ~50k texts in time), so the build "
                "row is not a cold-build figure and no search latency or recall is given for this run. Everything "
                "on the refresh path is real: files are stat-ed, read and parsed, and each edited entry's texts "
                "are embedded by the model."
            )
        rebuild = ((synthetic.get("search") or {}).get("index_on_real_vectors") or {}).get("index_rebuild_seconds")
        if rebuild is not None:
            found.append(
                f"Rebuilding the engine's index from scratch over the same {synthetic['build']['vectors']:,} vectors "
                f"takes {rebuild:.1f} s: it happens only when HNSW tombstones pass max_dead_share or the size "
                "crosses into another index kind, and then after the change is already served."
            )
        if synthetic.get("search"):
            found.append(
                f"Synthetic held-out hit@1 = {synthetic['search']['held_out_hit_at_1']:.3f} (a sanity check only: "
                "the generated handbook repeats every intent for hundreds of near-identical products)."
            )
    index = results.get("index")
    if index and "clustered" in index:
        generator = index["generator"]
        found.append(
            "Clustered vectors: the real MiniLM embeddings of the demo handbook's texts are the seeds (the eval "
            f"queries' embeddings only serve the comparison table); noise follows the seeds' covariance; topic "
            f"centres = seed + {generator['alpha']}·noise, rows = topic + {generator['beta']}·noise, "
            f"{generator['rows_per_topic']} rows per topic on average, all renormalised; queries are drawn the same "
            "way and never indexed (bench/README.md). The parameters were set so that rows of one topic are as "
            "close as the rows of one real handbook entry (median cosine ≈ 0.5), not to make the index look good."
        )
        found.append(
            "Random unit vectors in 384 dimensions are the worst case for any approximate index: apart from the "
            "planted neighbour the top 10 are nearly tied (cosine ≈ 0.2). Real sentence embeddings are not like "
            "that; the row is kept as a lower bound."
        )
    return found
