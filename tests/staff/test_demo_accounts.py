"""Demo accounts (issue 15, finding 11): made only on an empty database or in demo mode; a disabled account stays
disabled, with its password; no password is printed outside demo mode."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from helpdesk.config import PROJECT_ROOT


def users(database: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("HELPDESK_")}
    return subprocess.run(
        [str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "helpdesk", "users", *args],
        cwd=PROJECT_ROOT,
        env={**base, "DATABASE_URL": f"sqlite+aiosqlite:///{database}", **env},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def admin_row(database: Path) -> tuple[int, str]:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT active, password_hash FROM agents WHERE username = 'admin'").fetchone()


def test_make_run_no_longer_brings_a_disabled_admin_back(tmp_path: Path) -> None:
    database = tmp_path / "helpdesk.db"
    first = users(database, "demo")
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("password: ") == 5  # an empty database: the demo, with its logins
    assert users(database, "disable", "admin").returncode == 0
    disabled = admin_row(database)

    again = users(database, "demo")  # what `make run` does on every start
    assert again.returncode == 0, again.stderr
    assert "password" not in again.stdout and "no demo accounts" in again.stdout
    assert admin_row(database) == disabled  # still disabled, same password

    demo = users(database, "demo", HELPDESK_DEMO="1")
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.count("password: ") == 4 and "disabled" in demo.stdout
    assert admin_row(database) == disabled


def test_a_database_with_real_accounts_gets_no_demo_accounts(tmp_path: Path) -> None:
    database = tmp_path / "helpdesk.db"
    assert users(database, "add", "rosa", HELPDESK_PASSWORD="a long real password").returncode == 0
    run = users(database, "demo")
    assert run.returncode == 0 and "password" not in run.stdout
    with sqlite3.connect(database) as db:
        assert [r[0] for r in db.execute("SELECT username FROM agents")] == ["rosa"]
