"""`make typecheck` keeps mypy's incremental cache outside the checkout, one per user (Makefile MYPY_CACHE_DIR): a
clean clone's `make test` reuses what the last run on the machine checked instead of checking every module cold."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from helpdesk.config import PROJECT_ROOT


def mypy_command(env: dict[str, str]) -> str:
    """The mypy command line `make typecheck` would run with `env` (a dry run: nothing is checked or installed)."""
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "typecheck"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return next(line for line in done.stdout.splitlines() if "/bin/mypy" in line)


def test_mypys_cache_is_the_users_and_outside_the_checkout(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if k not in ("XDG_CACHE_HOME", "MYPY_CACHE_DIR")}
    home = mypy_command({**base, "HOME": str(tmp_path)})
    assert home.endswith(f"--cache-dir {tmp_path}/.cache/larkspur/mypy")
    xdg = mypy_command({**base, "XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert xdg.endswith(f"--cache-dir {tmp_path}/xdg/larkspur/mypy")
    chosen = mypy_command({**base, "MYPY_CACHE_DIR": str(tmp_path / "own")})
    assert chosen.endswith(f"--cache-dir {tmp_path}/own")
    assert not Path(home.rsplit(" ", 1)[1]).is_relative_to(PROJECT_ROOT)
