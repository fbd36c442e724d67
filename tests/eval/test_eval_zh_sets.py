"""The Chinese evaluation sets under eval/ are well formed, big enough, labelled with real names and unique.

Cheap: no stack, no Rasa, no model. Fails when a label names no intent in domain.yml, no handbook entry or no
handoff reason; when a file has fewer rows than issue 18 asks for; when a message is a duplicate (ignoring
punctuation, whitespace, width and case) of another Chinese evaluation message, of a training example under
data/nlu/, of a handbook title or question or of a public benchmark row (../shared/benchmarks, e.g. xSID's
Chinese); and when an order number is not one of the demo shop's.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from helpdesk.config import PROJECT_ROOT
from helpdesk.knowledge.handbook import load_handbook
from helpdesk.vocabulary import HANDOFF_COMPLAINT, HANDOFF_LOW_CONFIDENCE, HANDOFF_REQUESTED

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
import eval_report  # noqa: E402 - bench/ is not a package
import nlu_benchmarks  # noqa: E402

BENCHMARKS = nlu_benchmarks.DEFAULT_DATA  # read in place; absent in a bare checkout, then not compared

EVAL = PROJECT_ROOT / "eval"
INTENTS = EVAL / "intents" / "heldout_zh.yml"
QUERIES = EVAL / "handbook" / "queries_zh.jsonl"
OOS = EVAL / "handbook" / "oos_zh.jsonl"
ROUTING = EVAL / "routing" / "heldout_zh.jsonl"
CROSS_LINGUAL = EVAL / "routing" / "cross_lingual_zh.jsonl"
# the dev split the Chinese handbook gate is chosen on (bench/choose_gate.py); never reported as a result
QUERIES_DEV = EVAL / "handbook" / "queries_dev_zh.jsonl"
OOS_DEV = EVAL / "handbook" / "oos_dev_zh.jsonl"

MIN_PER_INTENT = 20
MIN_ROWS = {QUERIES: 200, OOS: 120, ROUTING: 160, CROSS_LINGUAL: 40}
LONG_CHARS = 20  # a Chinese message this long (no markup, no whitespace) counts as `long`
TAGGED_KINDS = {"typo", "two_requests"}
# terse, typos and rambling as in the English styled sets; the rest are Chinese voices
STYLES = {"colloquial", "formal", "terse", "opener", "rambling", "typos", "traditional", "mixed"}
OOS_TOPICS = {"near_miss", "weather", "finance", "cooking", "travel", "phone", "banking", "trivia", "chitchat",
              "tasks", "health", "tech", "nonsense", "other_app"}  # fmt: skip
HANDOFF_REASONS = {HANDOFF_REQUESTED, HANDOFF_COMPLAINT, HANDOFF_LOW_CONFIDENCE}

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
ANNOTATION = re.compile(r"\[([^\]]+)\]\((\w+)\)")
SIX_DIGITS = re.compile(r"(?<!\d)\d{6}(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")  # ASCII: Chinese text may touch it
RESERVED_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")


def normalised(text: str) -> str:
    """The text compared for duplicates: width-folded, case-folded, without punctuation, symbols or spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PSZC")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            row = json.loads(line)
            assert isinstance(row, dict), f"{path}:{number}: not a JSON object"
            rows.append(row)
    return rows


def intent_examples() -> list[tuple[str, str, tuple[str, ...]]]:
    """(intent, annotated text, tagged kinds) for every message of the Chinese intent set."""
    data = yaml.safe_load(INTENTS.read_text(encoding="utf-8"))
    assert str(data["version"]) == "3.1"
    return [
        (block["intent"], str(item["text"]), tuple((item.get("metadata") or {}).get("kinds") or ()))
        for block in data["nlu"]
        for item in block["examples"]
    ]


