"""The held-out sets a handbook change is measured on before it is published (the figures of ``kb eval``).

Each set is a file of in-scope questions with the entry that should answer them and a file of out-of-scope
questions (eval/handbook/, written by the team apart from the handbook's own wordings; README there). The impact
preview (helpdesk/knowledge/impact.py) scores every set on the live handbook and with the edit in place:

- ``p_at_1``: share of in-scope questions whose expected entry ranks first;
- ``answered_rate``: share of in-scope questions the bot would answer rather than suggest or hand off;
- ``oos_answered_rate``: share of out-of-scope questions it would wrongly answer.

A figure that gets worse by more than ``preview_tolerance`` (knowledge/kb.yml) on any set makes the change need
a supervisor's confirmation to publish. In-scope rows whose entry the live handbook lacks are left out (a copy
of the handbook that dropped entries is still measured on what it has).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpdesk.knowledge.query_files import JsonlError, LabeledQuery, load_queries
from helpdesk.knowledge.settings import project_root

# (name, in-scope file, out-of-scope file, the language its questions are asked in) under eval/handbook: the sets
# no threshold was chosen on (dev is not here)
SETS = (
    ("test", "queries_test.jsonl", "oos_test.jsonl", "en"),
    ("styles", "paraphrases_styles.jsonl", "oos_styles.jsonl", "en"),
    ("zh", "queries_zh.jsonl", "oos_zh.jsonl", "zh"),
)
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}
FIGURES = ("p_at_1", "answered_rate", "oos_answered_rate")
HIGHER_IS_BETTER = {"p_at_1": True, "answered_rate": True, "oos_answered_rate": False}
WORDS = {"p_at_1": "P@1", "answered_rate": "answered", "oos_answered_rate": "out-of-scope answered"}


@dataclass(frozen=True)
class HeldOutSet:
    name: str
    in_scope: tuple[LabeledQuery, ...]
    out_of_scope: tuple[LabeledQuery, ...]
    language: str = "en"  # its customers' language: English questions go to the FAQ engine, Chinese ones to the
    # Chinese side (helpdesk/knowledge/impact_chinese.py), each as a customer asking it is answered

    @property
    def texts(self) -> list[str]:
        return [q.text for q in (*self.in_scope, *self.out_of_scope)]


def held_out_folder() -> Path:
    return project_root() / "eval" / "handbook"


@functools.lru_cache(maxsize=4)
def load_sets(folder: Path) -> tuple[HeldOutSet, ...]:
    """The held-out sets found in ``folder`` (a set whose files are missing or broken is left out)."""
    found = []
    for name, queries, oos, language in SETS:
        try:
            found.append(
                HeldOutSet(
                    name,
                    tuple(load_queries(folder / queries)),
                    tuple(load_queries(folder / oos, labeled=False)),
                    language,
                )
            )
        except JsonlError:
            continue
    return tuple(found)


def figures(expected: list[str | None], top: list[str | None], answered: list[str | None]) -> dict[str, float]:
    """The three figures of one set from each question's expected entry (None: out of scope), its first-ranked
    entry and the entry the bot would answer with (None: not answered)."""
    inside = [i for i, e in enumerate(expected) if e is not None]
    outside = [i for i, e in enumerate(expected) if e is None]

    def share(rows: list[int], hit: Any) -> float:
        return round(sum(1 for i in rows if hit(i)) / len(rows), 4) if rows else 0.0

    return {
        "p_at_1": share(inside, lambda i: top[i] == expected[i]),
        "answered_rate": share(inside, lambda i: answered[i] is not None),
        "oos_answered_rate": share(outside, lambda i: answered[i] is not None),
    }


def worse(
    name: str, before: dict[str, float], after: dict[str, float], tolerance: float, language: str = "en"
) -> list[dict[str, Any]]:
    """The figures of set ``name`` (its questions in ``language``) that got worse by more than ``tolerance``."""
    found = []
    for figure in FIGURES:
        change = after[figure] - before[figure]
        if (-change if HIGHER_IS_BETTER[figure] else change) > tolerance + 1e-9:
            found.append(
                {"set": name, "language": language, "figure": figure, "before": before[figure], "after": after[figure]}
            )
    return found


def describe(drop: dict[str, Any]) -> str:
    """ "P@1 on test (English) 0.914 → 0.897" for one figure that got worse."""
    language = LANGUAGE_NAMES.get(str(drop.get("language")), "")
    named = f"{drop['set']} ({language})" if language else str(drop["set"])
    return f"{WORDS[drop['figure']]} on {named} {drop['before']:.3f} → {drop['after']:.3f}"
