"""all-MiniLM-L6-v2 with ONNX Runtime and HF `tokenizers`: word-piece embeddings and sentence embeddings.

No torch and no Rasa here: the Rasa featurizer (`onnx_featurizer`) and the export check both use it.

    .venv-rasa/bin/python -m nlu_addons.onnx_encoder --check var/onnx/all-MiniLM-L6-v2

compares this encoder's sentence embeddings with the sentence-transformers ones the export stored in
`reference.json` and exits non-zero when they differ.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlu_addons.heap import give_back_freed_memory

MAX_LENGTH = 256  # sentence-transformers' max_seq_length for this model
# the graphs an export folder can hold: the exported fp32 graph (what everyone runs) and, written beside it on
# request (`export_onnx --int8`), its MatMul weights quantized to int8 (issue 22 study: ~1.5x faster a pass, but
# embeddings that differ slightly, so a model must be trained on the graph it runs with)
GRAPHS = {"fp32": "model.onnx", "int8": "model.int8.onnx"}
STAMPS = {"fp32": "export.json", "int8": "int8.json"}  # what each graph was made from (nlu_addons.export_onnx)
# the most texts a graph runs in one pass. The int8 graph quantizes its activations per pass, on the range of the
# whole padded batch: a text's embedding then depends on its batch-mates (issue 22, lane int8b: over the English
# training + dev texts, batched 64 vs alone, cosine mean 0.992, 1st percentile 0.968, further from each other
# than either is from fp32), and a model trained on batched rows would be served single-text rows. So it embeds
# one text a pass, as a parse does, in training, handbook indexes and the FAQ engine alike.
MAX_BATCH = {"fp32": 64, "int8": 1}
# a pass over more padded word pieces than this (texts x the longest) gives its working memory back as it ends:
# ONNX Runtime's arena otherwise keeps the largest pass's activations for the life of the process (issue 22: ~270 MB
# after 32 texts of 256 pieces, ~80 MB after building the handbook's index), and the C heap what the pass freed
# (nlu_addons/heap.py). A customer's message (one text, or two: the message and its question sentence, at most
# MAX_LENGTH pieces each) stays at or below it, so a reply's pass keeps the arena's memory and pays nothing.
KEPT_PASS_PIECES = 2 * MAX_LENGTH


@dataclass(frozen=True)
class Encoded:
    """One text: its sentence embedding and, for each word piece (special tokens dropped), its embedding and span."""

    sentence: np.ndarray  # (dim,), mean-pooled over the sequence as sentence-transformers does, unit length
    pieces: np.ndarray  # (n_pieces, dim)
    offsets: np.ndarray  # (n_pieces, 2) character start, end in the text

    def pooled_onto(self, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """Mean of the word pieces overlapping each (start, end) span; zeros for a span no piece reaches."""
        out = np.zeros((len(spans), self.pieces.shape[1]), dtype=np.float32)
        if not len(self.pieces):
            return out
        starts, ends = self.offsets[:, 0], self.offsets[:, 1]
        for row, (start, end) in enumerate(spans):
            hit = (starts < end) & (ends > start)
            if hit.any():
                out[row] = self.pieces[hit].mean(axis=0)
        return out


def pad(rows: Sequence[Sequence[int]], dtype: type = np.int64) -> tuple[np.ndarray, np.ndarray]:
    """Word-piece ids and attention mask, padded with 0 to the longest row."""
    width = max(1, max(len(row) for row in rows))
    ids: np.ndarray = np.zeros((len(rows), width), dtype=dtype)
    mask: np.ndarray = np.zeros((len(rows), width), dtype=dtype)
    for index, row in enumerate(rows):
        ids[index, : len(row)] = row
        mask[index, : len(row)] = 1
    return ids, mask


class OnnxEncoder:
    """Tokenizes with the model's tokenizer.json and runs model.onnx on the CPU, batched by length."""

    def __init__(
        self, model_dir: Path | str, threads: int = 1, max_length: int = MAX_LENGTH, graph: str = "fp32"
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        if graph not in GRAPHS:
            raise ValueError(f"unknown graph {graph!r} (one of: {', '.join(GRAPHS)})")
        for name in (GRAPHS[graph], "tokenizer.json"):
            if not (model_dir / name).is_file():
                option = " --int8" if graph == "int8" else ""
                raise FileNotFoundError(
                    f"{model_dir / name} is missing: run `make onnx-model` "
                    f"(.venv/bin/python -m nlu_addons.export_onnx{option}) first"
                )
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_length)
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(
            str(model_dir / GRAPHS[graph]), sess_options=options, providers=["CPUExecutionProvider"]
        )
        # ONNX Runtime parses the whole file (90 MB for MiniLM) before it copies the weights out of it: the parsed copy
        # is freed, but the C heap kept ~28 MB of it for the life of the process (issue 22)
        give_back_freed_memory()
        self.input_names = {item.name for item in self.session.get_inputs()}
        self.max_batch = MAX_BATCH[graph]
        self.big_pass = ort.RunOptions()  # frees the arena's memory the pass used when it ends (KEPT_PASS_PIECES)
        self.big_pass.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> list[Encoded]:
        """Encodes `texts` (any number), grouping texts of similar length into batches of at most `batch_size`
        (and the graph's MAX_BATCH)."""
        batch_size = max(1, min(batch_size, self.max_batch))
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        results: list[Encoded | None] = [None] * len(texts)
        big = False  # a pass past KEPT_PASS_PIECES ran: give the memory it freed back at the end
        for begin in range(0, len(order), batch_size):
            batch = order[begin : begin + batch_size]
            ids, mask = pad([encodings[i].ids for i in batch])
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            shrink = ids.size > KEPT_PASS_PIECES
            big |= shrink
            inputs = {k: v for k, v in feed.items() if k in self.input_names}
            hidden = self.session.run(None, inputs, self.big_pass if shrink else None)[0]
            weights = mask[..., None].astype(np.float32)
            sentences = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            sentences /= np.maximum(np.linalg.norm(sentences, axis=1, keepdims=True), 1e-12)
            for row, i in enumerate(batch):
                encoding = encodings[i]
                n = len(encoding.ids)
                keep = np.array([not special for special in encoding.special_tokens_mask], dtype=bool)
                results[i] = Encoded(
                    sentence=sentences[row].astype(np.float32),
                    pieces=hidden[row, :n][keep].astype(np.float32),
                    offsets=np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)[keep],
                )
        if big:
            give_back_freed_memory()
        return [r for r in results if r is not None]


def check(model_dir: Path, tolerance: float = 1e-4) -> float:
    """Max abs difference between this encoder and the export's sentence-transformers reference."""
    reference = json.loads((model_dir / "reference.json").read_text())
    encoded = OnnxEncoder(model_dir).encode(reference["sentences"])
    ours = np.stack([e.sentence for e in encoded])
    error = float(np.abs(ours - np.asarray(reference["embeddings"], dtype=np.float32)).max())
    if error > tolerance:
        raise SystemExit(f"onnx encoder differs from sentence-transformers by {error:.2e} (> {tolerance})")
    return error


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="check the exported ONNX model against its reference embeddings")
    parser.add_argument("--check", type=Path, required=True, metavar="MODEL_DIR")
    args = parser.parse_args(argv)
    print(f"onnx encoder: max abs error vs sentence-transformers {check(args.check):.1e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
