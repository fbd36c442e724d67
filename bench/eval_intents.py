"""The intent pipeline on its own: held-out intent sets (English and Chinese) through the running Rasa's
/model/parse, and (on request) Rasa's cross-validation on the training data. Figures per intent and per kind of
message (typo, long, two requests)."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
from eval_sets import KINDS, NluExample, kind_counts

from helpdesk.config import PROJECT_ROOT
from nlu_addons import RASA_PYTHON

FALLBACK = "nlu_fallback"
Log = Callable[[str], None]


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


def run_cv(folds: int, workdir: Path, log: Log) -> dict[str, Any]:
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


def run_heldout(
    rasa_url: str, token: str, examples: Sequence[NluExample], log: Log, name: str = "heldout"
) -> dict[str, Any]:
    log(f"{name}: {len(examples)} messages through Rasa's /model/parse")
    routed_pairs, classifier_pairs, rows = [], [], []
    with httpx.Client(timeout=60) as client:
        for number, example in enumerate(examples, start=1):
            response = client.post(f"{rasa_url}/model/parse", params={"token": token}, json={"text": example.text})
            if response.status_code != 200:
                raise RuntimeError(
                    f"{example.source}: /model/parse answered {response.status_code}: {response.text[:200]}"
                )
            if number % 100 == 0:
                log(f"{name}: {number}/{len(examples)}")
            parsed = response.json()
            routed = (parsed.get("intent") or {}).get("name") or "None"
            ranking = [r for r in parsed.get("intent_ranking") or [] if r.get("name") != FALLBACK]
            best = ranking[0] if ranking else {"name": routed, "confidence": 0.0}
            routed_pairs.append((example.intent, str(routed)))
            classifier_pairs.append((example.intent, str(best["name"])))
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
    log(f"{name}: accuracy {result['accuracy']:.1%} (with the fallback threshold {result['routed_accuracy']:.1%})")
    return result
