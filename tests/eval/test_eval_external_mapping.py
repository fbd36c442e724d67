"""The team's style evaluation sets and the external benchmark mapping under eval/ are sound.

- every label names a real intent (domain.yml), handbook entry or handoff reason;
- every benchmark intent the mapping names exists in the benchmark files, every intent of those files is
  mapped, left out of scope or skipped, and the stated row counts are what the files give (skipped when
  ../shared/benchmarks is absent);
- no message is a copy (ignoring case and punctuation) of a handbook question, a training example in data/,
  a row of another evaluation set, a benchmark row, or of another row of these sets.

Cheap: no stack, no model.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpdesk.config import PROJECT_ROOT
from helpdesk.knowledge.handbook import load_handbook
from helpdesk.vocabulary import HANDOFF_COMPLAINT, HANDOFF_LOW_CONFIDENCE, HANDOFF_REQUESTED

EVAL = PROJECT_ROOT / "eval"
PARAPHRASES = EVAL / "handbook" / "paraphrases_styles.jsonl"
OUT_OF_SCOPE = EVAL / "handbook" / "oos_styles.jsonl"
ROUTING = EVAL / "routing" / "styles.jsonl"
# the English routing dev rows (bench/choose_gate.py chooses the thresholds on them; never reported)
DEV = EVAL / "routing" / "dev.jsonl"
# handbook paraphrases and out-of-scope questions in those styles, for choosing (bench/choose_gate.py; not reported)
PARAPHRASES_DEV = EVAL / "handbook" / "paraphrases_styles_dev.jsonl"
OUT_OF_SCOPE_DEV = EVAL / "handbook" / "oos_styles_dev.jsonl"
MAPPING = EVAL / "external" / "mapping.yml"
OURS = (PARAPHRASES, OUT_OF_SCOPE, ROUTING, DEV, PARAPHRASES_DEV, OUT_OF_SCOPE_DEV)
# the other evaluation sets: everything else under eval/, and the places they were kept before eval/ existed
OTHER_SETS = ("eval", "knowledge/eval", "tests/routing", "tests/nlu", "tests/fixtures/paraphrases_dev.json",
              "tests/fixtures/paraphrases_test.json")  # fmt: skip
STYLES = {"terse", "rambling", "typos", "non_native", "request", "synonym", "specifics"}
# "walk": a message typed in a walkthrough of the running product that it routed wrong (eval/routing/README.md)
DEV_STYLES = STYLES | {"two_requests", "walk"}
HANDOFF_REASONS = {HANDOFF_REQUESTED, HANDOFF_COMPLAINT, HANDOFF_LOW_CONFIDENCE}
# intents reached by a handoff (request_human, complaint) or by no label of their own (faq, out_of_scope)
NOT_EXPECTED_AS_INTENTS = {"request_human", "complaint", "faq", "out_of_scope"}
ORDER_NUMBER = re.compile(r"\b1\d{5}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
ENTITY = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def mapping() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(MAPPING.read_text())
    return loaded


BENCHMARKS = (PROJECT_ROOT / mapping()["benchmarks"]).resolve()


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            row = json.loads(line)
            assert isinstance(row, dict), f"{path}:{number}: not a JSON object"
            rows.append(row)
    return rows


def normalise(text: str) -> str:
    """Lower case without punctuation or symbols, single spaces: "What's €5?" and "whats 5" are the same."""
    kept = "".join(c for c in text.lower() if not unicodedata.category(c).startswith(("P", "S")))
    return " ".join(kept.split())


def routes() -> dict[str, set[str]]:
    return {
        "intent": set(yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["intents"]),
        "faq_id": set(load_handbook(PROJECT_ROOT / "knowledge" / "faq").entries),
        "handoff": HANDOFF_REASONS,
    }


def assert_route(route: Any, known: dict[str, set[str]], where: str) -> None:
    assert isinstance(route, dict) and len(route) == 1, f"{where}: a route is one of intent/faq_id/handoff: {route!r}"
    kind, name = next(iter(route.items()))
    assert kind in known, f"{where}: unknown kind of route {kind!r}"
    assert name in known[kind], f"{where}: {kind} {name!r} does not exist"


def test_paraphrases_cover_every_handbook_entry_in_every_style() -> None:
    rows = read_jsonl(PARAPHRASES)
    entries = routes()["faq_id"]
    assert len(rows) >= 350
    for row in rows:
        assert set(row) == {"query", "faq_id", "style"} and row["query"].strip(), row
        assert row["faq_id"] in entries, f"{PARAPHRASES.name}: no handbook entry {row['faq_id']!r}: {row}"
        assert row["style"] in STYLES, row
    per_entry = Counter(row["faq_id"] for row in rows)
    assert set(per_entry) == entries, f"entries without paraphrases: {sorted(entries - set(per_entry))}"
    assert min(per_entry.values()) >= 3, per_entry.most_common()[-5:]
    assert min(Counter(row["style"] for row in rows)[style] for style in STYLES) >= 20


def test_out_of_scope_questions_come_in_every_style() -> None:
    rows = read_jsonl(OUT_OF_SCOPE)
    assert len(rows) >= 120
    for row in rows:
        assert set(row) == {"query", "style"} and row["query"].strip() and row["style"] in STYLES, row
    assert set(Counter(row["style"] for row in rows)) == STYLES


def assert_rows_name_routes(
    rows: list[dict[str, Any]], name: str, styles: set[str] | frozenset[str], known: dict[str, set[str]]
) -> list[tuple[str, str]]:
    """Every row of ``name`` has a text, a known style and real routes, its alternatives other than its route; every
    style, every intent a customer starts and every handoff reason is used; orders and e-mails are the demo shop's.
    Returns each row's expected (kind, route)."""
    for number, row in enumerate(rows, start=1):
        where = f"{name}:{number}"
        assert set(row) <= {"text", "expect", "accept", "style"} and row["text"].strip(), f"{where}: {row}"
        assert row["style"] in styles, f"{where}: unknown style {row['style']!r}"
        assert_route(row["expect"], known, where)
        for alternative in row.get("accept", []):
            assert_route(alternative, known, where)
            assert alternative != row["expect"], f"{where}: the expected route is also listed as an alternative"
    assert set(Counter(row["style"] for row in rows)) == styles
    shop = yaml.safe_load((PROJECT_ROOT / "knowledge" / "demo" / "shop.yml").read_text())
    orders = {order["number"] for order in shop["orders"]}
    emails = {customer["email"] for customer in shop["customers"]}
    for row in rows:  # the demo shop's orders and customers, so that the order flows can answer
        assert set(ORDER_NUMBER.findall(row["text"])) <= orders, row
        assert set(EMAIL.findall(row["text"])) <= emails, row
    expected = [next(iter(row["expect"].items())) for row in rows]
    assert {route for kind, route in expected if kind == "intent"} == known["intent"] - NOT_EXPECTED_AS_INTENTS
    assert {route for kind, route in expected if kind == "handoff"} == HANDOFF_REASONS
    return expected


