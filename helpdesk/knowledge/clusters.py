"""Group customer questions by meaning, for the unanswered-questions report.

Average-linkage agglomerative clustering on the cosine similarity of the questions' embeddings (the
same model and query preparation as the FAQ search): two groups merge while the average similarity
between their members is at least ``threshold``. Average linkage keeps a long chain of loosely related
questions from collapsing into one group (single linkage) without splitting a group over one odd
paraphrase (complete linkage).

The threshold was chosen on eval/clusters/paraphrases_dev.json (12 topics the handbook does not
cover, 6 paraphrases each) with ``python -m helpdesk.knowledge.clusters tune`` — the best adjusted
Rand index on small report-like draws (0.325 on the whole set is within 0.015; 0.35 splits rather than
merges) — and checked on the held-out
eval/clusters/paraphrases_test.json (tests/test_unanswered.py). The table is in
``DEFAULT_THRESHOLD``'s comment.

This module needs numpy and scipy only, and only when it clusters; ``tune`` loads the embedding model (the action
server process does the clustering for the helpdesk: POST /kb/cluster). The helpdesk imports it for its limits
alone, and loads neither (tests/test_process_memory.py).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# `tune eval/clusters/paraphrases_dev.json` (ARI: adjusted Rand index against the 12 topics; groups found):
#   threshold  0.300  0.325  0.350  0.375  0.400  0.450  0.500  0.550  0.600
#   ARI        0.511  0.658  0.643  0.612  0.567  0.520  0.555  0.485  0.399
#   groups        11     13     14     16     18     24     30     37     44
# Small reports (300 random draws of 2-6 dev topics x 2-4 paraphrases) agree: mean ARI 0.712 / 0.748 / 0.764 /
# 0.753 / 0.718 / 0.632 / 0.540 at 0.300 / 0.325 / 0.350 / 0.375 / 0.400 / 0.450 / 0.500.
# Held out (paraphrases_test.json) at 0.35: ARI 0.62, 14 groups, 11 of 12 topics with most of their
# paraphrases in one group. What stays merged is topics MiniLM sees as one ("rug stains" and "rug slipping",
# "book a showroom visit" and "hire the showroom"); tried and not better: complete and weighted linkage,
# centring on the handbook's mean question, blending in TF-IDF word or character similarity (ARI within
# ±0.05 on either set); centring on the batch's own mean (0.88 on dev but 0.66 held out, and it pulls a
# single topic's paraphrases apart). POST /kb/cluster on this project's 2-core machine under a load of ~13:
# 50 questions 1.8 s, 200 2.3 s, 500 3.4 s, 2,000 13.6 s (embedding + one handbook search per group).
DEFAULT_THRESHOLD = 0.35
MAX_TEXTS = 2000  # one report clusters at most this many distinct questions (O(n²) distances)


def cluster_vectors(vectors: np.ndarray, threshold: float = DEFAULT_THRESHOLD) -> list[list[int]]:
    """Row indexes grouped, biggest group first; within a group, the most typical member first
    (closest to the group's mean direction)."""
    count = len(vectors)
    if count == 0:
        return []
    if count == 1:
        return [[0]]
    # numpy and SciPy's clustering here, on the first report, not at every helpdesk and action server start (~0.5 s
    # of CPU each, and ~30 MB of the helpdesk's memory: both processes import this module for its limits)
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage

    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    tree = linkage(unit, method="average", metric="cosine")
    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for row, label in enumerate(labels):
        groups.setdefault(int(label), []).append(row)
    ordered = []
    for members in groups.values():
        centre = unit[members].mean(axis=0)
        closeness = unit[members] @ centre
        ordered.append([members[i] for i in np.argsort(-closeness, kind="stable")])
    ordered.sort(key=lambda members: (-len(members), members[0]))
    return ordered


def labels_of(groups: Sequence[Sequence[int]], count: int) -> list[int]:
    labels = [0] * count
    for label, members in enumerate(groups):
        for row in members:
            labels[row] = label
    return labels


def adjusted_rand_index(truth: Sequence[int], found: Sequence[int]) -> float:
    """Agreement of two labellings of the same items, 1.0 = identical partitions, ~0 = chance."""
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(truth, found))


def load_groups(path: Path) -> list[tuple[str, list[str]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(group["topic"], list(group["texts"])) for group in data["groups"]]


def tune(path: Path, thresholds: Sequence[float]) -> list[tuple[float, float, int]]:
    """(threshold, ARI, groups found) for each threshold, embedding the file's texts like the FAQ search."""
    from helpdesk.knowledge.embedder import Embedder
    from helpdesk.knowledge.query import clean_query
    from helpdesk.knowledge.settings import load_settings

    groups = load_groups(path)
    texts = [text for _, members in groups for text in members]
    truth = [label for label, (_, members) in enumerate(groups) for _ in members]
    settings = load_settings()
    embedder = Embedder(settings.model, settings.batch_size, graph=settings.onnx_graph)
    vectors = embedder.encode([clean_query(text) or text for text in texts])
    rows = []
    for threshold in thresholds:
        found = cluster_vectors(vectors, threshold)
        rows.append((threshold, adjusted_rand_index(truth, labels_of(found, len(texts))), len(found)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Choose the clustering threshold on paraphrase groups.")
    sub = parser.add_subparsers(dest="command", required=True)
    tuning = sub.add_parser("tune", help="print the adjusted Rand index per threshold")
    tuning.add_argument("file", type=Path, help='JSON {"groups": [{"topic", "texts": [...]}]}')
    tuning.add_argument("--low", type=float, default=0.25)
    tuning.add_argument("--high", type=float, default=0.75)
    tuning.add_argument("--step", type=float, default=0.025)
    args = parser.parse_args(argv)
    steps = int(round((args.high - args.low) / args.step)) + 1
    rows = tune(args.file, [round(args.low + i * args.step, 4) for i in range(steps)])
    print(f"{'threshold':>9}  {'ARI':>6}  groups")
    for threshold, ari, found in rows:
        print(f"{threshold:>9.3f}  {ari:>6.3f}  {found}")
    best = max(ari for _, ari, _ in rows)
    plateau = [threshold for threshold, ari, _ in rows if ari >= best - 0.01]
    print(json.dumps({"best_ari": round(best, 4), "plateau": [plateau[0], plateau[-1]]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
