"""The action server imports its actions before it loads the handbook on a background thread
(helpdesk/action_server.py `main`): with both importing at once, the server failed to start on a loaded machine
("cannot import name 'OrderPolicy' from partially initialized module 'helpdesk.orders.policy'", the make run of
2026-12-07 23:37), since the loader reaches helpdesk.orders through helpdesk.knowledge.facts while the actions import
helpdesk.orders themselves."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from helpdesk import action_server


def test_the_actions_are_imported_before_the_handbook_loader_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    class RecordingThread:
        def __init__(self, target: Any, name: str, daemon: bool) -> None:
            seen["name"] = name

        def start(self) -> None:
            # what the process has imported when the loader would begin
            seen["actions imported"] = "actions.forms" in sys.modules and "helpdesk.orders.policy" in sys.modules

    class App:
        def run(self, **_: Any) -> None:
            seen["served"] = True

    def build_app(action_package: str = "actions", secret: str | None = None) -> App:
        __import__("actions.forms")  # what registering the package does (rasa_sdk imports each action module)
        return App()

    for name in [name for name in sys.modules if name == "actions" or name.startswith("actions.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(action_server.threading, "Thread", RecordingThread)
    monkeypatch.setattr(action_server, "build_app", build_app)
    monkeypatch.setenv("ACTION_SECRET", "test-secret")
    assert action_server.main(["--port", "5999"]) == 0
    assert seen == {"name": "kb-load", "actions imported": True, "served": True}
