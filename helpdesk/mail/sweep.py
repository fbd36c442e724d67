"""What goes to customers by e-mail, found by looking (every process, every MAIL_POLL_SECONDS): nothing in the chat
or the desk has to remember to send anything, and a notice is queued once however many processes look (the
outbox's dedupe key).

- `left_message`: a conversation where the customer left a message for the team (out of hours, or an e-mail
  address instead of the wait) with an e-mail address: the confirmation, at once.
- `agent_reply`: an agent's reply the customer has not seen on the page (helpdesk/mail/presence.py) after the
  grace period: the replies since they were last there, with the conversation's link.
- `rating_request`: a chat an agent closed after the customer was last on the page, unrated after the grace
  period: the rating link.

Only conversations changed in the last WINDOW are looked at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.conversation.business_hours import OpeningStatus
from helpdesk.conversation.chat import resolved_assignment
from helpdesk.db.models import Conversation, Message, OutboxMail, aware, utcnow
from helpdesk.mail import outbox
from helpdesk.mail.settings import MailSettings
from helpdesk.mail.templates import AGENT_REPLY, LEFT_MESSAGE, RATING_REQUEST, language_of
from helpdesk.vocabulary import MODE_CLOSED, SENDER_AGENT, SENDER_CUSTOMER

WINDOW = timedelta(hours=6)
LEFT_TEXT_MESSAGES = 3  # the customer's latest messages quoted in the confirmation


def contact_email(conversation: Conversation) -> str | None:
    """Where the customer can be written to: the address they left, else one that verified an order."""
    left = (conversation.offline_contact or {}).get("email")
    if isinstance(left, str) and "@" in left:
        return left
    slots = conversation.slots or {}
    email = slots.get("email")
    if slots.get("verification") == "email" and isinstance(email, str) and "@" in email:
        return email
    return None


def seen_after(conversation: Conversation, moment: datetime) -> bool:
    """Was the customer's widget open on the conversation after `moment`?"""
    seen = conversation.customer_seen_at
    return seen is not None and aware(seen) >= aware(moment)


@dataclass(frozen=True)
class Sweep:
    settings: MailSettings

    async def run(self, session: AsyncSession, now: datetime | None = None) -> int:
        """Queue what is due (committed); returns how many mails were queued."""
        now = now or utcnow()
        queued = 0
        queued += await self.left_messages(session, now)
        queued += await self.unseen_replies(session, now)
        queued += await self.rating_links(session, now)
        await session.commit()
        return queued

    async def left_messages(self, session: AsyncSession, now: datetime) -> int:
        rows = list(
            await session.scalars(
                select(Conversation).where(
                    Conversation.left_message_at >= now - WINDOW, Conversation.offline_contact.is_not(None)
                )
            )
        )
        wanted = {f"left:{c.id}:{int(aware(c.left_message_at).timestamp())}": c for c in rows if c.left_message_at}
        done = await outbox.queued_keys(session, list(wanted))
        queued = 0
        for key, conversation in wanted.items():
            email = contact_email(conversation)
            if key in done or email is None:
                continue
            texts = list(
                await session.scalars(
                    select(Message.text)
                    .where(Message.conversation_id == conversation.id, Message.sender == SENDER_CUSTOMER)
                    .order_by(Message.id.desc())
                    .limit(LEFT_TEXT_MESSAGES)
                )
            )[::-1]
            payload = {"name": (conversation.offline_contact or {}).get("name"), "text": "\n".join(texts)}
            queued += await self._queue(session, LEFT_MESSAGE, key, email, conversation, payload, now)
        return queued

    async def unseen_replies(self, session: AsyncSession, now: datetime) -> int:
        grace = timedelta(seconds=self.settings.reply_grace_seconds)
        latest = await session.execute(
            select(Message.conversation_id, func.max(Message.id))
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Conversation.updated_at >= now - WINDOW, Message.sender == SENDER_AGENT)
            .group_by(Message.conversation_id)
        )
        wanted = {
            f"reply:{conversation_id}:{last_id}": (conversation_id, last_id) for conversation_id, last_id in latest
        }
        done = await outbox.queued_keys(session, list(wanted))
        queued = 0
        for key, (conversation_id, last_id) in wanted.items():
            if key in done:
                continue
            last = await session.get(Message, last_id)
            conversation = await session.get(Conversation, conversation_id)
            if last is None or conversation is None or aware(last.created_at) > now - grace:
                continue
            email = contact_email(conversation)
            if email is None or seen_after(conversation, last.created_at):
                continue
            covered = await self._covered(session, conversation_id)
            since = conversation.customer_seen_at
            unseen = select(Message.id).where(
                Message.conversation_id == conversation_id,
                Message.sender == SENDER_AGENT,
                Message.id > covered,
                Message.id <= last_id,
                Message.created_at >= now - WINDOW,
            )
            if since is not None:
                unseen = unseen.where(Message.created_at > since)
            ids = list(await session.scalars(unseen.order_by(Message.id)))
            if ids:
                payload = {"message_ids": ids, "upto": last_id}
                queued += await self._queue(session, AGENT_REPLY, key, email, conversation, payload, now)
        return queued

    @staticmethod
    async def _covered(session: AsyncSession, conversation_id: str) -> int:
        """The last agent message an earlier reply e-mail of this conversation carried (0: none)."""
        keys = await session.scalars(
            select(OutboxMail.dedupe_key).where(
                OutboxMail.conversation_id == conversation_id, OutboxMail.kind == AGENT_REPLY
            )
        )
        return max((int(k.rsplit(":", 1)[1]) for k in keys), default=0)

    async def rating_links(self, session: AsyncSession, now: datetime) -> int:
        grace = timedelta(seconds=self.settings.reply_grace_seconds)
        rows = list(
            await session.scalars(
                select(Conversation).where(
                    Conversation.mode == MODE_CLOSED,
                    Conversation.closed_at >= now - WINDOW,
                    Conversation.closed_at <= now - grace,
                )
            )
        )
        queued = 0
        for conversation in rows:
            email = contact_email(conversation)
            if email is None or conversation.closed_at is None or seen_after(conversation, conversation.closed_at):
                continue
            assignment = await resolved_assignment(session, conversation)
            if assignment is None:
                continue
            key = f"rating:{assignment.id}"
            if await outbox.queued_keys(session, [key]):
                continue
            payload = {"assignment_id": assignment.id, "agent_id": assignment.agent_id}
            queued += await self._queue(session, RATING_REQUEST, key, email, conversation, payload, now)
        return queued

    @staticmethod
    async def _queue(
        session: AsyncSession,
        kind: str,
        key: str,
        email: str,
        conversation: Conversation,
        payload: dict[str, Any],
        now: datetime,
    ) -> int:
        mail = await outbox.enqueue(
            session,
            kind=kind,
            dedupe_key=key,
            to_address=email,
            language=language_of(conversation.language),
            conversation_id=conversation.id,
            payload=payload,
            not_before=now,
        )
        return 0 if mail is None else 1


def when_text(hours: OpeningStatus, language: str) -> str:
    """When the team answers a message left now, for the confirmation."""
    if language == "zh":
        return "在客服团队上班后尽快" if not hours.open else "尽快"
    if not hours.open and hours.back:
        return f"when we're back {hours.back}"
    return "as soon as we can"
