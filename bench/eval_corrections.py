"""`make eval`, "from agents' corrections": how the bot routes the messages agents corrected, whether it still gives
the answers customers marked 👎, and — after retraining with the accepted examples — whether that helped on every
evaluation set.

    python -m helpdesk corrections export                      # first: var/corrections/ (accepted, masked)
    .venv/bin/python bench/eval_corrections.py                 # the exported rows through today's model
    .venv/bin/python bench/eval_corrections.py --retrain --per-set 40
        # also: train a model with data/ + the exported NLU examples into a temporary folder, run the exported
        # rows and every routing set (a sample of 40 each) through both models, compare

Reads the export folder (``--export``, default var/corrections): ``routing.jsonl`` (the corrected messages, with
the route the agent and the reviewer said was right) and ``not_helpful.jsonl`` (messages whose answer a customer
marked 👎). Writes results/eval/corrections.json and corrections.md; `bench/eval_report.py` routes the exported
rows with the other sets and adds the section to report.md.

After retraining, the corrected messages are training data of the new model: their figure then shows only that
the examples were learnt. Whether the change helped is the comparison on the other sets, which nobody trained on.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml
from eval_sets import EvalSet, SetError, load_routing_jsonl, read_jsonl, relative, routing_sets, sampled

from helpdesk.config import PROJECT_ROOT

EXPORT_DIR = PROJECT_ROOT / "var" / "corrections"
OUT_DIR = PROJECT_ROOT / "results" / "eval"
RASA = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"
Log = Callable[[str], None]
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f} s] {message}", flush=True)


def export_dir() -> Path:
    configured = os.environ.get("CORRECTIONS_EXPORT")
    return Path(configured) if configured else EXPORT_DIR


# --------------------------------------------------------------------------- the exported rows


def correction_sets(folder: Path | None = None) -> list[EvalSet]:
    """The corrected messages as routing sets, one per language (none when nothing was exported)."""
    path = (folder or export_dir()) / "routing.jsonl"
    if not path.exists() or not path.read_text(encoding="utf-8").strip():
        return []
    cases = load_routing_jsonl(path)
    languages = {number: str(row.get("language") or "en") for number, row in read_jsonl(path)}
    sets = []
    for language in ("en", "zh"):
        chosen = [c for c in cases if languages.get(int(c.source.rsplit(":", 1)[1])) == language]
        if chosen:
            sets.append(
                EvalSet(
                    f"corrections_{language}",
                    f"from agents' corrections ({language})",
                    language,
                    "corrections",
                    (str(path),),
                    chosen,
                    "messages agents marked as misread, with the route a reviewer accepted",
                )
            )
    return sets


def not_helpful_rows(folder: Path | None = None) -> list[dict[str, Any]]:
    path = (folder or export_dir()) / "not_helpful.jsonl"
    if not path.exists() or not path.read_text(encoding="utf-8").strip():
        return []
    rows = []
    for number, row in read_jsonl(path):
        if not isinstance(row.get("text"), str) or not row["text"].strip():
            raise SetError(path, number, "'text' must be a non-empty string")
        rows.append(row)
    return rows


def run_not_helpful(url: str, rows: Sequence[dict[str, Any]], log: Log) -> dict[str, Any]:
    """Each 👎'd message as a new conversation's first message: does the bot give the same answer again?"""
    import httpx
    from eval_outcomes import Outcome
    from eval_stack import post_first_message

    same = []
    with httpx.Client(base_url=url, timeout=120) as client:
        for number, row in enumerate(rows, start=1):
            body, _ = post_first_message(client, row["text"], f"not_helpful.jsonl:{number}")
            outcome = Outcome.from_response(body)
            if row.get("answer_faq_id"):
                repeated = outcome.faq_id == row["answer_faq_id"]
            else:
                repeated = outcome.faq_id is None and outcome.handoff is None and outcome.intent == row.get("intent")
            same.append({"text": row["text"], "answer": row.get("answer_faq_id") or row.get("intent"),
                         "repeated": repeated, "got": outcome.describe()})  # fmt: skip
    repeated = sum(1 for s in same if s["repeated"])
    log(f"👎 rows: {repeated}/{len(same)} still get the answer a customer marked 👎")
    return {"n": len(same), "repeated": repeated, "rate": round(repeated / len(same), 4) if same else None,
            "rows": same}  # fmt: skip


# --------------------------------------------------------------------------- retraining


def handbook_with_questions(folder: Path, target: Path) -> int:
    """A copy of the handbook with the exported wordings added to their entries' questions (as an editor would add
    them from handbook_questions.yml): how many were added."""
    from helpdesk.knowledge.handbook import find_files, parse_path

    shutil.copytree(PROJECT_ROOT / "knowledge" / "faq", target)
    source = folder / "handbook_questions.yml"
    wanted = yaml.safe_load(source.read_text(encoding="utf-8")) if source.exists() else {}
    added = 0
    for path in find_files(target):
        parsed = parse_path(path)
        if parsed.entry is None or parsed.entry.id not in (wanted or {}):
            continue
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        for language, wordings in wanted[parsed.entry.id].items():
            side = meta if language == "en" else meta.get("zh")
            if not isinstance(side, dict):
                continue
            side["questions"] = [*(side.get("questions") or []), *wordings]
            added += len(wordings)
        dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
        path.write_text("---\n" + dumped + "---\n" + body, encoding="utf-8")
    return added


def train_with_corrections(
    folder: Path, workdir: Path, log: Log, with_handbook: bool = False
) -> tuple[Path, dict[str, int]]:
    """data/ plus the exported NLU examples (and, `with_handbook`, a handbook copy with the exported wordings in
    its entries' questions), trained into `workdir`: the new model's path and what was added."""
    data = workdir / "data"
    shutil.copytree(PROJECT_ROOT / "data", data)
    config = PROJECT_ROOT / "config.yml"
    added = {}
    if with_handbook:
        added["handbook_questions"] = handbook_with_questions(folder, workdir / "faq")
        settings = yaml.safe_load(config.read_text(encoding="utf-8"))
        for component in settings["pipeline"]:
            if component["name"].endswith("OnePassNLU"):
                component["handbook"] = str(workdir / "faq")
        config = workdir / "config.yml"
        config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    for language, target in (
        ("en", data / "nlu" / "corrections_en.yml"),
        ("zh", data / "nlu" / "zh" / "corrections_zh.yml"),
    ):
        source = folder / f"nlu_{language}.yml"
        if source.exists():
            text = source.read_text(encoding="utf-8")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            added[language] = sum(
                1 for line in text.splitlines() if line.strip().startswith("- ") and "intent:" not in line
            )
    log(f"retraining with the accepted examples ({added}) into {workdir} …")
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "HF_HUB_OFFLINE": "1"}
    started = time.monotonic()
    with open(workdir / "train.log", "wb") as output:
        done = subprocess.run(
            [
                str(RASA),
                "train",
                "--config",
                "config.yml",
                "--domain",
                "domain.yml",
                "--data",
                str(data),
                "--out",
                str(workdir / "models"),
                "--fixed-model-name",
                "after",
            ],  # fmt: skip
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    if done.returncode != 0:
        tail = (workdir / "train.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"rasa train failed ({done.returncode}):\n{tail}")
    log(f"trained in {time.monotonic() - started:.0f} s")
    return workdir / "models" / "after.tar.gz", added


# --------------------------------------------------------------------------- one model's figures


def measure(
    sets: Sequence[EvalSet], rows: Sequence[dict[str, Any]], model: Path | None, log: Log, handbook: Path | None = None
) -> dict[str, Any]:
    import eval_stack
    from bench_stack import bench_stack

    with bench_stack(model=model, extra_env={"KB_DIR": str(handbook)} if handbook else None) as stack:
        routing = eval_stack.run_sets(stack.url, sets, log) if sets else {}
        feedback = run_not_helpful(stack.url, rows, log) if rows else None
    for figures in routing.values():
        figures.pop("categories", None)
    return {"routing": routing, "not_helpful": feedback}


def brief(figures: dict[str, Any]) -> dict[str, Any]:
    return {"n": figures["n"], "right": figures["rates"]["right"], "wrong": figures["rates"]["wrong"]}


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for key, figures in before["routing"].items():
        if key in after["routing"]:
            b, a = brief(figures), brief(after["routing"][key])
            rows.append({"set": key, "n": b["n"], "right_before": b["right"], "right_after": a["right"],
                         "wrong_before": b["wrong"], "wrong_after": a["wrong"],
                         "trained_on": figures.get("family") == "corrections"})  # fmt: skip
    return rows


# --------------------------------------------------------------------------- report


def pct(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.1f} %"


def render(result: dict[str, Any]) -> str:
    lines = ["## From agents' corrections", ""]
    summary = result.get("export") or {}
    lines.append(
        f"Export `{summary.get('folder', '?')}`: {summary.get('rows', 0)} accepted corrections "
        f"({summary.get('by_language', {})}), {summary.get('not_helpful', 0)} 👎 rows."
    )
    if result.get("note"):
        lines += ["", str(result["note"])]
    before = result.get("before") or {}
    lines += ["", "| set | rows | right | wrong |", "|---|---:|---:|---:|"]
    for key, figures in (before.get("routing") or {}).items():
        if figures.get("family") == "corrections":
            lines.append(
                f"| {key} | {figures['n']} | {pct(figures['rates']['right'])} | {pct(figures['rates']['wrong'])} |"
            )
    feedback = before.get("not_helpful")
    if feedback:
        lines.append("")
        lines.append(
            f"👎 answers still given to the same words: {feedback['repeated']} of {feedback['n']} "
            f"({pct(feedback['rate'])})."
        )
    if result.get("comparison"):
        after = result.get("after") or {}
        lines += [
            "",
            f"### Before / after retraining with the accepted examples ({result.get('added')}"
            + (
                ", the wordings added to the handbook's questions too)"
                if "handbook_questions" in (result.get("added") or {})
                else ")"
            ),
            "",
            f"Sample: {result.get('per_set') or 'all'} rows a set; trained in {result.get('train_seconds')} s. "
            "Rows marked * are the corrected messages themselves (training data after retraining).",
            "",
            "| set | rows | right before | right after | wrong before | wrong after |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for row in result["comparison"]:
            star = " *" if row["trained_on"] else ""
            lines.append(
                f"| {row['set']}{star} | {row['n']} | {pct(row['right_before'])} | {pct(row['right_after'])} | "
                f"{pct(row['wrong_before'])} | {pct(row['wrong_after'])} |"
            )
        if feedback and after.get("not_helpful"):
            lines.append("")
            lines.append(
                f"👎 answers repeated: {pct(feedback['rate'])} before, {pct(after['not_helpful']['rate'])} after."
            )
    lines.append("")
    return "\n".join(lines)


def report_section(out_dir: Path = OUT_DIR) -> str:
    """The section eval_report adds to report.md: the last corrections.json, if any."""
    path = out_dir / "corrections.json"
    if not path.exists():
        path = OUT_DIR / "corrections.json"  # a report written elsewhere still shows the project's last run
    if not path.exists():
        return (
            "## From agents' corrections\n\n"
            "Not run yet: `python -m helpdesk corrections export`, then `bench/eval_corrections.py`.\n"
        )
    return render(json.loads(path.read_text(encoding="utf-8")))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--export", type=Path, default=None, help=f"the export folder (default {EXPORT_DIR})")
    parser.add_argument("--retrain", action="store_true", help="also retrain with the exported examples and compare")
    parser.add_argument("--per-set", type=int, help="before/after: at most this many rows of each routing set")
    parser.add_argument("--sets", type=lambda s: [p for p in s.split(",") if p], help="before/after: only these sets")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--keep", action="store_true", help="keep the retrained model's folder")
    parser.add_argument(
        "--with-handbook",
        action="store_true",
        help="--retrain: also add the exported wordings to a copy of the handbook (handbook_questions.yml)",
    )
    parser.add_argument("--before", type=Path, help="take the 'before' figures from this earlier corrections.json")
    parser.add_argument("--note", help="a line for the report: where the corrections came from, the machine's load")
    args = parser.parse_args(argv)
    folder = args.export or export_dir()
    try:
        mine = correction_sets(folder)
        rows = not_helpful_rows(folder)
        others = [s for s in routing_sets() if not args.sets or s.key in args.sets] if args.retrain else []
    except SetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not mine and not rows:
        print(f"nothing exported in {folder}: run `python -m helpdesk corrections export` first", file=sys.stderr)
        return 2
    sets = mine + sampled(others, args.per_set)
    result: dict[str, Any] = {
        "export": {
            "folder": relative(folder),
            "rows": sum(len(s.cases) for s in mine),
            "by_language": {s.language: len(s.cases) for s in mine},
            "not_helpful": len(rows),
        },
        "per_set": args.per_set,
        **({"note": args.note} if args.note else {}),
    }
    log(f"{result['export']['rows']} corrected messages, {len(rows)} 👎 rows, {len(others)} other sets")
    if args.before:
        result["before"] = json.loads(args.before.read_text(encoding="utf-8"))["before"]
        result["before_from"] = str(args.before)
    else:
        result["before"] = measure(sets, rows, None, log)
    if args.retrain:
        workdir = Path(tempfile.mkdtemp(prefix="eval-corrections-"))
        try:
            started = time.monotonic()
            model, result["added"] = train_with_corrections(folder, workdir, log, args.with_handbook)
            result["train_seconds"] = round(time.monotonic() - started)
            result["after"] = measure(sets, rows, model, log, workdir / "faq" if args.with_handbook else None)
            result["comparison"] = compare(result["before"], result["after"])
        finally:
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
    result["seconds"] = round(time.monotonic() - STARTED)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "corrections.json").write_text(
        json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (args.out / "corrections.md").write_text(render(result), encoding="utf-8")
    log(f"wrote {args.out / 'corrections.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
