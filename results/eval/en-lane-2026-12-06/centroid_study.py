"""Issue 17, lane en, 2026-12-06: does the handbook centroid over the entry's questions AND its training examples, or
a vote of the nearest question/example rows, separate customers' wordings of an entry from out-of-scope questions
better than the scoring in use? DEV rows only (the rows bench/choose_gate.py reads for English), in-process on the
model in models/ (its English side as OnePassNLU loads it), no arbiter: an entry is "answered" when its score clears
a gate. For each variant the gate is chosen on these rows by choose_gate's rule (most right - 2 x (wrong + out of
scope answered)), over answer_from 0.50-0.70, and the clear-margin rule (clear_from 0.46-0.60 with a lead of
0.04-0.14, or off), and for the vote also "answer from vote_from when vote_share of the 10 nearest question/example
rows are the best entry's".

    .venv-rasa/bin/python results/eval/en-lane-2026-12-06/centroid_study.py [MODEL]   # default models/larkspur.tar.gz

Centroid variants: beta = the share of the examples' own centroid in an entry's centroid,
normalize((1 - beta) * unit(sum of the handbook's own rows) + beta * unit(sum of the entry's examples)); beta 0 is
the scoring in use. At inference no leave-out is needed (a dev row is no training example); training the arbiter
with it would need the centroid without the message's fold (nlu_addons.handbook_index.fold_of).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from choose_gate import load_state, read_rows  # noqa: E402

from nlu_addons.onepass_nlu import side_of_state, words_of  # noqa: E402
from nlu_addons.onepass_settings import configured  # noqa: E402

MODEL = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "models/larkspur.tar.gz"
side = side_of_state("en", load_state(MODEL)["en"], configured(), ROOT / "knowledge/faq")
idx = side.index
dev = read_rows(ROOT / "eval/routing/dev.jsonl")
queries = read_rows(ROOT / "eval/handbook/queries_dev.jsonl") + read_rows(
    ROOT / "eval/handbook/paraphrases_styles_dev.jsonl"
)
texts = [words_of(r["query"]) for r in queries] + [words_of(r["text"]) for r in dev if "faq_id" in r["expect"]]
gold = [r["faq_id"] for r in queries] + [r["expect"]["faq_id"] for r in dev if "faq_id" in r["expect"]]
oos = read_rows(ROOT / "eval/handbook/oos_dev.jsonl") + read_rows(ROOT / "eval/handbook/oos_styles_dev.jsonl")
otexts = [words_of(r["query"]) for r in oos]
otexts += [words_of(r["text"]) for r in dev if r["expect"].get("handoff") == "low_confidence"]
groups = json.loads((ROOT / "eval/clusters/paraphrases_dev.json").read_text(encoding="utf-8"))["groups"]
otexts += [t for g in groups for t in g["texts"]]
V, OV = side.encoder.encoder.encode(texts), side.encoder.encoder.encode(otexts)


def unit(a: np.ndarray) -> np.ndarray:
    return a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)


def sums(mask: np.ndarray) -> np.ndarray:
    s = np.zeros((len(idx.ids), idx.vectors.shape[1]), np.float32)
    np.add.at(s, idx._owner[mask], idx.vectors[mask])
    return s


own, examples = sums(idx._fold < 0), sums(idx._fold >= 0)
has_examples = np.linalg.norm(examples, axis=1) > 0


def centroids(beta: float) -> np.ndarray:
    return unit(np.where(has_examples[:, None], (1 - beta) * unit(own) + beta * unit(examples), unit(own)))


def vote(vectors: np.ndarray, best: np.ndarray, k: int = 10) -> np.ndarray:
    sims = vectors @ idx.vectors.T
    sims[:, ~idx._question] = -np.inf
    nearest = np.argpartition(-sims, k, axis=1)[:, :k]
    share: np.ndarray = (idx._owner[nearest] == best[:, None]).mean(axis=1)
    return share


def answered(
    rule: tuple[float, float | None, float, float | None, float], t: np.ndarray, d: np.ndarray, v: np.ndarray
) -> np.ndarray:
    """Which rows clear the gate: ``t`` best scores, ``d`` leads over the second entry, ``v`` vote shares."""
    gate, clear, margin, vote_from, need = rule
    out: np.ndarray = t >= gate
    if clear is not None:
        out |= (t >= clear) & (d >= margin)
    if vote_from is not None:
        out |= (t >= vote_from) & (v >= need)
    return out


def measure(with_vote: bool = False) -> tuple[float, ...]:
    s, so = idx.rank(texts, V), idx.rank(otexts, OV)
    best = s.argmax(1)
    right = np.array([idx.ids[b] == g for b, g in zip(best, gold, strict=True)])
    ranked, oranked = -np.sort(-s, 1), -np.sort(-so, 1)
    top, lead, otop, olead = ranked[:, 0], ranked[:, 0] - ranked[:, 1], oranked[:, 0], oranked[:, 0] - oranked[:, 1]
    share, oshare = vote(V, best), vote(OV, so.argmax(1))
    found = None
    for gate in np.arange(0.50, 0.71, 0.02):
        for clear in [None, *np.arange(0.46, 0.61, 0.02)]:
            for margin in [1.0] if clear is None else np.arange(0.04, 0.15, 0.02):
                for vote_from in [None, *(np.arange(0.40, 0.70, 0.02) if with_vote else [])]:
                    for need in [1.1] if vote_from is None else [0.4, 0.5, 0.6, 0.7, 0.8]:
                        if (clear is not None and clear >= gate) or (vote_from is not None and vote_from >= gate):
                            continue

                        rule = (gate, clear, margin, vote_from, need)
                        a, o = answered(rule, top, lead, share), answered(rule, otop, olead, oshare)
                        r, w, n = int((a & right).sum()), int((a & ~right).sum()), int(o.sum())
                        row = (r - 2 * (w + n), r, w, n, round(gate, 2), clear and round(clear, 2), round(margin, 2),
                               vote_from and round(vote_from, 2), need)  # fmt: skip
                        if found is None or row[:2] > found[:2]:
                            found = row
    assert found is not None
    return (round(float(right.mean()), 3), *found)


print(f"{len(texts)} in-scope handbook dev rows, {len(otexts)} out-of-scope dev rows")
print("| centroid weight | beta | P@1 | score | right | wrong | oos answered | gate | clear from | margin |")
print("|---|---|---|---|---|---|---|---|---|---|")
engine = idx.engine
for weight in (0.45, 0.55, 0.65):
    for beta in (0.0, 0.3, 0.5, 0.7):
        idx.engine = dataclasses.replace(engine, centroid_weight=weight)
        idx.centroids = centroids(beta)
        p1, sc, r, w, n, gate, clear, margin, *_ = measure()
        print(f"| {weight} | {beta} | {p1} | {sc} | {r} | {w} | {n} | {gate} | {clear} | {margin} |", flush=True)
idx.engine, idx.centroids = engine, centroids(0.0)
print("\nvote of the 10 nearest question/example rows (scoring in use):", measure(with_vote=True))
