"""Follow-up tasks: getting back to customers whose time with the agents went badly.

A follow-up is opened at most once per handoff (the conversation's latest handoff and what followed it: the
queue, the agents' stints; helpdesk/conversation/lifecycle.py). A handoff is not an *episode*, the dashboard's
unit (helpdesk/reports/metrics.py defines it): one episode may hold several handoffs. A follow-up opens when:

- ``low_rating``: the customer rated the agent's help 1 or 2 (out of 5) — from ``ChatService.rate``;
- ``handed_back``: an agent handed the conversation back to the bot instead of resolving it, so it left the
  agent side without a resolution — from ``Desk.hand_back``;
- ``abandoned``: the conversation waited in the queue ``FOLLOWUP_ABANDONED_MINUTES`` (default 30) without any
  agent claiming it and without a new customer message in that time — the customer has most likely given up
  (a message left out of business hours is not abandoned: it waits for the team by design).
  Every helpdesk process sweeps for these once a minute; the unique (conversation, handoff) index keeps it
  to one task however many processes race.

A second reason in a handoff that has its task already (abandoned, then claimed and rated 1) becomes a
comment on that task. Supervisors and admins see every task, assign it to an agent, comment, and mark it
done (or open again); an agent sees, comments on and closes only the tasks assigned to them; editors none.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.conversation import desk_cards
from helpdesk.conversation.queue import customer_wrote
from helpdesk.db.batches import in_batches
from helpdesk.db.models import (
    FOLLOW_UP_ABANDONED,
    FOLLOW_UP_DONE,
    FOLLOW_UP_HANDED_BACK,
    FOLLOW_UP_LOW_RATING,
    FOLLOW_UP_OPEN,
    Agent,
    Conversation,
    FollowUp,
    FollowUpComment,
    Handoff,
    Message,
    Note,
    Rating,
    aware,
    iso,
    utcnow,
)
from helpdesk.errors import Forbidden, Invalid, NotFound
from helpdesk.realtime.hub import CONSOLE, Hub
from helpdesk.staff.accounts import display_names
from helpdesk.vocabulary import MODE_QUEUED, SENDER_CUSTOMER

log = logging.getLogger(__name__)

LOW_RATING_MAX = 2
STATUSES = (FOLLOW_UP_OPEN, FOLLOW_UP_DONE)
TRANSCRIPT_MESSAGES = 60  # the latest messages a task shows
PREVIEW_CHARS = 160
MAX_BULK = 200
SWEEP_SECONDS = 60.0
REASON_TEXT = {
    FOLLOW_UP_LOW_RATING: "rated the help",
    FOLLOW_UP_HANDED_BACK: "handed back to the bot without a resolution",
    FOLLOW_UP_ABANDONED: "left waiting in the queue",
}


async def _latest_handoff(session: AsyncSession, conversation_id: str) -> int | None:
    """The conversation's latest handoff: the one a follow-up is about now."""
    return await session.scalar(
        select(Handoff.id).where(Handoff.conversation_id == conversation_id).order_by(Handoff.id.desc()).limit(1)
    )


async def _existing(session: AsyncSession, conversation_id: str, handoff_id: int | None) -> FollowUp | None:
    same = FollowUp.handoff_id.is_(None) if handoff_id is None else FollowUp.handoff_id == handoff_id
    return await session.scalar(select(FollowUp).where(FollowUp.conversation_id == conversation_id, same))


async def record(session: AsyncSession, conversation_id: str, reason: str, detail: str | None) -> FollowUp | None:
    """Open the latest handoff's follow-up (the caller commits); None when it has one already (the new reason is
    added to it as a comment instead)."""
    handoff_id = await _latest_handoff(session, conversation_id)
    found = await _existing(session, conversation_id, handoff_id)
    if found is None:
        try:
            async with session.begin_nested():
                session.add(
                    FollowUp(
                        conversation_id=conversation_id,
                        handoff_id=handoff_id,
                        reason=reason,
                        detail=detail,
                        status=FOLLOW_UP_OPEN,
                    )
                )
        except IntegrityError:  # another process opened it a moment ago
            found = await _existing(session, conversation_id, handoff_id)
        else:
            return await _existing(session, conversation_id, handoff_id)
    if found is not None and found.reason != reason:
        note = f"Also {REASON_TEXT.get(reason, reason)}" + (f": {detail}" if detail else ".")
        session.add(FollowUpComment(follow_up_id=found.id, agent_id=None, text=note))
    return None


