"""A Rasa 3.6 intent classifier that fine-tunes all-MiniLM-L6-v2 end to end (TensorFlow, inside the Rasa process).

    pipeline:
      - name: WhitespaceTokenizer
      - name: nlu_addons.finetuned_classifier.MiniLMIntentClassifier
        # model_dir: var/onnx/all-MiniLM-L6-v2   (the starting weights; relative paths are from the project root)
        # epochs: 4
        # learning_rate: 5.0e-5                  (the encoder's peak; linear warm-up over 10 %, then linear decay)
        # head_learning_rate: 1.0e-3             (the new softmax head's peak)
        # batch_size: 32
        # max_length: 64                          (word pieces; longer messages are truncated)
        # label_smoothing: 0.1                   (also spreads the confidences: out-of-scope messages score lower)
        # dropout: 0.1
        # weight_decay: 0.01                      (AdamW; not on biases and LayerNorm)
        # train_word_embeddings: true
        # random_seed: 42
        # threads: 0                              (TensorFlow intra-op threads; 0 leaves TensorFlow's default)
        # ranking_length: 10                      (intents in intent_ranking; 0: all)

Training starts from the shipped weights (`model.safetensors`, `config.json`, `tokenizer.json`, copied into
`var/onnx/all-MiniLM-L6-v2` by `make onnx-model`) and fine-tunes the whole encoder (BERT, 6 layers, mean
pooling; `minilm_tf`) with a softmax head on the training examples' intents: cross-entropy, AdamW, batches of
similar length padded to their longest message, progress logged every 30 s. The component needs no
featurizer: it tokenizes the message text itself (the pipeline's tokenizer is only there because Rasa wants
one). The trained model keeps its own weights (`.npz`), intents, settings and tokenizer in Rasa's model
storage, so a trained model no longer needs `model_dir`. Prediction sets `intent` and `intent_ranking`
(top `ranking_length`) like Rasa's classifiers; it runs through one `tf.function` traced once at load.

    .venv-rasa/bin/python -m nlu_addons.minilm_tf --check [MODEL_DIR]

checks that the TensorFlow encoder reproduces the ONNX encoder's embeddings (cosine ≥ 0.9999).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from typing import TYPE_CHECKING, Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_addons import configured_model_dir

if TYPE_CHECKING:  # imported where used: loading minilm_tf imports TensorFlow
    from nlu_addons.minilm_tf import BertShape, MiniLMClassifier, TrainSettings, WordPieces

logger = logging.getLogger(__name__)

WEIGHTS_FILE = "weights.npz"
META_FILE = "classifier.json"
TOKENIZER_FILE = "tokenizer.json"
PREDICT_BATCH = 64
POSITIVE_INTS = ("epochs", "batch_size", "max_length")
FRACTIONS = ("label_smoothing", "dropout", "warmup_fraction", "weight_decay")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class MiniLMIntentClassifier(IntentClassifier, GraphComponent):
    """Intent classification by fine-tuning all-MiniLM-L6-v2 with a softmax head (TensorFlow)."""

    @classmethod
    def required_components(cls) -> list[type]:
        return []

    @staticmethod
    def required_packages() -> list[str]:
        return ["tensorflow", "tokenizers", "safetensors"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "model_dir": None,  # None: var/onnx/all-MiniLM-L6-v2 under the project root
            "epochs": 4,
            "learning_rate": 5e-5,
            "head_learning_rate": 1e-3,
            "batch_size": 32,
            "max_length": 64,
            "warmup_fraction": 0.1,
            "weight_decay": 0.01,
            "label_smoothing": 0.1,
            "dropout": 0.1,
            "train_word_embeddings": True,
            "random_seed": 42,
            "threads": 0,
            "ranking_length": LABEL_RANKING_LENGTH,
        }

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        for key in POSITIVE_INTS:
            if not isinstance(config.get(key), int) or isinstance(config[key], bool) or config[key] < 1:
                raise InvalidConfigException(f"{cls.__name__}: '{key}' must be a positive integer")
        for key in ("learning_rate", "head_learning_rate"):
            if not isinstance(config.get(key), (int, float)) or config[key] <= 0:
                raise InvalidConfigException(f"{cls.__name__}: '{key}' must be a positive number")
        for key in FRACTIONS:
            if not isinstance(config.get(key), (int, float)) or not 0 <= config[key] < 1:
                raise InvalidConfigException(f"{cls.__name__}: '{key}' must be a number in [0, 1)")
        for key in ("threads", "ranking_length"):
            if not isinstance(config.get(key), int) or config[key] < 0:
                raise InvalidConfigException(f"{cls.__name__}: '{key}' must be an integer ≥ 0")

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self._config = {**self.get_default_config(), **config}
        self.validate_config(self._config)
        self._model_storage = model_storage
        self._resource = resource
        self._model: MiniLMClassifier | None = None  # once trained or loaded
        self._pieces: WordPieces | None = None
        _set_threads(self._config["threads"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MiniLMIntentClassifier:
        return cls(config, model_storage, resource)

    # -- training ---------------------------------------------------------------------------------------------
    def _settings(self) -> TrainSettings:
        from nlu_addons.minilm_tf import TrainSettings

        fields = {field.name for field in dataclasses.fields(TrainSettings)}
        return TrainSettings(**{key: value for key, value in self._config.items() if key in fields})

    def train(self, training_data: TrainingData) -> Resource:
        from nlu_addons.minilm_tf import MiniLMClassifier, WordPieces, fine_tune, read_checkpoint

        examples = [m for m in training_data.intent_examples if m.get(INTENT) and m.get(TEXT)]
        labels = sorted({str(m.get(INTENT)) for m in examples})
        if len(labels) < 2:
            logger.warning(f"{type(self).__name__}: needs at least two intents with examples; not trained")
            return self._resource
        model_dir = configured_model_dir(self._config["model_dir"])
        shape, weights = read_checkpoint(model_dir)
        settings = self._settings()
        self._pieces = pieces = WordPieces.from_file(model_dir / TOKENIZER_FILE, self._config["max_length"])
        self._model = model = MiniLMClassifier(
            shape, weights, labels, dropout=settings.dropout, train_word_embeddings=settings.train_word_embeddings
        )
        index = {label: number for number, label in enumerate(labels)}
        targets = np.array([index[str(m.get(INTENT))] for m in examples], dtype=np.int32)
        history = fine_tune(model, pieces.ids([m.get(TEXT) for m in examples]), targets, settings)
        self._persist(model, pieces, shape, history)
        return self._resource

    def _persist(
        self, model: MiniLMClassifier, pieces: WordPieces, shape: BertShape, history: list[dict[str, float]]
    ) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            # mypy checks **weights against savez's `allow_pickle: bool` too (each name is a weight's, never that)
            np.savez(directory / WEIGHTS_FILE, **model.weights())  # type: ignore[arg-type]
            (directory / TOKENIZER_FILE).write_text(pieces.json, encoding="utf-8")
            meta = {
                "labels": model.labels,
                "shape": dataclasses.asdict(shape),
                "max_length": self._config["max_length"],
                "history": history,
            }
            (directory / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")

    # -- loading and prediction -------------------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> MiniLMIntentClassifier:
        from nlu_addons.minilm_tf import BertShape, MiniLMClassifier, WordPieces

        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
                with np.load(directory / WEIGHTS_FILE) as stored:
                    weights = {name: stored[name] for name in stored.files}
                component._pieces = WordPieces(
                    (directory / TOKENIZER_FILE).read_text(encoding="utf-8"), meta["max_length"]
                )
        except (ValueError, FileNotFoundError):
            logger.debug(f"{cls.__name__}: nothing trained in resource '{resource.name}'; it predicts no intent")
            return component
        component._model = MiniLMClassifier(BertShape(**meta["shape"]), weights, meta["labels"], dropout=0.0)
        component.predict_probabilities(["hello"])  # traces the tf.function now rather than on the first message
        return component

    def predict_probabilities(self, texts: list[str]) -> np.ndarray:
        """Softmax over the intents (rows follow `texts`), once trained or loaded."""
        if self._model is None or self._pieces is None:
            raise RuntimeError(f"{type(self).__name__}: predicting before it was trained or loaded")
        return self._model.run_batched(self._model.predict, self._pieces.ids(texts), PREDICT_BATCH)

    def process(self, messages: list[Message]) -> list[Message]:
        todo = [message for message in messages if message.get(TEXT)]
        if self._model is None or not todo:
            return messages
        probabilities = self.predict_probabilities([message.get(TEXT) for message in todo])
        labels = self._model.labels
        for message, row in zip(todo, probabilities, strict=True):
            order = np.argsort(-row, kind="stable")[: self._config["ranking_length"] or None]
            ranking = [{INTENT_NAME_KEY: labels[i], PREDICTED_CONFIDENCE_KEY: float(row[i])} for i in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


def _set_threads(threads: int) -> None:
    """TensorFlow's intra-op threads (inter-op: 1); only possible before TensorFlow has run anything."""
    if threads < 1:
        return
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:
        logger.debug("TensorFlow is already initialised; its thread settings stay as they are")


__all__ = ["MiniLMIntentClassifier"]
