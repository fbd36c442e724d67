"""bench/dev_routing.py run: every row's verdict is kept with whether the row is out of scope and how it was refused,
so each set's figures are make eval's (bench/eval_outcomes.summarise); the stack and its replies are stand-ins here,
the classification is the real one."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import dev_routing  # noqa: E402
from eval_sets import OUT_OF_SCOPE, Case, EvalSet  # noqa: E402

REPLIES: dict[str, dict[str, Any]] = {
    "where is my order": {"nlu": {"intent": "order_status"}},
    "set an alarm for six": {"nlu": {"intent": "out_of_scope"}, "handoff": {"reason": "low_confidence"}},
    "cancel my dentist appointment": {"nlu": {"intent": "cancel_order"}},
}


@contextmanager
def fake_stack() -> Iterator[SimpleNamespace]:
    yield SimpleNamespace(url="http://stack.invalid")


def fake_post(client: object, text: str, source: str) -> tuple[dict[str, Any], float]:
    return REPLIES[text], 1.0


def test_a_run_keeps_each_rows_verdict_and_summarises_its_sets_as_make_eval_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [
        Case("where is my order", ("intent", "order_status"), source="dev.jsonl:1"),
        Case("set an alarm for six", OUT_OF_SCOPE, source="dev.jsonl:2"),
        Case("cancel my dentist appointment", OUT_OF_SCOPE, source="dev.jsonl:3"),
    ]
    one_set = EvalSet("routing_dev", "dev", "en", "team_dev", ("dev.jsonl",), cases)
    monkeypatch.setattr(dev_routing, "dev_sets", lambda language: [one_set])
    monkeypatch.setattr(dev_routing, "bench_stack", fake_stack)
    monkeypatch.setattr(dev_routing, "post_first_message", fake_post)
    monkeypatch.setattr(dev_routing, "outside_repository", lambda path: path)
    out = tmp_path / "dev.json"

    dev_routing.run(out, "en", None)

    entry = json.loads(out.read_text())["sets"]["routing_dev"]
    assert entry["categories"] == {"dev.jsonl:1": "right", "dev.jsonl:2": "right", "dev.jsonl:3": "wrong"}
    figures = dev_routing.summarise_set(entry)
    assert figures["counts"] == {"right": 2, "clarify": 0, "handoff": 0, "wrong": 1}
    assert figures["out_of_scope"]["n"] == 2
    assert figures["out_of_scope"]["refused"] == 1
    assert figures["out_of_scope"]["by"]["handoff"] == 1
    assert dev_routing.score(figures) == 0
