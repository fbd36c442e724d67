"""The held-out sets behind `make eval` are well formed, and the report script turns figures into a report.

Cheap: no stack, no Rasa, no model; the report is rendered from a tiny result made by the script's own
figure functions.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from helpdesk.config import PROJECT_ROOT
from helpdesk.knowledge.handbook import load_handbook
from helpdesk.vocabulary import HANDOFF_COMPLAINT, HANDOFF_LOW_CONFIDENCE, HANDOFF_REQUESTED

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
import eval_report  # noqa: E402 - bench/ is not a package


def domain_intents() -> set[str]:
    return set(yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["intents"])


def test_routing_set_names_real_intents_entries_and_reasons() -> None:
    cases = eval_report.load_routing_cases(eval_report.ROUTING_CASES)
    assert len(cases) >= 150
    entries = set(load_handbook(PROJECT_ROOT / "knowledge" / "faq").entries)
    intents = domain_intents()
    kinds = {kind for case in cases for kind in case["expect"]}
    assert kinds == {"intent", "faq_id", "handoff"}
    for case in cases:
        kind, want = next(iter(case["expect"].items()))
        known = {"intent": intents, "faq_id": entries, "handoff": {HANDOFF_REQUESTED, HANDOFF_COMPLAINT,
                                                                   HANDOFF_LOW_CONFIDENCE}}[kind]  # fmt: skip
        assert want in known, case
    texts = [case["text"] for case in cases]
    assert len(texts) == len(set(texts))


def test_heldout_nlu_has_every_intent_and_kind() -> None:
    examples = eval_report.load_nlu_examples(eval_report.HELDOUT_NLU)
    counts = eval_report.kind_counts(examples)
    assert set(counts) == domain_intents()
    for intent, row in counts.items():
        assert row["messages"] >= eval_report.MIN_PER_INTENT, intent
        for kind in eval_report.KINDS:
            assert row[kind] >= 1, (intent, kind)
    training = {
        eval_report.plain_text(line.strip()[2:]).lower()
        for path in (PROJECT_ROOT / "data" / "nlu").glob("*.yml")
        for line in path.read_text().splitlines()
        if line.strip().startswith("- ")
    }
    assert not [example.text for example in examples if example.text.lower() in training]


def test_loader_reads_both_rasa_forms_and_rejects_unknown_kinds(tmp_path: Path) -> None:
    path = tmp_path / "nlu.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi [Ann](name)\n'
        '- intent: faq\n  examples:\n    - text: "whats ur returns policy"\n      metadata: {kinds: [typo]}\n'
    )
    examples = eval_report.load_nlu_examples(path)
    assert [(e.text, e.intent, e.kinds) for e in examples] == [("hi Ann", "greet", ()), (
        "whats ur returns policy", "faq", ("typo",))]  # fmt: skip
    path.write_text('nlu:\n- intent: faq\n  examples:\n    - text: "x"\n      metadata: {kinds: [typos]}\n')
    with pytest.raises(ValueError, match="unknown kinds"):
        eval_report.load_nlu_examples(path)


def test_report_from_a_tiny_result(tmp_path: Path) -> None:
    figures = eval_report.classification([("greet", "greet"), ("greet", "thank"), ("thank", "thank")])
    assert figures["accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert figures["per_intent"]["greet"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert figures["per_intent"]["thank"]["precision"] == 0.5
    assert figures["confusion"] == [[1, 1], [0, 1]]
    outcome = eval_report.outcome_of(
        {"nlu": {"intent": "faq"}, "faq": None, "handoff": None,
         "replies": [{"text": "Did you mean", "buttons": [{"title": "T", "payload": '/faq{"faq_id": "invoices"}'}]}]}
    )  # fmt: skip
    assert outcome["suggested"] == ["invoices"]
    assert not eval_report.routed_right({"faq_id": "invoices"}, outcome)
    assert eval_report.routed_right({"intent": "faq"}, outcome)
    handoff = {"intent": "faq", "faq_id": None, "handoff": "low_confidence", "suggested": []}
    form = {"intent": "order_status", "faq_id": None, "handoff": None, "suggested": []}
    answer = {"intent": "out_of_scope", "faq_id": "contact-us", "handoff": None, "suggested": []}
    assert eval_report.out_of_scope_outcomes([handoff, outcome, form, answer, handoff]) == {
        "n": 5, "handed_off": 2, "suggested": 1, "answered_from_handbook": 1, "taken_as_intent": 1,
        "answered_wrongly": 2,
    }  # fmt: skip
    sweep = [
        {"answer_threshold": t, "answered_rate": a, "wrong_answer_rate": w, "oos_answered_rate": o,
         "handoff_rate": 0.0}
        for t, a, w, o in ((0.5, 0.9, 0.06, 0.2), (0.56, 0.8, 0.04, 0.05), (0.6, 0.6, 0.01, 0.0))
    ]  # fmt: skip
    result = {
        "machine": {"cpu_model": "cpu", "cores": 2, "ram_gb": 1, "os": "Linux", "python": "3.11",
                    "load_average_start": [0, 0, 0]},
        "finished_at": "now", "seconds": 1.0, "load_average_end": [0, 0, 0],
        "heldout": {**figures, "routed_accuracy": 0.5, "fallback_rate": 0.1,
                    "by_kind": {"plain": {"n": 3, "accuracy": 0.6667}},
                    "kinds_per_intent": {"greet": {"messages": 2, "typo": 1, "long": 0, "two_requests": 0}},
                    "errors": [{"text": "hi | there", "intent": "greet", "predicted": "thank", "confidence": 0.5,
                                "routed": "thank", "kinds": []}]},
        "kb": {"entries": 3, "answer_threshold": 0.56, "suggest_threshold": 0.45, "reason": "because",
               "test": {"n_queries": 10, "n_oos": 10, "p_at_1": 0.9, "recall_at_3": 1.0, "mrr_at_10": 0.95,
                        "answered_rate": 0.8, "wrong_answer_rate": 0.04, "suggest_rate": 0.1, "handoff_rate": 0.1,
                        "oos_answered_rate": 0.05, "oos_suggest_rate": 0.2, "misses": [],
                        "sweep": eval_report.with_overall_wrong(sweep, 10, 10)}},
    }  # fmt: skip
    eval_report.write_outputs(result, tmp_path)
    report = (tmp_path / "report.md").read_text()
    assert "Accuracy **66.7 %**" in report
    assert "| **0.56** | 80.0 % | 4.0 % | 5.0 % | 4.5 % |" in report  # wrong share of all: (0.4 + 0.5) / 20
    assert "hi \\| there" in report  # a customer's "|" does not break the table
    for png in ("heldout_confusion.png", "handoff_tradeoff.png"):
        assert (tmp_path / png).read_bytes()[:4] == b"\x89PNG"
    assert not (tmp_path / "cv_confusion.png").exists()
