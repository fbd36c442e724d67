"""The EXTERNAL DEV rows (bench/eval_sets.external_dev_cases): the mapping's routes and out-of-scope groups applied to
the public benchmarks' non-test splits, for choosing thresholds (bench/choose_gate.py --external-dev).

- a dev row is never a test row (same text ignoring case and punctuation), and never read from a test file;
- every mapped intent gives `per_route` rows (or all it has), out-of-scope groups their `per_intent` first rows;
- a mapping whose dev files include a test file is refused.

Cheap: no stack, no model. The checks on the real benchmarks skip when ../shared/benchmarks is absent.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpdesk.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
import eval_sets  # noqa: E402 - bench/ is not a package

MAPPING = eval_sets.load_mapping()
BENCHMARKS = eval_sets.benchmarks_dir(MAPPING)


def write_jsonl(path: Path, rows: list[tuple[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps({"text": t, "intent": i}) + "\n" for t, i in rows), encoding="utf-8")


def small_benchmark(tmp_path: Path, dev: dict[str, Any]) -> tuple[Path, Path]:
    """A benchmark with a test and a train split; the train split repeats one test row in another spelling."""
    write_jsonl(tmp_path / "b" / "test.jsonl", [("Where is my parcel?", "order_status"), ("tell a joke", "joke")])
    write_jsonl(
        tmp_path / "b" / "train.jsonl",
        [(f"order question {n}", "order_status") for n in range(10)]
        + [("where is my PARCEL", "order_status"), ("sing me a song", "joke"), ("a pun please", "joke"),
           ("a riddle", "joke"), ("weather today", "skipped")],
    )  # fmt: skip
    mapping = {
        "version": 1,
        "benchmarks": str(tmp_path / "b"),
        "sets": {
            "small": {
                "files": ["test.jsonl"],
                "dev": dev,
                "routes": {"order_status": {"expect": {"intent": "order_status"}, "rows": 1, "why": "-"}},
                "out_of_scope": [{"name": "jokes", "intents": ["joke"], "per_intent": 2, "rows": 1, "why": "-"}],
                "skip": {"skipped": "-"},
            }
        },
    }
    path = tmp_path / "mapping.yml"
    path.write_text(yaml.safe_dump(mapping), encoding="utf-8")
    return path, tmp_path / "b"


def test_dev_rows_leave_out_test_rows_and_take_the_stated_sample(tmp_path: Path) -> None:
    path, root = small_benchmark(tmp_path, {"files": ["train.jsonl"], "per_route": 4})
    spec = eval_sets.load_mapping(path)["sets"]["small"]
    cases = eval_sets.external_dev_cases("small", spec, root, path)
    in_scope = [c for c in cases if not c.out_of_scope]
    # 11 order rows in train, one of them the test row "Where is my parcel?" spelt differently: 10 left, 4 spread
    assert [c.text for c in in_scope] == ["order question 0", "order question 2", "order question 5",
                                          "order question 7"]  # fmt: skip
    assert all(c.expect == ("intent", "order_status") for c in in_scope)
    assert [c.text for c in cases if c.out_of_scope] == ["sing me a song", "a pun please"]
    assert all(c.source.startswith("train.jsonl:") for c in cases)
    everything = eval_sets.external_dev_cases("small", {**spec, "dev": {**spec["dev"], "per_route": "all"}}, root, path)
    assert len([c for c in everything if not c.out_of_scope]) == 10
    assert eval_sets.external_dev_cases("small", {k: v for k, v in spec.items() if k != "dev"}, root, path) == []


def test_a_test_file_cannot_be_a_dev_file(tmp_path: Path) -> None:
    path, root = small_benchmark(tmp_path, {"files": ["test.jsonl", "train.jsonl"], "per_route": 4})
    spec = eval_sets.load_mapping(path)["sets"]["small"]
    with pytest.raises(eval_sets.SetError, match="test file cannot be a dev file"):
        eval_sets.external_dev_cases("small", spec, root, path)


@pytest.mark.skipif(not BENCHMARKS.is_dir(), reason=f"no public benchmarks at {BENCHMARKS}")
def test_the_real_dev_rows_are_no_test_rows_and_count_as_stated() -> None:
    dev_sets = {s.key: s for s in eval_sets.external_dev_sets()}
    assert set(dev_sets) == {f"{name}_dev" for name, spec in MAPPING["sets"].items() if spec.get("dev")}
    assert {"clinc150_dev", "banking77_dev", "xsid_en_dev", "xsid_zh_dev"} <= set(dev_sets)
    for name, spec in MAPPING["sets"].items():
        if not spec.get("dev"):
            continue
        dev = dev_sets[f"{name}_dev"]
        test_texts = {
            eval_sets.same_text(text) for text, _, _ in eval_sets.benchmark_rows(spec["files"], BENCHMARKS, name)
        }
        assert not [c.text for c in dev.cases if eval_sets.same_text(c.text) in test_texts], name
        assert {c.source.split(":")[0] for c in dev.cases} <= set(spec["dev"]["files"]), name
        available = Counter(
            label
            for text, label, _ in eval_sets.benchmark_rows(spec["dev"]["files"], BENCHMARKS, name)
            if eval_sets.same_text(text) not in test_texts
        )
        got = Counter(c.group for c in dev.cases)
        limit = spec["dev"].get("per_route", "all")
        for intent in spec.get("routes") or {}:
            assert available[intent] > 0, (name, intent)
            want = available[intent] if limit == "all" else min(int(limit), available[intent])
            assert got[intent] == want, (name, intent)
        for group in spec.get("out_of_scope") or []:
            for intent in group["intents"]:
                per_intent = group.get("per_intent", "all")
                want = available[intent] if per_intent == "all" else min(int(per_intent), available[intent])
                assert got[intent] == want, (name, intent)
