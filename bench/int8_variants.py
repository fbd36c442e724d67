"""How close each int8 quantization of the English encoder stays to the fp32 graph, and how fast it is (issue 22).

    .venv/bin/python bench/int8_variants.py build [--only NAME ...]      # var/int8b/<name>.onnx
    .venv/bin/python bench/int8_variants.py fidelity [--only NAME ...] --out var/int8b/fidelity.json

A cheap proxy before any retraining. `build` writes each variant of ``VARIANTS`` beside each other under var/int8b
from the fp32 export (var/onnx/all-MiniLM-L6-v2/model.onnx). `fidelity` encodes the English training examples
(data/nlu, no Chinese) and the English dev texts, one text at a time as a parse does, with fp32 and each variant,
and reports the cosine of each variant's sentence embedding to fp32's (mean, 1st percentile, min), the same for
the variant run in batches of 64 as training runs it (a dynamic graph scales its activations per batch, so a text's
embedding depends on its batch-mates), and the CPU ms per single-text encode (one thread, fp32 and the variant
alternated text by text over the same texts). Test sets are never read. Writes only figures (no texts).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from nlu_parse_cpu import dev_texts as parse_dev_texts  # noqa: E402

from nlu_addons import DEFAULT_MODEL_DIR  # noqa: E402
from nlu_addons.language import CJK  # noqa: E402

OUT_DIR = PROJECT_ROOT / "var" / "int8b"
DEV_FILES = (
    "eval/routing/dev.jsonl",
    "eval/handbook/oos_dev.jsonl",
    "eval/handbook/oos_styles_dev.jsonl",
    "eval/handbook/paraphrases_styles_dev.jsonl",
    "eval/handbook/queries_dev.jsonl",
)
LAYERS = 6
ATTENTION = ("attention/self/query", "attention/self/key", "attention/self/value", "attention/output/dense")
FFN = ("intermediate/dense", "output/dense")


def matmul(layer: int, part: str) -> str:
    """The name of a weight MatMul node of the exported graph (torch.onnx's naming)."""
    return f"/encoder/encoder/layer.{layer}/{part}/MatMul"


def nodes(layers: Sequence[int], parts: Sequence[str]) -> list[str]:
    return [matmul(layer, part) for layer in layers for part in parts]


ALL_LAYERS = tuple(range(LAYERS))
# name -> (kind, settings); kind "dynamic" = quantize_dynamic, "static" = quantize_static (QDQ, calibrated)
VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "dyn": ("dynamic", {"per_channel": True}),  # main's int8 graph (export_onnx --int8)
    "dyn-tensor": ("dynamic", {"per_channel": False}),
    "dyn-reduce": ("dynamic", {"per_channel": True, "reduce_range": True}),
    "dyn-u8w": ("dynamic", {"per_channel": True, "weight_type": "QUInt8"}),
    "dyn-ffn": ("dynamic", {"per_channel": True, "nodes_to_quantize": nodes(ALL_LAYERS, FFN)}),
    "dyn-attn": ("dynamic", {"per_channel": True, "nodes_to_quantize": nodes(ALL_LAYERS, ATTENTION)}),
    "dyn-no-ffn2": ("dynamic", {"per_channel": True, "nodes_to_exclude": nodes(ALL_LAYERS, FFN[1:])}),
    "dyn-no-ffn1": ("dynamic", {"per_channel": True, "nodes_to_exclude": nodes(ALL_LAYERS, FFN[:1])}),
    "dyn-no-first": ("dynamic", {"per_channel": True, "nodes_to_exclude": nodes([0], ATTENTION + FFN)}),
    "dyn-no-last": ("dynamic", {"per_channel": True, "nodes_to_exclude": nodes([5], ATTENTION + FFN)}),
    "dyn-no-first-last": ("dynamic", {"per_channel": True, "nodes_to_exclude": nodes([0, 5], ATTENTION + FFN)}),
    # the FFN's second MatMul (its input: the GELU's output) kept in fp32 in one layer only, or in some
    **{
        f"dyn-no-ffn2-{''.join(map(str, layers))}": (
            "dynamic",
            {"per_channel": True, "nodes_to_exclude": nodes(layers, FFN[1:])},
        )
        for layers in ([0], [1], [2], [3], [4], [5], [0, 1], [4, 5], [0, 5], [0, 1, 2], [3, 4, 5])
    },
    "qdq-u8": ("static", {"per_channel": True, "activation_type": "QUInt8", "weight_type": "QInt8"}),
    "qdq-s8": ("static", {"per_channel": True, "activation_type": "QInt8", "weight_type": "QInt8"}),
}


def english(text: str) -> bool:
    return CJK.search(text) is None


def training_texts() -> list[str]:
    """The English examples of data/nlu (entity annotations resolved to their text), in file order."""
    import yaml

    texts: list[str] = []
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                text = re.sub(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}", r"\1\2", line.strip()[2:].strip())
                if line.strip().startswith("- ") and text and english(text):
                    texts.append(text)
    return list(dict.fromkeys(texts))


def dev_texts() -> list[str]:
    """The English texts of DEV_FILES, in file order (bench/nlu_parse_cpu.py reads them)."""
    return [text for text in parse_dev_texts(DEV_FILES) if english(text)]


class Calibration:
    """onnxruntime's CalibrationDataReader over texts, one text per feed (as a parse runs the graph)."""

    def __init__(self, tokenizer: Any, texts: Sequence[str]) -> None:
        self._feeds = iter(feed(tokenizer, [text]) for text in texts)

    def get_next(self) -> dict[str, np.ndarray] | None:
        return next(self._feeds, None)


