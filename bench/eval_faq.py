"""The FAQ engine on its own, in-process: P@1 on every paraphrase set against the plain-encoder baseline, and the
answer_threshold trade-off on the handbook's held-out split.

Baseline: plain all-MiniLM-L6-v2 (the issue's reference encoder) over the entries' titles only, cosine, best title
wins: no questions, no answers, no scoring. An entry's Chinese title (front matter `zh: {title}`) is one of its
titles when the handbook has it. The engine is the project's own (knowledge/kb.yml, its own encoder).

The cross-lingual set is run against a copy of the handbook whose entries named by the set have lost their Chinese
text (front matter `zh` and everything after the `<!-- zh -->` line): a Chinese question that must find an entry
written in English only.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from eval_sets import ParaphraseSet, relative

from helpdesk.config import PROJECT_ROOT

HANDBOOK = PROJECT_ROOT / "knowledge" / "faq"
KB_SETTINGS = PROJECT_ROOT / "knowledge" / "kb.yml"
KB_EVAL_DIR = PROJECT_ROOT / "eval" / "handbook"
BASELINE_MODEL = "all-MiniLM-L6-v2"
ZH_MARK = "<!-- zh -->"
Log = Callable[[str], None]


# --------------------------------------------------------------------------- the handbook's files


def split_front_matter(text: str) -> tuple[dict[str, Any], str] | None:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            front = yaml.safe_load("".join(lines[1:index])) or {}
            return (front, "".join(lines[index + 1 :])) if isinstance(front, dict) else None
    return None


def titles_by_entry(root: Path) -> dict[str, list[str]]:
    """Every entry's titles: the English `title`, and `zh.title` when the entry has its Chinese version."""
    titles: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.md")):
        parsed = split_front_matter(path.read_text(encoding="utf-8"))
        if parsed is None or "id" not in parsed[0]:
            continue
        front = parsed[0]
        found = [str(front["title"])] if front.get("title") else []
        chinese = front.get("zh")
        if isinstance(chinese, dict) and chinese.get("title"):
            found.append(str(chinese["title"]))
        titles[str(front["id"])] = found
    return titles


