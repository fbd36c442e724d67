"""Making follow-up tasks through the real stack."""

from __future__ import annotations

import httpx

from support.agent import Console, say


def handed_back(console: Console, client: httpx.Client, question: str, note: str | None = None) -> str:
    """A conversation whose customer asked `question`, then for a person; the agent claims it, optionally leaves an
    internal `note`, and hands it back to the bot (which opens a follow-up)."""
    conversation = say(client, "hello")["conversation_id"]
    say(client, question, conversation)
    assert say(client, "I want to talk to a real person please", conversation)["mode"] == "queued"
    assert console.post(f"/conversations/{conversation}/claim").status_code == 200
    if note:
        assert console.post(f"/conversations/{conversation}/notes", {"text": note}).status_code == 201
    assert console.post(f"/conversations/{conversation}/handback").status_code == 200
    return conversation
