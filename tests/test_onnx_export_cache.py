"""scripts/onnx_export_cache.py (`make onnx-model`): a clean clone's var/onnx is copied from an export cache outside
the checkout when these inputs were exported before on the machine, byte for byte (its stamp, export.json, included:
the training cache's key reads it); other inputs are exported again; a current export fills the cache.

Run with a stand-in for the export (nlu_addons.export_onnx.export, the torch trace and its checks) that writes the
files and the stamp as the real one does, naming the folder it was made in (the real stamp names the weights' path
in the virtualenv that exported them), and counts its calls (the real export and its restore: NOTES of lane tests,
2026-12-07)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from helpdesk.config import PROJECT_ROOT
from nlu_addons import export_onnx


def load_script() -> ModuleType:
    path = PROJECT_ROOT / "scripts" / "onnx_export_cache.py"
    spec = importlib.util.spec_from_file_location("onnx_export_cache", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders the stand-in exported into, in order; the weights in tmp_path/src, the cache in tmp_path/cache."""
    source = tmp_path / "src"
    source.mkdir()
    for name in export_onnx.SOURCE_FILES:
        (source / name).write_text(f"{name} v1")
    made: list[Path] = []

    def export(src: Path, out: Path, digest: str) -> str:
        made.append(out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "model.onnx").write_text(f"graph of {digest}")
        for name in export_onnx.SOURCE_FILES:
            (out / name).write_bytes((src / name).read_bytes())
        (out / "export.json").write_text(json.dumps({"source": str(out), "source_hash": digest}))
        return "checked"

    monkeypatch.setattr(export_onnx, "source_dir", lambda: source)
    monkeypatch.setattr(export_onnx, "export", export)
    monkeypatch.setenv("ONNX_EXPORT_CACHE", str(tmp_path / "cache"))
    return made


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_a_clean_clone_restores_what_another_exported_byte_for_byte(tmp_path: Path, exports: list[Path]) -> None:
    script = load_script()
    first, second = tmp_path / "first" / "var" / "onnx", tmp_path / "second" / "var" / "onnx"
    assert script.cached_export(first, []) == 0
    assert exports == [first]
    assert script.cached_export(second, []) == 0
    assert exports == [first]  # restored, not exported again
    assert files(second) == files(first)
    assert json.loads((second / "export.json").read_text())["source"] == str(first)  # the stamp as it was made
    assert script.cached_export(second, []) == 0  # current: nothing to do
    assert exports == [first]
    assert [p.name for p in (tmp_path / "cache").iterdir() if not p.name.startswith(".")] == [
        script.cache_key(export_onnx.source_hash(tmp_path / "src"))
    ]


def test_other_weights_are_exported_again_beside_the_first(tmp_path: Path, exports: list[Path]) -> None:
    script = load_script()
    first, second = tmp_path / "first" / "var" / "onnx", tmp_path / "second" / "var" / "onnx"
    assert script.cached_export(first, []) == 0
    (tmp_path / "src" / "model.safetensors").write_text("model.safetensors v2")
    assert script.cached_export(second, []) == 0
    assert exports == [first, second]
    assert (second / "model.safetensors").read_text() == "model.safetensors v2"
    assert len([p for p in (tmp_path / "cache").iterdir() if not p.name.startswith(".")]) == 2


def test_a_current_export_fills_an_empty_cache_without_exporting(tmp_path: Path, exports: list[Path]) -> None:
    script = load_script()
    checkout, clean = tmp_path / "checkout" / "var" / "onnx", tmp_path / "clean" / "var" / "onnx"
    digest = export_onnx.source_hash(tmp_path / "src")
    export_onnx.export(tmp_path / "src", checkout, digest)  # exported before the cache existed
    exports.clear()
    assert script.cached_export(checkout, []) == 0
    assert script.cached_export(clean, []) == 0
    assert exports == []
    assert files(clean) == files(checkout)
