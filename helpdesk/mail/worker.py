"""The mail worker: every helpdesk process runs one. Each round it queues what is due (helpdesk/mail/sweep.py),
gives up claims of processes that died while sending, claims due mails (helpdesk/mail/outbox.py: each to one
process) and sends them: a temporary failure is retried with backoff, a permanent one is kept as failed, a mail no
longer needed when its turn comes (the customer read the reply on the page, rated the chat) is skipped."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.conversation import script
from helpdesk.conversation.business_hours import BusinessHours
from helpdesk.conversation.chat import resolved_assignment
from helpdesk.db.models import Conversation, Message, OutboxMail, attachment_of
from helpdesk.mail import outbox
from helpdesk.mail.order_list import order_list_context
from helpdesk.mail.reply_address import reply_address
from helpdesk.mail.sender import Mailer, PermanentFailure, TemporaryFailure, compose
from helpdesk.mail.settings import MailSettings
from helpdesk.mail.sweep import Sweep, seen_after, when_text
from helpdesk.mail.templates import AGENT_REPLY, FOLLOW_UP, LEFT_MESSAGE, ORDER_LIST, RATING_REQUEST, render
from helpdesk.orders.system import BackendError, OrderSystem
from helpdesk.staff.accounts import display_names

log = logging.getLogger(__name__)
CLAIM_BATCH = 10


def conversation_link(settings: MailSettings, conversation_id: str) -> str:
    """The shop's page with the widget reopening this conversation (the id is in the fragment: never sent to a
    server, so it stays out of access logs and Referer headers)."""
    return f"{settings.public_url}/#lk-chat={conversation_id}"


class Skip(Exception):
    """The mail is no longer needed."""


class NotYet(Exception):
    """The mail cannot be written now (the order system is not answering): tried again after the backoff."""


class MailWorker:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: MailSettings,
        mailer: Mailer,
        hours: BusinessHours | None = None,
        orders: Callable[[], OrderSystem] | None = None,
    ) -> None:
        self.sessions = sessions
        self.orders = orders  # the order system the lists of orders come from (helpdesk/mail/order_list.py)
        self.settings = settings
        self.mailer = mailer
        self.hours = hours
        self.sweep = Sweep(settings)
        self.name = f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(3)}"

    async def forever(self) -> None:
        while True:
            try:
                await self.round()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("mail round failed; trying again in %ss", self.settings.poll_seconds)
            await asyncio.sleep(self.settings.poll_seconds)

    async def round(self) -> int:
        """One round: queue, expire, claim and send. Returns how many mails this process sent."""
        async with self.sessions() as session:
            await self.sweep.run(session)
        async with self.sessions() as session:
            expired = await outbox.expire_claims(session, self.settings.claim_lease_seconds)
            if expired:
                log.warning("%d mails were interrupted while sending and are not sent again", expired)
        async with self.sessions() as session:
            claimed = await outbox.claim(session, self.name, CLAIM_BATCH)
        sent = 0
        for mail_id in claimed:
            sent += await self.deliver(mail_id)
        return sent

    async def deliver(self, mail_id: int) -> int:
        async with self.sessions() as session:
            mail = await session.get(OutboxMail, mail_id)
            if mail is None:
                return 0
            try:
                rendered, automatic = await self._render(session, mail)
            except Skip as why:
                await outbox.skipped(session, mail.id, self.name, str(why))
                return 0
            except NotYet as why:
                await outbox.retry_later(
                    session, mail, self.name, str(why), self.settings.max_attempts, self.settings.backoff_seconds
                )
                return 0
            except Exception as exc:  # a template or data problem: retrying will not help
                log.exception("cannot render mail %s", mail.id)
                await outbox.failed(session, mail.id, self.name, f"cannot render: {exc}")
                return 0
            reply_to = None
            if self.settings.replies_enabled and mail.conversation_id:
                reply_to = reply_address(self.settings.reply_address, self.settings.reply_secret, mail.id)
            message = compose(
                self.settings, mail.id, mail.to_address, rendered, mail.conversation_id, reply_to, automatic
            )
            try:
                await self.mailer.send(message)
            except PermanentFailure as exc:
                log.warning("mail %s refused for good: %s", mail.id, exc)
                await outbox.failed(session, mail.id, self.name, str(exc))
                return 0
            except TemporaryFailure as exc:
                log.warning("mail %s not sent (attempt %d): %s", mail.id, mail.attempts, exc)
                await outbox.retry_later(
                    session, mail, self.name, str(exc), self.settings.max_attempts, self.settings.backoff_seconds
                )
                return 0
            await outbox.sent(session, mail.id, self.name)
            return 1

    def _shown(self, message: Message, author: str) -> dict[str, Any]:
        """An agent's message as the e-mail shows it: a file as its link, a photo with its thumbnail too."""
        shown: dict[str, Any] = {"author": author, "text": message.text, "file_url": None, "image_url": None}
        attachment = attachment_of(message.conversation_id, message.payload)
        if attachment is not None:
            url = f"{self.settings.public_url}/{attachment['url']}"
            shown["file_url"] = url
            if attachment["kind"] == "image":
                shown["image_url"] = url + "?thumb=1"
        return shown

    async def _render(self, session: AsyncSession, mail: OutboxMail) -> tuple[Any, bool]:
        """The rendered mail and whether it is automatic (no person wrote it); Skip when no longer needed."""
        payload = mail.payload or {}
        conversation = await session.get(Conversation, mail.conversation_id) if mail.conversation_id else None
        if conversation is None:
            raise Skip("the conversation is gone")
        context: dict[str, Any] = {
            "link": conversation_link(self.settings, conversation.id),
            "reply_by_mail": self.settings.replies_enabled,
        }
        # a customer who writes traditional characters reads the Chinese mail in them (helpdesk/conversation/script.py)
        hant = mail.language == "zh" and await script.conversation_traditional(session, conversation)
        if mail.kind == LEFT_MESSAGE:
            hours = self.hours.status() if self.hours is not None else None
            when = when_text(hours, mail.language) if hours is not None else when_text_default(mail.language)
            context.update(name=payload.get("name"), text=payload.get("text") or "", when=when)
            return render(LEFT_MESSAGE, mail.language, context, hant), True
        if mail.kind == AGENT_REPLY:
            ids = [int(i) for i in payload.get("message_ids") or []]
            messages = list(await session.scalars(select(Message).where(Message.id.in_(ids)).order_by(Message.id)))
            messages = [m for m in messages if m.conversation_id == conversation.id]
            if not messages:
                raise Skip("the replies are gone")
            if seen_after(conversation, messages[-1].created_at):
                raise Skip("the customer read the reply on the page")
            names = await display_names(session, [m.agent_id for m in messages])
            shown = [self._shown(m, names.get(m.agent_id or 0, "Support")) for m in messages]
            context.update(messages=shown, agent=shown[-1]["author"])
            return render(AGENT_REPLY, mail.language, context, hant), False
        if mail.kind == RATING_REQUEST:
            assignment = await resolved_assignment(session, conversation)
            if assignment is None or assignment.id != payload.get("assignment_id"):
                raise Skip("the chat was rated or reopened")
            if conversation.closed_at is not None and seen_after(conversation, conversation.closed_at):
                raise Skip("the customer was on the page after the chat closed")
            names = await display_names(session, [assignment.agent_id])
            context.update(agent=names.get(assignment.agent_id, "Our team"))
            return render(RATING_REQUEST, mail.language, context, hant), True
        if mail.kind == FOLLOW_UP:
            context.update(agent=payload.get("agent") or "Support", text=payload.get("text") or "")
            return render(FOLLOW_UP, mail.language, context, hant), False
        if mail.kind == ORDER_LIST:
            if self.orders is None:
                raise Skip("no order system to list the orders from")
            address = str(payload.get("email") or mail.to_address)
            try:
                listed = await order_list_context(self.orders(), address, mail.language)
            except BackendError as exc:
                raise NotYet(f"the order system did not answer: {exc}") from exc
            if listed is None:
                raise Skip("no orders with that address")  # the chat said the same: nothing tells it apart
            if hant:  # the shop's words (status, product names) in the customer's script, as the rest of the mail
                listed["orders"] = [
                    {**o, "status": script.traditional(o["status"]), "items": script.traditional(o["items"])}
                    for o in listed["orders"]
                ]
            context.update(listed)
            return render(ORDER_LIST, mail.language, context, hant), True
        raise Skip(f"unknown kind {mail.kind!r}")


def when_text_default(language: str) -> str:
    return "尽快" if language == "zh" else "as soon as we can"