def all_rows() -> Iterator[tuple[str, str]]:
    """(where, customer text) for every row of every Chinese evaluation file."""
    for intent, text, _ in intent_examples():
        yield f"{INTENTS.name} ({intent})", eval_report.plain_text(text)
    for path in (QUERIES, OOS, CROSS_LINGUAL, QUERIES_DEV, OOS_DEV):
        for number, row in enumerate(read_jsonl(path), start=1):
            yield f"{path.name}:{number}", row["query"]
    for number, row in enumerate(read_jsonl(ROUTING), start=1):
        yield f"{ROUTING.name}:{number}", row["text"]


def domain_intents() -> set[str]:
    return set(yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["intents"])


def handbook_ids() -> set[str]:
    return set(load_handbook(PROJECT_ROOT / "knowledge" / "faq").entries)


def shop_orders() -> set[str]:
    shop = yaml.safe_load((PROJECT_ROOT / "knowledge" / "demo" / "shop.yml").read_text())
    return {str(order["number"]) for order in shop["orders"]}


def front_matter_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from front_matter_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from front_matter_strings(item)


def written_elsewhere() -> dict[str, str]:
    """Normalised text → where: training examples, handbook titles and questions (any language), benchmark rows."""
    seen: dict[str, str] = {}
    for path in sorted((PROJECT_ROOT / "data" / "nlu").rglob("*.yml")):
        for example in eval_report.load_nlu_examples(path):
            seen.setdefault(normalised(example.text), f"training example in {path.relative_to(PROJECT_ROOT)}")
    for path in sorted((PROJECT_ROOT / "knowledge" / "faq").rglob("*.md")):
        parts = path.read_text(encoding="utf-8").split("---", 2)
        if len(parts) == 3:
            for text in front_matter_strings(yaml.safe_load(parts[1])):
                seen.setdefault(normalised(text), f"handbook front matter of {path.relative_to(PROJECT_ROOT)}")
    for path in sorted(BENCHMARKS.rglob("*.jsonl")) if BENCHMARKS.is_dir() else []:
        for row in read_jsonl(path):
            for text in (row.get("text"), row.get("text_en")):
                if text:
                    seen.setdefault(normalised(text), f"benchmark row in {path.relative_to(BENCHMARKS)}")
    return seen


def test_intent_set_has_every_intent_and_kind_with_real_entities() -> None:
    examples = intent_examples()
    counts = Counter(intent for intent, _, _ in examples)
    assert set(counts) == domain_intents()
    assert not {intent: n for intent, n in counts.items() if n < MIN_PER_INTENT}
    kinds: dict[str, Counter[str]] = {intent: Counter() for intent in counts}
    orders = shop_orders()
    for intent, text, tagged in examples:
        assert set(tagged) <= TAGGED_KINDS, (intent, text, tagged)
        plain = eval_report.plain_text(text)
        kinds[intent].update(tagged)
        if len(re.sub(r"\s", "", plain)) >= LONG_CHARS:
            kinds[intent]["long"] += 1
        for value, entity in ANNOTATION.findall(text):
            assert entity in {"order_id", "email", "postcode"}, (text, entity)
            assert entity != "order_id" or value in orders, (text, "not an order of knowledge/demo/shop.yml")
            assert entity != "email" or value.endswith(RESERVED_EMAIL_DOMAINS), (text, "not a reserved domain")
        unannotated = ANNOTATION.sub("", text)
        assert not SIX_DIGITS.search(unannotated) and not EMAIL.search(unannotated), (text, "entity not annotated")
    missing = {intent: sorted({"typo", "long", "two_requests"} - set(row)) for intent, row in kinds.items()}
    assert not {intent: kinds for intent, kinds in missing.items() if kinds}


