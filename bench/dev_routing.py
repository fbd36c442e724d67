"""Every DEV row through the running stack, for choosing a routing change without looking at the test sets.

    .venv/bin/python bench/dev_routing.py run /tmp/dev-main.json               # every dev row, ~25 min here
    .venv/bin/python bench/dev_routing.py run /tmp/dev-zh.json --language zh   # the Chinese dev rows only
    .venv/bin/python bench/dev_routing.py compare /tmp/dev-base.json /tmp/dev-main.json

DEV rows: the team's dev files (eval/routing/dev*.jsonl, eval/handbook/*_dev*.jsonl) and the public benchmarks'
dev splits (eval/external/mapping.yml `dev:`; a dev row equal to a test row is left out). Each row is a new
conversation's first message (`POST /api/chat`), classified as `make eval` classifies it (eval_outcomes). The team's
rule for a change: score = right − 2 × wrong (an out-of-scope row answered is wrong), on these rows only.

Per-row results hold the public benchmarks' texts: write them outside the repository (the default refuses a path
inside it), never commit them. `compare` prints each set's figures for both runs and the rows that changed, the
team's rows with their text, the public rows by file and line only unless --show-text.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from bench_stack import bench_stack
from eval_outcomes import Outcome, classify, summarise
from eval_sets import EVAL_DIR, EvalSet, external_dev_sets, load_handbook_jsonl, load_routing_jsonl, relative
from eval_stack import post_first_message

from helpdesk.config import PROJECT_ROOT

# key, language, file under eval/, labelled (None: a routing file; True: handbook questions; False: out of scope)
TEAM_DEV_FILES: tuple[tuple[str, str, str, bool | None], ...] = (
    ("routing_dev", "en", "routing/dev.jsonl", None),
    ("routing_dev_zh", "zh", "routing/dev_zh.jsonl", None),
    ("handbook_dev", "en", "handbook/queries_dev.jsonl", True),
    ("handbook_dev_zh", "zh", "handbook/queries_dev_zh.jsonl", True),
    ("handbook_styles_dev", "en", "handbook/paraphrases_styles_dev.jsonl", True),
    ("oos_dev", "en", "handbook/oos_dev.jsonl", False),
    ("oos_dev_zh", "zh", "handbook/oos_dev_zh.jsonl", False),
    ("oos_styles_dev", "en", "handbook/oos_styles_dev.jsonl", False),
)


def dev_sets(language: str | None = None, eval_dir: Path = EVAL_DIR) -> list[EvalSet]:
    """The team's dev files and the external dev splits (only `language`'s when given)."""
    sets = []
    for key, set_language, file, labelled in TEAM_DEV_FILES:
        if language is not None and set_language != language:
            continue
        path = eval_dir / file
        cases = load_routing_jsonl(path) if labelled is None else load_handbook_jsonl(path, labelled)
        sets.append(EvalSet(key, f"{file} (dev)", set_language, "team_dev", (relative(path),), cases))
    return sets + external_dev_sets(language=language)


def score(figures: dict[str, Any]) -> int:
    counts = figures["counts"]
    return int(counts["right"]) - 2 * int(counts["wrong"])


def outside_repository(path: Path) -> Path:
    resolved = path.resolve()
    if resolved.is_relative_to(PROJECT_ROOT.resolve()):
        raise SystemExit(f"{path}: per-row results hold public benchmarks' texts; write them outside the repository")
    return resolved


def run(out: Path, language: str | None, limit: int | None) -> None:
    out = outside_repository(out)
    sets = dev_sets(language)
    if limit:
        sets = [EvalSet(s.key, s.title, s.language, s.family, s.files, s.cases[:limit], s.about) for s in sets]
    started = time.monotonic()
    total = sum(len(item.cases) for item in sets)
    rows: dict[str, dict[str, Any]] = {}
    done = 0
    with bench_stack() as stack, httpx.Client(base_url=stack.url, timeout=120) as client:
        for item in sets:
            entry: dict[str, Any] = {"language": item.language, "family": item.family, "categories": {},
                                     "out_of_scope": [], "how": {}, "texts": {}, "got": {}}  # fmt: skip
            for case in item.cases:
                body, _ = post_first_message(client, case.text, case.source)
                outcome = Outcome.from_response(body)
                verdict = classify(case, outcome)
                entry["categories"][case.source] = verdict.category
                entry["how"][case.source] = verdict.how
                if case.out_of_scope:
                    entry["out_of_scope"].append(case.source)
                entry["texts"][case.source] = case.text
                entry["got"][case.source] = outcome.describe()
                done += 1
                if done % 100 == 0:
                    elapsed = time.monotonic() - started
                    print(f"{done}/{total} rows, ~{(total - done) * elapsed / done / 60:.1f} min left", flush=True)
            rows[item.key] = entry
            out.write_text(json.dumps({"sets": rows}, ensure_ascii=False, indent=1))  # each set kept as it ends
            print(f"{item.key}: {fmt(summarise_set(entry))}", flush=True)
    print(f"{sum(len(s.cases) for s in sets)} rows in {time.monotonic() - started:.0f} s -> {out}")
    print_figures({key: summarise_set(value) for key, value in rows.items()})


def summarise_set(entry: dict[str, Any]) -> dict[str, Any]:
    """eval_outcomes.summarise over one set's rows as `run` keeps them (category, out of scope or not, how)."""
    out_of_scope = set(entry.get("out_of_scope") or ())
    how = entry.get("how") or {}
    return summarise(
        [
            {"category": category, "out_of_scope": source in out_of_scope, "how": how.get(source, "")}
            for source, category in entry["categories"].items()
        ]
    )


