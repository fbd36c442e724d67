"""What the editor reads first about an impact preview (helpdesk/knowledge/impact.py): a few lines in words.

- what the change does to the period's customer questions ("Over 120 customer questions: would now answer 3
  questions that went unanswered; takes 2 from gift-cards"), and how many less asked ones were left out to fit;
- per language, the held-out figures before and after over that language's sets together ("English held-out P@1
  0.914 → 0.918; …", "Chinese held-out P@1 …": each language's questions decided as its customers are answered);
- the figures worse than the tolerance, which need a supervisor.

Each line is a lead and its items (``{"lead", "items"}``), every piece a whole phrase of its own, so the console
shows each piece in the staff member's language (helpdesk/static/console/i18n.js translates a text its catalog
knows, with the figures and ids as they are); :func:`sentence` is the same lines as one English sentence.
"""

from __future__ import annotations

from typing import Any

from helpdesk.knowledge.held_out import LANGUAGE_NAMES, describe


def summary(entry_id: str, found: dict[str, Any]) -> list[dict[str, Any]]:
    """The preview's lines: ``[{"lead": "Over 12 customer questions:", "items": ["would now answer 3 …"]}, …]``."""
    newly, taken, stopped = (len(found.get(key) or []) for key in ("newly_answered", "taken", "stopped"))
    changes = []
    if newly:
        changes.append(f"would now answer {newly} question{'s' if newly != 1 else ''} that went unanswered")
    if taken:
        sources = sorted({str(o.get("before")) for o in found.get("taken") or []})
        changes.append(f"takes {taken} from {', '.join(sources)}")
    if stopped:
        changes.append(f"stops answering {stopped} it answers now")
    lines = [
        {
            "lead": f"Over {found.get('questions', 0)} customer questions:",
            "items": changes or [f"no change in which are answered with '{entry_id}'"],
        }
    ]
    left_out = int(found.get("left_out") or 0)
    if left_out:  # past the request limits (helpdesk/knowledge/preview_limits.py): the least asked
        lines.append(
            {"lead": f"{left_out} less asked question{'s were' if left_out != 1 else ' was'} left out to fit."}
        )
    return lines + held_out_lines(found.get("held_out"))


def held_out_lines(held: object) -> list[dict[str, Any]]:
    """Per language its held-out sets' figures together, then the figures worse than the tolerance."""
    if not isinstance(held, dict) or not held.get("sets"):
        return []
    lines: list[dict[str, Any]] = []
    for language, name in LANGUAGE_NAMES.items():
        sets = [row for row in held["sets"] if row.get("language", "en") == language]
        if sets:
            lines.append({"lead": f"{name} held-out {_pooled(sets)}."})
    worse = held.get("worse") or []
    if worse:
        lines.append(
            {"lead": "Worse than the tolerance (a supervisor must confirm):", "items": [describe(w) for w in worse]}
        )
    return lines


def sentence(lines: list[dict[str, Any]]) -> str:
    """The lines as one sentence: "Over 12 customer questions: would now answer 3 …; takes 2 from gift-cards. …"."""
    said = []
    for line in lines:
        items = line.get("items") or []
        said.append(line["lead"] + (" " + "; ".join(items) + "." if items else ""))
    return " ".join(said)


def _pooled(sets: list[dict[str, Any]]) -> str:
    """ "P@1 0.914 → 0.918; answered 79.1% → 79.4%; out-of-scope answered 2.6% → 2.6%" over ``sets`` together."""
    queries = sum(row["queries"] for row in sets) or 1
    oos = sum(row["oos"] for row in sets) or 1

    def pooled(when: str, figure: str, weight: str) -> float:
        total = queries if weight == "queries" else oos
        return float(sum(row[when][figure] * row[weight] for row in sets) / total)

    p1 = [pooled(when, "p_at_1", "queries") for when in ("before", "after")]
    answered = [pooled(when, "answered_rate", "queries") for when in ("before", "after")]
    wrong = [pooled(when, "oos_answered_rate", "oos") for when in ("before", "after")]
    return (
        f"P@1 {p1[0]:.3f} → {p1[1]:.3f}; answered {answered[0]:.1%} → {answered[1]:.1%}; "
        f"out-of-scope answered {wrong[0]:.1%} → {wrong[1]:.1%}"
    )
