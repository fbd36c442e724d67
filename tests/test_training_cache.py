"""scripts/train-if-changed gives `rasa train` a training cache outside the checkout, one directory per set of inputs
(RASA_TRAINING_CACHE): a clean clone of inputs trained before on the machine restores Rasa's trained components, and
any change to what trains the model (Rasa's own keys aside: the routing code, the handbook, Rasa's requirements)
names another directory, so nothing trained from other inputs is restored.

Run on a copy of the inputs with a stand-in for Rasa's command line that writes the model and records the cache
directory it was given (the real training and its restore: NOTES of lane tests, 2026-12-06)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from helpdesk.config import PROJECT_ROOT

INPUTS = ("config.yml", "domain.yml", "data", "nlu_addons", "helpdesk/knowledge", "knowledge/faq", "requirements")
STAND_IN_RASA = """#!/bin/bash
echo "$RASA_CACHE_DIRECTORY" >> "$(dirname "$0")/../../cache-dirs.log"
mkdir -p models && echo model > models/larkspur.tar.gz
"""


def copy_of_inputs(root: Path) -> Path:
    root.mkdir()
    for name in INPUTS:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    for stamp in (PROJECT_ROOT / "var" / "onnx").glob("*/export.json"):
        (root / stamp.relative_to(PROJECT_ROOT)).parent.mkdir(parents=True)
        shutil.copy2(stamp, root / stamp.relative_to(PROJECT_ROOT))
    (root / "scripts").mkdir()
    shutil.copy2(PROJECT_ROOT / "scripts" / "train-if-changed", root / "scripts")
    rasa = root / ".venv-rasa" / "bin" / "rasa"
    rasa.parent.mkdir(parents=True)
    rasa.write_text(STAND_IN_RASA)
    rasa.chmod(0o755)
    return root


def train(root: Path, cache: Path) -> Path:
    """A clean training (the model removed) in `root`: the cache directory Rasa was given."""
    shutil.rmtree(root / "models", ignore_errors=True)
    done = subprocess.run(
        [str(root / "scripts" / "train-if-changed")],
        env={"PATH": "/usr/bin:/bin", "RASA_TRAINING_CACHE": str(cache), "RASA_TRAINING_CACHE_KEEP": "4"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return Path((root / "cache-dirs.log").read_text().splitlines()[-1])


def test_one_cache_directory_per_set_of_inputs_outside_the_checkout(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    one, other = copy_of_inputs(tmp_path / "one"), copy_of_inputs(tmp_path / "other")
    first = train(one, cache)
    assert first.parent == cache and first.is_dir()
    assert train(other, cache) == first  # another clone of the same inputs: the same directory
    changed = {}
    edits = ("knowledge/faq/delivery/new.md", "helpdesk/knowledge/handbook.py", "requirements/rasa.txt", "data/x.yml")
    for name in edits:
        edited = other / name
        edited.parent.mkdir(parents=True, exist_ok=True)
        with edited.open("a") as file:
            file.write("\n# changed\n")
        changed[name] = train(other, cache)
    assert len({first, *changed.values()}) == 5, changed
    # the four sets of inputs used last are kept
    assert sorted(p.name for p in cache.iterdir()) == sorted(p.name for p in changed.values())
