"""Run a piece of Python in a fresh interpreter of the project (Rasa's or the helpdesk's) and read what it printed."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from nlu_addons import PROJECT_ROOT


def printed_json(python: str, source: str, environ: dict[str, str] | None = None) -> Any:
    """What `source` printed last, as JSON, run in a fresh `python` in the project's root with `environ` (this
    process's environment when None), the project on its path and TensorFlow's and Rasa's chatter off."""
    done = subprocess.run(
        [python, "-c", source],
        cwd=PROJECT_ROOT,
        env={
            **(dict(os.environ) if environ is None else environ),
            "PYTHONPATH": str(PROJECT_ROOT),
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "RASA_TELEMETRY_ENABLED": "false",
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
