"""bench/dev_routing.py figures a set from its per-row results as make eval does (bench/eval_outcomes.summarise):
each row's category with whether it was out of scope and how it was refused; the team's score is right - 2 x wrong."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from dev_routing import score, summarise_entry  # noqa: E402


def test_a_sets_figures_count_its_out_of_scope_rows_and_how_they_were_refused() -> None:
    entry = {
        "categories": {"a:1": "right", "a:2": "wrong", "b:1": "right", "b:2": "wrong", "b:3": "clarify"},
        "out_of_scope": {"a:1": True, "a:2": True, "b:1": False, "b:2": False, "b:3": False},
        "how": {"a:1": "handoff", "a:2": "", "b:1": "expected", "b:2": "", "b:3": ""},
    }
    figures = summarise_entry(entry)
    assert figures["counts"] == {"right": 2, "clarify": 1, "handoff": 0, "wrong": 2}
    assert figures["out_of_scope"]["n"] == 2 and figures["out_of_scope"]["refused"] == 1
    assert figures["out_of_scope"]["by"]["handoff"] == 1
    assert figures["in_scope"] == {"n": 3, "right": 0.3333, "wrong": 0.3333}
    assert score(figures) == 2 - 2 * 2


def test_an_older_run_without_the_out_of_scope_flags_still_compares() -> None:
    figures = summarise_entry({"categories": {"a:1": "right", "a:2": "handoff"}})
    assert figures["counts"]["right"] == 1 and figures["out_of_scope"]["n"] == 0
