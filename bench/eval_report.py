"""`make eval`: how often the bot understands customers and how often it answers wrongly instead of handing off.

    .venv/bin/python bench/eval_report.py                    # every part, ~10 min on 2 quiet cores
    .venv/bin/python bench/eval_report.py --quick            # 2 folds, no dev sweep: a few minutes
    .venv/bin/python bench/eval_report.py --parts kb,routing # just some parts
    .venv/bin/python bench/eval_report.py --from-json results/eval/eval.json   # only rewrite report + plots

Parts: `cv` Rasa NLU cross-validation on data/nlu with config.yml; `heldout` intent accuracy on
eval/intents/heldout.yml through the running Rasa's /model/parse; `routing` first messages of
eval/routing/heldout.jsonl through POST /api/chat; `kb` the FAQ engine on the handbook's held-out test
paraphrases and the answer_threshold sweep. Writes results/eval/{eval.json,report.md,*.png}.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml
from common import git_state, machine_head, machine_info, package_version, run_end, table

from helpdesk.config import PROJECT_ROOT
from nlu_addons import RASA_PYTHON

OUT_DIR = PROJECT_ROOT / "results" / "eval"
HELDOUT_NLU = PROJECT_ROOT / "eval" / "intents" / "heldout.yml"
ROUTING_CASES = PROJECT_ROOT / "eval" / "routing" / "heldout.jsonl"
KB_EVAL_DIR = PROJECT_ROOT / "eval" / "handbook"
KB_SETTINGS = PROJECT_ROOT / "knowledge" / "kb.yml"
PARTS = ("cv", "heldout", "routing", "kb")
FALLBACK = "nlu_fallback"
KINDS = ("typo", "long", "two_requests")
LONG_WORDS = 20  # a message of this many words or more counts as long, whatever its metadata says
MIN_PER_INTENT = 15
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f} s] {message}", flush=True)


# --------------------------------------------------------------------------- labelled messages

ENTITY_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class NluExample:
    text: str
    intent: str
    kinds: tuple[str, ...]


def plain_text(annotated: str) -> str:
    """The message without Rasa's entity markup: "[100234](order_id)" → "100234"."""
    return ENTITY_MARKUP.sub(r"\1", annotated).strip()


def message_kinds(text: str, tagged: Iterable[str] = ()) -> tuple[str, ...]:
    kinds = set(tagged)
    if len(text.split()) >= LONG_WORDS:
        kinds.add("long")
    return tuple(kind for kind in KINDS if kind in kinds)


def load_nlu_examples(path: Path) -> list[NluExample]:
    """Rasa YAML NLU data, both forms: a block of "- text" lines, or a list of {text, metadata: {kinds}}."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples: list[NluExample] = []
    for block in data.get("nlu") or []:
        intent = block.get("intent")
        if not intent:
            continue
        raw = block.get("examples") or []
        if isinstance(raw, str):
            items = [(line.strip()[2:], ()) for line in raw.splitlines() if line.strip().startswith("- ")]
        else:
            items = [(str(item["text"]), tuple((item.get("metadata") or {}).get("kinds") or ())) for item in raw]
        for annotated, tagged in items:
            text = plain_text(annotated)
            unknown = set(tagged) - set(KINDS)
            if unknown:
                raise ValueError(f"{path}: {text!r}: unknown kinds {sorted(unknown)} (known: {', '.join(KINDS)})")
            examples.append(NluExample(text, str(intent), message_kinds(text, tagged)))
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


def load_routing_cases(path: Path) -> list[dict[str, Any]]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        case = json.loads(line)
        expect = case.get("expect") or {}
        if not isinstance(case.get("text"), str) or len(expect) != 1 or next(iter(expect)) not in EXPECT_KINDS:
            raise ValueError(f"{path}:{number}: want {{'text', 'expect': {{intent|faq_id|handoff: ...}}}}")
        cases.append(case)
    return cases


# --------------------------------------------------------------------------- classification figures


def classification(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Per true label: precision, recall, F1, support; plus accuracy and macro/weighted averages."""
    labels = sorted({truth for truth, _ in pairs} | {guess for _, guess in pairs})
    true_counts = Counter(truth for truth, _ in pairs)
    guess_counts = Counter(guess for _, guess in pairs)
    hits = Counter(truth for truth, guess in pairs if truth == guess)
    per_label = {}
    for label in labels:
        precision = hits[label] / guess_counts[label] if guess_counts[label] else 0.0
        recall = hits[label] / true_counts[label] if true_counts[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": true_counts[label],
        }
    supported = [label for label in labels if true_counts[label]]
    total = len(pairs)
    return {
        "n": total,
        "accuracy": round(sum(hits.values()) / total, 4) if total else 0.0,
        "macro_f1": round(sum(per_label[label]["f1"] for label in supported) / len(supported), 4) if supported else 0.0,
        "weighted_f1": round(sum(per_label[label]["f1"] * true_counts[label] for label in supported) / total, 4)
        if total
        else 0.0,
        "per_intent": per_label,
        "labels": labels,
        "confusion": [[sum(1 for t, g in pairs if t == truth and g == guess) for guess in labels] for truth in labels],
    }


