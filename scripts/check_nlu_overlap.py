#!/usr/bin/env python3
"""Prove that no NLU training example is a copy of a held-out message or of a handbook question.

    .venv/bin/python scripts/check_nlu_overlap.py                  # exits 1 on any exact copy
    .venv/bin/python scripts/check_nlu_overlap.py --near 0.9       # also list near-copies (difflib ratio)
    .venv/bin/python scripts/check_nlu_overlap.py --benchmarks ../shared/benchmarks   # and the public sets

Texts are compared after lower-casing, removing Rasa's entity markup and punctuation and collapsing
spaces. Held-out messages are read wherever they live (tests/nlu, tests/routing, knowledge/eval, eval/):
YAML NLU files (both Rasa forms) and JSON Lines with a "text" or "query" field. Handbook questions are
the `questions:` lists of knowledge/faq, English and Chinese (`zh: questions`). Training examples are
every YAML file under data/nlu, the Chinese ones in data/nlu/zh included. Also reported: one training
text under two intents (a contradiction the classifier cannot learn), and a Chinese handbook title or
question that copies a row of the evaluation sets under eval/ (the handbook is what the FAQ index
is built from, so it is training data for retrieval). The public benchmarks are read in place,
never copied; messages of fewer than 3 words ("yes", "thank you") are not counted as copies of them.
Chinese has no spaces: a Chinese text's length is counted in characters (see `size`).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from helpdesk.config import PROJECT_ROOT
from helpdesk.knowledge.handbook import load_handbook

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
import eval_report  # noqa: E402 - bench/ is not a package; its loader reads both forms of Rasa NLU YAML

NOT_WORD = re.compile(r"[^\w\s]")
NEAR_MIN_WORDS = 4  # "cancel my order" and "cancle my order" are both just the obvious request, not copies
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CJK_CHARS_PER_WORD = 2  # "取消订单" (4 characters) counts as 2 words, like "cancel order"
HELDOUT_GLOBS = ("tests/nlu/*.yml", "tests/routing/*.jsonl", "knowledge/eval/*.jsonl", "eval/**/*.yml",
                 "eval/**/*.jsonl")  # fmt: skip


def normalise(text: str) -> str:
    plain = eval_report.plain_text(text).lower()
    return " ".join(NOT_WORD.sub(" ", plain).split()) or plain  # "👍" stays itself


def size(normalised: str) -> int:
    """Length in words; a Chinese character counts as half a word (about one word per two characters)."""
    cjk = len(CJK.findall(normalised))
    if not cjk:
        return len(normalised.split())
    return len(CJK.sub(" ", normalised).split()) + -(-cjk // CJK_CHARS_PER_WORD)


def jsonl_texts(path: Path) -> Iterator[str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            text = row.get("text") or row.get("query")
            if text:
                yield text


def heldout(root: Path) -> dict[str, list[str]]:
    """Normalised held-out text -> where it comes from."""
    found: dict[str, list[str]] = defaultdict(list)
    for pattern in HELDOUT_GLOBS:
        for path in sorted(root.glob(pattern)):
            if path.suffix == ".yml":
                texts = [example.text for example in eval_report.load_nlu_examples(path)]
            else:
                texts = list(jsonl_texts(path))
            for text in texts:
                found[normalise(text)].append(str(path.relative_to(root)))
    handbook = root / "knowledge" / "faq"
    for entry in load_handbook(handbook).entries.values():
        for question in entry.questions:
            found[normalise(question)].append(f"{handbook.relative_to(root)}/{entry.id} questions")
        for question in entry.zh.questions if entry.zh else ():
            found[normalise(question)].append(f"{handbook.relative_to(root)}/{entry.id} zh questions")
    return found


def eval_rows(root: Path) -> dict[str, list[str]]:
    """Normalised text of every evaluation row under eval/ -> its file."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted((root / "eval").glob("**/*")):
        if path.suffix == ".yml":
            texts = [example.text for example in eval_report.load_nlu_examples(path)]
        elif path.suffix == ".jsonl":
            texts = list(jsonl_texts(path))
        else:
            continue
        for text in texts:
            found[normalise(text)].append(str(path.relative_to(root)))
    return found


def handbook_copies(root: Path) -> list[str]:
    """Chinese handbook titles and questions that copy an evaluation row.

    Only the Chinese side: a few English handbook questions are older than the English eval sets
    and repeat rows of them (eval/intents/heldout.yml, eval/routing/heldout.jsonl); untangling
    those is the eval sets' owners' call.
    """
    rows = eval_rows(root)
    copies = []
    for entry in load_handbook(root / "knowledge" / "faq").entries.values():
        for text in entry.zh.all_questions if entry.zh else ():
            if normalise(text) in rows:
                where = ", ".join(sorted(set(rows[normalise(text)])))
                copies.append(f"COPY in the handbook ({entry.id}) of an eval row: {text!r} (in {where})")
    return copies


def benchmark_texts(folder: Path) -> set[str]:
    return {normalise(text) for path in folder.rglob("*.jsonl") for text in jsonl_texts(path)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=PROJECT_ROOT / "data" / "nlu")
    parser.add_argument(
        "--near",
        type=float,
        default=0.0,
        help=f"also list near-copies at this difflib ratio (messages of {NEAR_MIN_WORDS}+ words, "
        f"a Chinese word being {CJK_CHARS_PER_WORD} characters)",
    )
    parser.add_argument("--benchmarks", type=Path, help="a folder of public JSON Lines sets to compare with too")
    args = parser.parse_args(argv)

    training = [(example.intent, example.text, str(path.relative_to(args.data)))
                for path in sorted(args.data.glob("**/*.yml"))
                for example in eval_report.load_nlu_examples(path)]  # fmt: skip
    held = heldout(PROJECT_ROOT)
    problems = 0

    copies = [(text, held[normalise(text)]) for _, text, _ in training if normalise(text) in held]
    for text, sources in copies:
        print(f"COPY of a held-out message: {text!r} (in {', '.join(sorted(set(sources)))})")
    problems += len(copies)

    for line in handbook_copies(PROJECT_ROOT):
        print(line)
        problems += 1

    intents_of: dict[str, set[str]] = defaultdict(set)
    for intent, text, _ in training:
        if normalise(text):  # emoji and punctuation alone normalise to nothing
            intents_of[normalise(text)].add(intent)
    for text, intents in sorted(intents_of.items()):
        if len(intents) > 1:
            print(f"TWO INTENTS for one text: {text!r}: {sorted(intents)}")
            problems += 1

    if args.benchmarks:
        public = benchmark_texts(args.benchmarks)
        for _, text, name in training:
            if size(normalise(text)) >= 3 and normalise(text) in public:
                print(f"COPY of a public benchmark row: {text!r} ({name})")
                problems += 1

    if args.near:
        held_texts = [t for t in held if size(t) >= NEAR_MIN_WORDS]
        for _, text, name in training:
            mine = normalise(text)
            if size(mine) < NEAR_MIN_WORDS or mine in held:
                continue
            matcher = difflib.SequenceMatcher(None, b=mine)  # b is the side difflib caches
            for other in held_texts:
                matcher.set_seq1(other)
                if (
                    matcher.real_quick_ratio() >= args.near
                    and matcher.quick_ratio() >= args.near
                    and matcher.ratio() >= args.near
                ):
                    print(f"near ({matcher.ratio():.2f}): {text!r} ({name}) ~ {other!r} ({held[other][0]})")

    if args.near:
        rows = [text for text in eval_rows(PROJECT_ROOT) if CJK.search(text) and size(text) >= NEAR_MIN_WORDS]
        for entry in load_handbook(PROJECT_ROOT / "knowledge" / "faq").entries.values():
            for text in entry.zh.all_questions if entry.zh else ():
                mine = normalise(text)
                if size(mine) < NEAR_MIN_WORDS:
                    continue
                matcher = difflib.SequenceMatcher(None, b=mine)
                for other in rows:
                    matcher.set_seq1(other)
                    if matcher.real_quick_ratio() >= args.near and matcher.ratio() >= args.near:
                        print(f"near ({matcher.ratio():.2f}): {text!r} (handbook {entry.id} zh) ~ {other!r}")

    print(f"{len(training)} training examples, {len(held)} held-out texts: {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
