"""bench/choose_gate.py counts a dev row as make eval does (bench/eval_outcomes.py): a payment problem the route acts
on is right for a row that expects it, whatever the handbook then answers; a handbook row reached through a payment
problem is right only when the handbook answers from its entry (in Chinese too, with the gate being chosen)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from choose_gate import as_answered, row_outcome  # noqa: E402

IDS = ["double-charge", "payment-declined"]


def test_a_payment_problem_acted_on_is_right_for_a_row_that_expects_it() -> None:
    answered = as_answered("intent:payment_issue", np.array([0.9, 0.2]), IDS, 0.54)
    assert answered == "faq:double-charge"
    assert row_outcome("intent:payment_issue", answered, "intent:payment_issue") == "right"


def test_a_handbook_row_reached_through_a_payment_problem_needs_its_entry_above_the_gate() -> None:
    sure = as_answered("intent:payment_issue", np.array([0.9, 0.2]), IDS, 0.54)
    assert row_outcome("intent:payment_issue", sure, "faq:double-charge") == "right"
    other = as_answered("intent:payment_issue", np.array([0.2, 0.9]), IDS, 0.54)
    assert row_outcome("intent:payment_issue", other, "faq:double-charge") == "wrong"
    unsure = as_answered("intent:payment_issue", np.array([0.5, 0.2]), IDS, 0.54)
    assert unsure == "clarify" and row_outcome("intent:payment_issue", unsure, "faq:double-charge") == "clarify"


def test_other_destinations_are_counted_as_routed() -> None:
    assert row_outcome("intent:order_status", "intent:order_status", "faq:track-order") == "wrong"
    assert row_outcome("faq:invoices", "faq:invoices", None) == "oos_answered"
    assert row_outcome("clarify", "clarify", None) == "oos_refused"
