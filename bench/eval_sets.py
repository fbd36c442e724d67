"""The evaluation sets `make eval` reads: which files, in which language, and their rows as labelled first messages.

A routing row is a `Case`: the message, the route that is right for it, other routes that also count as right,
a group (style, benchmark intent, handbook entry) for per-group figures, and the file and line it came from.
Out-of-scope rows expect `OUT_OF_SCOPE` (`{"handoff": "low_confidence"}`): refusing them is right.

Every loader raises `SetError` ("path:line: what is wrong") for a malformed row, before anything slow starts.
The public benchmarks are read in place (eval/external/mapping.yml), never copied.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import yaml

from helpdesk.config import PROJECT_ROOT

EVAL_DIR = PROJECT_ROOT / "eval"
MAPPING = EVAL_DIR / "external" / "mapping.yml"
HELDOUT_NLU = EVAL_DIR / "intents" / "heldout.yml"
HELDOUT_NLU_ZH = EVAL_DIR / "intents" / "heldout_zh.yml"
ROUTING_CASES = EVAL_DIR / "routing" / "heldout.jsonl"
ROUTE_KINDS = ("intent", "faq_id", "handoff")
OUT_OF_SCOPE: tuple[str, str] = ("handoff", "low_confidence")
KINDS = ("typo", "long", "two_requests")
LONG_WORDS = 20  # a message of this many words (Chinese: characters) or more counts as long
MIN_PER_INTENT = 15
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

Route = tuple[str, str]  # ("intent", "greet") | ("faq_id", "invoices") | ("handoff", "requested")
T = TypeVar("T")


class SetError(ValueError):
    """A malformed row of an evaluation set: says which file and line, and what is wrong."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = Path(path), line, message


@dataclass(frozen=True)
class Case:
    """One first message and what is right for it."""

    text: str
    expect: Route
    accept: tuple[Route, ...] = ()
    group: str = ""
    source: str = ""  # file:line

    @property
    def out_of_scope(self) -> bool:
        return self.expect == OUT_OF_SCOPE


@dataclass(frozen=True)
class EvalSet:
    """A routing set: its rows go through POST /api/chat, one new conversation each."""

    key: str
    title: str
    language: str  # "en" | "zh"
    family: str  # "team" (held-out, the team's plain style) | "styles" (customers' styles) | "external"
    files: tuple[str, ...]
    cases: list[Case] = field(default_factory=list)
    about: str = ""


@dataclass(frozen=True)
class ParaphraseSet:
    """Handbook questions labelled with their entry: the FAQ engine's P@1 against the plain-encoder baseline."""

    key: str
    title: str
    language: str
    path: Path
    cross_lingual: bool = False


def relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT.resolve()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- routes and JSON lines


def parse_route(value: Any, where: str, line: int) -> Route:
    if not isinstance(value, dict) or len(value) != 1:
        raise SetError(where, line, f"a route is one of {{intent|faq_id|handoff: name}}, got {value!r}")
    kind, name = next(iter(value.items()))
    if kind not in ROUTE_KINDS or not isinstance(name, str) or not name.strip():
        raise SetError(where, line, f"a route is one of {{intent|faq_id|handoff: name}}, got {value!r}")
    return (kind, name.strip())


