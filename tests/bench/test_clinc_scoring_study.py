"""bench/clinc_scoring_study.py: the val-chosen threshold over arbitrary scores, the Mahalanobis distances and
the study's rows on a small synthetic dataset."""

from __future__ import annotations

import numpy as np
from support.bench import load_bench_script


def test_threshold_counts_each_val_and_oos_val_message_once_and_prefers_the_lower() -> None:
    study = load_bench_script("clinc_scoring_study")
    # 6 val messages (5 right: scores 9, 8, 7, 3, 2; one wrong at 6) and 3 oos_val at 1, 2.5 and 7.5
    right = np.array([True, True, True, True, True, False])
    val = np.array([9.0, 8.0, 7.0, 3.0, 2.0, 6.0])
    oos = np.array([1.0, 2.5, 7.5])
    # at 3: 4 val kept + 2 oos rejected = 6; at 2: 5 + 1 = 6 (a tie, 2 is lower); at 8: 2 + 3 = 5
    assert study.choose_threshold(right, val, oos) == 2.0
    # nothing to gain by rejecting: every score is kept (-inf)
    assert study.choose_threshold(np.array([True, True]), np.array([0.5, 0.6]), np.array([0.9])) == -np.inf


def test_operating_point_applies_the_val_threshold_to_test() -> None:
    study = load_bench_script("clinc_scoring_study")
    gold = {"val": np.array([0, 1, 1]), "test": np.array([0, 0, 1, 1])}
    pred = {"val": np.array([0, 1, 0]), "test": np.array([0, 1, 1, 1])}
    score = {
        "val": np.array([0.9, 0.8, 0.2]),
        "oos_val": np.array([0.1, 0.5]),
        "test": np.array([0.95, 0.9, 0.4, 0.85]),
        "oos_test": np.array([0.3, 0.6, 0.9, 0.45]),
    }
    point = study.operating_point(pred, score, gold)
    # val: thresholds 0.2/0.5/0.8 keep both right ones; 0.8 also rejects both oos → 4 of 5, the best
    assert point.threshold == 0.8
    assert (point.val_accuracy, point.val_in_scope, point.val_oos_recall) == (80.0, 66.67, 100.0)
    # test at 0.8: right and kept: 0 (0.95), 3 (0.85); 2 is right but at 0.4 → 2 of 4; oos below 0.8: 3 of 4
    assert (point.test_in_scope, point.test_oos_recall, point.test_no_threshold) == (50.0, 75.0, 75.0)
    assert not point.met


def test_mahalanobis_matches_the_direct_formula() -> None:
    from sklearn.covariance import LedoitWolf

    study = load_bench_script("clinc_scoring_study")
    rng = np.random.default_rng(3)
    labels = np.repeat(np.arange(3), 40)
    emb = rng.normal(size=(120, 5)) + labels[:, None] * 2.0
    queries = rng.normal(size=(7, 5)) * 3
    means = np.stack([emb[labels == k].mean(axis=0) for k in range(3)])
    precision = LedoitWolf().fit(emb - means[labels]).precision_
    expected = np.array([[(q - m) @ precision @ (q - m) for m in means] for q in queries])
    assert np.allclose(study.mahalanobis(emb, labels, 3)(queries), expected, rtol=1e-6, atol=1e-8)


def test_study_scores_every_prediction_and_confidence_pair(tmp_path) -> None:
    study = load_bench_script("clinc_scoring_study")
    rng = np.random.default_rng(0)
    words = ["alpha", "bravo", "charlie"]
    centres = rng.normal(size=(3, 8)) * 4

    def split(count: int, oos: bool = False) -> tuple[np.ndarray, np.ndarray, list[str]]:
        labels = rng.integers(0, 3, count)
        emb = rng.normal(size=(count, 8)) * (6 if oos else 1) + (0 if oos else centres[labels])
        texts = ["zulu yankee" if oos else f"{words[k]} please" for k in labels]
        return labels, emb, texts

    dumps: dict = {"labels": words, "settings": {}, "training_seconds": 1.0}
    gold, texts = {}, {}
    for name, count in (("train", 90), ("val", 30), ("test", 30), ("oos_val", 10), ("oos_test", 10)):
        labels, emb, text = split(count, oos=name.startswith("oos"))
        gold[name], texts[name] = (np.full(count, -1) if name.startswith("oos") else labels), text
        for kind, values in (
            ("emb", emb),
            ("frozen", emb + rng.normal(size=emb.shape) * 0.1),
            ("logits", emb @ centres.T / 4),
        ):
            dumps.setdefault(kind, {})[name] = values
    dumps["gold"], dumps["texts"] = gold, texts
    study.save_dumps(dumps, tmp_path)
    reloaded = study.load_dumps(tmp_path)
    assert np.array_equal(reloaded["logits"]["val"], dumps["logits"]["val"])

    rows = study.study({**reloaded, "gold": gold, "texts": texts}, log=lambda message: None)

    assert len(rows) == 3 * 4  # three predictions × four confidences
    by_pair = {(row["prediction"], row["confidence"]): row for row in rows}
    softmax_row = by_pair[("fine-tuned softmax", study.TOP_PROBABILITY)]
    probabilities = study.softmax(dumps["logits"]["test"])
    assert softmax_row["test_no_threshold"] == round(100 * float(np.mean(probabilities.argmax(1) == gold["test"])), 2)
    for row in rows:
        assert row["met"] == (row["test_in_scope"] > 96.2 and row["test_oos_recall"] > 52.3)
        if row["prediction"] != "fine-tuned softmax":
            assert row["detail"].startswith("weight ") and row["detail"].endswith("chosen on val")
    # far-away out-of-scope points: the Mahalanobis distance rejects them all without losing in-scope messages
    mahalanobis_row = by_pair[("fine-tuned softmax", "− Mahalanobis distance to the nearest class")]
    assert mahalanobis_row["test_oos_recall"] >= 80.0
