"""Two `make eval` runs side by side: `bench/eval_report.py --compare BEFORE.json AFTER.json` prints, per set, the
figures before and after and the change (Markdown, to stdout). Sets in only one run are listed with "–"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from common import table
from eval_outcomes import CATEGORIES


class CompareError(ValueError):
    """A file that is not a `make eval` report.json."""


def load_report(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CompareError(f"{path}: cannot read: {error.strerror or error}") from error
    except json.JSONDecodeError as error:
        raise CompareError(f"{path}:{error.lineno}: not JSON: {error.msg}") from error
    if not isinstance(loaded, dict) or not any(key in loaded for key in ("routing", "faq", "intents")):
        raise CompareError(f"{path}: not a `make eval` report.json (no routing, faq or intents figures)")
    return loaded


def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def change(before: float | None, after: float | None, points: bool = True) -> str:
    if before is None or after is None:
        return "–"
    delta = after - before
    return f"{100 * delta:+.1f} pt" if points else f"{delta:+.3f}"


def both(before: float | None, after: float | None, points: bool = True) -> str:
    shown = pct if points else (lambda v: "–" if v is None else f"{v:.3f}")
    return f"{shown(before)} → {shown(after)} ({change(before, after, points)})"


def described(report: dict[str, Any]) -> str:
    return f"commit {report.get('commit') or '?'}, {report.get('finished_at', '?')}" + (
        f", sample of {report['settings']['per_set']} a set" if (report.get("settings") or {}).get("per_set") else ""
    )


def compare(before: dict[str, Any], after: dict[str, Any], names: tuple[str, str] = ("A", "B")) -> str:
    out = [
        "# make eval: before → after",
        "",
        f"Before ({names[0]}): {described(before)}. After ({names[1]}): {described(after)}.",
        "",
    ]
    old_sets, new_sets = before.get("routing") or {}, after.get("routing") or {}
    keys = list(dict.fromkeys([*old_sets, *new_sets]))
    if keys:
        rows = []
        for key in keys:
            old, new = old_sets.get(key), new_sets.get(key)
            some = new or old
            assert some is not None

            def rate(figures: dict[str, Any] | None, category: str) -> float | None:
                return figures["rates"][category] if figures else None

            def refused(figures: dict[str, Any] | None) -> float | None:
                return figures["out_of_scope"]["refused_rate"] if figures and figures["out_of_scope"]["n"] else None

            rows.append(
                (
                    some["title"],
                    some["language"],
                    f"{old['n'] if old else '–'} → {new['n'] if new else '–'}",
                    *(both(rate(old, category), rate(new, category)) for category in CATEGORIES),
                    both(refused(old), refused(new)) if refused(old) is not None or refused(new) is not None else "",
                )
            )
        out += [
            "## Routing through the stack",
            "",
            *table(("set", "language", "messages", *CATEGORIES, "out of scope refused"), rows),
            "",
        ]
    old_faq, new_faq = before.get("faq") or {}, after.get("faq") or {}
    faq_keys = list(dict.fromkeys([*old_faq, *new_faq]))
    if faq_keys:
        rows = []
        for key in faq_keys:
            old, new = old_faq.get(key), new_faq.get(key)
            some = new or old
            assert some is not None
            rows.append(
                (
                    some["title"],
                    some["language"],
                    both(old["engine"]["p_at_1"] if old else None, new["engine"]["p_at_1"] if new else None, False),
                    both(old["baseline_p_at_1"] if old else None, new["baseline_p_at_1"] if new else None, False),
                )
            )
        out += ["## FAQ engine P@1", "", *table(("set", "language", "engine P@1", "baseline P@1"), rows), ""]
    old_int, new_int = before.get("intents") or {}, after.get("intents") or {}
    int_keys = list(dict.fromkeys([*old_int, *new_int]))
    if int_keys:
        rows = [
            (
                key,
                both((old_int.get(key) or {}).get("accuracy"), (new_int.get(key) or {}).get("accuracy")),
                both((old_int.get(key) or {}).get("routed_accuracy"), (new_int.get(key) or {}).get("routed_accuracy")),
            )
            for key in int_keys
        ]
        out += ["## Intent pipeline (/model/parse)", "", *table(("set", "accuracy", "with the threshold"), rows), ""]
    old_targets = {row["what"]: row for row in before.get("targets") or []}
    new_targets = {row["what"]: row for row in after.get("targets") or []}
    what = list(dict.fromkeys([*old_targets, *new_targets]))
    if what:
        rows = []
        for name in what:
            old, new = old_targets.get(name), new_targets.get(name)
            some = new or old
            assert some is not None
            points = some.get("format") != "p"
            rows.append(
                (
                    some["issue"],
                    name,
                    some["target"],
                    both(old["measured"] if old else None, new["measured"] if new else None, points),
                    f"{old['status'] if old else '–'} → {new['status'] if new else '–'}",
                )
            )
        out += ["## Targets", "", *table(("issue", "figure", "target", "measured", "status"), rows), ""]
    return "\n".join(out) + "\n"
