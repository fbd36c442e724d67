"""The help centre's search and the agents' FAQ candidates per language: what /kb/search decides for the team's
held-out handbook questions (eval/handbook), the FAQ engine alone (every question through the English engine, as
before issue 18's desk work) against the language-aware search (helpdesk/knowledge/language_search.py).

    .venv/bin/python bench/help_search_languages.py [--out results/help_search_languages.md]

Per set: top-1 right (the first candidate is the question's entry), answered (decision "answer") right and wrong,
suggested with the right entry among the suggestions, nothing found (decision "handoff": the help centre shows no
results); for out-of-scope sets the share answered and the share with nothing found. The CPU time per query is
measured in this process (one thread) and printed with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from helpdesk.knowledge import language_search
from helpdesk.knowledge.decision import Decision
from helpdesk.knowledge.embedder import Embedder
from helpdesk.knowledge.engine import KnowledgeBase
from helpdesk.knowledge.settings import load_settings, project_root

SETS = {
    "zh": ("eval/handbook/queries_zh.jsonl", "eval/handbook/oos_zh.jsonl"),
    "en": ("eval/handbook/queries_test.jsonl", "eval/handbook/oos_test.jsonl"),
}


def rows(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def measure(decide: Callable[[str], Decision], in_scope: list[dict[str, str]], oos: list[dict[str, str]]) -> dict:
    counts = {"top1": 0, "answered_right": 0, "answered_wrong": 0, "suggested_right": 0, "nothing": 0}
    started = time.process_time()
    for row in in_scope:
        decision = decide(row["query"])
        right = row["faq_id"]
        counts["top1"] += bool(decision.ranked and decision.ranked[0].id == right)
        if decision.action == "answer":
            counts["answered_right" if decision.best and decision.best.id == right else "answered_wrong"] += 1
        elif decision.action == "suggest":
            counts["suggested_right"] += any(c.id == right for c in decision.candidates)
        else:
            counts["nothing"] += 1
    oos_answered = oos_nothing = 0
    for row in oos:
        decision = decide(row["query"])
        oos_answered += decision.action == "answer"
        oos_nothing += decision.action == "handoff"
    cpu = time.process_time() - started
    n = len(in_scope)
    return {
        **{key: round(value / n, 3) for key, value in counts.items()},
        "in_scope": n,
        "oos": len(oos),
        "oos_answered": round(oos_answered / len(oos), 3),
        "oos_nothing": round(oos_nothing / len(oos), 3),
        "cpu_ms_per_query": round(1000 * cpu / (n + len(oos)), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=None, help="also write the table (Markdown) here")
    args = parser.parse_args()
    root = project_root()
    settings = load_settings()
    kb = KnowledgeBase(root / "knowledge" / "faq", settings, Embedder(settings.model, settings.batch_size, threads=1))
    kb.build()
    language_search.warm(kb)
    lines = [
        "| set | search | top-1 right | answered right | answered wrong | suggested (right among them) | nothing found "
        "| OOS answered | OOS nothing found | CPU ms/query |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for language, (queries, oos) in SETS.items():
        in_scope, out = rows(root / queries), rows(root / oos)
        searches: dict[str, Callable[[str], Decision]] = {
            "FAQ engine (English) alone": kb.decide,
            "by language": lambda q: language_search.decide(kb, q),
        }
        for name, decide in searches.items():
            found = measure(decide, in_scope, out)
            print(language, name, json.dumps(found), flush=True)
            lines.append(
                f"| {Path(queries).name} ({found['in_scope']}) + {Path(oos).name} ({found['oos']}) | {name} "
                f"| {found['top1']:.1%} | {found['answered_right']:.1%} | {found['answered_wrong']:.1%} "
                f"| {found['suggested_right']:.1%} | {found['nothing']:.1%} | {found['oos_answered']:.1%} "
                f"| {found['oos_nothing']:.1%} | {found['cpu_ms_per_query']} |"
            )
    load = os.getloadavg()
    lines.append("")
    lines.append(f"Load average after the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (1/5/15 min).")
    print("\n".join(lines))
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
