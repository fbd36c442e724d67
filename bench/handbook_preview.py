"""Benchmark (not a test): the handbook editor's impact preview time (helpdesk/knowledge/impact.py) on the FAQ
engine in this process, with the rankings it keeps per handbook version (helpdesk/knowledge/preview_cache.py) and
stores across restarts (helpdesk/knowledge/preview_store.py).

For each handbook:

- "first ranking": every question embedded and ranked once, as the action server does in a low-priority thread
  while customers' questions arrive (helpdesk/web/handbook.py rank_new_questions_forever); nobody waits for it;
- "cold": the first preview after a restart (a new engine and a new memory on the same index folder: the stored
  question vectors and rankings are read back and carried over to the version served);
- "warm": a second preview of another edit of the same entry on the same version (only the edit is embedded);
- "after publish": a preview after a one-entry publish (the file written, the engine refreshed: rankings carried
  over). Each preview also measures the held-out sets (eval/handbook) before and after.

Handbooks: the project's (knowledge/faq, 75 entries), N questions from the eval sets repeated to N; the 10,000-entry
synthetic handbook of bench/kb_synthetic.py with its 10,000 held-out questions (one per entry).

    nice -n 15 .venv/bin/python bench/handbook_preview.py [--questions 10000] [--synthetic 10000]
        [--out results/handbook_preview.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kb_synthetic import generate_handbook  # noqa: E402

from helpdesk.config import PROJECT_ROOT  # noqa: E402
from helpdesk.knowledge.embedder import Embedder  # noqa: E402
from helpdesk.knowledge.engine import KnowledgeBase  # noqa: E402
from helpdesk.knowledge.entry_form import from_markdown  # noqa: E402
from helpdesk.knowledge.held_out import held_out_folder, load_sets  # noqa: E402
from helpdesk.knowledge.impact import impact, preview_entry  # noqa: E402
from helpdesk.knowledge.preview_cache import cache_for  # noqa: E402
from helpdesk.knowledge.settings import Settings, load_settings  # noqa: E402


def held_out_questions() -> list[str]:
    texts: list[str] = []
    for path in sorted((PROJECT_ROOT / "eval" / "handbook").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.append(str(row.get("query") or row.get("text")))
    return texts


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def timed_preview(kb: KnowledgeBase, entry_id: str, form: dict[str, Any], questions: list[str]) -> dict[str, Any]:
    started = time.perf_counter()
    found = impact(kb, entry_id, preview_entry(entry_id, form), questions)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "ranked_from_scratch": found["ranked_now"],
        "question_texts_embedded": found["embedded_now"],
        "newly_answered": len(found["newly_answered"]),
        "taken": len(found["taken"]),
        "stopped": len(found["stopped"]),
        "held_out_worse": len(found["held_out"]["worse"]),
        "load_average_1_5_15": load(),
    }


def run(
    name: str, folder: Path, settings: Settings, embedder: Embedder, entry_id: str, questions: list[str]
) -> dict[str, Any]:
    first = KnowledgeBase(folder, settings, embedder)
    started = time.perf_counter()
    first.build()
    build_seconds = time.perf_counter() - started
    path = next(folder.rglob(f"{entry_id}.md"))
    form = from_markdown(entry_id, path.read_text(encoding="utf-8")).to_json()
    edited = {**form, "questions": [*form["questions"], "can you do this for me as well"]}
    row: dict[str, Any] = {
        "handbook": name,
        "entries": len(first.entries),
        "questions": len(questions),
        "build_seconds": round(build_seconds, 1),
    }
    texts = [*questions, *(text for found in load_sets(held_out_folder()) for text in found.texts)]
    started = time.perf_counter()
    cache_for(first).rankings(texts)  # what the low-priority thread does as the questions arrive
    counts = cache_for(first).counts
    row["first_ranking"] = {
        "seconds": round(time.perf_counter() - started, 2),
        "ranked_from_scratch": counts.ranked,
        "question_texts_embedded": counts.embedded,
        "load_average_1_5_15": load(),
    }
    print(name, "first ranking (background)", row["first_ranking"], flush=True)
    cache_for(first).flush()
    cache_for(first).store.close()
    first.stop_watcher()
    # the action server restarts: a new engine and a new memory on the same folders (the model stays loaded: a
    # restarted process loads it at start, before any preview)
    started = time.perf_counter()
    kb = KnowledgeBase(folder, settings, embedder)
    kb.build()
    row["restart_build_seconds"] = round(time.perf_counter() - started, 2)
    row["cold"] = timed_preview(kb, entry_id, edited, questions)
    row["cold"]["rankings_read_back"] = cache_for(kb).counts.restored
    print(name, "cold (first preview after a restart)", row["cold"], flush=True)
    again = {**form, "answer": form["answer"] + "\n\nAsk us anything else in the chat."}
    row["warm"] = timed_preview(kb, entry_id, again, questions)
    print(name, "warm", row["warm"], flush=True)
    path.write_text(path.read_text(encoding="utf-8").replace("\n---\n", "\n---\nUpdated. ", 1), encoding="utf-8")
    refreshed = kb.refresh()
    row["publish_refresh_seconds"] = round(refreshed.seconds, 2)
    row["after_publish"] = timed_preview(kb, entry_id, edited, questions)
    counts = cache_for(kb).counts
    row["cache"] = {
        "ranked": counts.ranked,
        "carried": counts.carried,
        "dropped": counts.dropped,
        "embedded": counts.embedded,
        "restored": counts.restored,
    }
    print(name, "after publish", row["after_publish"], flush=True)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=10_000, help="questions for the project's handbook")
    parser.add_argument("--synthetic", type=int, default=10_000, help="entries of the synthetic handbook (0: skip)")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "handbook_preview.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    rows = []
    try:
        base = load_settings()
        embedder = Embedder(base.model, base.batch_size, threads=base.embed_threads)
        shutil.copytree(PROJECT_ROOT / "knowledge" / "faq", work / "faq")
        pool = held_out_questions()
        count = args.questions
        questions = [pool[i % len(pool)] + ("" if i < len(pool) else f" ({i // len(pool)})") for i in range(count)]
        settings = base.replace(index_dir=work / "index")
        rows.append(run("project (knowledge/faq)", work / "faq", settings, embedder, "gift-wrapping", questions))
        write(args.out, base, rows)
        if args.synthetic:
            held = generate_handbook(work / "synthetic", args.synthetic, seed=7)
            synthetic_questions = [row["query"] for row in held]
            settings = base.replace(index_dir=work / "synthetic-index")
            name = f"synthetic ({args.synthetic} entries)"
            rows.append(run(name, work / "synthetic", settings, embedder, held[0]["faq_id"], synthetic_questions))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write(args.out, base, rows)
    return 0


def write(out: Path, settings: Settings, rows: list[dict[str, Any]]) -> None:
    """The figures so far (written after each handbook, so a long run keeps what it measured)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "machine": "2-core guest shared with other sessions; run under nice -n 15 (load averages per figure)",
        "embed_threads": settings.embed_threads,
        "runs": rows,
    }
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
