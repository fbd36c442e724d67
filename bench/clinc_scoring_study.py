"""CLINC150: out-of-scope scores and ensembles compared on one fine-tuned all-MiniLM-L6-v2, each at the threshold
chosen on val + oos_val. It shows what the in-scope target (> 96.2 and > 52.3 at one val-chosen threshold,
issue 6) takes with the only encoder shipped here, and at what cost.

    .venv-rasa/bin/python bench/clinc_scoring_study.py                 # fine-tune once (~9 min here), then score
    .venv-rasa/bin/python bench/clinc_scoring_study.py --keep var/clinc_study   # also keep the logits/embeddings
    .venv-rasa/bin/python bench/clinc_scoring_study.py --dumps var/clinc_study  # re-score kept dumps only

Runs in the Rasa virtualenv. The model is the project's classifier model (`nlu_addons.minilm_tf`, trained the
way `bench/nlu_benchmarks.py` trains it for clinc150: config.yml's settings of MiniLMIntentClassifier, 4
epochs) on `train`; it keeps each split's logits and mean-pooled embeddings, and the untrained encoder's
embeddings too. Then it scores, on the same model:

- predictions: the fine-tuned softmax (what the Rasa component returns); an average of it with logistic
  regression on the untrained encoder's embeddings (a second encoder pass per message); an average with
  logistic regression on word and character n-gram TF-IDF (cheap). The ensembles' weight is chosen on val.
- confidences (what the threshold applies to): the top softmax probability (the component's confidence), the
  top logit, the energy (log-sum-exp of the logits), and the Mahalanobis distance of the fine-tuned embedding
  to the nearest class mean, with one shared covariance (Lee et al. 2018; Ledoit-Wolf shrinkage).

Each pair gets nlu_benchmarks' threshold rule (the highest accuracy over val + oos_val counted per message,
out-of-scope as one more class; ties: the lower threshold), taken over every distinct score rather than a
0.0025 grid, since the distances are not in [0, 1]. Writes results/clinc_scoring_study.json and .md.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import special

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import nlu_benchmarks  # noqa: E402
from common import git_state, machine_info, package_version  # noqa: E402

SPLITS = ("train", "val", "test", "oos_val", "oos_test")
SCORED = ("val", "test", "oos_val", "oos_test")
ENSEMBLE_WEIGHTS = (0.5, 0.6, 0.7, 0.8, 0.9)  # the fine-tuned model's share
FROZEN_LR_C = 10.0  # inverse regularisation of the logistic regression on the untrained encoder's embeddings
DEFAULT_OUT = PROJECT_ROOT / "results" / "clinc_scoring_study"
TARGET = (96.2, 52.3)
TOP_PROBABILITY = "top probability (softmax, or the ensemble's average)"


# -- the threshold rule -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Point:
    """A threshold chosen on val + oos_val and what it gives."""

    threshold: float
    val_accuracy: float
    val_in_scope: float
    val_oos_recall: float
    test_in_scope: float
    test_oos_recall: float
    test_no_threshold: float

    @property
    def met(self) -> bool:
        return self.test_in_scope > TARGET[0] and self.test_oos_recall > TARGET[1]


def choose_threshold(val_right: np.ndarray, val_score: np.ndarray, oos_val_score: np.ndarray) -> float:
    """The threshold with the most val + oos_val messages right (a val message: predicted right with a score at
    or above it; an oos_val message: score below it); ties go to the lower threshold. -inf: reject nothing."""
    right_scores = np.sort(val_score[val_right])
    oos_scores = np.sort(oos_val_score)
    candidates = np.concatenate([[-np.inf], np.unique(np.concatenate([val_score, oos_val_score]))])
    kept = len(right_scores) - np.searchsorted(right_scores, candidates, side="left")
    rejected = np.searchsorted(oos_scores, candidates, side="left")
    return float(candidates[int(np.argmax(kept + rejected))])  # argmax: the first, i.e. lowest, of the best


def operating_point(pred: dict[str, np.ndarray], score: dict[str, np.ndarray], gold: dict[str, np.ndarray]) -> Point:
    val_right, test_right = pred["val"] == gold["val"], pred["test"] == gold["test"]
    threshold = choose_threshold(val_right, score["val"], score["oos_val"])
    val_in = float(np.mean(val_right & (score["val"] >= threshold)))
    val_oos = float(np.mean(score["oos_val"] < threshold))
    n_val, n_oos = len(score["val"]), len(score["oos_val"])
    return Point(
        threshold=threshold,
        val_accuracy=nlu_benchmarks.pct((val_in * n_val + val_oos * n_oos) / (n_val + n_oos)),
        val_in_scope=nlu_benchmarks.pct(val_in),
        val_oos_recall=nlu_benchmarks.pct(val_oos),
        test_in_scope=nlu_benchmarks.pct(float(np.mean(test_right & (score["test"] >= threshold)))),
        test_oos_recall=nlu_benchmarks.pct(float(np.mean(score["oos_test"] < threshold))),
        test_no_threshold=nlu_benchmarks.pct(float(np.mean(test_right))),
    )


# -- scores -----------------------------------------------------------------------------------------------------
def softmax(logits: np.ndarray) -> np.ndarray:
    """Each row's softmax (scipy's, over the classes)."""
    return special.softmax(logits, axis=1)


def unit(rows: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (sentence-transformers' normalised embeddings)."""
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def mahalanobis(train_emb: np.ndarray, train_y: np.ndarray, classes: int) -> Callable[[np.ndarray], np.ndarray]:
    """Squared Mahalanobis distance of each row to each class mean (rows × classes), one shared covariance."""
    from sklearn.covariance import LedoitWolf

    means = np.stack([train_emb[train_y == label].mean(axis=0) for label in range(classes)])
    precision = LedoitWolf().fit(train_emb - means[train_y]).precision_
    whiten = np.linalg.cholesky(precision)  # precision = W Wᵀ, so d² = |(x − μ) W|²
    centres = means @ whiten
    centre_norms = (centres**2).sum(axis=1)

    def distances(emb: np.ndarray) -> np.ndarray:
        points = emb @ whiten
        return (points**2).sum(axis=1)[:, None] - 2 * points @ centres.T + centre_norms[None, :]

    return distances


