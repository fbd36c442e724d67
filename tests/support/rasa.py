"""Running code in Rasa's virtualenv (`.venv-rasa`, Python 3.10) from the tests, which run in `.venv`, reading
the running Rasa's trackers, and a stand-in for the Rasa processes' answers (`AnsweringRasa`)."""

from __future__ import annotations

import json
import os
import subprocess
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


def run_probe(probe: str) -> Any:
    """Runs the Python source `probe` in Rasa's virtualenv; its last output line is its JSON result."""
    done = run_rasa_python("-c", probe)
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