def feed(tokenizer: Any, texts: Sequence[str]) -> dict[str, np.ndarray]:
    from nlu_addons.onnx_encoder import pad

    ids, mask = pad([tokenizer.encode(text).ids for text in texts])
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}


def build(name: str, source: Path, calibration: Sequence[str]) -> Path:
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_dynamic, quantize_static
    from tokenizers import Tokenizer

    kind, settings = VARIANTS[name]
    out = OUT_DIR / f"{name}.onnx"
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    options: dict[str, Any] = {"op_types_to_quantize": ["MatMul"], **settings}
    for key in ("weight_type", "activation_type"):
        if key in options:
            options[key] = QuantType[options[key]]
    started = time.monotonic()
    if kind == "dynamic":
        options.setdefault("weight_type", QuantType.QInt8)
        quantize_dynamic(source, out, **options)
    else:
        tokenizer = Tokenizer.from_file(str(source.parent / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=128)
        tokenizer.no_padding()
        quantize_static(
            source,
            out,
            Calibration(tokenizer, calibration),
            quant_format=QuantFormat.QDQ,
            calibrate_method=CalibrationMethod.MinMax,
            **options,
        )
    print(f"{name}: built in {time.monotonic() - started:.1f} s", flush=True)
    return out


def session(path: Path) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def sentences(run: Callable[[dict[str, np.ndarray]], np.ndarray], batch: dict[str, np.ndarray]) -> np.ndarray:
    hidden = run(batch)
    weights = batch["attention_mask"][..., None].astype(np.float32)
    rows = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    out: np.ndarray = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    return out


def runner(sess: Any) -> Callable[[dict[str, np.ndarray]], np.ndarray]:
    names = {item.name for item in sess.get_inputs()}

    def run(batch: dict[str, np.ndarray]) -> np.ndarray:
        out: np.ndarray = sess.run(None, {k: v for k, v in batch.items() if k in names})[0]
        return out

    return run


def batches(tokenizer: Any, texts: Sequence[str], size: int = 64) -> Iterator[tuple[list[int], dict[str, Any]]]:
    """As nlu_addons.onnx_encoder.OnnxEncoder batches: sorted by length, 64 a batch."""
    lengths = [len(tokenizer.encode(text).ids) for text in texts]
    order = sorted(range(len(texts)), key=lambda i: lengths[i])
    for begin in range(0, len(order), size):
        chunk = order[begin : begin + size]
        yield chunk, feed(tokenizer, [texts[i] for i in chunk])


def stats(cosines: np.ndarray) -> dict[str, float]:
    return {
        "mean": round(float(cosines.mean()), 5),
        "p1": round(float(np.percentile(cosines, 1)), 5),
        "min": round(float(cosines.min()), 5),
    }


def fidelity(names: Sequence[str], texts: Sequence[str], timed: int) -> dict[str, Any]:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(DEFAULT_MODEL_DIR / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=128)
    tokenizer.no_padding()  # as nlu_addons.onnx_encoder: tokenizer.json pads to 128
    fp32 = runner(session(DEFAULT_MODEL_DIR / "model.onnx"))
    singles = [feed(tokenizer, [text]) for text in texts]
    reference = np.concatenate([sentences(fp32, one) for one in singles])
    report: dict[str, Any] = {"texts": len(texts), "timed_texts": timed, "variants": {}}
    for name in names:
        variant = runner(session(OUT_DIR / f"{name}.onnx"))
        single = np.concatenate([sentences(variant, one) for one in singles])
        batched = np.zeros_like(single)
        for chunk, batch in batches(tokenizer, texts):
            batched[chunk] = sentences(variant, batch)
        # CPU per single-text encode, fp32 and the variant alternated over the same texts, two rounds, lowest
        spent = {"fp32": [], name: []}  # type: dict[str, list[float]]
        for _ in range(2):
            totals = {"fp32": 0.0, name: 0.0}
            for one in singles[:timed]:
                for label, run in (("fp32", fp32), (name, variant)):
                    started = time.process_time()
                    run(one)
                    totals[label] += time.process_time() - started
            for label, total in totals.items():
                spent[label].append(total / timed * 1000)
        row: dict[str, Any] = {
            "single_vs_fp32": stats((single * reference).sum(axis=1)),
            "batched_vs_fp32": stats((batched * reference).sum(axis=1)),
            "batched_vs_single": stats((batched * single).sum(axis=1)),
            "ms_fp32": round(min(spent["fp32"]), 3),
            "ms_variant": round(min(spent[name]), 3),
            "load": os.getloadavg()[0],
            "size_mb": round((OUT_DIR / f"{name}.onnx").stat().st_size / 1e6, 1),
        }
        row["speedup"] = round(row["ms_fp32"] / row["ms_variant"], 2)
        report["variants"][name] = row
        print(name, json.dumps(row), flush=True)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("action", choices=("build", "fidelity"))
    parser.add_argument("--only", nargs="*", choices=list(VARIANTS), help="these variants (default: all)")
    parser.add_argument("--timed", type=int, default=400, help="texts timed per variant (single-text encodes)")
    parser.add_argument("--sample", type=int, default=0, help="fidelity: every n-th text only (0: all)")
    parser.add_argument("--out", type=Path, help="fidelity: write the figures here (JSON)")
    args = parser.parse_args(argv)
    names = args.only or list(VARIANTS)
    train, dev = training_texts(), dev_texts()
    if args.action == "build":
        for name in names:
            build(name, DEFAULT_MODEL_DIR / "model.onnx", train)
        return 0
    texts = list(dict.fromkeys([*train, *dev]))
    if args.sample > 1:
        texts = texts[:: args.sample]
    print(f"{len(train)} English training texts, {len(dev)} dev texts, {len(texts)} distinct", flush=True)
    report = fidelity(names, texts, min(args.timed, len(texts)))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
