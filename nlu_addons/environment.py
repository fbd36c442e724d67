"""What both virtualenvs read from the environment the same way: secrets (never from a command line, where `ps`
shows them) and where the project's database is by default (the helpdesk's tables, and Rasa's trackers beside
them: nlu_addons/tracker_store.py)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from nlu_addons import PROJECT_ROOT

DEFAULT_DATABASE_FILE = PROJECT_ROOT / "var" / "helpdesk.db"


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
