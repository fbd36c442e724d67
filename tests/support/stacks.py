"""Starting a whole stack (Rasa process(es) + action server(s) + helpdesk) for tests: the session's stack
(tests/conftest.py) and modules that need one of another shape (tests/scale/: two Rasa processes on PostgreSQL and
Redis) start it the same way, with the same test settings."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from helpdesk.config import PROJECT_ROOT
from helpdesk.stack import Ports, Stack


def common_env(workdir: Path) -> dict[str, str]:
    """What every test stack sets: its own copy of the handbook and index, limits the suite does not trip (limits
    have their own tests), a fresh demo shop (the order flows change orders) and the secret the shop's website
    would sign customer identity tokens with, the team always in, chats queued until claimed."""
    handbook = workdir / "faq"
    if not handbook.exists():
        shutil.copytree(PROJECT_ROOT / "knowledge" / "faq", handbook)
    return {
        "KB_DIR": str(handbook),
        "KB_INDEX_DIR": str(workdir / "kb-index"),
        "RATE_PER_ADDRESS": "100000",
        "RATE_PER_CONVERSATION": "100000",
        "NEW_CONVERSATIONS_PER_ADDRESS": "100000",
        "HANDOFFS_PER_ADDRESS": "100000",
        "DEMO_SHOP_URL": str(workdir / "demo-shop.db"),
        "IDENTITY_SECRET": secrets.token_hex(32),
        "BUSINESS_HOURS": "off",
        "AUTO_ASSIGN": "off",
        # tests claim chats through the API without a console open: none goes back to the queue for that
        # (tests/conversation/test_closed_consoles.py starts a helpdesk that returns them)
        "CLOSED_CONSOLE_GRACE_SECONDS": "0",
        # admission under overload refuses a turn that waits 2 s for room in Rasa (helpdesk/clients/rasa.py): a suite
        # on a loaded machine must not meet it where it tests something else (its own test sets it: tests/scale/); 20 s
        # plus Rasa's turn stays near the conversation locks' 30 s, as 2 s + TURN_LIMIT (25 s) does in production
        "RASA_ADMIT_SECONDS": "20",
    }


@contextmanager
def running_stack(workdir: Path, ports: Ports, env: dict[str, str], timeout: float, what: str) -> Iterator[Stack]:
    """A stack on `ports` with `common_env(workdir)` and `env` on top, started and ready (or the test fails with the
    logs' tails); stopped after. Its `workdir` attribute is `workdir` (logs under workdir/logs)."""
    running = Stack(ports=ports, log_dir=workdir / "logs", env={**common_env(workdir), **env})
    running.workdir = workdir  # type: ignore[attr-defined]
    running.start()
    try:
        running.wait_ready(timeout=timeout)
    except Exception as exc:
        running.stop()
        pytest.fail(f"{what} did not start: {exc}\n{running.log_tails()}")
    try:
        yield running
    finally:
        running.stop()
