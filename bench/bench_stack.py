"""The whole stack (Rasa + action webhook + helpdesk) for a benchmark run: spare ports, a temporary folder.

Started the way tests/conftest.py's `stack` fixture starts it: a fresh SQLite database, FAQ index and demo
shop in a temporary folder (removed afterwards unless `keep`), the repo's handbook and model, widget rate
limits raised so one load generator on one address is not refused.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from helpdesk.config import PROJECT_ROOT
from helpdesk.stack import Ports, Stack

RAISED_RATE_LIMIT = "1000000"


@contextmanager
def bench_stack(
    keep: bool = False,
    timeout: float = 420.0,
    extra_env: dict[str, str] | None = None,
    model: Path | None = None,
    rasa_processes: int = 1,
) -> Iterator[Stack]:
    """Start the stack (with `model`, default models/larkspur.tar.gz; `rasa_processes` Rasa processes, each with
    its action server), wait until every process is ready, yield it; always stop it. `stack.workdir` is its folder."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-stack-"))
    stack = Stack(
        **({"model": model} if model is not None else {}),  # the command line is built when the Stack is made
        ports=Ports.spare(rasa_processes),
        log_dir=workdir / "logs",
        env={
            "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'helpdesk.db'}",
            "KB_DIR": str(PROJECT_ROOT / "knowledge" / "faq"),
            "KB_INDEX_DIR": str(workdir / "kb-index"),
            "RATE_PER_ADDRESS": RAISED_RATE_LIMIT,
            "RATE_PER_CONVERSATION": RAISED_RATE_LIMIT,
            # one client (the benchmark) opens every conversation and may be handed off each time
            "NEW_CONVERSATIONS_PER_ADDRESS": RAISED_RATE_LIMIT,
            "HANDOFFS_PER_ADDRESS": RAISED_RATE_LIMIT,
            "DEMO_SHOP_URL": str(workdir / "demo-shop.db"),
            "IDENTITY_SECRET": secrets.token_hex(32),
            # measure the live-agent path at any hour (out of hours a handoff adds the away message)
            "BUSINESS_HOURS": "off",
            **(extra_env or {}),
        },
    )
    stack.workdir = workdir  # type: ignore[attr-defined]
    started = time.monotonic()
    print(f"starting the stack on ports {stack.ports} (folder {workdir}) …", flush=True)
    try:
        stack.start()
        try:
            stack.wait_ready(timeout=timeout)
        except (RuntimeError, TimeoutError) as exc:
            raise RuntimeError(f"the stack did not start: {exc}\n{stack.log_tails(30)}") from exc
        print(f"stack ready in {time.monotonic() - started:.0f} s at {stack.url}", flush=True)
        yield stack
    finally:
        stack.stop()
        if keep:
            print(f"kept {workdir} (database and logs)", flush=True)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def service_pids(stack: Stack) -> dict[str, int]:
    """The process id of each service (the Popen child: the service itself, started with exec)."""
    return {name: s.process.pid for name, s in stack.services.items() if s.process is not None}
