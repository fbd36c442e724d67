"""Running code in Rasa's virtualenv (`.venv-rasa`, Python 3.10) from the tests, which run in `.venv`, reading
the running Rasa's trackers, and a stand-in for the Rasa processes' answers (`AnsweringRasa`)."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import httpx

from helpdesk.clients.pooled_http import Answer
from nlu_addons import PROJECT_ROOT, RASA_PYTHON

ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(PROJECT_ROOT)}


def run_rasa_python(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`.venv-rasa/bin/python ARGS` from the project root, output captured."""
    assert RASA_PYTHON.exists(), f"{RASA_PYTHON} is missing: run `make install`"
    return subprocess.run(
        [str(RASA_PYTHON), *args],
        cwd=PROJECT_ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# A Python in Rasa's virtualenv that has imported what the probes use (Rasa's agent, trackers and policies, the
# project's runtime fixes) and forks a child per probe (`ProbeForks`): each probe still runs in a process of its own,
# as `.venv-rasa/bin/python -c PROBE` would run it (its own __main__, sys.argv ["-c"], no stdin, its exit code,
# stdout and stderr), without importing Rasa again (~4 s of CPU each, 10-15 s on a loaded machine).
PROBE_FORKS = r"""
import atexit
import importlib
import json
import os
import signal
import sys
import tempfile
import time
import traceback
import types

for name in sys.argv[1:]:
    importlib.import_module(name)
sys.argv = ["-c"]
answers = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)  # what the imports print goes to this process's stderr, never into the answers


def run(source):
    code = 0
    try:
        exec(compile(source, "<string>", "exec"), sys.modules["__main__"].__dict__)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except BaseException as exc:  # the traceback from the probe's own lines, as Python prints it
        traceback.print_exception(type(exc), exc, exc.__traceback__.tb_next)
        code = 1
    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            try:
                stream.flush()
            except Exception:
                pass
    return code


for line in sys.stdin:
    request = json.loads(line)
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        answers.close()
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        sys.stdin = open(0, closefd=False)
        sys.modules["__main__"] = types.ModuleType("__main__")
        sys.argv = ["-c", *request["args"]]
        os._exit(run(request["source"]))
    deadline = time.monotonic() + request["timeout"]
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            returncode = os.waitstatus_to_exitcode(status)
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            returncode = None
            break
        time.sleep(0.02)
    out.seek(0)
    err.seek(0)
    answers.write(json.dumps({"returncode": returncode, "stdout": out.read().decode(errors="replace"),
                              "stderr": err.read().decode(errors="replace")}) + "\n")
    answers.flush()
    out.close()
    err.close()
"""

# What most probes import (Rasa's actions, with TensorFlow and Sanic, its domain and trackers: ~3 s of CPU), imported
# once by PROBE_FORKS; a probe importing more imports it in its child. Nothing here changes what a probe then finds:
# rasa.core.agent and the policies would (importing Sanic's server installs uvloop's event loop policy, which a probe of
# aiohttp alone must not get), so a probe that needs them imports them itself, as in a process of its own.
PROBE_IMPORTS = ("rasa.core.actions.action", "rasa.shared.core.domain", "rasa.shared.core.trackers")


class ProbeForks:
    """PROBE_FORKS running in Rasa's virtualenv, started on the first probe of this pytest process (each xdist worker
    has its own), stopped when the process ends."""

    def __init__(self) -> None:
        assert RASA_PYTHON.exists(), f"{RASA_PYTHON} is missing: run `make install`"
        self.log = Path(tempfile.mkdtemp(prefix="probe-forks-")) / "stderr.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [str(RASA_PYTHON), "-c", PROBE_FORKS, *PROBE_IMPORTS],
                cwd=PROJECT_ROOT,
                env=ENV,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
        atexit.register(self.stop)

    def run(self, source: str, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        """Runs `source` with `args` in a forked child: its exit code and output, as `run_rasa_python("-c", source,
        *args)` gives."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"source": source, "args": args, "timeout": timeout}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError(f"the probes' Rasa process ended:\n{self.log.read_text(errors='replace')[-3000:]}")
        answer = json.loads(line)
        if answer["returncode"] is None:
            raise subprocess.TimeoutExpired(["-c", source], timeout, answer["stdout"], answer["stderr"])
        return subprocess.CompletedProcess(["-c", source], answer["returncode"], answer["stdout"], answer["stderr"])

    def stop(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.log.parent, ignore_errors=True)


_forks: list[ProbeForks] = []


def run_probe(probe: str, *args: str, timeout: float = 300) -> Any:
    """Runs the Python source `probe` in Rasa's virtualenv with `args` (its sys.argv[1:]), in a process of its own
    (forked by ProbeForks); it must end well, and its last output line is its JSON result."""
    if not _forks:
        _forks.append(ProbeForks())
    done = _forks[0].run(probe, *args, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def rasa_slots(rasa_port: int, token: str, conversation_id: str) -> dict[str, Any]:
    """The slots the running Rasa holds for a conversation (set ones only)."""
    response = httpx.get(
        f"http://127.0.0.1:{rasa_port}/conversations/{conversation_id}/tracker",
        params={"token": token, "include_events": "NONE"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return {k: v for k, v in response.json()["slots"].items() if v is not None}


class AnsweringRasa:
    """In place of RasaClient's connections (`bot._http`): every request is answered `answer` (the rest_nlu
    channel's JSON) with status 200, as the running Rasa would, without a server."""

    def __init__(self, answer: dict[str, Any]) -> None:
        self.body = json.dumps(answer).encode()
        self.requests: list[tuple[str, str]] = []  # (method, path)

    async def request(self, method: str, base_url: str, path: str, **options: Any) -> Answer:
        self.requests.append((method, path))
        return Answer(200, self.body)

    async def close(self) -> None:
        pass


# The start of a probe of OnePassNLU on a tiny handbook (tests/nlu_addons): a deterministic stand-in encoder
# (`Hashed(name, grams)`: hashed words, or character n-grams with grams > 0) and two entries written to a temporary
# folder `root` (refund-policy, password-reset).
HASHED_HANDBOOK_PROBE = r"""
import json
import tempfile
from pathlib import Path

import numpy as np

from nlu_addons.encoders import CachedEncoder


class Hashed:
    def __init__(self, name="words", grams=0):
        self.name, self.dim, self.grams = name, 64, grams

    def encode(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = text.lower().split() if self.grams == 0 else [
                w[i : i + self.grams] for w in text.lower().split() for i in range(max(1, len(w) - self.grams + 1))]
            for word in words:
                out[row, sum(map(ord, word)) % self.dim] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


ENTRY = "---\nid: {id}\ntitle: {title}\nquestions:\n  - {question}\n---\n{answer}\n"
root = Path(tempfile.mkdtemp())
(root / "refunds.md").write_text(ENTRY.format(id="refund-policy", title="What is your refund policy?",
    question="How do refunds work?", answer="Refunds go back to the original payment method within 5 days."))
(root / "passwords.md").write_text(ENTRY.format(id="password-reset", title="How do I reset my password?",
    question="I forgot my password", answer="Use the forgot password link on the login page."))
"""