def test_routing_first_messages_name_real_routes() -> None:
    rows = read_jsonl(ROUTING)
    known = routes()
    assert len(rows) >= 250
    expected = assert_rows_name_routes(rows, ROUTING.name, STYLES, known)
    assert len({name for kind, name in expected if kind == "faq_id"}) >= 60


def test_the_english_routing_dev_set_names_real_routes_for_every_intent_and_style() -> None:
    """eval/routing/dev.jsonl, the English rows the routing thresholds are chosen on (bench/choose_gate.py), never
    reported as results: real routes for every intent, handoff reason and most handbook entries, in every customer
    style plus two requests in one message, with the demo shop's orders and e-mails (that no row copies another set,
    the training data or a benchmark is the copy test below)."""
    rows = read_jsonl(DEV)
    known = routes()
    assert len(rows) >= 200
    expected = assert_rows_name_routes(rows, DEV.name, DEV_STYLES, known)
    assert {name for kind, name in expected if kind == "faq_id"} == known["faq_id"]
    assert sum(1 for kind, name in expected if (kind, name) == ("handoff", HANDOFF_LOW_CONFIDENCE)) >= 30


def test_the_mapping_names_real_routes_and_gives_every_reason() -> None:
    known = routes()
    for name, benchmark in mapping()["sets"].items():
        assert benchmark["split"] == "test" and all("test" in Path(f).name for f in benchmark["files"]), name
        placed: list[str] = []
        for intent, route in benchmark.get("routes", {}).items():
            where = f"{MAPPING.name}: {name}.{intent}"
            assert_route(route["expect"], known, where)
            for alternative in route.get("accept", []):
                assert_route(alternative, known, where)
            assert route["why"].strip() and isinstance(route["rows"], int), where
            placed.append(intent)
        for group in benchmark.get("out_of_scope", []):
            where = f"{MAPPING.name}: {name} out of scope {group['name']!r}"
            for alternative in group.get("accept", []):
                assert_route(alternative, known, where)
            assert group["why"].strip() and isinstance(group["rows"], int), where
            assert group["per_intent"] == "all" or group["per_intent"] > 0, where
            placed += group["intents"]
        for intent, reason in benchmark.get("skip", {}).items():
            assert isinstance(reason, str) and reason.strip(), f"{name}.{intent}: skipped without a reason"
            placed.append(intent)
        assert all(isinstance(intent, str) for intent in placed), f"{name}: quote keys YAML reads as other types"
        assert not [i for i, n in Counter(placed).items() if n > 1], f"{name}: an intent is placed twice"