async def after_rating(session: AsyncSession, rating: Rating) -> FollowUp | None:
    """A rating of 1-2 opens a follow-up (in the rating's own transaction), naming the agent the customer rated: whoever
    gets back to them reads whose help it was (the task said "rated 1/5" only)."""
    if rating.score > LOW_RATING_MAX:
        return None
    rated = (await display_names(session, [rating.agent_id])).get(rating.agent_id or 0)
    detail = (f"rated {rated} {rating.score}/5" if rated else f"rated {rating.score}/5") + (
        f": “{rating.comment}”" if rating.comment else ""
    )
    return await record(session, rating.conversation_id, FOLLOW_UP_LOW_RATING, detail)


async def after_hand_back(session: AsyncSession, conversation_id: str, agent: Agent) -> FollowUp | None:
    return await record(session, conversation_id, FOLLOW_UP_HANDED_BACK, f"{agent.display_name} handed it back")


async def announce(hub: Hub, follow_up: FollowUp | None, previous_assignee: int | None = None) -> None:
    """Tell the consoles that may list it (supervisors, its assignee, its former assignee)."""
    if follow_up is None:
        return
    await hub.publish(
        CONSOLE,
        {
            "type": "follow_up",
            "follow_up_id": follow_up.id,
            "conversation_id": follow_up.conversation_id,
            "status": follow_up.status,
            "assignee": follow_up.assignee_id,
            "previous_assignee": previous_assignee,
        },
    )


async def abandoned_conversations(session: AsyncSession, minutes: float, now: datetime | None = None) -> list[str]:
    """Conversations queued for over `minutes` with no customer message in that time (and at least one ever)."""
    cutoff = (now or utcnow()) - timedelta(minutes=minutes)
    last_customer = (
        select(func.max(Message.created_at))
        .where(Message.conversation_id == Conversation.id, Message.sender == SENDER_CUSTOMER)
        .scalar_subquery()
    )
    rows = await session.scalars(
        select(Conversation.id).where(
            Conversation.mode == MODE_QUEUED,
            Conversation.left_message_at.is_(None),  # a message left out of hours waits for the team by design
            customer_wrote(),  # nothing to follow up on when the customer only pressed buttons
            Conversation.queued_at < cutoff,
            func.coalesce(last_customer, Conversation.queued_at) < cutoff,
        )
    )
    return list(rows)


async def sweep_abandoned(
    sessions: async_sessionmaker[AsyncSession], hub: Hub, minutes: float, now: datetime | None = None
) -> list[FollowUp]:
    """Open the `abandoned` follow-ups that are due; returns the ones opened now."""
    opened = []
    async with sessions() as session:
        for conversation_id in await abandoned_conversations(session, minutes, now):
            handoff_id = await _latest_handoff(session, conversation_id)
            if await _existing(session, conversation_id, handoff_id) is not None:
                continue
            detail = f"no agent claimed it within {minutes:g} minutes"
            follow_up = await record(session, conversation_id, FOLLOW_UP_ABANDONED, detail)
            if follow_up is not None:
                opened.append(follow_up)
        await session.commit()
    for follow_up in opened:
        await announce(hub, follow_up)
    return opened


async def sweep_forever(sessions: async_sessionmaker[AsyncSession], hub: Hub, minutes: float) -> None:
    while True:
        try:
            await sweep_abandoned(sessions, hub, minutes)
        except Exception:  # the next sweep tries again
            log.exception("could not sweep for abandoned conversations")
        await asyncio.sleep(SWEEP_SECONDS)