def ensemble_member_probabilities(dumps: dict[str, Any], kind: str) -> dict[str, np.ndarray]:
    """Logistic regression on the untrained encoder's embeddings ('frozen') or on n-gram TF-IDF ('tfidf')."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    train_y = dumps["gold"]["train"]
    if kind == "frozen":
        model = LogisticRegression(C=FROZEN_LR_C, max_iter=2000).fit(unit(dumps["frozen"]["train"]), train_y)
        return {split: model.predict_proba(unit(dumps["frozen"][split])) for split in SCORED}
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    texts = dumps["texts"]
    train_x = hstack([words.fit_transform(texts["train"]), chars.fit_transform(texts["train"])]).tocsr()
    model = LogisticRegression(C=20.0, max_iter=3000).fit(train_x, train_y)
    return {
        split: model.predict_proba(hstack([words.transform(texts[split]), chars.transform(texts[split])]).tocsr())
        for split in SCORED
    }


def study(dumps: dict[str, Any], log: Callable[[str], None]) -> list[dict[str, Any]]:
    """Every (prediction, confidence) pair at its val-chosen threshold; ensembles at their val-chosen weight."""
    gold, logits = dumps["gold"], dumps["logits"]
    classes = logits["train"].shape[1]
    probabilities = {split: softmax(logits[split]) for split in SCORED}
    log("Mahalanobis distances")
    distance = mahalanobis(dumps["emb"]["train"], gold["train"], classes)
    confidences = {
        TOP_PROBABILITY: {split: probabilities[split].max(axis=1) for split in SCORED},
        "top logit": {split: logits[split].max(axis=1) for split in SCORED},
        "energy (log-sum-exp of the logits)": {split: special.logsumexp(logits[split], axis=1) for split in SCORED},
        "− Mahalanobis distance to the nearest class": {
            split: -distance(dumps["emb"][split]).min(axis=1) for split in SCORED
        },
    }
    # prediction → (the fine-tuned model's share → probabilities, note); one share: nothing to choose
    predictions: dict[str, tuple[dict[float, dict[str, np.ndarray]], str]] = {
        "fine-tuned softmax": ({1.0: probabilities}, "as the Rasa component"),
    }
    for kind, label in (("frozen", "untrained-encoder embeddings"), ("tfidf", "word + char n-gram TF-IDF")):
        log(f"logistic regression on {label}")
        member = ensemble_member_probabilities(dumps, kind)
        mixes = {
            weight: {split: weight * probabilities[split] + (1 - weight) * member[split] for split in SCORED}
            for weight in ENSEMBLE_WEIGHTS
        }
        predictions[f"fine-tuned + LR on {label}"] = (mixes, "")
    rows = []
    for prediction, (by_weight, note) in predictions.items():
        for confidence, score in confidences.items():
            candidates = []
            for weight, probs in by_weight.items():
                own = {split: probs[split].max(axis=1) for split in SCORED} if confidence == TOP_PROBABILITY else score
                point = operating_point({split: probs[split].argmax(axis=1) for split in SCORED}, own, gold)
                candidates.append((point.val_accuracy, weight, point))
            _, weight, point = max(candidates, key=lambda item: (item[0], item[1]))  # ties: the larger share
            detail = f"weight {weight} chosen on val" if len(by_weight) > 1 else note
            rows.append(
                {
                    "prediction": prediction,
                    "confidence": confidence,
                    "detail": detail,
                    **point.__dict__,
                    "met": point.met,
                }
            )
    return rows


# -- model and dumps --------------------------------------------------------------------------------------------
def fine_tune_and_dump(
    splits: dict[str, list[dict[str, str]]], seed: int | None, log: Callable[[str], None]
) -> dict[str, Any]:
    """Logits and pooled embeddings of every split from the fine-tuned model, and the untrained encoder's."""
    import tensorflow as tf

    from nlu_addons import configured_model_dir
    from nlu_addons.finetuned_classifier import MiniLMIntentClassifier
    from nlu_addons.minilm_tf import MiniLMClassifier, TrainSettings, WordPieces, fine_tune, read_checkpoint

    overrides = nlu_benchmarks.classifier_overrides(
        argparse.Namespace(
            classifier="finetune",
            epochs=None,
            learning_rate=None,
            batch_size=None,
            max_length=None,
            label_smoothing=None,
            threads=None,
        ),
        "clinc150",
    )
    config = {**MiniLMIntentClassifier.get_default_config(), **overrides}
    if seed is not None:
        config["random_seed"] = seed
    settings = TrainSettings(**{key: config[key] for key in TrainSettings.__dataclass_fields__})
    model_dir = configured_model_dir(None)
    shape, weights = read_checkpoint(model_dir)
    pieces = WordPieces.from_file(model_dir / "tokenizer.json", config["max_length"])
    labels = sorted({row["intent"] for row in splits["train"]})
    ids = {split: pieces.ids([row["text"] for row in splits[split]]) for split in SPLITS}
    spec = [tf.TensorSpec([None, None], tf.int32)] * 2

    def run(model: MiniLMClassifier, what: str) -> dict[str, np.ndarray]:
        fn = tf.function(lambda i, m: getattr(model, what)(i, m), input_signature=spec)
        return {split: model.run_batched(fn, ids[split], 128) for split in SPLITS}

    untrained = MiniLMClassifier(shape, weights, labels, dropout=0.0)
    frozen = run(untrained, "encode")
    model = MiniLMClassifier(shape, weights, labels, dropout=settings.dropout)
    index = {label: number for number, label in enumerate(labels)}
    log(f"fine-tuning on {len(splits['train'])} messages: {settings}")
    started = time.monotonic()
    fine_tune(model, ids["train"], np.array([index[row["intent"]] for row in splits["train"]], np.int32), settings)
    seconds = time.monotonic() - started
    return {
        "labels": labels,
        "settings": config,
        "training_seconds": round(seconds, 1),
        "frozen": frozen,
        "emb": run(model, "encode"),
        "logits": run(model, "logits"),
    }