def without_chinese(source: Path, target: Path, ids: Iterable[str]) -> int:
    """Copy the handbook `source` to `target`, the entries `ids` without their Chinese text; how many lost some."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    wanted, stripped = set(ids), 0
    for path in sorted(target.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        parsed = split_front_matter(text)
        if parsed is None or str(parsed[0].get("id")) not in wanted:
            continue
        front, body = parsed
        had = "zh" in front or ZH_MARK in body
        front.pop("zh", None)
        body = body.split(ZH_MARK, 1)[0].rstrip() + "\n"
        path.write_text(
            "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body, encoding="utf-8"
        )
        stripped += had
    return stripped


# --------------------------------------------------------------------------- P@1: engine and baseline


def baseline_p_at_1(embedder: Any, titles: dict[str, list[str]], queries: Sequence[Any]) -> float:
    ids = [entry for entry, texts in titles.items() for _ in texts]
    vectors = embedder.encode([text for texts in titles.values() for text in texts])
    asked = embedder.encode([query.text for query in queries])
    best = np.asarray(asked) @ np.asarray(vectors).T
    hits = sum(1 for query, row in zip(queries, best, strict=True) if ids[int(np.argmax(row))] == query.faq_id)
    return round(hits / len(queries), 4) if queries else 0.0


def engine_figures(run: Any) -> dict[str, Any]:
    inside = run.in_scope
    n = len(inside)
    answered_right = sum(1 for result in inside if result.answered_correctly)
    answered = sum(1 for result in inside if result.decision.action == "answer")
    return {
        "n": n,
        "p_at_1": round(sum(1 for r in inside if r.rank == 1) / n, 4) if n else 0.0,
        "recall_at_3": round(sum(1 for r in inside if r.rank is not None and r.rank <= 3) / n, 4) if n else 0.0,
        "mrr_at_10": round(sum(1 / r.rank for r in inside if r.rank) / n, 4) if n else 0.0,
        "answered_right": round(answered_right / n, 4) if n else 0.0,
        "answered_wrongly": round((answered - answered_right) / n, 4) if n else 0.0,
    }


class Engines:
    """The FAQ engines a run needs, each indexed once in a temporary folder: the repository's handbook, and
    copies of it (the cross-lingual one). Use as a context manager; the folder goes when it closes."""

    def __init__(self, log: Log) -> None:
        self.log = log
        self._folder = tempfile.TemporaryDirectory(prefix="eval-faq-")
        self.workdir = Path(self._folder.name)
        self._built: dict[str, tuple[Any, dict[str, list[str]]]] = {}

    def __enter__(self) -> Engines:
        return self

    def __exit__(self, *exc: object) -> None:
        self._folder.cleanup()

    def get(self, name: str = "complete", root: Path = HANDBOOK) -> tuple[Any, dict[str, list[str]]]:
        """(the indexed KnowledgeBase, each entry's titles) for the handbook at `root`."""
        from helpdesk.knowledge.engine import KnowledgeBase
        from helpdesk.knowledge.settings import load_settings

        if name not in self._built:
            settings = load_settings(KB_SETTINGS).replace(index_dir=self.workdir / f"index-{name}")
            kb = KnowledgeBase(root, settings)
            self.log(f"faq: indexing the handbook ({name})")
            kb.build()
            self._built[name] = (kb, titles_by_entry(root))
        return self._built[name]


def paraphrase_figures(sets: Sequence[ParaphraseSet], limit: int | None, engines: Engines, log: Log) -> dict[str, Any]:
    """Engine and baseline P@1 on every paraphrase set (at most `limit` rows each)."""
    from eval_sets import load_handbook_jsonl, sample

    from helpdesk.knowledge import evaluate
    from helpdesk.knowledge.embedder import Embedder
    from helpdesk.knowledge.query_files import LabeledQuery

    baseline: Any = None  # the engine's own embedder when it is the baseline's model (one copy in memory)
    results: dict[str, Any] = {}
    for item in sets:
        cases = sample(load_handbook_jsonl(item.path, labelled=True), limit)
        queries = [LabeledQuery(case.text, case.expect[1], case.source) for case in cases]
        name, root, note = "complete", HANDBOOK, "complete"
        if item.cross_lingual:
            copy = engines.workdir / "handbook-without-chinese"
            stripped = without_chinese(HANDBOOK, copy, {query.faq_id or "" for query in queries})
            log(f"faq: {stripped} of the cross-lingual set's entries had Chinese text, removed in a copy")
            note = "the set's entries without their Chinese text"
            if stripped:  # else the copy is the handbook itself
                name, root = f"without-chinese-{item.key}", copy
        kb, titles = engines.get(name, root)
        if baseline is None:
            baseline = kb.embedder if kb.settings.model == BASELINE_MODEL else Embedder(BASELINE_MODEL)
        log(f"faq {item.key}: {len(queries)} questions, engine and baseline")
        run = evaluate.run_queries(kb, queries)
        results[item.key] = {
            "title": item.title,
            "language": item.language,
            "file": relative(item.path),
            "handbook": note,
            "engine": engine_figures(run),
            "baseline_p_at_1": baseline_p_at_1(baseline, titles, queries),
            "engine_model": kb.settings.model,
            "baseline_model": BASELINE_MODEL,
        }
        figures = results[item.key]
        log(f"faq {item.key}: engine P@1 {figures['engine']['p_at_1']:.3f}, baseline {figures['baseline_p_at_1']:.3f}")
    return results


# --------------------------------------------------------------------------- the answer_threshold trade-off


def chosen_threshold_reason(path: Path = KB_SETTINGS) -> str:
    """The comment block above `answer_threshold:` in kb.yml: why the operating point is where it is."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if line.startswith("answer_threshold:"):
            block = []
            for previous in reversed(lines[:index]):
                if not previous.startswith("#"):
                    break
                block.append(previous.lstrip("# ").rstrip())
            return " ".join(reversed(block))
    return ""


def with_overall_wrong(rows: Sequence[dict[str, float]], n_in: int, n_oos: int) -> list[dict[str, float]]:
    """Adds `wrong_rate_all`: wrong in-scope answers plus answered out-of-scope queries, over all queries."""
    return [
        {
            **row,
            "wrong_rate_all": round(
                (row["wrong_answer_rate"] * n_in + row["oos_answered_rate"] * n_oos) / (n_in + n_oos), 4
            ),
        }
        for row in rows
    ]


def run_tradeoff(with_dev: bool, engines: Engines, log: Log) -> dict[str, Any]:
    """`kb eval` on the handbook's held-out split (and dev), with the answer_threshold sweep."""
    from helpdesk.knowledge import evaluate
    from helpdesk.knowledge.query_files import load_queries

    kb, _ = engines.get()
    settings = kb.settings
    result: dict[str, Any] = {"entries": len(kb.entries)}
    for split in ("test", "dev") if with_dev else ("test",):
        queries = load_queries(KB_EVAL_DIR / f"queries_{split}.jsonl")
        oos = load_queries(KB_EVAL_DIR / f"oos_{split}.jsonl", labeled=False)
        log(f"kb: {split} split: {len(queries)} in-scope and {len(oos)} out-of-scope queries")
        run = evaluate.run_queries(kb, queries, oos)
        result[split] = {
            **evaluate.metrics(run, settings),
            "sweep": with_overall_wrong(evaluate.sweep(run, settings), len(queries), len(oos)),
        }
    result["answer_threshold"] = settings.answer_threshold
    result["suggest_threshold"] = settings.suggest_threshold
    result["reason"] = chosen_threshold_reason()
    return result
