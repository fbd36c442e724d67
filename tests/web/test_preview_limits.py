"""The handbook editor's impact preview past its request limits (helpdesk/knowledge/preview_limits.py), through the
running stack's action server: more questions than a preview takes, blank and over-long ones, and a question list
whose request would pass the action server's body limit are trimmed, and the preview says how many were left out,
instead of failing (400 / 413 before)."""

from __future__ import annotations

import asyncio

import httpx

from helpdesk.clients.action_server import ActionServerClient
from helpdesk.knowledge.preview_limits import MAX_BODY_BYTES, MAX_PREVIEW_QUESTIONS
from helpdesk.stack import Stack

ASKED = ["do you gift wrap presents", "Do you have next-day delivery?", "how do I look after a soy candle"]


def test_more_questions_than_a_preview_takes_are_trimmed_not_refused(stack: Stack) -> None:
    questions = ASKED * 3350 + ["   ", "Do you have next-day delivery? " + "really " * 400]  # 10,052
    assert len(questions) > MAX_PREVIEW_QUESTIONS
    answer = httpx.post(
        f"http://127.0.0.1:{stack.ports.actions}/kb/preview",
        json={"entry_id": "express-delivery", "entry": None, "questions": questions, "held_out": False},
        timeout=600,
    )
    assert answer.status_code == 200, answer.text[:300]
    found = answer.json()
    assert found["questions"] == MAX_PREVIEW_QUESTIONS
    assert found["left_out"] == len(questions) - MAX_PREVIEW_QUESTIONS
    assert "Do you have next-day delivery?" in {o["question"] for o in found["stopped"]}  # still computed


def test_a_question_list_past_the_body_limit_is_trimmed_to_fit(stack: Stack) -> None:
    long_question = "Do you have next-day delivery? " + "I need it quickly for a birthday. " * 55  # ~1,900 chars
    questions = [f"{long_question}({n})" for n in range(10)] * 460  # 4,600 questions, ~8.8 MB as JSON
    assert len(long_question) * len(questions) > MAX_BODY_BYTES

    async def preview() -> dict[str, object]:
        client = ActionServerClient(f"http://127.0.0.1:{stack.ports.actions}")
        try:
            return await client.preview("express-delivery", None, questions, held_out=False)
        finally:
            await client.close()

    found = asyncio.run(preview())
    left_out = int(found["left_out"])  # type: ignore[call-overload]
    assert 0 < left_out < len(questions)
    assert found["questions"] == len(questions) - left_out
    assert found["stopped"]  # the long questions about next-day delivery lose express-delivery's answer
