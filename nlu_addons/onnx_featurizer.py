"""A Rasa 3.6 dense featurizer: all-MiniLM-L6-v2 through ONNX Runtime, inside the Rasa process.

    pipeline:
      - name: WhitespaceTokenizer
      - name: nlu_addons.onnx_featurizer.OnnxSentenceFeaturizer
        # model_dir: var/onnx/all-MiniLM-L6-v2   (relative paths are from the project root)
        # threads: 1                              (onnxruntime intra-op threads)
      - name: DIETClassifier

Sentence features: the sentence-transformers embedding (mean-pooled, unit length). Sequence features: for each
token of the pipeline's tokenizer, the mean of the contextual word-piece embeddings that overlap it (as
Rasa's LanguageModelFeaturizer does), so they line up with the sparse featurizers' tokens. Not trainable:
the model is the exported ONNX file (`make onnx-model`); embeddings are computed in batches for training
data and kept in a per-text LRU cache.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import ACTION_TEXT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_addons import configured_model_dir
from nlu_addons.onnx_encoder import MAX_LENGTH, Encoded, OnnxEncoder

logger = logging.getLogger(__name__)
LOG_AT = 500  # texts: log how long embedding a batch of training data took


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class OnnxSentenceFeaturizer(DenseFeaturizer, GraphComponent):
    """Dense sentence and sequence features from all-MiniLM-L6-v2 run with ONNX Runtime."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def required_packages() -> list[str]:
        return ["onnxruntime", "tokenizers"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            "model_dir": None,  # None: var/onnx/all-MiniLM-L6-v2 under the project root
            "threads": 1,  # onnxruntime intra-op threads
            "batch_size": 64,  # texts per onnxruntime call when featurizing training data
            "max_length": MAX_LENGTH,  # word pieces; longer texts are truncated
            "cache_size": 20000,  # texts whose embeddings are kept
        }

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        for key in ("threads", "batch_size", "max_length"):
            if not isinstance(config.get(key), int) or config[key] < 1:
                raise InvalidConfigException(f"{cls.__name__}: '{key}' must be a positive integer")
        if not isinstance(config.get("cache_size"), int) or config["cache_size"] < 0:
            raise InvalidConfigException(f"{cls.__name__}: 'cache_size' must be an integer ≥ 0")

    def __init__(self, config: dict[str, Any], execution_context: ExecutionContext) -> None:
        super().__init__(execution_context.node_name, config)
        self._encoder = OnnxEncoder(
            configured_model_dir(config["model_dir"]), threads=config["threads"], max_length=config["max_length"]
        )
        self._cache: OrderedDict[str, Encoded] = OrderedDict()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> OnnxSentenceFeaturizer:
        return cls(config, execution_context)

    def _encode(self, texts: Iterable[str]) -> dict[str, Encoded]:
        """Embeddings for `texts`, computing only the ones not cached, in batches."""
        wanted = list(dict.fromkeys(texts))
        missing = [text for text in wanted if text not in self._cache]
        start = time.monotonic()
        if len(missing) >= LOG_AT:
            logger.info(f"Embedding {len(missing)} texts with all-MiniLM-L6-v2 (ONNX Runtime)…")
        fresh = dict(zip(missing, self._encoder.encode(missing, batch_size=self._config["batch_size"]), strict=True))
        if len(missing) >= LOG_AT:
            logger.info(f"Embedded {len(missing)} texts in {time.monotonic() - start:.1f} s.")
        found: dict[str, Encoded] = {}
        for text in wanted:
            if text in fresh:
                found[text] = fresh[text]
                self._remember(text, fresh[text])
            else:
                self._cache.move_to_end(text)
                found[text] = self._cache[text]
        return found

    def _remember(self, text: str, encoded: Encoded) -> None:
        if self._config["cache_size"] == 0:
            return
        self._cache[text] = encoded
        while len(self._cache) > self._config["cache_size"]:
            self._cache.popitem(last=False)

    def _featurize(self, messages: list[Message], attribute: str) -> None:
        messages = [m for m in messages if m.get(attribute) and m.get(TOKENS_NAMES[attribute])]
        if not messages:
            return
        encoded = self._encode(m.get(attribute) for m in messages)
        for message in messages:
            doc = encoded[message.get(attribute)]
            spans = [(token.start, token.end) for token in message.get(TOKENS_NAMES[attribute])]
            self.add_features_to_message(
                sequence=doc.pooled_onto(spans),
                sentence=doc.sentence.reshape(1, -1),
                attribute=attribute,
                message=message,
            )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            self._featurize(training_data.training_examples, attribute)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        # labels (intents, responses) are featurized at training time and kept by the model
        for attribute in (TEXT, ACTION_TEXT):
            self._featurize(messages, attribute)
        return messages


__all__ = ["OnnxSentenceFeaturizer"]
