"""Measure how well the knowledge base answers: ranking quality, decisions, latency, thresholds.

In-scope queries carry the id of the entry that answers them (``{"query": ..., "faq_id": ...}``),
out-of-scope queries should not be answered from the handbook (``{"query": ...}``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from helpdesk.knowledge.engine import Decision, KnowledgeBase, decide_from_ranking
from helpdesk.knowledge.settings import Settings

RANK_DEPTH = 10
DEFAULT_SWEEP = tuple(round(0.30 + 0.02 * step, 2) for step in range(34))  # 0.30 … 0.96


class JsonlError(ValueError):
    """A bad line in a queries file."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True)
class LabeledQuery:
    text: str
    faq_id: str | None  # None for out-of-scope queries
    source: str = ""  # file:line it came from


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


def _parse_line(path: Path, number: int, line: str, labeled: bool) -> LabeledQuery:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise JsonlError(path, number, f"invalid JSON: {error.msg} (column {error.colno})") from error
    if not isinstance(data, dict):
        raise JsonlError(path, number, "each line must be a JSON object")
    text = data.get("query")
    if not isinstance(text, str) or not text.strip():
        raise JsonlError(path, number, "'query' must be a non-empty string")
    faq_id = data.get("faq_id")
    if labeled and (not isinstance(faq_id, str) or not faq_id.strip()):
        raise JsonlError(path, number, "'faq_id' must be a non-empty string")
    return LabeledQuery(text.strip(), faq_id.strip() if labeled else None, f"{path}:{number}")


def load_queries(path: Path, labeled: bool = True) -> list[LabeledQuery]:
    """Read a JSONL file of queries; blank lines are skipped, anything else bad raises JsonlError."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise JsonlError(path, 0, f"cannot read: {error.strerror or error}") from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JsonlError(path, raw.count(b"\n", 0, error.start) + 1, "not valid UTF-8") from error
    queries = [
        _parse_line(path, number, line, labeled)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]
    if not queries:
        raise JsonlError(path, 1, "no queries in file")
    return queries


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


def _share(results: Sequence[QueryResult], predicate: Any) -> float:
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
    threshold (capped at the answer threshold), so no query is embedded again.
    """
    rows = []
    for threshold in thresholds:
        trial = settings.replace(
            answer_threshold=threshold, suggest_threshold=min(settings.suggest_threshold, threshold)
        )
        inside = [_redecide(result, trial) for result in run.in_scope]
        outside = [_redecide(result, trial) for result in run.out_of_scope]
        answered = [pair for pair in inside if pair[0].action == "answer"]
        wrong = [pair for pair in answered if pair[0].best is None or pair[0].best.id != pair[1]]
        rows.append(
            {
                "answer_threshold": round(float(threshold), 4),
                "answered_rate": _rate(len(answered), len(inside)),
                "wrong_answer_rate": _rate(len(wrong), len(inside)),
                "answered_precision": _rate(len(answered) - len(wrong), len(answered)),
                "oos_answered_rate": _rate(sum(1 for pair in outside if pair[0].action == "answer"), len(outside)),
            }
        )
    return rows


def _redecide(result: QueryResult, settings: Settings) -> tuple[Decision, str | None]:
    decision = decide_from_ranking(result.query.text, result.decision.ranked, settings)
    return decision, result.query.faq_id


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
