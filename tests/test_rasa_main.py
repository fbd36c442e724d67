"""nlu_addons.rasa_main: the action-server response check compiled once gives Rasa's own outcome.

Rasa lives in `.venv-rasa`, so the check runs there in a child process; it prints one JSON line per response.
"""

from __future__ import annotations

import json
import subprocess

from helpdesk.config import PROJECT_ROOT

RASA_PYTHON = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"

PROBE = r"""
import json
from unittest import mock

import jsonschema
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from nlu_addons.rasa_main import install_action_result_validator

responses = [
    {"events": [{"event": "slot", "name": "order_id", "value": "100234"}], "responses": [{"text": "hi"}]},
    {"events": [{"event": "active_loop", "name": None}], "responses": []},
    {"events": [{"event": "slot"}], "responses": []},
    {"events": "not a list"},
    {"responses": [42]},
]


def outcome(action, response):
    try:
        return {"valid": action._validate_action_result(response)}
    except ValidationError as exc:
        return {"valid": False, "message": exc.message}


action = RemoteAction.__new__(RemoteAction)
before = [outcome(action, r) for r in responses]
install_action_result_validator()
install_action_result_validator()  # a second install keeps the first
with mock.patch.object(jsonschema, "validate", wraps=jsonschema.validate) as validate:
    after = [outcome(action, r) for r in responses]
print(json.dumps({"before": before, "after": after, "validate_calls": validate.call_count}))
"""


def test_compiled_check_gives_rasa_outcome_and_message() -> None:
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", PROBE], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["after"] == result["before"]
    assert [o["valid"] for o in result["after"]] == [True, True, False, False, False]
    assert all("Failed to validate Action server response" in o["message"] for o in result["after"][2:])
    # valid responses no longer go through jsonschema.validate (and its meta-schema check); the three invalid
    # ones do, once each, for Rasa's error message
    assert result["validate_calls"] == 3
