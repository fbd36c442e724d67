"""Lane en2 (issue 17): an unsure "Did you mean" between a payment problem and one payments entry is answered from
that entry (actions/faq.py), but "why is apple pay not working" had payment-declined only just ahead of
payment-methods, and "why was I charged a fee for paying by card" payment-declined just ahead of double-charge: a near
tie between two payments answers is no reading of which one is meant, and the first was answered confidently and
wrongly. entries_near finds the entries scoring within the lead of the one offered; with one of them the choices
stay (the near one among them). Scores written for this test."""

from __future__ import annotations

from actions.payment_ways import PAYMENT_ENTRY_LEAD, entries_near


def test_an_entry_scoring_just_below_the_one_offered_is_near() -> None:
    scores = {"payment-declined": 0.605, "payment-methods": 0.592, "registration-problems": 0.381}
    assert entries_near("payment-declined", scores, PAYMENT_ENTRY_LEAD) == ["payment-methods"]


def test_entries_near_are_given_best_first_and_the_offered_one_is_left_out() -> None:
    scores = {"vat-and-prices": 0.554, "double-charge": 0.593, "payment-declined": 0.563, "free-shipping": 0.49}
    assert entries_near("double-charge", scores, PAYMENT_ENTRY_LEAD) == ["payment-declined", "vat-and-prices"]


def test_an_entry_clearly_ahead_has_none_near() -> None:
    scores = {"payment-declined": 0.652, "double-charge": 0.589, "order-confirmation": 0.523}
    assert entries_near("payment-declined", scores, PAYMENT_ENTRY_LEAD) == []


def test_an_entry_without_a_score_has_none_near() -> None:
    assert entries_near("currency", {"payment-declined": 0.6}, PAYMENT_ENTRY_LEAD) == []
