"""Routing sets through the real running stack: every row is a customer's first message, POST /api/chat in a
new conversation (no conversation id, no cookie), and the response's outcome is classified (eval_outcomes)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import httpx
from common import summary
from eval_outcomes import Outcome, classify, summarise
from eval_sets import EvalSet

Log = Callable[[str], None]
PROGRESS_EVERY = 50


class StackError(RuntimeError):
    """The stack answered something other than a reply."""


def post_first_message(client: httpx.Client, text: str, source: str, attempts: int = 2) -> tuple[dict[str, Any], float]:
    """The response to `text` sent as a new conversation's first message, and its round trip in ms. A failure
    (not 200, a timeout) is retried once after 2 s, in a new conversation; then it stops the run, saying where."""
    problem = ""
    for attempt in range(attempts):
        if attempt:
            time.sleep(2)
        started = time.perf_counter()
        try:
            response = client.post("/api/chat", json={"conversation_id": None, "text": text})
        except httpx.TransportError as error:
            problem = f"{type(error).__name__}: {error}"
            continue
        elapsed_ms = (time.perf_counter() - started) * 1000
        if response.status_code == 200:
            body: dict[str, Any] = response.json()
            return body, elapsed_ms
        problem = f"HTTP {response.status_code}: {response.text[:300]}"
    raise StackError(f"{source}: POST /api/chat failed for {text!r} ({attempts} attempts): {problem}")


NOT_RIGHT_KEYS = ("text", "source", "expect", "category", "got")


def run_set(client: httpx.Client, item: EvalSet, log: Log, done_before: int = 0, total: int = 0) -> dict[str, Any]:
    """Every row of `item` through the stack; figures for the set, per group, and the rows not routed right."""
    rows: list[dict[str, Any]] = []
    latencies: list[float] = []
    languages: dict[str, int] = defaultdict(int)
    started = time.monotonic()
    for number, case in enumerate(item.cases, start=1):
        body, elapsed_ms = post_first_message(client, case.text, case.source)
        outcome = Outcome.from_response(body)
        verdict = classify(case, outcome)
        latencies.append(elapsed_ms)
        languages[outcome.language or "?"] += 1
        rows.append(
            {
                "text": case.text,
                "source": case.source,
                "group": case.group,
                "expect": f"{case.expect[0]}: {case.expect[1]}",
                "out_of_scope": case.out_of_scope,
                "category": verdict.category,
                "how": verdict.how,
                "reason_matched": verdict.reason_matched,
                "offered_right": verdict.offered_right,
                "got": outcome.describe(),
            }
        )
        done = done_before + number
        if number % PROGRESS_EVERY == 0 or number == len(item.cases):
            elapsed = time.monotonic() - started
            per_message = elapsed / number
            left = (total - done) * per_message if total else 0
            log(
                f"routing {item.key}: {number}/{len(item.cases)} "
                f"({done}/{total} in all, {per_message * 1000:.0f} ms a message, ~{left / 60:.1f} min left)"
            )
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["group"]].append(row)
    result = {
        "key": item.key,
        "title": item.title,
        "language": item.language,
        "family": item.family,
        "files": list(item.files),
        "about": item.about,
        **summarise(rows),
        "handoff_reason_matched": sum(1 for row in rows if row["reason_matched"]),
        "handoff_expected": sum(1 for row in rows if row["reason_matched"] is not None),
        "by_group": {name: summarise(group) for name, group in sorted(groups.items())},
        "detected_language": dict(sorted(languages.items())),
        "latency_ms": summary(latencies, 1),
        # a public benchmark's row is named by its file and line, never copied (eval/external/README.md)
        "not_right": [
            {key: None if key == "text" and item.family == "external" else row[key] for key in NOT_RIGHT_KEYS}
            for row in rows
            if row["category"] != "right"
        ],
        "categories": {row["source"]: row["category"] for row in rows},
    }
    return result


def run_sets(url: str, sets: Sequence[EvalSet], log: Log) -> dict[str, dict[str, Any]]:
    total = sum(len(item.cases) for item in sets)
    log(f"routing: {total} first messages in {len(sets)} sets through POST /api/chat, a new conversation each")
    results: dict[str, dict[str, Any]] = {}
    done = 0
    with httpx.Client(base_url=url, timeout=120) as client:
        for item in sets:
            results[item.key] = run_set(client, item, log, done, total)
            done += len(item.cases)
            figures = results[item.key]
            log(
                f"routing {item.key} ({item.language}): right {figures['rates']['right']:.1%}, "
                f"clarify {figures['rates']['clarify']:.1%}, handoff {figures['rates']['handoff']:.1%}, "
                f"wrong {figures['rates']['wrong']:.1%}"
            )
    return results


def parallel_agreement(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """Two parallel sets (row i of one translates row i of the other, as xSID's en and zh test files): on how
    many rows both got the same category, and how many were right in one language only."""

    def by_line(result: dict[str, Any]) -> dict[int, str]:
        return {int(source.rsplit(":", 1)[1]): category for source, category in result["categories"].items()}

    one, two = by_line(first), by_line(second)
    shared = sorted(set(one) & set(two))
    return {
        "rows": len(shared),
        "same_category": sum(1 for line in shared if one[line] == two[line]),
        f"right_only_{first['language']}": sum(1 for line in shared if one[line] == "right" != two[line]),
        f"right_only_{second['language']}": sum(1 for line in shared if two[line] == "right" != one[line]),
    }