def print_figures(figures: dict[str, dict[str, Any]], other: dict[str, dict[str, Any]] | None = None) -> None:
    total: Counter[str] = Counter()
    total_other: Counter[str] = Counter()
    for key, value in figures.items():
        total.update(value["counts"])
        line = f"{key:24} {fmt(value)}"
        if other is not None and key in other:
            total_other.update(other[key]["counts"])
            line += f"   | {fmt(other[key])}"
        print(line)
    line = f"{'ALL':24} {fmt({'counts': total})}"
    if other is not None:
        line += f"   | {fmt({'counts': total_other})}"
    print(line)


def fmt(value: dict[str, Any]) -> str:
    counts = value["counts"]
    return (
        f"n {sum(counts.values()):4} right {counts['right']:4} clarify {counts['clarify']:3} "
        f"handoff {counts['handoff']:3} wrong {counts['wrong']:3} score {score(value):5}"
    )


def compare(before_path: Path, after_path: Path, show_text: bool) -> None:
    before = json.loads(before_path.read_text())["sets"]
    after = json.loads(after_path.read_text())["sets"]
    shared = [key for key in after if key in before]
    print(f"before {before_path}  |  after {after_path}")
    print_figures(
        {key: summarise_set(after[key]) for key in shared},
        {key: summarise_set(before[key]) for key in shared},
    )
    moves: Counter[str] = Counter()
    for key in shared:
        for source, category in after[key]["categories"].items():
            old = before[key]["categories"].get(source)
            if old is None or old == category:
                continue
            moves[f"{old}->{category}"] += 1
            text = after[key]["texts"].get(source, "")
            if after[key]["family"] != "team_dev" and not show_text:
                text = ""
            print(f"{old:>8} -> {category:8} {source}  {text!r}  now: {after[key]['got'].get(source, '')[:140]}")
    print("moves:", dict(moves))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="every dev row through a fresh stack")
    run_parser.add_argument("out", type=Path, help="per-row JSON, outside the repository")
    run_parser.add_argument("--language", choices=("en", "zh"))
    run_parser.add_argument("--limit", type=int, help="the first N rows of each set (a smoke run)")
    compare_parser = sub.add_parser("compare", help="two runs' figures and the rows that changed")
    compare_parser.add_argument("before", type=Path)
    compare_parser.add_argument("after", type=Path)
    compare_parser.add_argument("--show-text", action="store_true", help="also the public rows' texts (terminal only)")
    args = parser.parse_args(argv)
    if args.command == "run":
        run(args.out, args.language, args.limit)
    else:
        compare(args.before, args.after, args.show_text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
