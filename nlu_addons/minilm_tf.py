"""all-MiniLM-L6-v2 as a small TensorFlow model that can be fine-tuned: a BERT encoder, mean pooling and a softmax head.

No Rasa and no torch here (the Rasa component `finetuned_classifier` wraps it). The encoder is written out
(embeddings word + position + token type and LayerNorm; per layer self-attention, add & LayerNorm, GELU
feed-forward, add & LayerNorm; eps from config.json) and its variables carry the Hugging Face names and
shapes, so the shipped `model.safetensors` loads by name (`safetensors.numpy`) and a fine-tuned model is saved
as one `.npz` of the same names. Texts are tokenized with the model's `tokenizer.json` (HF `tokenizers`).

    .venv-rasa/bin/python -m nlu_addons.minilm_tf --check [var/onnx/all-MiniLM-L6-v2]

compares this encoder's mean-pooled embeddings with the ONNX encoder's (`onnx_encoder`) on a few sentences.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf

from nlu_addons.onnx_encoder import pad

logger = logging.getLogger(__name__)

HEAD_WEIGHT = "head.weight"
HEAD_BIAS = "head.bias"
NO_DECAY = ("LayerNorm", "bias")  # variable-name parts AdamW does not decay
LOG_EVERY_S = 30.0  # seconds between progress lines while training


@dataclass(frozen=True)
class BertShape:
    """The architecture fields of a BERT config.json that the forward pass needs."""

    hidden_size: int = 384
    num_hidden_layers: int = 6
    num_attention_heads: int = 12
    intermediate_size: int = 1536
    vocab_size: int = 30522
    max_position_embeddings: int = 512
    type_vocab_size: int = 2
    layer_norm_eps: float = 1e-12

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BertShape:
        return cls(**{key: data[key] for key in asdict(cls()) if key in data})


@dataclass(frozen=True)
class TrainSettings:
    """How the classifier is fine-tuned (the Rasa component's config holds the same keys)."""

    epochs: int = 4
    learning_rate: float = 5e-5
    head_learning_rate: float = 1e-3  # the freshly initialised head learns faster than the encoder
    batch_size: int = 32
    warmup_fraction: float = 0.1
    weight_decay: float = 0.01
    label_smoothing: float = 0.1
    dropout: float = 0.1
    random_seed: int = 42
    train_word_embeddings: bool = True


def read_checkpoint(model_dir: Path) -> tuple[BertShape, dict[str, np.ndarray]]:
    """The shipped weights (model.safetensors) and architecture (config.json) of a model folder."""
    from safetensors.numpy import load_file

    for name in ("model.safetensors", "config.json", "tokenizer.json"):
        if not (model_dir / name).is_file():
            raise FileNotFoundError(
                f"{model_dir / name} is missing: run `make onnx-model` (.venv/bin/python -m nlu_addons.export_onnx)"
            )
    shape = BertShape.from_json(json.loads((model_dir / "config.json").read_text()))
    stored = load_file(str(model_dir / "model.safetensors"))
    weights = {key.removeprefix("bert."): value for key, value in stored.items()}
    # the pooler (a [CLS] projection) is not used by mean pooling; position_ids is a buffer, not a weight
    return shape, {
        key: value
        for key, value in weights.items()
        if not key.startswith("pooler.") and not key.endswith("position_ids")
    }


class WordPieces:
    """The model's tokenizer: word-piece ids with [CLS] and [SEP], truncated to `max_length`."""

    def __init__(self, tokenizer_json: str, max_length: int) -> None:
        from tokenizers import Tokenizer

        self.json = tokenizer_json
        self.max_length = max_length
        self.tokenizer = Tokenizer.from_str(tokenizer_json)
        self.tokenizer.enable_truncation(max_length=max_length)
        self.tokenizer.no_padding()

    @classmethod
    def from_file(cls, path: Path, max_length: int) -> WordPieces:
        return cls(path.read_text(encoding="utf-8"), max_length)

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        return [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]


def length_batches(lengths: Sequence[int], batch_size: int, rng: np.random.Generator | None) -> list[np.ndarray]:
    """Batches of indices of similar length: shuffled within pools of 50 batches, batches in random order
    (in length order without `rng`, for inference)."""
    order = np.argsort(np.asarray(lengths), kind="stable")
    if rng is None:
        return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]
    order = rng.permutation(len(lengths))
    pool = batch_size * 50
    batches: list[np.ndarray] = []
    for start in range(0, len(order), pool):
        chunk = order[start : start + pool]
        chunk = chunk[np.argsort(np.asarray(lengths)[chunk], kind="stable")]
        batches.extend(chunk[begin : begin + batch_size] for begin in range(0, len(chunk), batch_size))
    return [batches[index] for index in rng.permutation(len(batches))]


