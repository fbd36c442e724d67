#!/usr/bin/env python3
"""`make onnx-model`: the sentence encoder's ONNX export (nlu_addons.export_onnx) through an export cache per user
outside the checkout, as scripts/train-if-changed keeps Rasa's training cache.

    .venv/bin/python scripts/onnx_export_cache.py [export_onnx's options]

A clean clone has no var/onnx: exporting it again (a torch trace, sentence-transformers' reference and the two
checks in Rasa's virtualenv) took 104 s of the CI-like `make test` (load 9), ahead of the training, which needs it.
The cache keeps one folder per set of inputs (ONNX_EXPORT_CACHE, default $XDG_CACHE_HOME or ~/.cache
/larkspur/onnx-export): named for export_onnx's own stamp (the source weights, config, tokenizer and the export
script) and the pinned requirements of both virtualenvs (torch's exporter, the checks' onnxruntime and TensorFlow).
An export made from these very inputs is copied into place, byte for byte, its stamp (export.json) included: the
stamp enters the model's hash and the training cache's key (scripts/train-if-changed, OnePassNLU's
fingerprint_addon), so every checkout restored from one folder restores the trained components another of them
trained from the same data. A checkout whose export is current and that the cache lacks fills it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlu_addons import DEFAULT_MODEL_DIR, PROJECT_ROOT, export_onnx  # noqa: E402

REQUIREMENTS = PROJECT_ROOT / "requirements"
KEPT = 3  # the most recently used sets of inputs kept (~180 MB each)


def cache_root() -> Path:
    configured = os.environ.get("ONNX_EXPORT_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "larkspur" / "onnx-export"


def cache_key(digest: str) -> str:
    """export_onnx's stamp of the source and the pinned requirements of both virtualenvs."""
    key = hashlib.sha256(digest.encode())
    for path in sorted(REQUIREMENTS.glob("*.txt")):
        key.update(path.name.encode())
        key.update(hashlib.sha256(path.read_bytes()).digest())
    return key.hexdigest()[:24]


def copy_into(source: Path, target: Path) -> None:
    """`source`'s files copied to `target` whole or not at all (a folder beside it, renamed into place)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        shutil.copytree(source, tmp, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def forget_old(root: Path) -> None:
    """Keeps the KEPT most recently used folders (none another process holds the lock of)."""
    folders = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")), key=os.path.getmtime)
    for old in folders[:-KEPT]:
        with open(root / f".{old.name}.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            shutil.rmtree(old, ignore_errors=True)


def cached_export(out: Path, args: list[str]) -> int:
    """export_onnx into `out` (with its other options `args`), from and into the cache."""
    digest = export_onnx.source_hash(export_onnx.source_dir())
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    key = cache_key(digest)
    entry = root / key
    # one process per set of inputs at a time: two checkouts exporting at once, the second restores the first's
    with open(root / f".{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not export_onnx.is_current(out, digest) and export_onnx.is_current(entry, digest):
            copy_into(entry, out)
            print(f"onnx model: restored from the export cache ({entry})")
        done = export_onnx.main(["--out", str(out), *args])  # nothing when current; the export or int8 graph else
        if done == 0 and export_onnx.is_current(out, digest) and not export_onnx.is_current(entry, digest):
            copy_into(out, entry)
        if entry.exists():
            os.utime(entry)
    forget_old(root)
    return done


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--out" in args:  # another folder than the project's: no cache
        return export_onnx.main(args)
    return cached_export(DEFAULT_MODEL_DIR, args)


if __name__ == "__main__":
    sys.exit(main())
