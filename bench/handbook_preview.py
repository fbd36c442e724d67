"""Benchmark (not a test): the handbook editor's impact preview time (helpdesk/knowledge/impact.py) on the FAQ
engine in this process, over N questions (the held-out handbook sets of eval/handbook, repeated to N), for an
edit of one entry of a copy of the handbook.

    .venv/bin/python bench/handbook_preview.py [--questions 1000 10000] [--out results/handbook_preview.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from helpdesk.config import PROJECT_ROOT
from helpdesk.knowledge.embedder import Embedder
from helpdesk.knowledge.engine import KnowledgeBase
from helpdesk.knowledge.impact import impact, preview_entry
from helpdesk.knowledge.settings import load_settings


def held_out_questions() -> list[str]:
    texts: list[str] = []
    for path in sorted((PROJECT_ROOT / "eval" / "handbook").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.append(str(row.get("query") or row.get("text")))
    return texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "handbook_preview.json")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    try:
        shutil.copytree(PROJECT_ROOT / "knowledge" / "faq", folder / "faq")
        settings = load_settings()
        settings = type(settings)(**{**settings.__dict__, "index_dir": folder / "index"})
        kb = KnowledgeBase(folder / "faq", settings, Embedder(settings.model, settings.batch_size))
        kb.build()
        pool = held_out_questions()
        entry = kb.entry("gift-wrapping")
        assert entry is not None
        form = {"title": entry.title, "questions": [*entry.questions, "can you wrap presents"], "answer": entry.answer}
        edited = preview_entry("gift-wrapping", form)
        rows = []
        for count in args.questions:
            questions = [pool[i % len(pool)] + ("" if i < len(pool) else f" ({i // len(pool)})") for i in range(count)]
            started = time.perf_counter()
            found = impact(kb, "gift-wrapping", edited, questions)
            seconds = time.perf_counter() - started
            rows.append(
                {
                    "questions": count,
                    "entries": len(kb.entries),
                    "seconds": round(seconds, 2),
                    "per_question_ms": round(1000 * seconds / count, 2),
                    "newly_answered": len(found["newly_answered"]),
                    "taken": len(found["taken"]),
                    "stopped": len(found["stopped"]),
                    "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
                }
            )
            print(rows[-1], flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = {"machine": "2-core guest, shared with other sessions", "runs": rows}
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
