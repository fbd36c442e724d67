"""What one impact-preview request may hold, and how a question list is trimmed to fit instead of failing.

The helpdesk asks the action server for a preview over the last N days' customer questions, most asked first
(helpdesk/reports/unanswered.py). Both ends trim, so a busy month never turns the editor's preview into an error:

- the action server keeps the first ``MAX_PREVIEW_QUESTIONS`` questions, cuts each to ``MAX_QUESTION_CHARS`` and
  skips blank ones (:func:`usable`), and says how many it left out;
- the helpdesk leaves out the least asked questions that would take its request past the action server's body
  limit (``ACTION_MAX_BODY_BYTES``, read by both processes: :func:`max_body_bytes`) before sending it
  (:func:`fitted_body`); the preview then says how many were left out.
"""

from __future__ import annotations

import json
import os
from typing import Any

MAX_PREVIEW_QUESTIONS = 10_000  # a handbook change's impact preview: the customer questions it is tried on
MAX_QUESTION_CHARS = 2000

# The largest body the action server reads (ACTION_MAX_BODY_BYTES); past it, 413 before the body is read or the
# secret checked. The biggest callers: Rasa's webhook call carries the session's whole tracker, ~1.9 kB a turn
# (measured: 0.93 MB at 500 turns, domain included), and the editor's preview up to 10,000 customer questions
# (~0.7 MB at 60 characters each). 8 MiB holds a 4,000-turn session (over two hours of messages at the helpdesk's
# limit of 30 a minute per conversation; a session ends after 60 idle minutes) and 10,000 questions of 800 bytes.
MAX_BODY_BYTES = 8 * 1024 * 1024


def max_body_bytes() -> int:
    """ACTION_MAX_BODY_BYTES, or MAX_BODY_BYTES when unset or not a positive whole number."""
    given = os.environ.get("ACTION_MAX_BODY_BYTES", "").strip()
    return int(given) if given.isdigit() and int(given) > 0 else MAX_BODY_BYTES


def usable(questions: list[Any]) -> tuple[list[str], int]:
    """The questions a preview is computed on (stripped, each cut to MAX_QUESTION_CHARS, blank or non-text ones
    skipped, at most MAX_PREVIEW_QUESTIONS in the order given) and how many were left out."""
    kept = [q.strip()[:MAX_QUESTION_CHARS].strip() for q in questions if isinstance(q, str) and q.strip()]
    kept = kept[:MAX_PREVIEW_QUESTIONS]
    return kept, len(questions) - len(kept)


def _encoded(body: object) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fitted_body(body: dict[str, Any], questions: list[str], limit: int) -> tuple[bytes, int]:
    """``body`` with as many of ``questions`` (in order, each cut to MAX_QUESTION_CHARS) as fit in ``limit`` bytes
    as its "questions", encoded; and how many were left out."""
    cut = [q[:MAX_QUESTION_CHARS] for q in questions[:MAX_PREVIEW_QUESTIONS]]
    room = limit - len(_encoded({**body, "questions": []}))
    kept = 0
    for question in cut:
        size = len(_encoded(question)) + (1 if kept else 0)  # its JSON string and the comma before it
        if size > room:
            break
        room -= size
        kept += 1
    return _encoded({**body, "questions": cut[:kept]}), len(questions) - kept
