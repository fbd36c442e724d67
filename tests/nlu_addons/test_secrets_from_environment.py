"""Secrets come from the environment or a file, never from a command line (issue 15, finding 10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu_addons.environment import secret_from_env
from nlu_addons.rasa_main import with_token


def test_a_secret_comes_from_the_variable_else_from_the_file_it_names(tmp_path: Path) -> None:
    secret_file = tmp_path / "rasa-token"
    secret_file.write_text("from-the-file\n")
    assert secret_from_env("RASA_TOKEN", {"RASA_TOKEN": "from-env", "RASA_TOKEN_FILE": str(secret_file)}) == "from-env"
    assert secret_from_env("RASA_TOKEN", {"RASA_TOKEN_FILE": str(secret_file)}) == "from-the-file"
    assert secret_from_env("RASA_TOKEN", {}) == ""
    with pytest.raises(ValueError, match="RASA_TOKEN_FILE=.*cannot be read"):
        secret_from_env("RASA_TOKEN", {"RASA_TOKEN_FILE": str(tmp_path / "missing")})


def test_rasa_gets_its_token_inside_the_process() -> None:
    argv = ["rasa", "run", "--enable-api", "-p", "5005"]
    assert with_token(argv, "-starts-with-a-dash") == [*argv, "--auth-token=-starts-with-a-dash"]
    assert with_token(argv, "") == argv
    assert with_token([*argv, "--auth-token=given"], "other") == [*argv, "--auth-token=given"]
    assert with_token(["rasa", "train"], "token") == ["rasa", "train"]
