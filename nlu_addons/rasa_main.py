"""Rasa's own command line, with the project's runtime fixes applied first.

    .venv-rasa/bin/python -m nlu_addons.rasa_main run --enable-api …    (what `make run` and the tests start)

Rasa 3.6 checks every action-server response with `jsonschema.validate(result, schema)`. That call checks
the *schema* against the JSON Schema meta-schema before it checks the result; with jsonschema 4.17 the
schema has no `$schema`, so the 2020-12 meta-schema (dynamic references, vocabularies) is walked on every
custom action. Profiled under the load benchmark, that was 48 % of the Rasa process's CPU. The schema is a
constant, so here it is checked once and compiled into one validator. A response that fails goes through
Rasa's own method, which raises the same error with the same message as before.
"""

from __future__ import annotations

import sys
from typing import Any


def install_action_result_validator() -> None:
    """Validate action-server responses with one validator built at start-up (same outcome as Rasa's)."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    original = RemoteAction._validate_action_result
    if getattr(original, "compiled_once", False):
        return
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        if validator.is_valid(result):
            return True
        return original(self, result)  # raises Rasa's ValidationError with its message

    _validate_action_result.compiled_once = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


def main() -> int:
    install_action_result_validator()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