def read_jsonl(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-blank line; a line that is not a JSON object raises SetError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SetError(path, 0, f"cannot read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise SetError(path, 0, f"not valid UTF-8 ({error.reason})") from error
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise SetError(path, number, f"invalid JSON: {error.msg} (column {error.colno})") from error
        if not isinstance(row, dict):
            raise SetError(path, number, "each line must be a JSON object")
        rows.append((number, row))
    if not rows:
        raise SetError(path, 1, "no rows in file")
    return rows


def text_field(row: dict[str, Any], key: str, path: Path, number: int) -> str:
    value = row.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SetError(path, number, f"{key!r} must be a non-empty string")
    return value.strip()


def load_routing_jsonl(path: Path) -> list[Case]:
    """eval/routing/*.jsonl: {"text", "expect": route, "accept": [route, ...]?, "style"?}."""
    cases = []
    for number, row in read_jsonl(path):
        text = text_field(row, "text", path, number)
        if "expect" not in row:
            raise SetError(path, number, "missing 'expect' (a route: {intent|faq_id|handoff: name})")
        expect = parse_route(row["expect"], str(path), number)
        accept = row.get("accept") or []
        if not isinstance(accept, list):
            raise SetError(path, number, "'accept' must be a list of routes")
        routes = tuple(parse_route(item, str(path), number) for item in accept)
        group = str(row.get("style") or (f"{expect[0]}:{expect[1]}" if expect[0] != "faq_id" else "faq"))
        cases.append(Case(text, expect, routes, group, f"{relative(path)}:{number}"))
    return cases


def load_routing_cases(path: Path = ROUTING_CASES) -> list[dict[str, Any]]:
    """The rows of a routing file as plain dicts (text, expect and, where given, accept and style)."""
    return [
        {
            "text": case.text,
            "expect": dict([case.expect]),
            **({"accept": [dict([r]) for r in case.accept]} if case.accept else {}),
        }
        for case in load_routing_jsonl(path)
    ]


def load_handbook_jsonl(path: Path, labelled: bool) -> list[Case]:
    """eval/handbook/*.jsonl: {"query", "faq_id"} (in scope) or {"query"} (out of scope), optional "style"."""
    cases = []
    for number, row in read_jsonl(path):
        text = text_field(row, "query", path, number)
        if labelled:
            expect: Route = ("faq_id", text_field(row, "faq_id", path, number))
        else:
            if "faq_id" in row:
                raise SetError(path, number, "an out-of-scope question has no 'faq_id'")
            expect = OUT_OF_SCOPE
        group = str(row.get("style") or ("faq" if labelled else "out of scope"))
        cases.append(Case(text, expect, (), group, f"{relative(path)}:{number}"))
    return cases


# --------------------------------------------------------------------------- the public benchmarks


def benchmarks_dir(mapping: dict[str, Any]) -> Path:
    """Where the benchmarks are: $EVAL_BENCHMARKS, else the mapping's path (relative to the repository)."""
    configured = os.environ.get("EVAL_BENCHMARKS")
    return Path(configured) if configured else (PROJECT_ROOT / str(mapping["benchmarks"])).resolve()


def load_mapping(path: Path = MAPPING) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SetError(path, (mark.line + 1) if mark else 0, f"invalid YAML: {error}") from error
    if not isinstance(loaded, dict) or not isinstance(loaded.get("sets"), dict):
        raise SetError(path, 1, "want a mapping with 'benchmarks' and 'sets'")
    return loaded


def benchmark_rows(files: Iterable[str], root: Path, where: str) -> list[tuple[str, str, str]]:
    """(text, benchmark intent, file:line) of every row of ``files`` (under ``root``), in file order."""
    rows: list[tuple[str, str, str]] = []
    for file in files:
        path = root / file
        if not path.exists():
            raise SetError(path, 0, f"benchmark file missing (named by {where}; set EVAL_BENCHMARKS)")
        for number, row in read_jsonl(path):
            rows.append(
                (text_field(row, "text", path, number), text_field(row, "intent", path, number), f"{file}:{number}")
            )
    return rows


def same_text(text: str) -> str:
    """A message as compared across splits: lower case, letters and digits only, single spaces."""
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def external_cases(
    name: str,
    spec: dict[str, Any],
    root: Path,
    mapping_path: Path = MAPPING,
    rows: list[tuple[str, str, str]] | None = None,
    per_route: int | None = None,
) -> list[Case]:
    """The rows of one benchmark the mapping routes: every row of a mapped intent (or ``per_route`` of them spread
    evenly over file order: :func:`sample`), the first `per_intent` rows of each out-of-scope intent (file order,
    over the files in order); skipped intents are left out. ``rows``: other rows than the set's own files'
    (:func:`external_dev_cases`)."""
    where = f"{relative(mapping_path)} ({name})"
    if rows is None:
        rows = benchmark_rows(spec.get("files") or [], root, where)
    routes = spec.get("routes") or {}
    cases = []
    for intent, route in routes.items():
        if not isinstance(route, dict) or "expect" not in route:
            raise SetError(mapping_path, 0, f"{name}.routes.{intent}: want expect (and accept, rows, why)")
        expect = parse_route(route["expect"], where, 0)
        accept = tuple(parse_route(item, where, 0) for item in route.get("accept") or [])
        mine = [(text, source) for text, label, source in rows if label == intent]
        cases += [Case(text, expect, accept, str(intent), source) for text, source in sample(mine, per_route)]
    for group in spec.get("out_of_scope") or []:
        accept = tuple(parse_route(item, where, 0) for item in group.get("accept") or [])
        limit = group.get("per_intent", "all")
        for intent in group.get("intents") or []:
            chosen = [(text, source) for text, label, source in rows if label == intent]
            if limit != "all":
                chosen = chosen[: int(limit)]
            cases += [Case(text, OUT_OF_SCOPE, accept, str(intent), source) for text, source in chosen]
    return cases


def external_dev_cases(name: str, spec: dict[str, Any], root: Path, mapping_path: Path = MAPPING) -> list[Case]:
    """The EXTERNAL DEV rows of one benchmark (issue 17): the same routes and out-of-scope groups as its test rows,
    applied to the splits its ``dev`` entry names (never the test split), for choosing thresholds on phrasing nobody
    on the team wrote. ``dev.per_route``: how many rows of each mapped intent, spread evenly over file order (``all``:
    every row); out-of-scope groups take their ``per_intent`` first rows as on test. A dev row whose text is a test
    row's (:func:`same_text`: the public splits share a few) is left out, so that choosing never sees a test row.
    Read in place like the test rows: never copied, never trained on. [] for a set without ``dev``."""
    dev = spec.get("dev")
    if not dev:
        return []
    where = f"{relative(mapping_path)} ({name}.dev)"
    if not isinstance(dev, dict) or not dev.get("files"):
        raise SetError(mapping_path, 0, f"{name}.dev: want files (and per_route)")
    if set(dev["files"]) & set(spec.get("files") or []):
        raise SetError(mapping_path, 0, f"{name}.dev: a test file cannot be a dev file")
    test = {same_text(text) for text, _, _ in benchmark_rows(spec.get("files") or [], root, where)}
    rows = [row for row in benchmark_rows(dev["files"], root, where) if same_text(row[0]) not in test]
    limit = dev.get("per_route", "all")
    return external_cases(name, spec, root, mapping_path, rows, None if limit == "all" else int(limit))


def external_dev_sets(mapping_path: Path = MAPPING, language: str | None = None) -> list[EvalSet]:
    """Every benchmark's external dev rows (:func:`external_dev_cases`) as sets keyed ``<set>_dev``, family
    ``external_dev``; only ``language``'s when given."""
    mapping = load_mapping(mapping_path)
    root = benchmarks_dir(mapping)
    sets = []
    for name, spec in mapping["sets"].items():
        title, set_language = EXTERNAL_TITLES.get(
            name, (f"{name} mapped to our routes", str(spec.get("language", "en")))
        )
        if language is not None and set_language != language:
            continue
        cases = external_dev_cases(name, spec, root, mapping_path)
        if cases:
            files = tuple((spec.get("dev") or {}).get("files") or ())
            sets.append(EvalSet(f"{name}_dev", f"{title} (dev splits)", set_language, "external_dev", files, cases))
    return sets


# --------------------------------------------------------------------------- which sets


ROUTING_FILES: tuple[tuple[str, str, str, str, str, bool | None], ...] = (
    # key, title, language, family, file under eval/, labelled (None: a routing file)
    ("routing_heldout", "Team held-out first messages", "en", "team", "routing/heldout.jsonl", None),
    ("routing_heldout_zh", "Team held-out first messages", "zh", "team", "routing/heldout_zh.jsonl", None),
    ("routing_styles", "First messages in customers' styles", "en", "styles", "routing/styles.jsonl", None),
    ("handbook_test", "Handbook questions, team held-out", "en", "team", "handbook/queries_test.jsonl", True),
    ("handbook_zh", "Handbook questions, team held-out", "zh", "team", "handbook/queries_zh.jsonl", True),
    ("handbook_styles", "Handbook paraphrases in customers' styles", "en", "styles",
     "handbook/paraphrases_styles.jsonl", True),
    ("cross_lingual_zh", "Handbook questions, cross-lingual entries", "zh", "team",
     "routing/cross_lingual_zh.jsonl", True),
    ("oos_test", "Out-of-scope questions, team held-out", "en", "team", "handbook/oos_test.jsonl", False),
    ("oos_zh", "Out-of-scope questions, team held-out", "zh", "team", "handbook/oos_zh.jsonl", False),
    ("oos_styles", "Out-of-scope questions in customers' styles", "en", "styles", "handbook/oos_styles.jsonl", False),
)  # fmt: skip

EXTERNAL_TITLES = {
    "clinc150": ("CLINC150 mapped to our routes", "en"),
    "banking77": ("Banking77 mapped to our routes", "en"),
    "xsid_en": ("xSID (all out of scope)", "en"),
    "xsid_zh": ("xSID (all out of scope)", "zh"),
}

PARAPHRASE_FILES: tuple[tuple[str, str, str, str, bool], ...] = (
    ("handbook_test", "Handbook questions, team held-out", "en", "handbook/queries_test.jsonl", False),
    ("handbook_styles", "Handbook paraphrases in customers' styles", "en", "handbook/paraphrases_styles.jsonl", False),
    ("handbook_zh", "Handbook questions, team held-out", "zh", "handbook/queries_zh.jsonl", False),
    ("cross_lingual_zh", "Handbook questions, cross-lingual entries", "zh", "routing/cross_lingual_zh.jsonl", True),
)


INTENT_SETS = {"heldout": HELDOUT_NLU, "heldout_zh": HELDOUT_NLU_ZH}


def set_keys() -> set[str]:
    """Every set's key, for --sets."""
    keys = {row[0] for row in ROUTING_FILES} | set(EXTERNAL_TITLES) | {row[0] for row in PARAPHRASE_FILES}
    return keys | set(INTENT_SETS)


def routing_sets(eval_dir: Path = EVAL_DIR, mapping_path: Path = MAPPING) -> list[EvalSet]:
    """Every routing set, rows loaded and checked (raises SetError for a malformed row)."""
    sets = []
    for key, title, language, family, file, labelled in ROUTING_FILES:
        path = eval_dir / file
        cases = load_routing_jsonl(path) if labelled is None else load_handbook_jsonl(path, labelled)
        sets.append(EvalSet(key, title, language, family, (relative(path),), cases))
    mapping = load_mapping(mapping_path)
    root = benchmarks_dir(mapping)
    for name, spec in mapping["sets"].items():
        title, language = EXTERNAL_TITLES.get(name, (f"{name} mapped to our routes", str(spec.get("language", "en"))))
        cases = external_cases(name, spec, root, mapping_path)
        sets.append(
            EvalSet(
                name, title, language, "external", tuple(spec.get("files") or ()), cases, str(spec.get("source", ""))
            )
        )
    return sets


def paraphrase_sets(eval_dir: Path = EVAL_DIR) -> list[ParaphraseSet]:
    return [
        ParaphraseSet(key, title, lang, eval_dir / file, cross) for key, title, lang, file, cross in PARAPHRASE_FILES
    ]


def sample(cases: Sequence[T], limit: int | None) -> list[T]:
    """At most `limit` rows spread evenly over the set (the same rows every run): QUICK=1's sample."""
    if limit is None or len(cases) <= limit:
        return list(cases)
    step = len(cases) / limit
    return [cases[int(index * step)] for index in range(limit)]


def sampled(sets: Iterable[EvalSet], limit: int | None) -> list[EvalSet]:
    return [replace(item, cases=sample(item.cases, limit)) for item in sets]


# --------------------------------------------------------------------------- Rasa NLU held-out files

ENTITY_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class NluExample:
    text: str
    intent: str
    kinds: tuple[str, ...]
    source: str = ""


def plain_text(annotated: str) -> str:
    """The message without Rasa's entity markup: "[100234](order_id)" → "100234"."""
    return ENTITY_MARKUP.sub(r"\1", annotated).strip()


def is_long(text: str) -> bool:
    """20+ words; for Chinese, 20+ characters without whitespace."""
    if CJK.search(text):
        return len("".join(text.split())) >= LONG_WORDS
    return len(text.split()) >= LONG_WORDS


def message_kinds(text: str, tagged: Iterable[str] = ()) -> tuple[str, ...]:
    kinds = set(tagged)
    if is_long(text):
        kinds.add("long")
    return tuple(kind for kind in KINDS if kind in kinds)


def load_nlu_examples(path: Path) -> list[NluExample]:
    """Rasa YAML NLU data, both forms: a block of "- text" lines, or a list of {text, metadata: {kinds}}."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SetError(path, (mark.line + 1) if mark else 0, f"invalid YAML: {error}") from error
    lines = path.read_text(encoding="utf-8").splitlines()

    def line_of(text: str) -> int:
        return next(
            (n for n, line in enumerate(lines, start=1) if text in line and line.strip().startswith(("- ", "text:"))), 0
        )

    examples: list[NluExample] = []
    for block in data.get("nlu") or []:
        intent = block.get("intent")
        if not intent:
            continue
        raw = block.get("examples") or []
        items: list[tuple[str, tuple[str, ...]]]
        if isinstance(raw, str):
            items = [(line.strip()[2:], ()) for line in raw.splitlines() if line.strip().startswith("- ")]
        else:
            items = []
            for item in raw:
                if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                    raise SetError(path, line_of(str(item)), f"intent {intent}: want {{text, metadata?}}, got {item!r}")
                items.append((str(item["text"]), tuple((item.get("metadata") or {}).get("kinds") or ())))
        for annotated, tagged in items:
            text = plain_text(annotated)
            unknown: set[str] = set(tagged) - set(KINDS)
            if unknown:
                raise SetError(
                    path, line_of(annotated), f"{text!r}: unknown kinds {sorted(unknown)} (known: {', '.join(KINDS)})"
                )
            examples.append(
                NluExample(text, str(intent), message_kinds(text, tagged), f"{relative(path)}:{line_of(annotated)}")
            )
    return examples


def kind_counts(examples: Sequence[NluExample]) -> dict[str, dict[str, int]]:
    """Per intent: how many messages, and how many of each kind."""
    counts: dict[str, dict[str, int]] = {}
    for example in examples:
        row = counts.setdefault(example.intent, {"messages": 0, **dict.fromkeys(KINDS, 0)})
        row["messages"] += 1
        for kind in example.kinds:
            row[kind] += 1
    return dict(sorted(counts.items()))