# ---- the tasks in the console -----------------------------------------------------------------------
def may_see(agent: Agent, follow_up: FollowUp) -> bool:
    return agent.can_supervise or follow_up.assignee_id == agent.id


@dataclass
class FollowUps:
    """The console's follow-up tasks: who sees which, assigning, commenting, closing."""

    sessions: async_sessionmaker[AsyncSession]
    hub: Hub

    async def _load(self, session: AsyncSession, agent: Agent, follow_up_id: int) -> FollowUp:
        follow_up = await session.get(FollowUp, follow_up_id)
        if follow_up is None or not may_see(agent, follow_up):  # another agent's task does not exist for them
            raise NotFound("no such follow-up")
        return follow_up

    @staticmethod
    def _json(
        follow_up: FollowUp,
        names: dict[int, str],
        comments: int,
        preview: str | None = None,
        customer: str | None = None,
    ) -> dict[str, Any]:
        return {
            "id": follow_up.id,
            "conversation_id": follow_up.conversation_id,
            # who to get back to: the name the bot verified (desk_cards, as the chat cards); the triage page showed
            # only what they typed (walkthrough 2026-12-07)
            "customer_name": customer,
            "reason": follow_up.reason,
            "detail": follow_up.detail,
            "status": follow_up.status,
            "assignee": follow_up.assignee_id,
            "assignee_name": names.get(follow_up.assignee_id or 0),
            "created_at": iso(follow_up.created_at),
            "done_at": iso(follow_up.done_at),
            "done_by_name": names.get(follow_up.done_by or 0),
            "comments": comments,
            "preview": preview,
            "group": f"{follow_up.reason}|{follow_up.detail or ''}",
        }

    async def listed(self, agent: Agent, status: str | None) -> list[dict[str, Any]]:
        """Open ones first (oldest first), then done ones (newest first)."""
        if status is not None and status not in STATUSES:
            raise Invalid(f"status must be one of {', '.join(STATUSES)} (or absent for all)")
        query = select(FollowUp)
        if not agent.can_supervise:
            query = query.where(FollowUp.assignee_id == agent.id)
        if status is not None:
            query = query.where(FollowUp.status == status)
        async with self.sessions() as session:
            rows = list(await session.scalars(query.order_by(FollowUp.id)))
            counted = await session.execute(
                select(FollowUpComment.follow_up_id, func.count())
                .where(FollowUpComment.follow_up_id.in_([f.id for f in rows]))
                .group_by(FollowUpComment.follow_up_id)
            )
            counts: dict[int, int] = {follow_up_id: count for follow_up_id, count in counted.all()}
            names = await display_names(session, [f.assignee_id for f in rows] + [f.done_by for f in rows])
            previews = await self._previews(session, rows)
            customers = await self._customers(session, rows)
        rows.sort(key=lambda f: (f.status != FOLLOW_UP_OPEN, f.id if f.status == FOLLOW_UP_OPEN else -f.id))
        return [
            self._json(f, names, counts.get(f.id, 0), previews.get(f.id), customers.get(f.conversation_id))
            for f in rows
        ]

    @staticmethod
    async def _customers(session: AsyncSession, rows: list[FollowUp]) -> dict[str, str | None]:
        """Each task's customer by name, where the bot (or a left message) knows it."""
        conversation_ids = list({f.conversation_id for f in rows})
        found: dict[str, str | None] = {}
        for batch in in_batches(conversation_ids):
            for conversation in await session.scalars(select(Conversation).where(Conversation.id.in_(batch))):
                found[conversation.id] = desk_cards.customer_name(conversation)
        return found

    @staticmethod
    async def _previews(session: AsyncSession, rows: list[FollowUp]) -> dict[int, str]:
        """What each customer wanted: their latest real line as the console's cards read it (desk_cards: not hello,
        thanks, "a person please" or the e-mail address the bot asked for) up to the task's handoff, else their latest
        message; cut to PREVIEW_CHARS."""
        if not rows:
            return {}
        conversation_ids = list({f.conversation_id for f in rows})
        handoff_at: dict[int, Any] = {}
        handoff_ids = [f.handoff_id for f in rows if f.handoff_id is not None]
        if handoff_ids:
            handoffs = await session.execute(select(Handoff.id, Handoff.created_at).where(Handoff.id.in_(handoff_ids)))
            handoff_at = {hid: aware(at) for hid, at in handoffs.all()}
        said: dict[str, list[tuple[Any, str, str | None]]] = {}
        for batch in in_batches(conversation_ids):
            found = await session.execute(
                select(Message.conversation_id, Message.created_at, Message.text, Message.nlu["intent"].as_string())
                .where(Message.conversation_id.in_(batch), Message.sender == SENDER_CUSTOMER)
                .order_by(Message.id)
            )
            for conversation_id, at, text, intent in found.all():
                said.setdefault(conversation_id, []).append((aware(at), text, intent))
        previews: dict[int, str] = {}
        for follow_up in rows:
            until = handoff_at.get(follow_up.handoff_id or 0)
            turns = [t for t in said.get(follow_up.conversation_id, []) if until is None or t[0] <= until]
            turns = turns or said.get(follow_up.conversation_id, [])
            real = [
                t
                for t in turns
                if not t[1].startswith("/") and not desk_cards.is_steering(t[1], t[2], desk_cards.LATEST_STEERING_WORDS)
            ]
            chosen = (real or turns)[-1:] if turns else []
            if chosen:
                text = " ".join(chosen[0][1].split())
                previews[follow_up.id] = text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"
        return previews

    async def bulk(self, agent: Agent, ids: list[int], action: str, assignee_id: int | None = None) -> dict[str, Any]:
        """Many tasks at once: "assign" (supervisors: to `assignee_id`, or None to unassign), "close" or "reopen"
        (anyone, on the tasks they may see). Tasks the agent may not see are left out, not refused."""
        if action not in ("assign", "close", "reopen"):
            raise Invalid('action must be "assign", "close" or "reopen"')
        if not ids or len(ids) > MAX_BULK:
            raise Invalid(f"give 1 to {MAX_BULK} follow-up ids")
        if action == "assign" and not agent.can_supervise:
            raise Forbidden("only supervisors and admins assign follow-ups")
        changed: list[tuple[FollowUp, int | None]] = []
        async with self.sessions() as session:
            if action == "assign" and assignee_id is not None:
                target = await session.get(Agent, assignee_id)
                if target is None or not target.active or target.is_editor:
                    raise Invalid("no active agent with that id")
            rows = list(await session.scalars(select(FollowUp).where(FollowUp.id.in_(ids))))
            for follow_up in rows:
                if not may_see(agent, follow_up):
                    continue
                previous = follow_up.assignee_id
                if action == "assign":
                    if follow_up.assignee_id == assignee_id:
                        continue
                    follow_up.assignee_id = assignee_id
                else:
                    status = FOLLOW_UP_DONE if action == "close" else FOLLOW_UP_OPEN
                    if follow_up.status == status:
                        continue
                    follow_up.status = status
                    follow_up.done_at = utcnow() if status == FOLLOW_UP_DONE else None
                    follow_up.done_by = agent.id if status == FOLLOW_UP_DONE else None
                changed.append((follow_up, previous))
            await session.commit()
        for follow_up, previous in changed:
            await announce(self.hub, follow_up, previous)
        return {"changed": len(changed), "ids": [f.id for f, _ in changed]}

    async def detail(self, agent: Agent, follow_up_id: int) -> dict[str, Any]:
        """The task with its comments, the conversation's latest rating and transcript (customer text: untrusted)."""
        async with self.sessions() as session:
            follow_up = await self._load(session, agent, follow_up_id)
            comments = list(
                await session.scalars(
                    select(FollowUpComment)
                    .where(FollowUpComment.follow_up_id == follow_up.id)
                    .order_by(FollowUpComment.id)
                )
            )
            messages = list(
                await session.scalars(
                    select(Message)
                    .where(Message.conversation_id == follow_up.conversation_id)
                    .order_by(Message.id.desc())
                    .limit(TRANSCRIPT_MESSAGES)
                )
            )[::-1]
            notes = list(
                await session.scalars(
                    select(Note).where(Note.conversation_id == follow_up.conversation_id).order_by(Note.id)
                )
            )
            rating = await session.scalar(
                select(Rating)
                .where(Rating.conversation_id == follow_up.conversation_id)
                .order_by(Rating.id.desc())
                .limit(1)
            )
            names = await display_names(
                session,
                [follow_up.assignee_id, follow_up.done_by]
                + [c.agent_id for c in comments]
                + [m.agent_id for m in messages]
                + [n.agent_id for n in notes]
                + [rating.agent_id if rating else None],
            )
            conversation = await session.get(Conversation, follow_up.conversation_id)
        customer = desk_cards.customer_name(conversation) if conversation is not None else None
        body = self._json(follow_up, names, len(comments), customer=customer)
        body["comments_list"] = [
            {
                "id": c.id,
                "author": names.get(c.agent_id, "agent") if c.agent_id else "Helpdesk",
                "text": c.text,
                "created_at": iso(c.created_at),
            }
            for c in comments
        ]
        body["rating"] = (
            {
                "score": rating.score,
                "comment": rating.comment,
                "created_at": iso(rating.created_at),
                "agent_name": names.get(rating.agent_id or 0),  # whose help the customer rated
            }
            if rating
            else None
        )
        # the agents' internal notes in their place in the transcript (sender "note": never shown to the customer)
        first_shown = aware(messages[0].created_at) if messages else None
        entries = [
            (aware(m.created_at), 0, m.id, {"sender": m.sender, "author": names.get(m.agent_id or 0), "text": m.text})
            for m in messages
        ] + [
            (aware(n.created_at), 1, n.id, {"sender": "note", "author": names.get(n.agent_id), "text": n.text})
            for n in notes
            if first_shown is None or aware(n.created_at) >= first_shown
        ]
        entries.sort(key=lambda e: (e[0], e[1], e[2]))
        body["transcript"] = [{**entry, "created_at": at.isoformat()} for at, _, _, entry in entries]
        return body

    async def assign(self, agent: Agent, follow_up_id: int, assignee_id: int | None) -> dict[str, Any]:
        if not agent.can_supervise:
            raise Forbidden("only supervisors and admins assign follow-ups")
        async with self.sessions() as session:
            follow_up = await self._load(session, agent, follow_up_id)
            if assignee_id is not None:
                target = await session.get(Agent, assignee_id)
                if target is None or not target.active or target.is_editor:
                    raise Invalid("no active agent with that id")
            previous = follow_up.assignee_id
            follow_up.assignee_id = assignee_id
            await session.commit()
        await announce(self.hub, follow_up, previous)
        return await self.detail(agent, follow_up_id)

    async def comment(self, agent: Agent, follow_up_id: int, text: str) -> dict[str, Any]:
        async with self.sessions() as session:
            follow_up = await self._load(session, agent, follow_up_id)
            comment = FollowUpComment(follow_up_id=follow_up.id, agent_id=agent.id, text=text)
            session.add(comment)
            await session.commit()
            body = {"id": comment.id, "author": agent.display_name, "text": text, "created_at": iso(comment.created_at)}
        await announce(self.hub, follow_up)
        return body

    async def set_status(self, agent: Agent, follow_up_id: int, status: str) -> dict[str, Any]:
        if status not in STATUSES:
            raise Invalid(f"status must be one of {', '.join(STATUSES)}")
        async with self.sessions() as session:
            follow_up = await self._load(session, agent, follow_up_id)
            if follow_up.status != status:
                follow_up.status = status
                follow_up.done_at = utcnow() if status == FOLLOW_UP_DONE else None
                follow_up.done_by = agent.id if status == FOLLOW_UP_DONE else None
                await session.commit()
        await announce(self.hub, follow_up)
        return await self.detail(agent, follow_up_id)
