"""The export's routing rows are an evaluation set `make eval` reads (bench/eval_corrections.py through
bench/eval_sets.py's loader), one set per language, with what was right for each row; its NLU files are Rasa
training data Rasa's own reader takes (checked in the Rasa venv)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from helpdesk.config import PROJECT_ROOT
from helpdesk.corrections.export import Example, nlu_yaml, routing_rows
from helpdesk.corrections.masking import mask_for_export
from helpdesk.db.models import CORRECTION_FAQ, CORRECTION_INTENT, CORRECTION_NEW_QUESTION

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
import eval_corrections  # noqa: E402 - bench/ is not a package


def example(number: int, language: str, kind: str, label: str | None, text: str) -> Example:
    return Example(number, language, kind, label, mask_for_export(text), "nlu_fallback", None, None)


EXAMPLES = [
    example(1, "en", CORRECTION_FAQ, "invoices", "need a receipt for 100212, mail it to jo@example.com"),
    example(2, "en", CORRECTION_INTENT, "request_human", "can u ring me back"),
    example(3, "en", CORRECTION_NEW_QUESTION, None, "do you rent furniture for events"),
    example(4, "zh", CORRECTION_INTENT, "refund_status", "订单100165的钱什么时候退回来"),
]


def test_exported_rows_load_as_one_routing_set_per_language(tmp_path: Path) -> None:
    lines = [json.dumps(row, ensure_ascii=False) for row in routing_rows(EXAMPLES)]
    (tmp_path / "routing.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    sets = {s.key: s for s in eval_corrections.correction_sets(tmp_path)}
    assert set(sets) == {"corrections_en", "corrections_zh"}
    assert [c.expect for c in sets["corrections_en"].cases] == [
        ("faq_id", "invoices"),
        ("handoff", "requested"),  # the routing sets label a wish for a person by the handoff it leads to
        ("handoff", "low_confidence"),  # a new question: refusing is right
    ]
    assert [c.expect for c in sets["corrections_zh"].cases] == [("intent", "refund_status")]
    assert sets["corrections_en"].family == "corrections"
    assert eval_corrections.correction_sets(tmp_path / "nothing-here") == []


def test_exported_nlu_files_are_rasa_training_data(tmp_path: Path) -> None:
    for language in ("en", "zh"):
        (tmp_path / f"nlu_{language}.yml").write_text(nlu_yaml(EXAMPLES, language, "now"), encoding="utf-8")
    script = (
        "import sys\n"
        "from rasa.shared.nlu.training_data.loading import load_data\n"
        "for path in sys.argv[1:]:\n"
        "    data = load_data(path)\n"
        "    for m in data.intent_examples:\n"
        "        print(m.get('intent'), '|', m.get('text'), '|', [e['entity'] for e in m.get('entities') or []])\n"
    )
    done = subprocess.run(
        [str(PROJECT_ROOT / ".venv-rasa" / "bin" / "python"), "-c", script]
        + [str(tmp_path / f"nlu_{language}.yml") for language in ("en", "zh")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line.split(" | ") for line in done.stdout.splitlines() if " | " in line]
    assert ["faq", "need a receipt for 123456, mail it to customer@example.com", "['order_id', 'email']"] in rows
    assert ["request_human", "can u ring me back", "[]"] in rows
    assert ["refund_status", "订单123456的钱什么时候退回来", "['order_id']"] in rows
    assert len(rows) == 3  # the new question has no intent to learn
