"""The held-out sets behind `make eval` are well formed, and their loader reads both forms of Rasa NLU data.

Cheap: no stack, no Rasa, no model. The report itself is tested in test_eval_harness.py.
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
import eval_sets  # noqa: E402 - bench/ is not a package


def domain_intents() -> set[str]:
    return set(yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["intents"])


def test_routing_set_names_real_intents_entries_and_reasons() -> None:
    cases = eval_sets.load_routing_cases(eval_sets.ROUTING_CASES)
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
    examples = eval_sets.load_nlu_examples(eval_sets.HELDOUT_NLU)
    counts = eval_sets.kind_counts(examples)
    assert set(counts) == domain_intents()
    for intent, row in counts.items():
        assert row["messages"] >= eval_sets.MIN_PER_INTENT, intent
        for kind in eval_sets.KINDS:
            assert row[kind] >= 1, (intent, kind)
    training = {
        eval_sets.plain_text(line.strip()[2:]).lower()
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
    examples = eval_sets.load_nlu_examples(path)
    assert [(e.text, e.intent, e.kinds) for e in examples] == [("hi Ann", "greet", ()), (
        "whats ur returns policy", "faq", ("typo",))]  # fmt: skip
    path.write_text('nlu:\n- intent: faq\n  examples:\n    - text: "x"\n      metadata: {kinds: [typos]}\n')
    with pytest.raises(eval_sets.SetError, match=r"nlu.yml:4: .*unknown kinds"):
        eval_sets.load_nlu_examples(path)
