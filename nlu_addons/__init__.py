"""all-MiniLM-L6-v2 through ONNX Runtime, for Rasa and for the FAQ engine, and Rasa's launcher.

`export_onnx` runs in `.venv` (torch + the shipped weights) once at install time; `onnx_encoder` (onnxruntime +
tokenizers, no torch, no Rasa) runs in both virtualenvs: inside the Rasa process for `onnx_featurizer`, and in
the action server for the FAQ engine's embedder (helpdesk.knowledge.embedder.Embedder). `rasa_main` starts
Rasa's command line with the project's runtime fixes.
"""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL_DIR = PROJECT_ROOT / "var" / "onnx" / "all-MiniLM-L6-v2"
RASA_PYTHON = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"


def configured_model_dir(configured: str | None) -> Path:
    """A component's `model_dir` setting: the export under var/onnx when unset, relative to the project root."""
    model_dir = Path(configured) if configured else DEFAULT_MODEL_DIR
    return model_dir if model_dir.is_absolute() else PROJECT_ROOT / model_dir