def test_handbook_sets_cover_every_entry_with_real_ids() -> None:
    entries = handbook_ids()
    queries = read_jsonl(QUERIES)
    cross = read_jsonl(CROSS_LINGUAL)
    for row in queries + cross:
        assert row["faq_id"] in entries, row
        assert row["style"] in STYLES, row
    assert {row["faq_id"] for row in queries} == entries
    assert len({row["faq_id"] for row in cross}) >= 30  # across topics, not a few entries many times
    styles = Counter(row["style"] for row in queries)
    assert styles["traditional"] >= 0.1 * len(queries), styles
    for row in read_jsonl(OOS) + read_jsonl(OOS_DEV):
        assert set(row) == {"query", "style", "topic"}, row
        assert row["style"] in STYLES and row["topic"] in OOS_TOPICS, row


def test_the_dev_split_covers_every_entry_and_is_apart_from_the_test_sets() -> None:
    """The Chinese dev rows (the gate is chosen on them) name real entries, every entry at least once; that no
    dev row repeats a test row, training example or handbook question is the duplicate test below."""
    entries = handbook_ids()
    dev = read_jsonl(QUERIES_DEV)
    for row in dev:
        assert set(row) == {"query", "faq_id", "style"} and row["faq_id"] in entries and row["style"] in STYLES, row
        assert row["style"] != "rambling" or len(re.sub(r"\s", "", row["query"])) >= LONG_CHARS, row
    assert {row["faq_id"] for row in dev} == entries
    assert len(read_jsonl(OOS_DEV)) >= 50


def test_routing_set_names_real_intents_entries_and_reasons() -> None:
    known = {"intent": domain_intents(), "faq_id": handbook_ids(), "handoff": HANDOFF_REASONS}
    rows = read_jsonl(ROUTING)
    for row in rows:
        assert set(row) <= {"text", "expect", "accept", "style"} and row["style"] in STYLES, row
        labels = [row["expect"], *row.get("accept", [])]
        for label in labels:
            assert len(label) == 1, row
            [(kind, want)] = label.items()
            assert kind in known and want in known[kind], row
        assert len({json.dumps(label, sort_keys=True) for label in labels}) == len(labels), row
    assert {next(iter(row["expect"])) for row in rows} == set(known)
    reasons = {row["expect"]["handoff"] for row in rows if "handoff" in row["expect"]}
    assert reasons == HANDOFF_REASONS


def test_files_are_big_enough_chinese_and_consistent() -> None:
    for path, minimum in MIN_ROWS.items():
        assert len(read_jsonl(path)) >= minimum, path
    orders = shop_orders()
    styled = [(row["style"], row.get("query") or row.get("text")) for path in MIN_ROWS for row in read_jsonl(path)]
    for style, text in styled:
        assert style != "mixed" or re.search(r"[A-Za-z0-9]", text), (text, "mixed without Latin letters or digits")
        assert style != "rambling" or len(re.sub(r"\s", "", text)) >= LONG_CHARS, (text, "rambling but short")
    for where, text in all_rows():
        assert CJK.search(text), (where, text, "no Chinese character")
        assert set(SIX_DIGITS.findall(text)) <= orders, (where, text, "not an order of knowledge/demo/shop.yml")
        assert all(email.endswith(RESERVED_EMAIL_DOMAINS) for email in EMAIL.findall(text)), (where, text)


def test_no_row_is_written_twice_or_copied_from_training_or_the_handbook() -> None:
    elsewhere = written_elsewhere()
    first: dict[str, str] = {}
    twice, copied = [], []
    for where, text in all_rows():
        key = normalised(text)
        assert key, (where, text)
        if key in first:
            twice.append((first[key], where, text))
        first.setdefault(key, where)
        if key in elsewhere:
            copied.append((where, text, elsewhere[key]))
    assert not twice
    assert not copied


def test_normalising_ignores_punctuation_width_case_and_spaces() -> None:
    assert normalised("在吗？ 订单１００２３４到哪了！！") == normalised("在吗订单100234到哪了")
    assert normalised("PayPal 付款  失败。") == normalised("paypal付款失败")
    assert normalised("退货") != normalised("推货")
    assert normalised("發票") != normalised("发票")  # traditional and simplified are different rows