def with_gold(dumps: dict[str, Any], splits: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    index = {label: number for number, label in enumerate(dumps["labels"])}
    dumps["gold"] = {split: np.array([index.get(row["intent"], -1) for row in splits[split]]) for split in SPLITS}
    dumps["texts"] = {split: [row["text"] for row in splits[split]] for split in SPLITS}
    return dumps


def save_dumps(dumps: dict[str, Any], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {f"{kind}.{split}": dumps[kind][split] for kind in ("frozen", "emb", "logits") for split in SPLITS}
    np.savez(folder / "dumps.npz", **arrays)
    meta = {key: dumps[key] for key in ("labels", "settings", "training_seconds")}
    (folder / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def load_dumps(folder: Path) -> dict[str, Any]:
    dumps: dict[str, Any] = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    with np.load(folder / "dumps.npz") as stored:
        for name in stored.files:
            kind, split = name.split(".")
            dumps.setdefault(kind, {})[split] = stored[name]
    return dumps


def fallback_threshold() -> float:
    """config.yml's FallbackClassifier threshold (the bot hands over below it)."""
    pipeline = nlu_benchmarks.project_config()["pipeline"]
    return float(next(c for c in pipeline if c["name"] == "FallbackClassifier")["threshold"])


# -- what the ensemble would do to the bot ----------------------------------------------------------------------
def project_effect(model_archive: Path, weight: float, threshold: float) -> dict[str, Any]:
    """The trained bot's classifier (from Rasa's model archive) on the held-out set, alone and averaged with
    logistic regression on the untrained encoder's embeddings of data/nlu; and the time of one message through
    each encoder."""
    import tarfile

    import tensorflow as tf
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.linear_model import LogisticRegression

    from nlu_addons import configured_model_dir
    from nlu_addons.finetuned_classifier import META_FILE, TOKENIZER_FILE, WEIGHTS_FILE
    from nlu_addons.minilm_tf import BertShape, MiniLMClassifier, WordPieces, read_checkpoint
    from nlu_addons.onnx_encoder import pad

    with tempfile.TemporaryDirectory() as folder, tarfile.open(model_archive) as archive:
        archive.extractall(folder)  # the project's own trained model
        component = next(Path(folder).rglob(WEIGHTS_FILE)).parent
        meta = json.loads((component / META_FILE).read_text(encoding="utf-8"))
        with np.load(component / WEIGHTS_FILE) as stored:
            tuned = MiniLMClassifier(BertShape(**meta["shape"]), dict(stored), meta["labels"], dropout=0.0)
        pieces = WordPieces((component / TOKENIZER_FILE).read_text(encoding="utf-8"), meta["max_length"])
    shape, weights = read_checkpoint(configured_model_dir(None))
    untrained = MiniLMClassifier(shape, weights, meta["labels"], dropout=0.0)
    encode = tf.function(untrained.encode, input_signature=[tf.TensorSpec([None, None], tf.int32)] * 2)
    index = {label: number for number, label in enumerate(meta["labels"])}
    examples = {
        name: load_data(str(PROJECT_ROOT / path)).intent_examples
        for name, path in (("train", "data/nlu"), ("heldout", "eval/intents/heldout.yml"))
    }
    gold = {name: np.array([index[m.get("intent")] for m in rows]) for name, rows in examples.items()}
    ids = {name: pieces.ids([m.get("text") for m in rows]) for name, rows in examples.items()}

    member = LogisticRegression(C=FROZEN_LR_C, max_iter=2000).fit(
        unit(untrained.run_batched(encode, ids["train"])), gold["train"]
    )
    alone = tuned.run_batched(tuned.predict, ids["heldout"])
    averaged = weight * alone + (1 - weight) * member.predict_proba(unit(untrained.run_batched(encode, ids["heldout"])))
    figures: dict[str, Any] = {"heldout_messages": len(gold["heldout"]), "weight": weight, "fallback": threshold}
    for name, probs in (("fine_tuned", alone), ("averaged", averaged)):
        right = probs.argmax(axis=1) == gold["heldout"]
        figures[name] = {
            "accuracy": nlu_benchmarks.pct(float(right.mean())),
            "after_fallback": nlu_benchmarks.pct(float((right & (probs.max(axis=1) >= threshold)).mean())),
        }
    padded, mask = (tf.constant(array) for array in pad(pieces.ids(["where is my order 100234?"]), np.int32))
    for name, fn in (("fine_tuned_ms", tuned.predict), ("untrained_encoder_ms", encode)):
        for _ in range(20):
            fn(padded, mask)
        started = time.perf_counter()
        for _ in range(200):
            fn(padded, mask).numpy()
        figures[name] = round((time.perf_counter() - started) / 200 * 1000, 2)
    return figures


# -- report -----------------------------------------------------------------------------------------------------
def markdown(report: dict[str, Any]) -> str:
    machine = report["machine"]
    shown = {key: report["settings"][key] for key in ("epochs", "learning_rate", "label_smoothing", "random_seed")}
    lines = [
        "# CLINC150: out-of-scope scores compared on one fine-tuned all-MiniLM-L6-v2",
        "",
        f"Machine: {machine['cpu_model']}, {machine['cores']} cores, {machine.get('ram_gb')} GB RAM, "
        f"Python {machine.get('python')}, tensorflow {machine.get('tensorflow')}, scikit-learn "
        f"{machine.get('scikit-learn')}. Produced by `bench/clinc_scoring_study.py` ({report['date']}, commit "
        f"{report['git'].get('commit', '?')}).",
        "",
        f"Model: MiniLMIntentClassifier's model fine-tuned on CLINC150 train with `{json.dumps(shown)}`, "
        f"{report['training_seconds'] / 60:.1f} min of fine-tuning. Threshold rule: {nlu_benchmarks.THRESHOLD_RULE}, "
        "over every distinct score. Target: > 96.2 in-scope and > 52.3 out-of-scope recall on test (BERT, "
        "Larson et al. 2019).",
        "",
        "| prediction | confidence | test in-scope | oos_test recall | met | val in-scope / oos recall | "
        "test in-scope, no threshold | |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in report["rows"]:
        lines.append(
            f"| {row['prediction']} | {row['confidence']} | {row['test_in_scope']} | "
            f"{row['test_oos_recall']} | {'yes' if row['met'] else 'no'} | {row['val_in_scope']} / "
            f"{row['val_oos_recall']} | {row['test_no_threshold']} | {row['detail']} |"
        )
    project = report.get("project")
    if project:
        alone, averaged = project["fine_tuned"], project["averaged"]
        lines += [
            "",
            f"What averaging with logistic regression on the untrained encoder (weight {project['weight']}) does "
            f"to the bot: its trained classifier on the {project['heldout_messages']} held-out messages "
            f"(eval/intents/heldout.yml) is right on {alone['accuracy']} % alone and {averaged['accuracy']} % "
            f"averaged; above config.yml's fallback threshold {project['fallback']}: {alone['after_fallback']} % "
            f"and {averaged['after_fallback']} %. One message takes {project['fine_tuned_ms']} ms through the "
            f"fine-tuned classifier and {project['untrained_encoder_ms']} ms more through the untrained encoder.",
        ]
    for note in report.get("notes", []):
        lines += ["", note]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=nlu_benchmarks.DEFAULT_DATA)
    parser.add_argument("--dumps", type=Path, help="score the logits/embeddings kept by an earlier --keep run")
    parser.add_argument("--keep", type=Path, help="keep the logits/embeddings in this folder")
    parser.add_argument("--seed", type=int, help="fine-tuning seed (default: config.yml's, else the component's)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="path without extension")
    parser.add_argument(
        "--model",
        type=Path,
        default=PROJECT_ROOT / "models" / "larkspur.tar.gz",
        help="the bot's trained model, for what the ensemble would do to it ('' to skip)",
    )
    parser.add_argument("--note", action="append", default=[], help="a line for the report's notes")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")  # fine-tuning
    log = nlu_benchmarks.log
    splits = nlu_benchmarks.load_dataset("clinc150", args.data, quick=0)
    if args.dumps:
        dumps = load_dumps(args.dumps)
    else:
        dumps = fine_tune_and_dump(splits, args.seed, log)
        save_dumps(dumps, args.keep or Path(tempfile.mkdtemp(prefix="clinc_study_")))
    rows = study(with_gold(dumps, splits), log)
    project = None
    if args.model and args.model.is_file():
        log(f"the bot's classifier ({args.model}) on the held-out set, alone and averaged")
        project = project_effect(args.model, weight=0.5, threshold=fallback_threshold())
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine_info(
            tensorflow=package_version("tensorflow"), **{"scikit-learn": package_version("scikit-learn")}
        ),
        "git": dict(zip(("commit", "changed"), git_state(), strict=True)),
        "settings": dumps["settings"],
        "training_seconds": dumps["training_seconds"],
        "rows": rows,
        "project": project,
        "notes": args.note,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    args.out.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    for row in rows:
        log(
            f"{row['prediction']:45s} {row['confidence']:45s} {row['test_in_scope']:6.2f} / "
            f"{row['test_oos_recall']:5.1f} {'met' if row['met'] else ''}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