# --------------------------------------------------------------------------- part: cross-validation


def run_cv(folds: int, workdir: Path) -> dict[str, Any]:
    out = workdir / "cv"
    command = [
        str(RASA_PYTHON.with_name("rasa")),
        "test", "nlu",
        "--nlu", str(PROJECT_ROOT / "data" / "nlu"),
        "--config", str(PROJECT_ROOT / "config.yml"),
        "--cross-validation", "--folds", str(folds),
        "--out", str(out),
        "--successes", "--no-plot",
    ]  # fmt: skip
    log(f"cv: rasa test nlu --cross-validation --folds {folds} (trains {folds} models; output in {out})")
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "HF_HUB_OFFLINE": "1"}
    started = time.monotonic()
    with open(workdir / "cv.log", "wb") as output:
        done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        tail = (workdir / "cv.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"rasa test nlu --cross-validation failed ({done.returncode}):\n{tail}")
    predictions = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = out / name
        if path.exists():
            predictions += json.loads(path.read_text())
    pairs = [(p["intent"], (p.get("intent_prediction") or {}).get("name") or "None") for p in predictions]
    report = json.loads((out / "intent_report.json").read_text())
    result = classification(pairs)
    result.update(
        {
            "folds": folds,
            "seconds": round(seconds, 1),
            "rasa_accuracy": report.get("accuracy"),
            "rasa_weighted_f1": (report.get("weighted avg") or {}).get("f1-score"),
            "errors": [
                {
                    "text": p["text"],
                    "intent": p["intent"],
                    "predicted": (p.get("intent_prediction") or {}).get("name"),
                    "confidence": round(float((p.get("intent_prediction") or {}).get("confidence") or 0), 3),
                }
                for p in predictions
                if p["intent"] != (p.get("intent_prediction") or {}).get("name")
            ],
        }
    )
    log(f"cv: accuracy {result['accuracy']:.1%}, macro F1 {result['macro_f1']:.3f} in {seconds:.0f} s")
    return result


# --------------------------------------------------------------------------- part: held-out NLU


def run_heldout(rasa_url: str, token: str, examples: Sequence[NluExample]) -> dict[str, Any]:
    log(f"heldout: {len(examples)} messages through Rasa's /model/parse")
    routed_pairs, classifier_pairs, rows = [], [], []
    with httpx.Client(timeout=60) as client:
        for example in examples:
            response = client.post(f"{rasa_url}/model/parse", params={"token": token}, json={"text": example.text})
            response.raise_for_status()
            parsed = response.json()
            routed = (parsed.get("intent") or {}).get("name") or "None"
            ranking = [r for r in parsed.get("intent_ranking") or [] if r.get("name") != FALLBACK]
            best = ranking[0] if ranking else {"name": routed, "confidence": 0.0}
            routed_pairs.append((example.intent, routed))
            classifier_pairs.append((example.intent, best["name"]))
            rows.append((example, routed, best))
    routed = classification(routed_pairs)
    result = classification(classifier_pairs)
    by_kind: dict[str, dict[str, Any]] = {}
    for kind in ("plain", *KINDS):
        chosen = [(ex, best) for ex, _, best in rows if (kind in ex.kinds if kind != "plain" else not ex.kinds)]
        if chosen:
            right = sum(1 for ex, best in chosen if best["name"] == ex.intent)
            by_kind[kind] = {"n": len(chosen), "accuracy": round(right / len(chosen), 4)}
    result.update(
        {
            "routed_accuracy": routed["accuracy"],
            "fallback_rate": round(sum(1 for _, guess in routed_pairs if guess == FALLBACK) / len(rows), 4),
            "by_kind": by_kind,
            "kinds_per_intent": kind_counts(examples),
            "errors": [
                {
                    "text": ex.text,
                    "intent": ex.intent,
                    "predicted": best["name"],
                    "confidence": round(float(best.get("confidence") or 0), 3),
                    "routed": routed_name,
                    "kinds": list(ex.kinds),
                }
                for ex, routed_name, best in rows
                if best["name"] != ex.intent
            ],
        }
    )
    log(f"heldout: accuracy {result['accuracy']:.1%} (with the fallback threshold {result['routed_accuracy']:.1%})")
    return result


# --------------------------------------------------------------------------- part: routing through the stack

EXPECT_KINDS = ("intent", "faq_id", "handoff")


def outcome_of(body: dict[str, Any]) -> dict[str, Any]:
    """What the bot did with a first message, read from the POST /api/chat response."""
    handoff = (body.get("handoff") or {}).get("reason")
    faq = (body.get("faq") or {}).get("id")
    intent = (body.get("nlu") or {}).get("intent")
    suggested = [
        json.loads(b["payload"][4:]).get("faq_id")
        for reply in body.get("replies") or []
        for b in reply.get("buttons") or []
        if str(b.get("payload", "")).startswith("/faq{")
    ]
    return {"intent": intent, "faq_id": faq, "handoff": handoff, "suggested": suggested}


def describe(outcome: dict[str, Any]) -> str:
    if outcome["handoff"]:
        return f"handoff: {outcome['handoff']}"
    if outcome["faq_id"]:
        return f"answered: {outcome['faq_id']}"
    if outcome["suggested"]:
        return f"suggested: {', '.join(outcome['suggested'])} (intent {outcome['intent']})"
    return f"intent: {outcome['intent']}"


def routed_right(expect: dict[str, str], outcome: dict[str, Any]) -> bool:
    kind, want = next(iter(expect.items()))
    if kind == "handoff":
        return outcome["handoff"] == want
    if outcome["handoff"]:
        return False
    return outcome[kind] == want


def out_of_scope_outcomes(outcomes: Sequence[dict[str, Any]]) -> dict[str, int]:
    """What became of messages that should have been handed off: a wrong answer is a handbook answer or
    a shop intent's flow (an order form, say) instead of the handoff; suggestions are only a question back."""
    counts = {"n": len(outcomes), "handed_off": 0, "suggested": 0, "answered_from_handbook": 0, "taken_as_intent": 0}
    for outcome in outcomes:
        if outcome["handoff"]:
            counts["handed_off"] += 1
        elif outcome["faq_id"]:
            counts["answered_from_handbook"] += 1
        elif outcome["suggested"]:
            counts["suggested"] += 1
        else:
            counts["taken_as_intent"] += 1
    counts["answered_wrongly"] = counts["answered_from_handbook"] + counts["taken_as_intent"]
    return counts


def run_routing(helpdesk_url: str, cases: Sequence[dict[str, Any]]) -> dict[str, Any]:
    log(f"routing: {len(cases)} first messages through POST /api/chat, each in a new conversation")
    results = []
    with httpx.Client(base_url=helpdesk_url, timeout=60) as client:
        for number, case in enumerate(cases, start=1):
            response = client.post("/api/chat", json={"conversation_id": None, "text": case["text"]})
            if response.status_code != 200:
                raise RuntimeError(f"POST /api/chat answered {response.status_code} for {case['text']!r}")
            outcome = outcome_of(response.json())
            results.append({**case, "outcome": outcome, "right": routed_right(case["expect"], outcome)})
            if number % 25 == 0:
                log(f"routing: {number}/{len(cases)}")
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for result in results:
        kind, want = next(iter(result["expect"].items()))
        groups[kind].append(result)
        groups[f"{kind}:{want}" if kind != "faq_id" else "faq_id:*"].append(result)
    oos = [r for r in results if r["expect"] == {"handoff": "low_confidence"}]
    summary = {
        "n": len(results),
        "accuracy": round(sum(r["right"] for r in results) / len(results), 4),
        "by_kind": {
            key: {"n": len(rows), "accuracy": round(sum(r["right"] for r in rows) / len(rows), 4)}
            for key, rows in sorted(groups.items())
            if ":" not in key or key.startswith(("intent:", "handoff:"))
        },
        "out_of_scope": out_of_scope_outcomes([r["outcome"] for r in oos]),
        "misrouted": [
            {"text": r["text"], "expect": r["expect"], "got": describe(r["outcome"])} for r in results if not r["right"]
        ],
    }
    log(f"routing: {summary['accuracy']:.1%} right, {len(summary['misrouted'])} misrouted")
    return summary


# --------------------------------------------------------------------------- part: the FAQ engine


def chosen_threshold_reason(path: Path = KB_SETTINGS) -> str:
    """The comment block above `answer_threshold:` in kb.yml: why the operating point is where it is."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if line.startswith("answer_threshold:"):
            block = []
            for previous in reversed(lines[:index]):
                if not previous.startswith("#"):
                    break
                block.append(previous.lstrip("# ").rstrip())
            return " ".join(reversed(block))
    return ""


def with_overall_wrong(rows: Sequence[dict[str, float]], n_in: int, n_oos: int) -> list[dict[str, float]]:
    """Adds `wrong_rate_all`: wrong in-scope answers plus answered out-of-scope queries, over all queries."""
    return [
        {
            **row,
            "wrong_rate_all": round(
                (row["wrong_answer_rate"] * n_in + row["oos_answered_rate"] * n_oos) / (n_in + n_oos), 4
            ),
        }
        for row in rows
    ]


def run_kb(with_dev: bool) -> dict[str, Any]:
    from helpdesk.knowledge import evaluate
    from helpdesk.knowledge.engine import KnowledgeBase
    from helpdesk.knowledge.settings import load_settings

    result: dict[str, Any] = {}
    splits = ("test", "dev") if with_dev else ("test",)
    with tempfile.TemporaryDirectory(prefix="eval-kb-") as index_dir:
        settings = load_settings(KB_SETTINGS).replace(index_dir=Path(index_dir))
        log("kb: building the handbook index in a temporary folder")
        kb = KnowledgeBase(PROJECT_ROOT / "knowledge" / "faq", settings)  # the engine's own embedder settings
        report = kb.build()
        result["entries"] = report.entries
        for split in splits:
            queries = evaluate.load_queries(KB_EVAL_DIR / f"queries_{split}.jsonl")
            oos = evaluate.load_queries(KB_EVAL_DIR / f"oos_{split}.jsonl", labeled=False)
            log(f"kb: {split} split: {len(queries)} in-scope and {len(oos)} out-of-scope queries")
            run = evaluate.run_queries(kb, queries, oos)
            rows = with_overall_wrong(evaluate.sweep(run, settings), len(queries), len(oos))
            result[split] = {
                **evaluate.metrics(run, settings),
                "sweep": rows,
                "misses": [
                    {
                        "query": miss.query.text,
                        "want": miss.query.faq_id,
                        "action": miss.decision.action,
                        "got": miss.decision.best.id if miss.decision.best else None,
                        "score": round(float(miss.decision.best.score), 3) if miss.decision.best else None,
                    }
                    for miss in run.misses()
                ],
            }
    result["answer_threshold"] = settings.answer_threshold
    result["suggest_threshold"] = settings.suggest_threshold
    result["reason"] = chosen_threshold_reason()
    test = result["test"]
    log(
        f"kb: test P@1 {test['p_at_1']:.3f}, answered {test['answered_rate']:.1%}, "
        f"out-of-scope answered {test['oos_answered_rate']:.1%}"
    )
    return result


# --------------------------------------------------------------------------- the report


def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def per_intent_table(part: dict[str, Any]) -> list[str]:
    rows = [
        (intent, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", m["support"])
        for intent, m in part["per_intent"].items()
        if m["support"]
    ]
    return table(("intent", "precision", "recall", "F1", "messages"), rows)


def render_markdown(result: dict[str, Any]) -> str:
    machine = result["machine"]
    out = [
        "# Quality report: NLU, routing, FAQ answers and handoff",
        "",
        f"Generated by `make eval` (`bench/eval_report.py`) at {result['finished_at']} in {result['seconds']:.0f} s, "
        f"commit `{result.get('commit') or '?'}`{' with local changes' if result.get('dirty') else ''}. "
        "Every figure is in `eval.json`.",
        "",
        f"Machine: {machine_head(machine)}, Rasa {machine.get('rasa') or '?'}; load average at start "
        f"{machine['load_average_start']}, at end {result.get('load_average_end')}.",
        "",
    ]
    summary = []
    if "heldout" in result:
        summary.append(("held-out intent accuracy", pct(result["heldout"]["accuracy"]), "≥ 92 %"))
    if "routing" in result:
        summary.append(("routing accuracy end to end", pct(result["routing"]["accuracy"]), ""))
    if "kb" in result:
        test = result["kb"]["test"]
        summary.append(("FAQ P@1 (held-out paraphrases)", f"{test['p_at_1']:.3f}", ""))
        summary.append(("out-of-scope questions answered (FAQ engine)", pct(test["oos_answered_rate"]), "≤ 10 %"))
    if "routing" in result:
        oos = result["routing"]["out_of_scope"]
        if oos["n"]:
            summary.append(
                (
                    f"out-of-scope first messages answered instead of handed off (whole bot, {oos['n']})",
                    pct(oos["answered_wrongly"] / oos["n"]),
                    "≤ 10 %",
                )
            )
    if "cv" in result:
        summary.append(
            (f"cross-validation accuracy ({result['cv']['folds']} folds)", pct(result["cv"]["accuracy"]), "")
        )
    if summary:
        out += ["## Summary", "", *table(("figure", "value", "target"), summary), ""]

    if "cv" in result:
        cv = result["cv"]
        out += [
            f"## Rasa NLU cross-validation ({cv['folds']} folds on data/nlu, config.yml)",
            "",
            f"{cv['n']} training messages, each predicted by the model trained on the other folds "
            f"({cv['seconds']:.0f} s in all). Accuracy **{pct(cv['accuracy'])}**, macro F1 {cv['macro_f1']:.3f}, "
            f"weighted F1 {cv['weighted_f1']:.3f} (Rasa's own report: accuracy {pct(cv.get('rasa_accuracy'))}). "
            "Predictions are the classifier's, before the fallback threshold (Rasa undoes `nlu_fallback`). "
            "Rasa shuffles the folds without a fixed seed, so the figures move a little between runs; many "
            "training messages are the only one of their kind, so a fold without them is harder than the "
            "held-out set below.",
            "",
            *per_intent_table(cv),
            "",
            "![confusion matrix](cv_confusion.png)",
            "",
        ]
        if cv["errors"]:
            out += ["<details><summary>Misclassified in cross-validation</summary>", ""]
            out += table(
                ("message", "intent", "predicted", "confidence"),
                ((e["text"], e["intent"], e["predicted"], e["confidence"]) for e in cv["errors"]),
            )
            out += ["", "</details>", ""]

    if "heldout" in result:
        held = result["heldout"]
        out += [
            "## Held-out intent accuracy (eval/intents/heldout.yml)",
            "",
            f"{held['n']} messages written separately from the training data, parsed by the running Rasa. "
            f"Accuracy **{pct(held['accuracy'])}** (the classifier's best intent), macro F1 {held['macro_f1']:.3f}. "
            f"With the fallback threshold applied, as the bot routes them: {pct(held['routed_accuracy'])} "
            f"({pct(held['fallback_rate'])} fall below it and go to the handbook search instead).",
            "",
            "By kind of message (a message can be of several kinds; long = "
            f"{LONG_WORDS}+ words, typo and two requests are tagged in the file's metadata):",
            "",
            *table(
                ("kind", "messages", "accuracy"),
                ((kind, v["n"], pct(v["accuracy"])) for kind, v in held["by_kind"].items()),
            ),
            "",
            "Messages per intent and kind:",
            "",
            *table(
                ("intent", "messages", *KINDS),
                (
                    (intent, row["messages"], *(row[k] for k in KINDS))
                    for intent, row in held["kinds_per_intent"].items()
                ),
            ),
            "",
            *per_intent_table(held),
            "",
            "![held-out confusion matrix](heldout_confusion.png)",
            "",
        ]
        if held["errors"]:
            out += ["Misclassified:", ""]
            out += table(
                ("message", "intent", "predicted", "confidence", "kinds"),
                (
                    (e["text"], e["intent"], e["predicted"], e["confidence"], ", ".join(e["kinds"]))
                    for e in held["errors"]
                ),
            )
            out += [""]

    if "routing" in result:
        routing = result["routing"]
        oos = routing["out_of_scope"]
        out += [
            "## Routing end to end (eval/routing/heldout.jsonl through POST /api/chat)",
            "",
            f"{routing['n']} first messages, each in a new conversation of the running stack (Rasa, action webhook, "
            "helpdesk with a fresh database). The outcome is read from the response: `handoff.reason`, else "
            f"`faq.id`, else `nlu.intent`. Overall **{pct(routing['accuracy'])}** routed as expected.",
            "",
            *table(
                ("expected", "messages", "routed right"),
                ((kind, v["n"], pct(v["accuracy"])) for kind, v in routing["by_kind"].items()),
            ),
            "",
            f"Out-of-scope messages ({oos['n']}): {oos['handed_off']} handed off, {oos['suggested']} got "
            f'"Did you mean" suggestions; answered wrongly instead of a handoff: '
            f"{oos.get('answered_from_handbook', 0)} from the handbook, {oos.get('taken_as_intent', 0)} taken for a "
            "shop intent (a greeting, an order form, ...).",
            "",
            "![routing accuracy](routing.png)",
            "",
        ]
        if routing["misrouted"]:
            out += ["Misrouted:", ""]
            out += table(
                ("message", "expected", "got"),
                (
                    (m["text"], ", ".join(f"{k}: {v}" for k, v in m["expect"].items()), m["got"])
                    for m in routing["misrouted"]
                ),
            )
            out += [""]

    if "kb" in result:
        kb = result["kb"]
        test = kb["test"]
        out += [
            "## FAQ engine on the handbook's held-out paraphrases (`kb eval`, eval/handbook/*_test.jsonl)",
            "",
            f"{kb['entries']} handbook entries; {test['n_queries']} in-scope and {test['n_oos']} out-of-scope queries.",
            "",
            *table(
                (
                    "P@1",
                    "R@3",
                    "MRR@10",
                    "answered",
                    "answered wrongly",
                    "suggested",
                    "handed off",
                    "out-of-scope answered",
                    "out-of-scope suggested",
                ),
                [
                    (
                        f"{test['p_at_1']:.3f}",
                        f"{test['recall_at_3']:.3f}",
                        f"{test['mrr_at_10']:.3f}",
                        pct(test["answered_rate"]),
                        pct(test["wrong_answer_rate"]),
                        pct(test["suggest_rate"]),
                        pct(test["handoff_rate"]),
                        pct(test["oos_answered_rate"]),
                        pct(test["oos_suggest_rate"]),
                    )
                ],
            ),
            "",
            "## Handoff trade-off: answer_threshold sweep",
            "",
            "Each answer_threshold trades answered questions against wrong answers (an in-scope question answered "
            "with the wrong entry, or an out-of-scope question answered at all). The chosen operating point is "
            f"knowledge/kb.yml's answer_threshold **{kb['answer_threshold']:.2f}** (suggest_threshold "
            f"{kb['suggest_threshold']:.2f}). Why, from kb.yml:",
            "",
            f"> {kb['reason']}",
            "",
            "![handoff trade-off](handoff_tradeoff.png)",
            "",
        ]
        chosen = kb["answer_threshold"]
        rows = [row for row in test["sweep"] if abs(row["answer_threshold"] - chosen) <= 0.081]
        out += table(
            ("answer_threshold", "answered", "answered wrongly", "out-of-scope answered", "wrong, % of all"),
            (
                (
                    f"**{r['answer_threshold']:.2f}**"
                    if abs(r["answer_threshold"] - chosen) < 1e-9
                    else f"{r['answer_threshold']:.2f}",
                    pct(r["answered_rate"]),
                    pct(r["wrong_answer_rate"]),
                    pct(r["oos_answered_rate"]),
                    pct(r["wrong_rate_all"]),
                )
                for r in rows
            ),
        )
        out += ["", "(test split, around the chosen threshold; the whole sweep is in eval.json)", ""]
        if test["misses"]:
            out += ["<details><summary>FAQ misses on the test split</summary>", ""]
            out += table(
                ("query", "want", "decision", "best entry", "score"),
                ((m["query"], m["want"], m["action"], m["got"], m["score"]) for m in test["misses"]),
            )
            out += ["", "</details>", ""]
    return "\n".join(out) + "\n"


def write_plots(result: dict[str, Any], out_dir: Path) -> None:
    import eval_plots

    if "cv" in result:
        cv = result["cv"]
        eval_plots.confusion_png(
            cv["confusion"], cv["labels"], f"Cross-validation ({cv['folds']} folds)", out_dir / "cv_confusion.png"
        )
    if "heldout" in result:
        held = result["heldout"]
        eval_plots.confusion_png(
            held["confusion"], held["labels"], "Held-out messages", out_dir / "heldout_confusion.png"
        )
    if "routing" in result:
        eval_plots.accuracy_bars_png(
            result["routing"]["by_kind"], "Routing end to end: share routed as expected", out_dir / "routing.png"
        )
    if "kb" in result:
        kb = result["kb"]
        sweeps = {split: kb[split]["sweep"] for split in ("test", "dev") if split in kb}
        eval_plots.tradeoff_png(sweeps, kb["answer_threshold"], out_dir / "handoff_tradeoff.png")


def write_outputs(result: dict[str, Any], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "eval.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_plots(result, out_dir)
    (out_dir / "report.md").write_text(render_markdown(result), encoding="utf-8")
    log(f"wrote {out_dir / 'report.md'}, {out_dir / 'eval.json'} and the plots")


# --------------------------------------------------------------------------- running


def rasa_version() -> str | None:
    try:
        done = subprocess.run(
            [
                str(RASA_PYTHON),
                "-c",
                "from importlib.metadata import version; print(version('rasa'))",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def run(args: argparse.Namespace) -> dict[str, Any]:
    parts = set(args.parts)
    commit, changed = git_state("config.yml", "data", "knowledge", "actions", "helpdesk", "eval")
    result: dict[str, Any] = {
        "machine": machine_info(
            rasa=rasa_version(), sanic=package_version("sanic"), matplotlib=package_version("matplotlib")
        ),
        "commit": commit,
        "dirty": bool(changed),
        "settings": {"parts": sorted(parts), "folds": args.folds, "quick": args.quick},
    }
    # data files are checked before anything slow starts
    examples = load_nlu_examples(HELDOUT_NLU) if "heldout" in parts else []
    cases = load_routing_cases(ROUTING_CASES) if "routing" in parts else []
    if "kb" in parts:
        result["kb"] = run_kb(with_dev=not args.quick)
    if parts & {"heldout", "routing"}:
        from bench_stack import bench_stack

        with bench_stack(keep=args.keep) as stack:
            if "heldout" in parts:
                rasa_url = f"http://127.0.0.1:{stack.ports.rasa}"
                result["heldout"] = run_heldout(rasa_url, stack.env["RASA_TOKEN"], examples)
            if "routing" in parts:
                result["routing"] = run_routing(stack.url, cases)
    if "cv" in parts:
        with tempfile.TemporaryDirectory(prefix="eval-cv-") as workdir:
            result["cv"] = run_cv(args.folds, Path(workdir))
    result.update(run_end(STARTED))
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--parts",
        type=lambda s: [p for p in s.split(",") if p],
        default=list(PARTS),
        help=f"comma-separated, from {', '.join(PARTS)} (default all)",
    )
    parser.add_argument("--folds", type=int, default=3, help="cross-validation folds (default 3)")
    parser.add_argument("--quick", action="store_true", help="2 folds and no dev-split sweep")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--keep", action="store_true", help="keep the stack's temporary folder (database, logs)")
    parser.add_argument("--from-json", type=Path, help="only rewrite the report and plots from this eval.json")
    args = parser.parse_args(argv)
    if args.from_json:
        write_outputs(json.loads(args.from_json.read_text(encoding="utf-8")), args.out)
        return 0
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts {sorted(unknown)}; choose from {', '.join(PARTS)}")
    if args.quick:
        args.folds = min(args.folds, 2)
    result = run(args)
    write_outputs(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
