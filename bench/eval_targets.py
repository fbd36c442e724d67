"""The issues' targets (17: understanding customers' own phrasing; 18: Chinese) against the measured figures.

Each target is a row: the issue, what is measured (sets pooled where a target names several), the target, the
measured value and PASS / MISS ("not run" when a set was left out of the run). Benchmarks, never test assertions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

EXTERNAL_EN = ("clinc150", "banking77", "xsid_en")


def pooled(sets: dict[str, Any], keys: Sequence[str], category: str) -> tuple[float, int] | None:
    chosen = [sets[key] for key in keys if key in sets]
    if len(chosen) != len(keys):
        return None
    n = sum(item["n"] for item in chosen)
    return (sum(item["counts"][category] for item in chosen) / n if n else 0.0), n


def pooled_refusal(sets: dict[str, Any], language: str) -> tuple[float, int] | None:
    chosen = [item for item in sets.values() if item["language"] == language and item["out_of_scope"]["n"]]
    if not chosen:
        return None
    n = sum(item["out_of_scope"]["n"] for item in chosen)
    return sum(item["out_of_scope"]["refused"] for item in chosen) / n, n


def row(
    issue: int, what: str, target: str, value: tuple[float, int] | None, passed: Any, fmt: str = "pct"
) -> dict[str, Any]:
    if value is None:
        return {"issue": issue, "what": what, "target": target, "measured": None, "n": 0, "status": "not run"}
    measured, n = value
    return {
        "issue": issue,
        "what": what,
        "target": target,
        "measured": round(measured, 4),
        "format": fmt,
        "n": n,
        "status": "PASS" if passed(measured) else "MISS",
    }


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    sets: dict[str, Any] = result.get("routing") or {}
    intents: dict[str, Any] = result.get("intents") or {}
    faq: dict[str, Any] = result.get("faq") or {}
    rows = []

    def right_and_wrong(
        issue: int, label: str, keys: Sequence[str], right_at_least: float, wrong_at_most: float | None
    ) -> None:
        rows.append(
            row(issue, f"{label}: routed right", f"≥ {right_at_least:.0%}", pooled(sets, keys, "right"),
                lambda v: v >= right_at_least)
        )  # fmt: skip
        if wrong_at_most is not None:
            rows.append(
                row(issue, f"{label}: confidently wrong", f"≤ {wrong_at_most:.0%}", pooled(sets, keys, "wrong"),
                    lambda v: v <= wrong_at_most)
            )  # fmt: skip

    right_and_wrong(17, "external set (CLINC150 + Banking77 + xSID en, through the stack)", EXTERNAL_EN, 0.90, 0.03)
    right_and_wrong(17, "first messages in customers' styles (routing/styles.jsonl)", ["routing_styles"], 0.90, 0.03)
    right_and_wrong(17, "handbook paraphrases in customers' styles", ["handbook_styles"], 0.90, 0.03)
    right_and_wrong(17, "team held-out first messages (routing/heldout.jsonl)", ["routing_heldout"], 0.95, None)
    if "heldout" in intents:
        rows.append(row(17, "team held-out intents (intents/heldout.yml, /model/parse)", "≥ 95%",
                        (intents["heldout"]["accuracy"], intents["heldout"]["n"]), lambda v: v >= 0.95))  # fmt: skip
    else:
        rows.append(row(17, "team held-out intents (intents/heldout.yml, /model/parse)", "≥ 95%", None, None))
    rows.append(row(17, "English out-of-scope first messages refused (every English set)", "≥ 95%",
                    pooled_refusal(sets, "en"), lambda v: v >= 0.95))  # fmt: skip
    for figures in faq.values():
        engine, baseline = figures["engine"]["p_at_1"], figures["baseline_p_at_1"]
        rows.append(
            {
                "issue": 17,
                "what": f"FAQ engine P@1 ≥ plain encoder over titles: {figures['title']} ({figures['language']})",
                "target": f"≥ {baseline:.3f}",
                "measured": engine,
                "format": "p",
                "n": figures["engine"]["n"],
                "status": "PASS" if engine >= baseline else "MISS",
            }
        )
    right_and_wrong(
        18, "Chinese held-out first messages (routing/heldout_zh.jsonl)", ["routing_heldout_zh"], 0.90, 0.03
    )
    right_and_wrong(18, "Chinese handbook questions (handbook/queries_zh.jsonl)", ["handbook_zh"], 0.90, 0.03)
    if "heldout_zh" in intents:
        rows.append(row(18, "Chinese held-out intents (intents/heldout_zh.yml, /model/parse)", "≥ 90%",
                        (intents["heldout_zh"]["accuracy"], intents["heldout_zh"]["n"]),
                        lambda v: v >= 0.90))  # fmt: skip
    else:
        rows.append(row(18, "Chinese held-out intents (intents/heldout_zh.yml, /model/parse)", "≥ 90%", None, None))
    rows.append(row(18, "Chinese out-of-scope first messages refused (every Chinese set)", "≥ 95%",
                    pooled_refusal(sets, "zh"), lambda v: v >= 0.95))  # fmt: skip
    return rows
