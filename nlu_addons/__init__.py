"""Rasa NLU add-ons: an ONNX Runtime dense featurizer (all-MiniLM-L6-v2) and the script that exports its model.

`export_onnx` runs in `.venv` (torch + the shipped weights) once at install time; `onnx_encoder` and
`onnx_featurizer` run inside the Rasa process (`.venv-rasa`, no torch: onnxruntime + tokenizers).
"""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_DIR = PROJECT_ROOT / "var" / "onnx" / "all-MiniLM-L6-v2"