class MiniLMClassifier(tf.Module):
    """BERT encoder + mean pooling + a linear softmax head; variables named as in the HF checkpoint."""

    def __init__(
        self,
        shape: BertShape,
        weights: dict[str, np.ndarray],
        labels: Sequence[str],
        dropout: float = 0.1,
        train_word_embeddings: bool = True,
    ) -> None:
        super().__init__(name="minilm_classifier")
        self.shape = shape
        self.labels = list(labels)
        self.dropout = dropout
        if HEAD_WEIGHT not in weights:
            rng = np.random.default_rng(0)
            weights = {
                **weights,
                HEAD_WEIGHT: rng.normal(0, 0.02, (len(self.labels), shape.hidden_size)).astype(np.float32),
                HEAD_BIAS: np.zeros(len(self.labels), dtype=np.float32),
            }
        frozen = set() if train_word_embeddings else {"embeddings.word_embeddings.weight"}
        self.params = {
            name: tf.Variable(np.asarray(value, dtype=np.float32), name=name, trainable=name not in frozen)
            for name, value in sorted(weights.items())
        }
        missing = [name for name in self._expected_names() if name not in self.params]
        if missing:
            raise ValueError(f"checkpoint lacks {len(missing)} weights, e.g. {missing[:3]}")
        if self.params[HEAD_WEIGHT].shape[0] != len(self.labels):
            raise ValueError(f"head has {self.params[HEAD_WEIGHT].shape[0]} rows for {len(self.labels)} labels")
        self.predict = tf.function(self._predict, input_signature=[tf.TensorSpec([None, None], tf.int32)] * 2)
        self.embed = tf.function(self._embed, input_signature=[tf.TensorSpec([None, None], tf.int32)] * 2)

    def _expected_names(self) -> list[str]:
        parts = (
            "word_embeddings.weight",
            "position_embeddings.weight",
            "token_type_embeddings.weight",
            "LayerNorm.weight",
            "LayerNorm.bias",
        )
        names = [f"embeddings.{part}" for part in parts]
        for layer in range(self.shape.num_hidden_layers):
            for part in (
                "attention.self.query",
                "attention.self.key",
                "attention.self.value",
                "attention.output.dense",
                "attention.output.LayerNorm",
                "intermediate.dense",
                "output.dense",
                "output.LayerNorm",
            ):
                names += [f"encoder.layer.{layer}.{part}.weight", f"encoder.layer.{layer}.{part}.bias"]
        return names

    # -- the forward pass -------------------------------------------------------------------------------------
    def _norm(self, x: tf.Tensor, name: str) -> tf.Tensor:
        mean, variance = tf.nn.moments(x, axes=[-1], keepdims=True)
        scaled = (x - mean) * tf.math.rsqrt(variance + self.shape.layer_norm_eps)
        return scaled * self.params[f"{name}.weight"] + self.params[f"{name}.bias"]

    def _dense(self, x: tf.Tensor, name: str) -> tf.Tensor:
        """x (n, in) · W(out, in)ᵀ + b, W kept in the checkpoint's orientation."""
        return tf.matmul(x, self.params[f"{name}.weight"], transpose_b=True) + self.params[f"{name}.bias"]

    def _drop(self, x: tf.Tensor, training: bool) -> tf.Tensor:
        return tf.nn.dropout(x, rate=self.dropout) if training and self.dropout > 0 else x

    def _layer(
        self, x: tf.Tensor, bias: tf.Tensor, batch: tf.Tensor, width: tf.Tensor, index: int, training: bool
    ) -> tf.Tensor:
        """One transformer layer on x (batch·width, hidden)."""
        name = f"encoder.layer.{index}"
        heads = self.shape.num_attention_heads
        size = self.shape.hidden_size // heads

        def split(t: tf.Tensor) -> tf.Tensor:
            return tf.transpose(tf.reshape(t, [batch, width, heads, size]), [0, 2, 1, 3])

        query = split(self._dense(x, f"{name}.attention.self.query"))
        key = split(self._dense(x, f"{name}.attention.self.key"))
        value = split(self._dense(x, f"{name}.attention.self.value"))
        scores = tf.matmul(query, key, transpose_b=True) * (1.0 / math.sqrt(size)) + bias
        probs = self._drop(tf.nn.softmax(scores, axis=-1), training)
        context = tf.reshape(tf.transpose(tf.matmul(probs, value), [0, 2, 1, 3]), [-1, self.shape.hidden_size])
        attended = self._drop(self._dense(context, f"{name}.attention.output.dense"), training)
        x = self._norm(attended + x, f"{name}.attention.output.LayerNorm")
        inner = tf.nn.gelu(self._dense(x, f"{name}.intermediate.dense"), approximate=False)
        out = self._drop(self._dense(inner, f"{name}.output.dense"), training)
        return self._norm(out + x, f"{name}.output.LayerNorm")

    def encode(self, ids: tf.Tensor, mask: tf.Tensor, training: bool = False) -> tf.Tensor:
        """Mean-pooled sentence embeddings (batch, hidden), not normalised."""
        batch, width = tf.shape(ids)[0], tf.shape(ids)[1]
        x = (
            tf.gather(self.params["embeddings.word_embeddings.weight"], ids)
            + self.params["embeddings.position_embeddings.weight"][None, :width]
            + self.params["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._drop(self._norm(x, "embeddings.LayerNorm"), training)
        x = tf.reshape(x, [-1, self.shape.hidden_size])
        weights = tf.cast(mask, tf.float32)
        bias = ((1.0 - weights) * -1e9)[:, None, None, :]
        for index in range(self.shape.num_hidden_layers):
            x = self._layer(x, bias, batch, width, index, training)
        hidden = tf.reshape(x, [batch, width, self.shape.hidden_size])
        total = tf.reduce_sum(hidden * weights[..., None], axis=1)
        return total / tf.maximum(tf.reduce_sum(weights, axis=1, keepdims=True), 1e-9)

    def logits(self, ids: tf.Tensor, mask: tf.Tensor, training: bool = False) -> tf.Tensor:
        pooled = self._drop(self.encode(ids, mask, training), training)
        return self._dense(pooled, "head")

    def _predict(self, ids: tf.Tensor, mask: tf.Tensor) -> tf.Tensor:
        return tf.nn.softmax(self.logits(ids, mask), axis=-1)

    def _embed(self, ids: tf.Tensor, mask: tf.Tensor) -> tf.Tensor:
        return tf.math.l2_normalize(self.encode(ids, mask), axis=-1)

    # -- helpers ----------------------------------------------------------------------------------------------
    def weights(self) -> dict[str, np.ndarray]:
        return {name: variable.numpy() for name, variable in self.params.items()}

    def run_batched(
        self, fn: Callable[[tf.Tensor, tf.Tensor], tf.Tensor], ids: Sequence[Sequence[int]], batch_size: int = 64
    ) -> np.ndarray:
        """fn over all rows of `ids`, batched by length, in the original order."""
        out: np.ndarray | None = None
        for batch in length_batches([len(row) for row in ids], batch_size, None):
            padded, mask = pad([ids[index] for index in batch], np.int32)
            values = fn(tf.constant(padded), tf.constant(mask)).numpy()
            if out is None:
                out = np.zeros((len(ids), values.shape[1]), dtype=np.float32)
            out[batch] = values
        return out if out is not None else np.zeros((0, 0), dtype=np.float32)


class WarmupLinearDecay(tf.keras.optimizers.schedules.LearningRateSchedule):
    """Linear warm-up from 0 to `peak` over `warmup` steps, then linear decay to 0 at `total`."""

    def __init__(self, peak: float, warmup: int, total: int) -> None:
        super().__init__()
        self.peak, self.warmup, self.total = peak, max(1, warmup), max(2, total)

    def __call__(self, step: tf.Tensor) -> tf.Tensor:
        step = tf.cast(step, tf.float32)
        rising = step / self.warmup
        falling = (self.total - step) / max(1, self.total - self.warmup)
        return self.peak * tf.maximum(0.0, tf.minimum(rising, falling))

    def get_config(self) -> dict[str, Any]:
        return {"peak": self.peak, "warmup": self.warmup, "total": self.total}


def _optimizer(
    settings: TrainSettings, learning_rate: float, steps: int, variables: list[tf.Variable]
) -> tf.keras.optimizers.Optimizer:
    schedule = WarmupLinearDecay(learning_rate, int(settings.warmup_fraction * steps), steps)
    optimizer = tf.keras.optimizers.AdamW(
        learning_rate=schedule, weight_decay=settings.weight_decay, epsilon=1e-6, global_clipnorm=1.0
    )
    optimizer.exclude_from_weight_decay(var_names=list(NO_DECAY))
    optimizer.build(variables)
    return optimizer


def fine_tune(
    model: MiniLMClassifier, ids: Sequence[Sequence[int]], labels: np.ndarray, settings: TrainSettings
) -> list[dict[str, float]]:
    """Fine-tunes encoder and head end to end (cross-entropy, AdamW, warm-up + linear decay); logs progress.

    Returns one record per epoch (mean loss, training accuracy, seconds)."""
    tf.random.set_seed(settings.random_seed)
    rng = np.random.default_rng(settings.random_seed)
    lengths = [len(row) for row in ids]
    steps_per_epoch = len(length_batches(lengths, settings.batch_size, rng))
    total = steps_per_epoch * settings.epochs
    head = [model.params[HEAD_WEIGHT], model.params[HEAD_BIAS]]
    body = [v for v in model.trainable_variables if not any(v is h for h in head)]
    body_optimizer = _optimizer(settings, settings.learning_rate, total, body)
    head_optimizer = _optimizer(settings, settings.head_learning_rate, total, head)
    classes = len(model.labels)

    def train_step(batch_ids: tf.Tensor, mask: tf.Tensor, targets: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        with tf.GradientTape() as tape:
            logits = model.logits(batch_ids, mask, training=True)
            loss = tf.reduce_mean(
                tf.keras.losses.categorical_crossentropy(
                    tf.one_hot(targets, classes), logits, from_logits=True, label_smoothing=settings.label_smoothing
                )
            )
        gradients = tape.gradient(loss, body + head)
        # autograph's zip takes no strict=; the lengths match by construction
        body_optimizer.apply_gradients(zip(gradients[: len(body)], body))  # noqa: B905
        head_optimizer.apply_gradients(zip(gradients[len(body) :], head))  # noqa: B905
        correct = tf.reduce_sum(tf.cast(tf.equal(tf.argmax(logits, axis=-1, output_type=tf.int32), targets), tf.int32))
        return loss, correct

    step = tf.function(
        train_step, input_signature=[tf.TensorSpec([None, None], tf.int32)] * 2 + [tf.TensorSpec([None], tf.int32)]
    )

    logger.info(
        f"Fine-tuning all-MiniLM-L6-v2 on {len(ids)} examples, {classes} intents: {settings.epochs} epochs "
        f"of {steps_per_epoch} steps (batch {settings.batch_size}, lr {settings.learning_rate})."
    )
    history: list[dict[str, float]] = []
    start = last_log = time.monotonic()
    for epoch in range(1, settings.epochs + 1):
        epoch_start, losses, correct = time.monotonic(), [], 0
        batches = length_batches(lengths, settings.batch_size, rng)
        for number, batch in enumerate(batches, 1):
            padded, mask = pad([ids[index] for index in batch], np.int32)
            loss, hits = step(tf.constant(padded), tf.constant(mask), tf.constant(labels[batch], dtype=tf.int32))
            losses.append(float(loss))
            correct += int(hits)
            if time.monotonic() - last_log >= LOG_EVERY_S:
                last_log = time.monotonic()
                logger.info(
                    f"Fine-tuning epoch {epoch}/{settings.epochs} step {number}/{len(batches)} "
                    f"loss {np.mean(losses[-50:]):.4f} ({last_log - start:.0f} s)"
                )
        history.append(
            {
                "epoch": epoch,
                "loss": round(float(np.mean(losses)), 4),
                "train_accuracy": round(correct / len(ids), 4),
                "seconds": round(time.monotonic() - epoch_start, 1),
            }
        )
        logger.info(
            f"Fine-tuning epoch {epoch}/{settings.epochs} done: loss {history[-1]['loss']}, train accuracy "
            f"{history[-1]['train_accuracy']} ({time.monotonic() - start:.0f} s)"
        )
    return history


CHECK_SENTENCES = [
    "Where is my order 100234?",
    "hello",
    "Can I pay with PayPal or only by credit card, please?",
    "hi, so I ordered a sofa and two chairs last month (order 100212) and one chair has a scratch on the left leg, "
    "can I send back just that chair and how long until my money is back on my Visa card? thanks",
]


def check_against_onnx(model_dir: Path, minimum_cosine: float = 0.9999) -> str:
    """Cosine between this encoder's and the ONNX encoder's pooled embeddings on CHECK_SENTENCES (and the
    export's sentence-transformers reference when present); raises SystemExit below `minimum_cosine`."""
    from nlu_addons.onnx_encoder import OnnxEncoder

    shape, weights = read_checkpoint(model_dir)
    model = MiniLMClassifier(shape, weights, labels=["_"], dropout=0.0)
    pieces = WordPieces.from_file(model_dir / "tokenizer.json", max_length=256)
    ours = model.run_batched(model.embed, pieces.ids(CHECK_SENTENCES))
    onnx = np.stack([e.sentence for e in OnnxEncoder(model_dir).encode(CHECK_SENTENCES)])
    cosines = {"onnx": float((ours * onnx).sum(axis=1).min())}
    reference_file = model_dir / "reference.json"
    if reference_file.is_file():
        reference = json.loads(reference_file.read_text())
        theirs = np.asarray(reference["embeddings"], dtype=np.float32)
        cosines["sentence-transformers"] = float(
            (model.run_batched(model.embed, pieces.ids(reference["sentences"])) * theirs).sum(axis=1).min()
        )
    summary = ", ".join(f"min cosine vs {name} {value:.6f}" for name, value in cosines.items())
    if min(cosines.values()) < minimum_cosine:
        raise SystemExit(f"tensorflow encoder differs: {summary} (< {minimum_cosine})")
    return f"tensorflow encoder: {summary} on {len(CHECK_SENTENCES)} sentences"


def main(argv: list[str] | None = None) -> int:
    import argparse

    from nlu_addons import DEFAULT_MODEL_DIR

    parser = argparse.ArgumentParser(description="check the TensorFlow MiniLM encoder against the ONNX one")
    parser.add_argument("--check", type=Path, nargs="?", const=DEFAULT_MODEL_DIR, required=True, metavar="MODEL_DIR")
    args = parser.parse_args(argv)
    print(check_against_onnx(args.check))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
