"""`make eval`: how often the bot routes customers' first messages right, in English and Chinese, and how often it
answers confidently wrong instead of asking back or handing off.

    .venv/bin/python bench/eval_report.py                     # every set in full (make eval), ~15-25 min
    .venv/bin/python bench/eval_report.py --quick             # a sample of each set (make eval QUICK=1)
    .venv/bin/python bench/eval_report.py --sets routing_heldout,xsid_zh --per-set 20
    .venv/bin/python bench/eval_report.py --parts faq,kb      # no stack: just the FAQ engine
    .venv/bin/python bench/eval_report.py --compare before/report.json results/eval/report.json
    .venv/bin/python bench/eval_report.py --from-json results/eval/report.json   # only rewrite report.md

Parts: `routing` every routing set (eval_sets.routing_sets: the team's held-out sets, the style sets, the Chinese
sets, the public benchmarks mapped by eval/external/mapping.yml) through POST /api/chat of the running stack, one
new conversation per message (eval_stack); `intents` the held-out intent sets through Rasa's /model/parse
(eval_intents); `faq` the FAQ engine's P@1 on every paraphrase set against the plain encoder over titles
(eval_faq); `kb` the answer_threshold trade-off; `cv` Rasa's cross-validation on the training data (not by
default). Writes results/eval/report.json, report.md and the plots; the targets table is eval_targets. The messages
agents corrected (`python -m helpdesk corrections export`, var/corrections) are routed as the sets corrections_en/_zh,
and report.md ends with "From agents' corrections" (bench/eval_corrections.py: its last before/after retraining).
A malformed row of any set stops the run before anything slow starts, with its file and line.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from common import git_state, machine_info, package_version, run_end
from eval_sets import (  # re-exported: scripts/check_nlu_overlap.py and the tests read Rasa NLU files through here
    HELDOUT_NLU,
    INTENT_SETS,
    ROUTING_CASES,
    SetError,
    load_nlu_examples,
    load_routing_cases,
    paraphrase_sets,
    plain_text,
    routing_sets,
    sample,
    sampled,
    set_keys,
)

from helpdesk.config import PROJECT_ROOT
from nlu_addons import RASA_PYTHON

__all__ = ["HELDOUT_NLU", "ROUTING_CASES", "load_nlu_examples", "load_routing_cases", "plain_text", "main"]

OUT_DIR = PROJECT_ROOT / "results" / "eval"
PARTS = ("routing", "intents", "faq", "kb", "cv")
DEFAULT_PARTS = ("routing", "intents", "faq", "kb")
QUICK_PER_SET = 12
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f} s] {message}", flush=True)


def rasa_version() -> str | None:
    try:
        done = subprocess.run(
            [str(RASA_PYTHON), "-c", "from importlib.metadata import version; print(version('rasa'))"],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def run(args: argparse.Namespace) -> dict[str, Any]:
    import eval_faq
    import eval_intents
    import eval_targets

    parts = set(args.parts)
    chosen = set(args.sets or [])
    commit, changed = git_state("config.yml", "data", "knowledge", "actions", "helpdesk", "nlu_addons", "eval")
    result: dict[str, Any] = {
        "machine": machine_info(rasa=rasa_version(), sanic=package_version("sanic")),
        "commit": commit,
        "dirty": bool(changed),
        "settings": {"parts": sorted(parts), "per_set": args.per_set, "sets": sorted(chosen) or "all"},
    }
    # every set is read and checked before anything slow starts
    sets = [s for s in routing_sets() if not chosen or s.key in chosen] if "routing" in parts else []
    sets = sampled(sets, args.per_set)
    if "routing" in parts and (not chosen or "corrections" in chosen):
        import eval_corrections  # the messages agents corrected (var/corrections, when exported): all of them

        sets += eval_corrections.correction_sets()
    paraphrases = [p for p in paraphrase_sets() if not chosen or p.key in chosen] if "faq" in parts else []
    examples = {
        name: sample(load_nlu_examples(path), args.per_set)
        for name, path in INTENT_SETS.items()
        if "intents" in parts and (not chosen or name in chosen)
    }
    log(
        f"sets read: {len(sets)} routing sets ({sum(len(s.cases) for s in sets)} messages), "
        f"{len(paraphrases)} paraphrase sets, {sum(len(e) for e in examples.values())} held-out intent messages"
    )
    if paraphrases or "kb" in parts:
        with eval_faq.Engines(log) as engines:
            if paraphrases:
                result["faq"] = eval_faq.paraphrase_figures(paraphrases, args.per_set, engines, log)
            if "kb" in parts:
                result["kb"] = eval_faq.run_tradeoff(args.per_set is None, engines, log)
    if sets or examples:
        import eval_stack
        from bench_stack import bench_stack

        with bench_stack(keep=args.keep) as stack:
            for name, rows in examples.items():
                rasa_url = f"http://127.0.0.1:{stack.ports.rasa}"
                result.setdefault("intents", {})[name] = eval_intents.run_heldout(
                    rasa_url, stack.env["RASA_TOKEN"], rows, log, name
                )
            if sets:
                result["routing"] = eval_stack.run_sets(stack.url, sets, log)
        routing = result.get("routing") or {}
        if "xsid_en" in routing and "xsid_zh" in routing:
            result["parallel"] = {"xsid": eval_stack.parallel_agreement(routing["xsid_en"], routing["xsid_zh"])}
        for figures in routing.values():
            figures.pop("categories", None)
    if "cv" in parts:
        with tempfile.TemporaryDirectory(prefix="eval-cv-") as workdir:
            result["cv"] = eval_intents.run_cv(args.folds, Path(workdir), log)
    if args.with_parts:
        earlier = json.loads(args.with_parts.read_text(encoding="utf-8"))
        parts_run_before = ("faq", "kb", "intents", "routing", "parallel", "cv")
        taken = [key for key in parts_run_before if key not in result and key in earlier]
        result.update({key: earlier[key] for key in taken})
        result["settings"]["taken_from"] = {
            "file": str(args.with_parts),
            "parts": taken,
            "commit": earlier.get("commit"),
        }
        log(f"taken from {args.with_parts}: {', '.join(taken) or 'nothing'}")
    result["targets"] = eval_targets.targets(result)
    result.update(run_end(STARTED))
    return result


def write_outputs(result: dict[str, Any], out_dir: Path) -> None:
    import eval_plots
    from eval_render import render_markdown

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if result.get("routing"):
        eval_plots.outcomes_png(list(result["routing"].values()), out_dir / "outcomes.png")
    if result.get("kb"):
        kb = result["kb"]
        sweeps = {split: kb[split]["sweep"] for split in ("test", "dev") if split in kb}
        eval_plots.tradeoff_png(sweeps, kb["answer_threshold"], out_dir / "handoff_tradeoff.png")
    import eval_corrections

    # "from agents' corrections": the last bench/eval_corrections.py run (its before/after retraining)
    markdown = render_markdown(result) + "\n" + eval_corrections.report_section(out_dir)
    (out_dir / "report.md").write_text(markdown, encoding="utf-8")
    log(f"wrote {out_dir / 'report.md'} and {out_dir / 'report.json'}")


def targets_summary(result: dict[str, Any]) -> str:
    rows = result.get("targets") or []
    counts = {status: sum(1 for row in rows if row["status"] == status) for status in ("PASS", "MISS", "not run")}
    return ", ".join(f"{count} {status}" for status, count in counts.items() if count)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--parts",
        type=lambda s: [p for p in s.split(",") if p],
        default=list(DEFAULT_PARTS),
        help=f"comma-separated, from {', '.join(PARTS)} (default {','.join(DEFAULT_PARTS)})",
    )
    parser.add_argument("--sets", type=lambda s: [p for p in s.split(",") if p], help="only these sets (keys)")
    parser.add_argument("--quick", action="store_true", help=f"a sample of {QUICK_PER_SET} rows a set, no dev sweep")
    parser.add_argument("--per-set", type=int, help="at most this many rows of each set, spread over the set")
    parser.add_argument("--folds", type=int, default=3, help="cross-validation folds (--parts cv; default 3)")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--keep", action="store_true", help="keep the stack's temporary folder (database, logs)")
    parser.add_argument("--from-json", type=Path, help="only rewrite report.md and the plots from this report.json")
    parser.add_argument("--with", dest="with_parts", type=Path, metavar="REPORT_JSON",
                        help="take the figures of the parts not run now from this earlier report.json")  # fmt: skip
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"), help="two report.json files")
    args = parser.parse_args(argv)
    if args.compare:
        from eval_compare import CompareError, compare, load_report

        try:
            before, after = (load_report(path) for path in args.compare)
        except CompareError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(compare(before, after, (str(args.compare[0]), str(args.compare[1]))), end="")
        return 0
    if args.from_json:
        write_outputs(json.loads(args.from_json.read_text(encoding="utf-8")), args.out)
        return 0
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts {sorted(unknown)}; choose from {', '.join(PARTS)}")
    if args.quick and args.per_set is None:
        args.per_set = QUICK_PER_SET
    if args.sets:
        known = set_keys()
        wrong = set(args.sets) - known
        if wrong:
            parser.error(f"unknown sets {sorted(wrong)}; choose from {', '.join(sorted(known))}")
    try:
        result = run(args)
    except SetError as error:
        print(f"error: malformed evaluation row: {error}", file=sys.stderr)
        return 2
    write_outputs(result, args.out)
    log(f"targets: {targets_summary(result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