@pytest.mark.skipif(not BENCHMARKS.is_dir(), reason=f"no public benchmarks at {BENCHMARKS}")
def test_the_mapping_matches_the_benchmark_files() -> None:
    for name, benchmark in mapping()["sets"].items():
        files = [BENCHMARKS / path for path in benchmark["files"]]
        per_intent = Counter(row["intent"] for path in files for row in read_jsonl(path))
        routed = benchmark.get("routes", {})
        groups = benchmark.get("out_of_scope", [])
        placed = {*routed, *(i for group in groups for i in group["intents"]), *benchmark.get("skip", {})}
        assert not placed - set(per_intent), f"{name}: not in {benchmark['files']}: {placed - set(per_intent)}"
        assert not set(per_intent) - placed, f"{name}: neither mapped nor skipped: {set(per_intent) - placed}"
        for intent, route in routed.items():
            assert route["rows"] == per_intent[intent], (name, intent, per_intent[intent])
        for group in groups:
            take = group["per_intent"]
            rows = sum(n if take == "all" else min(take, n) for i, n in per_intent.items() if i in group["intents"])
            assert group["rows"] == rows, f"{name} {group['name']!r}: {rows} rows, not {group['rows']}"


def nlu_texts(path: Path) -> Iterator[str]:
    """The examples of a Rasa NLU file (block or list form), entity markup removed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in data.get("nlu", []) if isinstance(data, dict) else []:
        if "intent" not in item:
            continue  # regex, lookup and synonym entries are not messages
        examples = item.get("examples") or []
        if isinstance(examples, str):
            examples = [line.strip()[2:] for line in examples.splitlines() if line.strip().startswith("- ")]
        for example in examples:
            yield ENTITY.sub(r"\1", example["text"] if isinstance(example, dict) else example)


def json_texts(data: Any) -> Iterator[str]:
    """Every string under a "text", "texts" or "query" key, anywhere in a JSON document."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("text", "texts", "query"):
                yield from [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]
            else:
                yield from json_texts(value)
    elif isinstance(data, list):
        for value in data:
            yield from json_texts(value)


def texts_in(path: Path) -> Iterator[str]:
    if path.suffix == ".jsonl":
        for row in read_jsonl(path):
            yield from json_texts(row)
    elif path.suffix == ".json":
        yield from json_texts(json.loads(path.read_text(encoding="utf-8")))
    elif path.suffix in (".yml", ".yaml"):
        yield from nlu_texts(path)


def files_under(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path


def test_no_message_copies_the_handbook_training_data_or_another_eval_set() -> None:
    sources: dict[str, str] = {}
    for entry in load_handbook(PROJECT_ROOT / "knowledge" / "faq").entries.values():
        for question in entry.all_questions:
            sources.setdefault(normalise(question), f"handbook entry {entry.id}")
    mine = {path.resolve() for path in OURS}
    others = [p for p in files_under(PROJECT_ROOT / name for name in OTHER_SETS) if p.resolve() not in mine]
    for path in [*files_under([PROJECT_ROOT / "data"]), *others]:
        for text in texts_in(path):
            sources.setdefault(normalise(text), str(path.relative_to(PROJECT_ROOT)))
    if BENCHMARKS.is_dir():
        for path in files_under([BENCHMARKS]):
            if path.suffix == ".jsonl":
                for row in read_jsonl(path):
                    for text in (row.get("text"), row.get("text_en")):
                        if text:
                            sources.setdefault(normalise(text), f"benchmark {path.relative_to(BENCHMARKS)}")
    copies: list[str] = []
    seen: dict[str, str] = {}
    for path in OURS:
        for row in read_jsonl(path):
            text = row.get("query") or row["text"]
            key = normalise(text)
            if key in sources:
                copies.append(f"{path.name}: {text!r} is in {sources[key]}")
            if key in seen:
                copies.append(f"{path.name}: {text!r} is also in {seen[key]}")
            seen[key] = path.name
    assert not copies, "\n".join(copies)
