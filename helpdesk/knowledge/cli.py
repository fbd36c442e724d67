"""The ``kb`` command: validate, build, search and evaluate the FAQ handbook.

    kb validate [DIR] [--facts FILE] [--strict]
    kb list [DIR] [--missing zh]
    kb show ID [--dir DIR]
    kb build [DIR]
    kb search "question" [--dir DIR] [-k N] [--json]
    kb eval --handbook DIR --queries Q.jsonl [--oos O.jsonl] [--json-out FILE] [--sweep]

Paths are relative to the current directory; DIR defaults to knowledge/faq. Exit codes: 0 fine,
1 the handbook has problems (validate; with --strict also a missing Chinese version), 2 bad usage
or input (missing folder, unknown id, bad JSONL line). ``validate`` prints problems on stdout and
warnings (an entry without its Chinese version) on stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from helpdesk.knowledge.decision import Candidate, Decision
from helpdesk.knowledge.handbook import LANGUAGES, Entry, Problem, Translation, find_files, load_handbook
from helpdesk.knowledge.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:  # imported when a command needs them: the engine loads numpy, faiss and the embedder
    from helpdesk.knowledge.engine import KnowledgeBase
    from helpdesk.knowledge.evaluate import EvalRun

DEFAULT_DIR = Path("knowledge/faq")
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad input on the command line or in an input file: exit 2 with this message."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kb", description="FAQ handbook knowledge base")
    parser.add_argument("--config", type=Path, help="settings file (default knowledge/kb.yml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check every handbook file; exit 1 on any problem")
    validate.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    validate.add_argument(
        "--facts", type=Path, help="the shop facts the answers cite (default SHOP_FACTS_FILE or config/shop_facts.yml)"
    )
    validate.add_argument("--strict", action="store_true", help="also exit 1 when an entry has no Chinese version")

    listing = commands.add_parser("list", help="every entry with its English and Chinese title")
    listing.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    listing.add_argument("--missing", choices=LANGUAGES, help="only the entries without this language")

    show = commands.add_parser("show", help="one entry in both languages")
    show.add_argument("id")
    show.add_argument("--dir", type=Path, default=DEFAULT_DIR)

    build = commands.add_parser("build", help="embed the handbook and write the index")
    build.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    build.add_argument("--index-dir", type=Path, help="where to write the index (default from settings)")

    search = commands.add_parser("search", help="rank entries for a question and show the decision")
    search.add_argument("query")
    search.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    search.add_argument("-k", type=int, default=5, help="how many entries to show (default 5)")
    search.add_argument("--json", action="store_true", help="print JSON instead of a table")
    search.add_argument("--index-dir", type=Path, help="index folder (default from settings)")

    evaluate = commands.add_parser("eval", help="index a handbook fresh and measure it on labelled queries")
    evaluate.add_argument("--handbook", type=Path, required=True)
    evaluate.add_argument("--queries", type=Path, required=True, help='JSONL: {"query": ..., "faq_id": ...}')
    evaluate.add_argument("--oos", type=Path, help='JSONL of out-of-scope queries: {"query": ...}')
    evaluate.add_argument("--json-out", type=Path, help="also write the JSON result to this file")
    evaluate.add_argument("--sweep", action="store_true", help="show answered vs wrong rate per threshold")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    handlers = {
        "validate": _validate,
        "list": _list,
        "show": _show,
        "build": _build,
        "search": _search,
        "eval": _eval,
    }
    try:
        return handlers[args.command](args)
    except (UsageError, SettingsError, FileNotFoundError) as error:
        print(f"kb {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE


# --------------------------------------------------------------------------- helpers


def _settings(args: argparse.Namespace, index_dir: Path | None = None) -> Settings:
    settings = load_settings(args.config)
    return settings.replace(index_dir=index_dir.resolve()) if index_dir else settings


def _require_dir(path: Path) -> None:
    if not path.is_dir():
        raise UsageError(f"{path}: handbook folder does not exist")


def _progress(done: int, total: int) -> None:
    print(f"embedding {done}/{total} texts", file=sys.stderr, flush=True)


def _print_problems(problems: list[Problem], stream: TextIO = sys.stdout) -> None:
    for problem in problems:
        print(problem, file=stream)


def _knowledge_base(root: Path, settings: Settings) -> KnowledgeBase:
    from helpdesk.knowledge.embedder import Embedder  # torch only for these commands
    from helpdesk.knowledge.engine import KnowledgeBase

    return KnowledgeBase(root, settings, Embedder(settings.model, settings.batch_size, graph=settings.onnx_graph))


# --------------------------------------------------------------------------- commands


def _validate(args: argparse.Namespace) -> int:
    root: Path = args.dir
    _require_dir(root)
    if not find_files(root):
        print(f"{root}: no *.md handbook files found")
        return EXIT_PROBLEMS
    if args.facts is not None:  # the facts are read where the handbook is assembled, from the environment
        if not args.facts.is_file():
            raise UsageError(f"{args.facts}: shop facts file does not exist")
        os.environ["SHOP_FACTS_FILE"] = str(args.facts.resolve())
    handbook = load_handbook(root)
    _print_problems(handbook.problems)
    for warning in handbook.warnings:
        print(f"{warning.path}:{warning.line}: warning: {warning.message}", file=sys.stderr)
    if handbook.warnings:
        untranslated = len({warning.path for warning in handbook.warnings})
        print(f"{untranslated} entries without a complete Chinese version (warnings above)", file=sys.stderr)
    failed = bool(handbook.problems) or (args.strict and bool(handbook.warnings))
    files = len(handbook.files)
    summary = f"{files} files, {len(handbook.entries)} valid entries, {len(handbook.problems)} problems"
    if args.strict:
        summary += f", {len(handbook.warnings)} warnings"
    print(f"{'FAIL' if failed else 'OK'}: {summary}")
    return EXIT_PROBLEMS if failed else EXIT_OK


def _list(args: argparse.Namespace) -> int:
    _require_dir(args.dir)
    handbook = load_handbook(args.dir)
    shown = 0
    for entry in sorted(handbook.entries.values(), key=lambda entry: entry.id):
        if args.missing and entry.version(args.missing) is not None:
            continue
        zh = entry.zh.title if entry.zh else "(no Chinese version)"
        print(f"{entry.id}\t{entry.title}\t{zh}")
        shown += 1
    missing = sum(1 for entry in handbook.entries.values() if entry.zh is None)
    print(f"{shown} entries shown; {len(handbook.entries)} valid, {missing} without a Chinese version", file=sys.stderr)
    _print_problems(handbook.problems, sys.stderr)
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    _require_dir(args.dir)
    handbook = load_handbook(args.dir)
    entry = handbook.entries.get(args.id)
    if entry is None:
        raise UsageError(f"no valid entry '{args.id}' in {args.dir} (kb list shows the ids, kb validate the problems)")
    print(_entry_text(entry))
    return EXIT_OK


def _entry_text(entry: Entry) -> str:
    parts = [f"id: {entry.id}", f"file: {entry.path}", f"tags: {', '.join(entry.tags) or '-'}"]
    for language in LANGUAGES:
        version = entry.version(language)
        parts.append("")
        parts.append(f"[{language}]")
        parts.extend(_version_lines(version) if version else ["(missing: kb validate reports where to add it)"])
    return "\n".join(parts)


def _version_lines(version: Translation) -> list[str]:
    lines = [f"title: {version.title}"]
    lines += [f"  - {question}" for question in version.questions]
    return [*lines, "", version.answer]


def _build(args: argparse.Namespace) -> int:
    _require_dir(args.dir)
    settings = _settings(args, args.index_dir)
    kb = _knowledge_base(args.dir, settings)
    report = kb.build(_progress)
    _print_problems(report.problems, sys.stderr)
    print(f"built {args.dir}: {report}")
    print(
        f"index kind: {report.index_description} (exact below {settings.approx_index_min_vectors} vectors, "
        f"HNSW below {settings.ivf_index_min_vectors}, IVF from there)"
    )
    print(f"index dir: {settings.index_dir}")
    return EXIT_OK


def _search(args: argparse.Namespace) -> int:
    _require_dir(args.dir)
    if args.k <= 0:
        raise UsageError(f"-k must be positive, got {args.k}")
    kb = _knowledge_base(args.dir, _settings(args, args.index_dir))
    kb.build(_progress)
    decision = kb.decide(args.query, k=args.k)
    ranked = decision.ranked[: args.k]
    if args.json:
        print(json.dumps(_decision_json(decision, ranked), ensure_ascii=False))
        return EXIT_OK
    best = f" — {decision.best.id} ({decision.best.score:.3f})" if decision.best else ""
    print(f"decision: {decision.action}{best}")
    for position, candidate in enumerate(ranked, start=1):
        mark = "*" if candidate in decision.candidates else " "
        print(f"{mark}{position:2d}. {candidate.score:.3f}  {candidate.id:30s} {candidate.title}")
    return EXIT_OK


def _decision_json(decision: Decision, ranked: list[Candidate]) -> dict[str, Any]:
    return {
        "query": decision.query,
        "action": decision.action,
        "best": decision.best.id if decision.best else None,
        "candidates": [candidate.id for candidate in decision.candidates],
        "ranked": [
            {"id": candidate.id, "title": candidate.title, "score": round(candidate.score, 4)} for candidate in ranked
        ],
    }


def _eval(args: argparse.Namespace) -> int:
    from helpdesk.knowledge import evaluate
    from helpdesk.knowledge.query_files import JsonlError, load_queries

    _require_dir(args.handbook)
    try:
        queries = load_queries(args.queries, labeled=True)
        oos = load_queries(args.oos, labeled=False) if args.oos else []
    except JsonlError as error:
        raise UsageError(str(error)) from error
    known = load_handbook(args.handbook).entries
    unknown = [query for query in queries if query.faq_id not in known]
    if unknown:
        lines = "\n".join(
            f"{query.source}: faq_id '{query.faq_id}' is not a valid entry of {args.handbook}" for query in unknown
        )
        raise UsageError(f"{len(unknown)} queries name unknown entries:\n{lines}")
    with tempfile.TemporaryDirectory(prefix="kb-eval-") as index_dir:
        settings = _settings(args).replace(index_dir=Path(index_dir))
        kb = _knowledge_base(args.handbook, settings)
        report = kb.build(_progress)
        _print_problems(report.problems, sys.stderr)
        try:
            run = evaluate.run_queries(kb, queries, oos)
        except ValueError as error:
            raise UsageError(str(error)) from error
    result: dict[str, Any] = {
        "handbook": str(args.handbook),
        "entries": report.entries,
        **evaluate.metrics(run, settings),
    }
    _print_summary(run, result)
    if args.sweep:
        result["sweep"] = evaluate.sweep(run, settings)
        _print_sweep(result["sweep"])
    line = json.dumps(result, ensure_ascii=False)
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(line)
    return EXIT_OK


def _print_summary(run: EvalRun, result: dict[str, Any]) -> None:
    print(f"handbook {result['handbook']}: {result['entries']} entries")
    print(
        f"in-scope {result['n_queries']}: P@1 {result['p_at_1']:.3f}  MRR@10 {result['mrr_at_10']:.3f}  "
        f"R@3 {result['recall_at_3']:.3f}"
    )
    print(
        f"  decisions: answer {result['answered_rate']:.1%} (correct {result['answered_correct_rate']:.1%}, "
        f"wrong {result['wrong_answer_rate']:.1%}), suggest {result['suggest_rate']:.1%}, "
        f"handoff {result['handoff_rate']:.1%}"
    )
    if "oos_answered_rate" in result:
        print(
            f"out-of-scope {result['n_oos']}: answered {result['oos_answered_rate']:.1%}, "
            f"suggest {result['oos_suggest_rate']:.1%}, handoff {result['oos_handoff_rate']:.1%}"
        )
    print(f"latency p50 {result['latency_p50_ms']:.1f} ms, p99 {result['latency_p99_ms']:.1f} ms")
    for miss in run.misses()[:15]:
        top = miss.decision.best
        got = f"{top.id} {top.score:.3f}" if top else "nothing"
        print(f"  miss [{miss.decision.action}] {miss.query.text!r}: want {miss.query.faq_id}, got {got}")


def _print_sweep(rows: list[dict[str, float]]) -> None:
    print("threshold  answered  wrong  precision  oos-answered")
    for row in rows:
        print(
            f"   {row['answer_threshold']:.2f}     {row['answered_rate']:6.1%}  "
            f"{row['wrong_answer_rate']:5.1%}     {row['answered_precision']:6.1%}      "
            f"{row['oos_answered_rate']:6.1%}"
        )


if __name__ == "__main__":
    sys.exit(main())
