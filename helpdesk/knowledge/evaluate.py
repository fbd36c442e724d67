"""Measure how well the knowledge base answers: ranking quality, decisions, latency, thresholds.

In-scope queries carry the id of the entry that answers them (``{"query": ..., "faq_id": ...}``),
out-of-scope queries should not be answered from the handbook (``{"query": ...}``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from helpdesk.knowledge.decision import Decision, decide_from_ranking
from helpdesk.knowledge.engine import KnowledgeBase
from helpdesk.knowledge.query_files import LabeledQuery, load_queries
from helpdesk.knowledge.settings import Settings

RANK_DEPTH = 10
DEFAULT_SWEEP = tuple(round(0.30 + 0.02 * step, 2) for step in range(34))  # 0.30 … 0.96


@dataclass(frozen=True)
class QueryResult:
    query: LabeledQuery
    decision: Decision
    latency_ms: float

    @property
    def rank(self) -> int | None:
        """1-based rank of the expected entry within the top ``RANK_DEPTH``, else None."""
        for position, candidate in enumerate(self.decision.ranked[:RANK_DEPTH], start=1):
            if candidate.id == self.query.faq_id:
                return position
        return None

    @property
    def answered_correctly(self) -> bool:
        best = self.decision.best
        return self.decision.action == "answer" and best is not None and best.id == self.query.faq_id


@dataclass(frozen=True)
class EvalRun:
    in_scope: list[QueryResult]
    out_of_scope: list[QueryResult]

    def misses(self) -> list[QueryResult]:
        """In-scope queries answered with the wrong entry, or whose entry is not ranked first."""
        return [
            result
            for result in self.in_scope
            if result.rank != 1 or (result.decision.action == "answer" and not result.answered_correctly)
        ]


# --------------------------------------------------------------------------- loading


def _as_query(item: LabeledQuery | Mapping[str, Any], labeled: bool) -> LabeledQuery:
    if isinstance(item, LabeledQuery):
        return item
    return LabeledQuery(str(item["query"]), str(item["faq_id"]) if labeled else None)


# --------------------------------------------------------------------------- running


def run_queries(
    kb: KnowledgeBase,
    queries: Iterable[LabeledQuery | Mapping[str, Any]],
    oos: Iterable[LabeledQuery | Mapping[str, Any]] = (),
) -> EvalRun:
    """Decide every query (top-10 ranking kept); raises ValueError for ids the handbook lacks."""
    labeled = [_as_query(item, True) for item in queries]
    unknown = [query for query in labeled if kb.entry(query.faq_id or "") is None]
    if unknown:
        where = "; ".join(f"{query.source or query.text}: '{query.faq_id}'" for query in unknown[:10])
        raise ValueError(f"{len(unknown)} queries name entries the handbook does not have: {where}")
    return EvalRun(
        in_scope=[_timed(kb, query) for query in labeled],
        out_of_scope=[_timed(kb, _as_query(item, False)) for item in oos],
    )


def _timed(kb: KnowledgeBase, query: LabeledQuery) -> QueryResult:
    started = time.perf_counter()
    decision = kb.decide(query.text, k=RANK_DEPTH)
    return QueryResult(query, decision, (time.perf_counter() - started) * 1000)


def _share(results: Sequence[QueryResult], predicate: Callable[[QueryResult], bool]) -> float:
    return round(sum(1 for result in results if predicate(result)) / len(results), 4) if results else 0.0


def metrics(run: EvalRun, settings: Settings) -> dict[str, Any]:
    """All numbers for one run (rates are shares of in-scope or out-of-scope queries)."""
    inside, outside = run.in_scope, run.out_of_scope
    suggested = [result for result in inside if result.decision.action == "suggest"]
    latencies = [result.latency_ms for result in [*inside, *outside]]
    result: dict[str, Any] = {
        "n_queries": len(inside),
        "n_oos": len(outside),
        "p_at_1": _share(inside, lambda r: r.rank == 1),
        "recall_at_3": _share(inside, lambda r: r.rank is not None and r.rank <= 3),
        "mrr_at_10": round(sum(1 / r.rank for r in inside if r.rank) / len(inside), 4) if inside else 0.0,
        "answered_rate": _share(inside, lambda r: r.decision.action == "answer"),
        "answered_correct_rate": _share(inside, lambda r: r.answered_correctly),
        "wrong_answer_rate": _share(inside, lambda r: r.decision.action == "answer" and not r.answered_correctly),
        "suggest_rate": _share(inside, lambda r: r.decision.action == "suggest"),
        "suggest_hit_rate": _share(suggested, lambda r: any(c.id == r.query.faq_id for c in r.decision.candidates)),
        "handoff_rate": _share(inside, lambda r: r.decision.action == "handoff"),
        "latency_p50_ms": round(float(np.percentile(latencies, 50)), 2) if latencies else 0.0,
        "latency_p99_ms": round(float(np.percentile(latencies, 99)), 2) if latencies else 0.0,
        "answer_threshold": settings.answer_threshold,
        "suggest_threshold": settings.suggest_threshold,
        "margin": settings.margin,
    }
    if outside:
        result["oos_answered_rate"] = _share(outside, lambda r: r.decision.action == "answer")
        result["oos_suggest_rate"] = _share(outside, lambda r: r.decision.action == "suggest")
        result["oos_handoff_rate"] = _share(outside, lambda r: r.decision.action == "handoff")
    return result


def evaluate(
    kb: KnowledgeBase,
    queries: Iterable[LabeledQuery | Mapping[str, Any]],
    oos: Iterable[LabeledQuery | Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """Run every query through ``kb.decide`` and return the metrics (see :func:`metrics`)."""
    return metrics(run_queries(kb, queries, oos), kb.settings)


def sweep(run: EvalRun, settings: Settings, thresholds: Sequence[float] = DEFAULT_SWEEP) -> list[dict[str, float]]:
    """For each answer threshold: answered rate vs wrong-answer rate (and out-of-scope answered).

    Decisions are recomputed from the stored rankings with ``settings``' margin and suggest
    threshold (capped at the answer threshold), so no query is embedded again; :func:`grid`
    varies the margin too.
    """
    return [
        _rates(
            run,
            settings.replace(answer_threshold=threshold, suggest_threshold=min(settings.suggest_threshold, threshold)),
        )
        for threshold in thresholds
    ]


DEFAULT_GRID_THRESHOLDS = tuple(round(0.50 + 0.01 * step, 2) for step in range(31))  # 0.50 … 0.80
DEFAULT_MARGINS = (0.0, 0.01, 0.02, 0.03, 0.04, 0.06)


def grid(
    run: EvalRun,
    settings: Settings,
    thresholds: Sequence[float] = DEFAULT_GRID_THRESHOLDS,
    margins: Sequence[float] = DEFAULT_MARGINS,
) -> list[dict[str, float]]:
    """The decision rates for every answer_threshold × margin, recomputed from the stored rankings.

    The suggest threshold is ``settings``' (capped at each answer threshold); nothing is embedded.
    """
    rows = []
    for margin in margins:
        for threshold in thresholds:
            trial = settings.replace(
                answer_threshold=threshold, margin=margin, suggest_threshold=min(settings.suggest_threshold, threshold)
            )
            rows.append({"margin": margin, **_rates(run, trial)})
    return rows


def operating_point(
    rows: Sequence[Mapping[str, float]], max_oos_answered: float = 0.08, max_wrong: float = 0.05
) -> Mapping[str, float] | None:
    """The row answering most in-scope queries within both limits (ties: fewer wrong, fewer OOS answered)."""
    allowed = [
        row for row in rows if row["oos_answered_rate"] <= max_oos_answered and row["wrong_answer_rate"] <= max_wrong
    ]
    if not allowed:
        return None
    return max(allowed, key=lambda row: (row["answered_rate"], -row["wrong_answer_rate"], -row["oos_answered_rate"]))


def _rates(run: EvalRun, settings: Settings) -> dict[str, float]:
    inside = [_redecide(result, settings) for result in run.in_scope]
    outside = [_redecide(result, settings) for result in run.out_of_scope]
    answered = [pair for pair in inside if pair[0].action == "answer"]
    wrong = [pair for pair in answered if pair[0].best is None or pair[0].best.id != pair[1]]
    return {
        "answer_threshold": round(float(settings.answer_threshold), 4),
        "answered_rate": _rate(len(answered), len(inside)),
        "wrong_answer_rate": _rate(len(wrong), len(inside)),
        "answered_precision": _rate(len(answered) - len(wrong), len(answered)),
        "suggest_rate": _rate(sum(1 for pair in inside if pair[0].action == "suggest"), len(inside)),
        "handoff_rate": _rate(sum(1 for pair in inside if pair[0].action == "handoff"), len(inside)),
        "oos_answered_rate": _rate(sum(1 for pair in outside if pair[0].action == "answer"), len(outside)),
        "oos_suggest_rate": _rate(sum(1 for pair in outside if pair[0].action == "suggest"), len(outside)),
    }


def _redecide(result: QueryResult, settings: Settings) -> tuple[Decision, str | None]:
    decision = decide_from_ranking(result.query.text, result.decision.ranked, settings)
    return decision, result.query.faq_id


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


# --------------------------------------------------------------------------- command line


def _grid_table(rows: Sequence[Mapping[str, float]], around: Mapping[str, float] | None, span: float = 0.03) -> str:
    lines = ["margin  threshold  answered  wrong  suggest  handoff  oos-answered  oos-suggested"]
    for row in rows:
        if around is not None and abs(row["answer_threshold"] - around["answer_threshold"]) > span + 1e-9:
            continue
        lines.append(
            f"{row['margin']:6.2f}  {row['answer_threshold']:9.2f}  {row['answered_rate']:8.1%}  "
            f"{row['wrong_answer_rate']:5.1%}  {row['suggest_rate']:7.1%}  {row['handoff_rate']:7.1%}  "
            f"{row['oos_answered_rate']:12.1%}  {row['oos_suggest_rate']:13.1%}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m helpdesk.knowledge.evaluate``: the answer_threshold × margin grid and its operating point."""
    import argparse
    import tempfile

    from helpdesk.knowledge.engine import KnowledgeBase
    from helpdesk.knowledge.settings import load_settings

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--handbook", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--oos", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path, help="reuse/keep the index here (default: a temporary folder)")
    parser.add_argument("--max-oos-answered", type=float, default=0.08)
    parser.add_argument("--max-wrong", type=float, default=0.05)
    parser.add_argument("--all", action="store_true", help="print the whole grid, not just around the choice")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kb-grid-") as scratch:
        settings = load_settings().replace(index_dir=args.index_dir or Path(scratch))
        kb = KnowledgeBase(args.handbook, settings)
        kb.build()
        run = run_queries(kb, load_queries(args.queries), load_queries(args.oos, labeled=False))
    print(json.dumps(metrics(run, settings)))
    rows = grid(run, settings)
    choice = operating_point(rows, args.max_oos_answered, args.max_wrong)
    print(_grid_table(rows, None if args.all else choice))
    print("operating point:", json.dumps(choice))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
