"""The handbook editor's publish gate: a change that makes a held-out figure worse needs a supervisor.

Before an entry is written, deleted or restored, the FAQ engine measures every held-out set with the change in
place against the live handbook (helpdesk/knowledge/held_out.py, computed by the action server's impact
preview). When a figure gets worse by more than ``preview_tolerance`` (knowledge/kb.yml), or the figures cannot
be computed (the engine is not ready), nothing is published unless the request confirms it and comes from a
supervisor or an admin: editors are told a supervisor must publish it (428, with the figures); a supervisor who
confirms publishes it, and the revision says so.
"""

from __future__ import annotations

from typing import Any

from helpdesk.clients.action_server import ActionServerClient, ActionServerUnavailable
from helpdesk.db.models import Agent
from helpdesk.errors import Forbidden, NeedsConfirmation
from helpdesk.knowledge.held_out import describe

MAX_MESSAGE = 500  # a revision's message (handbook_revisions.message)


async def held_out_change(
    actions: ActionServerClient, entry_id: str, entry: dict[str, Any] | None, retired: list[list[str]]
) -> dict[str, Any] | None:
    """The held-out figures before and after the change ({"sets", "tolerance", "worse"}), without the retired
    out-of-scope questions ([set, question] pairs); None when the FAQ engine cannot compute them now."""
    try:
        found = await actions.preview(entry_id, entry, [], held_out=True, retired=retired)
    except ActionServerUnavailable:
        return None
    held = found.get("held_out")
    return held if isinstance(held, dict) and isinstance(held.get("worse"), list) else None


def gate(held: dict[str, Any] | None, confirmed: bool, agent: Agent) -> str:
    """'' when the change may be published as it is; the note for its revision when a supervisor confirmed it.
    Raises NeedsConfirmation (428) without a confirmation, Forbidden (403) when the one confirming may not."""
    if held is not None and not held["worse"]:
        return ""
    if held is None:
        problem = "the held-out figures cannot be computed right now (the FAQ engine is not ready)"
    else:
        problem = "it makes held-out figures worse than the tolerance: " + "; ".join(describe(w) for w in held["worse"])
    if not confirmed:
        raise NeedsConfirmation(
            f"Not published: {problem}. A supervisor or admin must confirm publishing it.",
            held_out=held,
            may_confirm=agent.can_supervise,
        )
    if not agent.can_supervise:
        raise Forbidden(f"Not published: {problem}. Only a supervisor or admin can confirm publishing it.")
    return f"[confirmed by {agent.display_name}: {problem}]"


def with_note(message: str, note: str) -> str:
    """The revision's message with the gate's note after it (within the message column's length)."""
    if not note:
        return message
    joined = f"{message} {note}" if message else note
    return joined if len(joined) <= MAX_MESSAGE else joined[: MAX_MESSAGE - 1] + "…"
