"""The fine-tuned MiniLM intent classifier (nlu_addons/finetuned_classifier.py), run in `.venv-rasa`.

TensorFlow and Rasa are not in this virtualenv, so each test runs a child process with `.venv-rasa`'s Python:
the encoder check against the ONNX model (`make onnx-model` writes both into var/onnx/all-MiniLM-L6-v2), and a
few seconds of training on a three-intent data set (tests/finetuned_classifier_probe.py).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support.rasa import run_rasa_python

from nlu_addons import DEFAULT_MODEL_DIR as MODEL_DIR
from nlu_addons import PROJECT_ROOT


def run_with_model(*args: str) -> subprocess.CompletedProcess[str]:
    for needed in (MODEL_DIR / "model.onnx", MODEL_DIR / "model.safetensors"):
        assert needed.exists(), f"{needed} is missing: run `make install onnx-model`"
    return run_rasa_python(*args, timeout=120)


def test_tensorflow_encoder_matches_onnx() -> None:
    checked = run_with_model("-m", "nlu_addons.minilm_tf", "--check", str(MODEL_DIR))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "min cosine vs onnx" in checked.stdout


def test_trains_predicts_held_out_paraphrases_and_reloads(tmp_path: Path) -> None:
    probe = run_with_model(str(PROJECT_ROOT / "tests" / "finetuned_classifier_probe.py"), str(tmp_path / "storage"))
    assert probe.returncode == 0, probe.stdout + probe.stderr
    result = json.loads(probe.stdout.strip().splitlines()[-1])

    predicted = {text: ranking[0]["name"] for text, ranking in result["trained"].items()}
    assert predicted == result["expected"]
    for text, ranking in result["trained"].items():
        assert [entry["name"] for entry in ranking[:1]] == [result["expected"][text]]
        assert len(ranking) == 3
        assert sum(entry["confidence"] for entry in ranking) == pytest.approx(1.0, abs=1e-4)
        assert ranking == sorted(ranking, key=lambda entry: -entry["confidence"])
        reloaded = result["reloaded"][text]
        assert [entry["name"] for entry in reloaded] == [entry["name"] for entry in ranking]
        assert [entry["confidence"] for entry in reloaded] == pytest.approx(
            [entry["confidence"] for entry in ranking], abs=1e-5
        )
    assert (tmp_path / "storage" / "finetuned_classifier" / "weights.npz").is_file()
