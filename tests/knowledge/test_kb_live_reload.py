"""Content editors' changes go live in the running service, through the chat a customer uses."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx

from helpdesk.stack import Stack

PARROT_ENTRY = """---
id: pets-in-showroom
title: Can I bring my pet to the Utrecht showroom?
questions:
  - Are dogs allowed in your showroom?
  - Can my parrot come with me to the showroom?
  - Is the showroom pet friendly?
tags: [showroom]
---
Well-behaved pets on a lead or in a carrier are welcome in our Utrecht showroom.
"""


def ask(client: httpx.Client, text: str) -> dict:
    response = client.post("/api/chat", json={"conversation_id": None, "text": text})
    assert response.status_code == 200, response.text
    return response.json()


def eventually(check: Callable[[], bool], timeout: float = 20.0) -> bool:
    """Poll until `check` holds (the service watches the files; this only bounds the wait)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return check()


def answered_with(client: httpx.Client, question: str, faq_id: str) -> bool:
    body = ask(client, question)
    return bool(body["faq"]) and body["faq"]["id"] == faq_id


def test_added_edited_broken_and_deleted_entries_are_live(client: httpx.Client, handbook_dir: Path) -> None:
    question = "are pets allowed in your showroom?"
    assert not answered_with(client, question, "pets-in-showroom")

    # add
    new_file = handbook_dir / "help" / "pets-in-showroom.md"
    new_file.write_text(PARROT_ENTRY, encoding="utf-8")
    assert eventually(lambda: answered_with(client, question, "pets-in-showroom"))
    assert client.get("/help/pets-in-showroom").status_code == 200

    # edit the answer
    new_file.write_text(PARROT_ENTRY.replace("Well-behaved pets", "Friendly dogs and other pets"), encoding="utf-8")
    assert eventually(lambda: "Friendly dogs" in ask(client, question)["replies"][0]["text"])

    # break it: the last good version keeps serving
    new_file.write_text(PARROT_ENTRY.replace("title: Can I", "title: [unclosed"), encoding="utf-8")
    time.sleep(3)  # several watch intervals: the broken file has been seen and skipped
    body = ask(client, question)
    assert body["faq"]["id"] == "pets-in-showroom"
    assert "Friendly dogs" in body["replies"][0]["text"]

    # delete
    new_file.unlink()
    assert eventually(lambda: not answered_with(client, question, "pets-in-showroom"))
    assert client.get("/help/pets-in-showroom").status_code == 404


def test_existing_entry_edit_is_served(client: httpx.Client, handbook_dir: Path) -> None:
    path = handbook_dir / "help" / "opening-hours.md"
    original = path.read_text(encoding="utf-8")
    question = "when is your customer service open?"
    assert answered_with(client, question, "opening-hours")
    try:
        path.write_text(original.replace("available 24/7", "available every hour of the year"), encoding="utf-8")
        assert eventually(lambda: "every hour of the year" in ask(client, question)["replies"][0]["text"])
    finally:
        path.write_text(original, encoding="utf-8")
    assert eventually(lambda: "available 24/7" in ask(client, question)["replies"][0]["text"])


def knowledge_build(client: httpx.Client) -> dict:
    body = client.get("/healthz").json()
    return body["knowledge"]["build"]


def test_incremental_changes_survive_a_restart_of_the_actions(
    client: httpx.Client, handbook_dir: Path, stack: Stack
) -> None:
    """Edit, add and delete via the incremental path; a restart serves the same and embeds nothing."""
    edited = handbook_dir / "help" / "opening-hours.md"
    deleted = handbook_dir / "returns" / "refund-policy.md"
    added = handbook_dir / "help" / "pets-in-showroom.md"
    hours, refunds = edited.read_text(encoding="utf-8"), deleted.read_text(encoding="utf-8")
    hours_question, pets_question, refund_question = (
        "when is your customer service open?",
        "are pets allowed in your showroom?",
        "What is your refund policy?",
    )
    assert answered_with(client, refund_question, "refund-policy")
    try:
        edited.write_text(hours.replace("available 24/7", "available day and night"), encoding="utf-8")
        added.write_text(PARROT_ENTRY, encoding="utf-8")
        deleted.unlink()
        assert eventually(lambda: "day and night" in ask(client, hours_question)["replies"][0]["text"])
        assert eventually(lambda: answered_with(client, pets_question, "pets-in-showroom"))
        assert eventually(lambda: not answered_with(client, refund_question, "refund-policy"))

        # the watcher saves in the background: restart once the changes are on disk
        assert eventually(lambda: not client.get("/healthz").json()["knowledge"]["unsaved_changes"])
        stack.stop_service("actions")
        stack.start_service("actions")
        stack.wait_ready(timeout=300)
        build = knowledge_build(client)
        assert build["embedded_texts"] == 0  # everything came from the index the watcher kept saving
        assert "day and night" in ask(client, hours_question)["replies"][0]["text"]
        assert answered_with(client, pets_question, "pets-in-showroom")
        assert not answered_with(client, refund_question, "refund-policy")
        assert client.get("/help/refund-policy").status_code == 404
        assert client.get("/help/pets-in-showroom").status_code == 200
    finally:
        edited.write_text(hours, encoding="utf-8")
        deleted.write_text(refunds, encoding="utf-8")
        added.unlink(missing_ok=True)
    assert eventually(lambda: answered_with(client, refund_question, "refund-policy"))
    assert eventually(lambda: "available 24/7" in ask(client, hours_question)["replies"][0]["text"])
    assert eventually(lambda: not answered_with(client, pets_question, "pets-in-showroom"))
