"""Corrections: an agent marks the bot's reading of one customer turn wrong and names the right route; a supervisor,
an admin or an editor accepts or rejects it. Who may do what:

- **mark** (`mark`): agents, supervisors and admins, on a customer turn of a conversation they may view, that the
  bot read (it has the bot's guesses) and that was typed (not a button). One correction per turn: marking it again
  while it waits for review replaces it (the latest marker is its author); a reviewed one is not changed (409).
- **review** (`review`, `review_list`): supervisors, admins and editors. Editors never see conversations: the
  review list shows the customer's words masked, as the unanswered-questions report does.

Refusals are domain errors (helpdesk.errors); a marker is limited to `MARKS_PER_WINDOW` corrections per
`MARK_WINDOW` seconds (429).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.conversation.desk import NOT_YOURS, may_view
from helpdesk.corrections.labels import INTENT_WORDS, Labels
from helpdesk.db.models import (
    CORRECTION_FAQ,
    CORRECTION_INTENT,
    CORRECTION_KINDS,
    CORRECTION_NEW_QUESTION,
    REVIEW_ACCEPTED,
    REVIEW_PENDING,
    REVIEW_REJECTED,
    REVIEW_STATES,
    Agent,
    Conversation,
    Correction,
    Message,
    iso,
    utcnow,
)
from helpdesk.errors import Conflict, Forbidden, Invalid, NotFound, TooMany
from helpdesk.limits.window import Limiter
from helpdesk.reports.unanswered import mask
from helpdesk.staff.accounts import display_names
from helpdesk.vocabulary import SENDER_CUSTOMER

MAX_NOTE = 500
MARKS_PER_WINDOW = 60
MARK_WINDOW = 600.0  # seconds
REVIEW_PAGE = 200  # the review list shows at most this many, newest first
DECISIONS = {"accept": REVIEW_ACCEPTED, "reject": REVIEW_REJECTED}


def may_mark(agent: Agent) -> bool:
    return not agent.is_editor


def may_review(agent: Agent) -> bool:
    return agent.can_supervise or agent.is_editor


@dataclass(frozen=True)
class Route:
    """What the agent says was right: kind (intent | faq | new_question) and label (None for new_question)."""

    kind: str
    label: str | None


class Corrections:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], limiter: Limiter, labels: Labels) -> None:
        self.sessions = sessions
        self.limiter = limiter
        self.labels = labels

    # ---- choices ----------------------------------------------------------------------------------

    async def choices(self, agent: Agent) -> dict[str, Any]:
        """The intents in words and the handbook's entries, for the console's picker."""
        if not (may_mark(agent) or may_review(agent)):
            raise Forbidden("your role may not correct the bot")
        return await asyncio.to_thread(self.labels.to_json)

    async def route(self, kind: Any, label: Any) -> Route:
        if kind not in CORRECTION_KINDS:
            raise Invalid(f"kind must be one of {', '.join(CORRECTION_KINDS)}")
        if kind == CORRECTION_NEW_QUESTION:
            if label not in (None, ""):
                raise Invalid("a new question has no label")
            return Route(kind, None)
        if not isinstance(label, str) or not label.strip() or len(label) > 100:
            raise Invalid("label must name an intent or a handbook entry")
        label = label.strip()
        if kind == CORRECTION_INTENT and not self.labels.is_intent(label):
            raise Invalid(f"no such intent: {label} (a handbook answer is chosen by its entry)")
        if kind == CORRECTION_FAQ and not await asyncio.to_thread(self.labels.is_entry, label):
            raise Invalid(f"no such handbook entry: {label}")
        return Route(kind, label)

    # ---- marking ----------------------------------------------------------------------------------

    async def mark(self, agent: Agent, message_id: int, kind: Any, label: Any, note: str | None) -> dict[str, Any]:
        """The agent's correction of one customer turn (new, or replacing their colleague's pending one)."""
        if not may_mark(agent):
            raise Forbidden("an editor's account reviews corrections; agents make them")
        if note is not None and len(note) > MAX_NOTE:
            raise Invalid(f"the note is longer than {MAX_NOTE} characters")
        route = await self.route(kind, label)
        async with self.sessions() as session:
            message = await session.get(Message, message_id)
            if message is None:
                raise NotFound("no such message")
            conversation = await session.get(Conversation, message.conversation_id)
            if conversation is None or not may_view(agent, conversation):
                raise Forbidden(NOT_YOURS)
            if message.sender != SENDER_CUSTOMER:
                raise Invalid("only a customer's message can be corrected")
            if message.payload:
                raise Invalid("this was a button press, not the customer's own words")
            if not isinstance(message.nlu, dict) or not message.nlu.get("intent"):
                raise Conflict("the bot did not read this message (it came while a person had the chat)")
            correction = await session.scalar(select(Correction).where(Correction.message_id == message_id))
            if correction is not None and correction.status != REVIEW_PENDING:
                raise Conflict(f"this correction was {correction.status} already")
            if route.kind == CORRECTION_INTENT and message.nlu.get("intent") == route.label:
                raise Invalid("that is what the bot read: pick what would have been right")
            hit = await self.limiter.hit(str(agent.id))
            if not hit.allowed:
                raise TooMany("too many corrections in a short time: try again later", hit.retry_after)
            if correction is None:
                correction = Correction(message_id=message_id, conversation_id=message.conversation_id)
                session.add(correction)
            correction.kind, correction.label = route.kind, route.label
            correction.note = note or None
            correction.agent_id, correction.created_at = agent.id, utcnow()
            await session.commit()
            return (await self._rows(session, [correction], masked=False))[0]

    async def withdraw(self, agent: Agent, correction_id: int) -> None:
        """Its author (or a supervisor) takes back a correction still waiting for review."""
        async with self.sessions() as session:
            correction = await session.get(Correction, correction_id)
            if correction is None:
                raise NotFound("no such correction")
            if correction.agent_id != agent.id and not agent.can_supervise:
                raise Forbidden("only its author or a supervisor may take a correction back")
            if correction.status != REVIEW_PENDING:
                raise Conflict(f"this correction was {correction.status} already")
            await session.delete(correction)
            await session.commit()

    async def for_conversation(self, agent: Agent, conversation_id: str) -> list[dict[str, Any]]:
        """The corrections of one conversation's turns, for whoever may view it."""
        async with self.sessions() as session:
            conversation = await session.get(Conversation, conversation_id)
            if conversation is None:
                raise NotFound("no such conversation")
            if not may_mark(agent) or not may_view(agent, conversation):
                raise Forbidden(NOT_YOURS)
            found = await session.scalars(
                select(Correction).where(Correction.conversation_id == conversation_id).order_by(Correction.id)
            )
            return await self._rows(session, list(found), masked=False)

    # ---- review -----------------------------------------------------------------------------------

    async def review_list(self, agent: Agent, status: str | None) -> dict[str, Any]:
        """Corrections in one state (default: waiting), newest first, the customer's words masked; with counts."""
        if not may_review(agent):
            raise Forbidden("corrections are reviewed by supervisors, admins and editors")
        wanted = status or REVIEW_PENDING
        if wanted not in (*REVIEW_STATES, "all"):
            raise Invalid(f"status must be one of {', '.join(REVIEW_STATES)} or all")
        async with self.sessions() as session:
            query = select(Correction).order_by(Correction.id.desc()).limit(REVIEW_PAGE)
            if wanted != "all":
                query = query.where(Correction.status == wanted)
            found = list(await session.scalars(query))
            counts = {state: 0 for state in REVIEW_STATES}
            for state in await session.scalars(select(Correction.status)):
                counts[state] = counts.get(state, 0) + 1
            return {"corrections": await self._rows(session, found, masked=True), "counts": counts}

    async def review(self, agent: Agent, correction_id: int, decision: Any) -> dict[str, Any]:
        """Accept (it will be exported) or reject a correction; a reviewer may change their mind later."""
        if not may_review(agent):
            raise Forbidden("corrections are reviewed by supervisors, admins and editors")
        if decision not in DECISIONS:
            raise Invalid('decision must be "accept" or "reject"')
        async with self.sessions() as session:
            correction = await session.get(Correction, correction_id)
            if correction is None:
                raise NotFound("no such correction")
            gone = correction.kind == CORRECTION_FAQ and not await asyncio.to_thread(
                self.labels.is_entry, correction.label or ""
            )
            if gone and decision == "accept":
                raise Conflict(f"the handbook has no entry {correction.label} any more")
            correction.status = DECISIONS[decision]
            correction.reviewer_id, correction.reviewed_at = agent.id, utcnow()
            await session.commit()
            return (await self._rows(session, [correction], masked=True))[0]

    # ---- rows -------------------------------------------------------------------------------------

    async def _rows(self, session: AsyncSession, found: list[Correction], masked: bool) -> list[dict[str, Any]]:
        if not found:
            return []
        messages = {
            m.id: m for m in await session.scalars(select(Message).where(Message.id.in_([c.message_id for c in found])))
        }
        names = await display_names(session, [c.agent_id for c in found] + [c.reviewer_id for c in found])
        entries = await asyncio.to_thread(self.labels.entries)
        rows = []
        for c in found:
            message = messages.get(c.message_id)
            nlu = message.nlu if message is not None and isinstance(message.nlu, dict) else {}
            candidates = message.faq_candidates if message is not None else None
            top = (candidates or {}).get("candidates") or [] if isinstance(candidates, dict) else []
            text = message.text if message is not None else ""
            rows.append(
                {
                    "id": c.id,
                    "message_id": c.message_id,
                    "conversation_id": None if masked else c.conversation_id,
                    "text": mask(text) if masked else text,
                    "language": message.language if message is not None else None,
                    "bot": {
                        "intent": nlu.get("intent"),
                        "confidence": nlu.get("confidence"),
                        "faq_id": top[0].get("id") if top and isinstance(top[0], dict) else None,
                        "faq_title": top[0].get("title") if top and isinstance(top[0], dict) else None,
                    },
                    "kind": c.kind,
                    "label": c.label,
                    "label_text": _label_text(c, entries),
                    "note": mask(c.note) if masked and c.note else c.note,
                    "agent": names.get(c.agent_id),
                    "agent_id": c.agent_id,
                    "created_at": iso(c.created_at),
                    "status": c.status,
                    "reviewer": names.get(c.reviewer_id or 0),
                    "reviewed_at": iso(c.reviewed_at),
                }
            )
        return rows


def _label_text(correction: Correction, entries: dict[str, Any]) -> str:
    if correction.kind == CORRECTION_NEW_QUESTION:
        return "New question (the handbook does not answer it)"
    if correction.kind == CORRECTION_INTENT:
        return INTENT_WORDS.get(correction.label or "", (correction.label or "", ""))[0]
    entry = entries.get(correction.label or "")
    return entry.title if entry is not None else f"{correction.label} (no longer in the handbook)"
