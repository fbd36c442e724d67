"""A redis-server of a test's own, on its own port, without persistence: stopped and started at will (the system
Redis is never touched). For tests of a Redis outage."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import redis

from helpdesk.stack import free_port
from support.agent import wait_for


class OwnRedis:
    def __init__(self, workdir: Path) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            pytest.fail("redis-server is missing: apt-get install -y redis-server")
        self.port = free_port()
        self.command = [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.log = workdir / "own-redis.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT)
        wait_for(self.answers, timeout=20)

    def answers(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1).ping())
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(15)
