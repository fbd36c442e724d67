"""Replies coming back by e-mail, into the conversation they answer.

A reply arrives as a raw message (the IMAP poller, a provider's "raw MIME" webhook) or as a provider's parsed
fields (JSON or a multipart form: Mailgun's `recipient`/`sender`/`body-plain`, Postmark's `To`/`From`/`TextBody`,
SendGrid's `to`/`from`/`text`/`email`, or plain `to`/`from`/`text`). Either way:

1. the recipients must carry one of our signed reply addresses (helpdesk/mail/reply_address.py), else the mail is
   refused (ForgedReplyAddress): nobody can write into someone else's conversation;
2. the quoted history and the signature are cut (helpdesk/mail/reply_text.py);
3. the text is stored as the customer's message in the conversation the signed outbox mail belongs to, once per
   mail (its Message-ID, or a hash of it: a provider's retried webhook is taken once); a conversation with the bot
   or closed goes back to the agents' queue (reason `email_reply`), so a person reads it.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import logging
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.conversation import lifecycle
from helpdesk.conversation.queue import QueueNotifier
from helpdesk.db.models import Conversation, InboundMail, Message, OutboxMail, utcnow
from helpdesk.errors import DomainError, Invalid
from helpdesk.files.service import Attachments
from helpdesk.mail.reply_address import ForgedReplyAddress, verify
from helpdesk.mail.reply_text import html_to_text, strip_reply
from helpdesk.mail.settings import MailSettings
from helpdesk.realtime.events import Events
from helpdesk.vocabulary import HANDOFF_EMAIL_REPLY, MODE_AGENT, MODE_QUEUED, SENDER_CUSTOMER
from nlu_addons.language import language_of

log = logging.getLogger(__name__)
MAX_TEXT = 10_000  # characters of a reply kept (after stripping)
MAX_FILES = 5  # attachments of one reply kept (each checked and limited as any file in the chat)
FILES_ONLY = "(sent by e-mail: see the attached files)"


@dataclass(frozen=True)
class IncomingMail:
    sender: str
    recipients: list[str]
    subject: str
    text: str  # the body as sent (quoted history and all)
    key: str  # the mail's identity for taking it once
    files: tuple[tuple[str, bytes], ...] = ()  # attached files (name, bytes): photos and PDFs are kept

    @property
    def reply(self) -> str:
        # no NUL or lone surrogate reaches the database (PostgreSQL refuses them)
        text = self.text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
        return strip_reply(text)[:MAX_TEXT]


def _key(message_id: str | None, *parts: str) -> str:
    if message_id and message_id.strip():
        return "mid:" + message_id.strip()[:280]
    return "sha:" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _addresses(*values: str | None) -> list[str]:
    return [address for _, address in getaddresses([v for v in values if v]) if address]


def parse_raw(raw: bytes) -> IncomingMail:
    """A raw RFC 5322 message (IMAP, a provider's raw MIME)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(message, EmailMessage):
        raise Invalid("not an e-mail message")
    recipients = _addresses(
        message.get("Delivered-To"), message.get("To"), message.get("Cc"), message.get("X-Original-To")
    )
    body = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        content = str(body.get_content())
        text = html_to_text(content) if body.get_content_subtype() == "html" else content
    sender = parseaddr(str(message.get("From") or ""))[1]
    files: list[tuple[str, bytes]] = []
    for part in message.iter_attachments():
        data = part.get_payload(decode=True)
        if isinstance(data, bytes) and data and len(files) < MAX_FILES:
            files.append((str(part.get_filename() or "attachment"), data))
    return IncomingMail(
        sender,
        recipients,
        str(message.get("Subject") or ""),
        text,
        _key(message.get("Message-ID"), raw.decode("latin-1")),
        tuple(files),
    )


def _field(fields: dict[str, Any], *names: str) -> str:
    lowered = {k.lower(): v for k, v in fields.items()}
    for name in names:
        value = lowered.get(name.lower())
        if isinstance(value, list):
            value = ", ".join(str(v.get("Email") if isinstance(v, dict) else v) for v in value)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def parse_fields(fields: dict[str, Any]) -> IncomingMail:
    """A provider's parsed mail (JSON object or form fields). A raw message in `email`/`raw`/`body-mime` wins."""
    raw = _field(fields, "email", "raw", "body-mime", "RawEmail")
    if raw:
        return parse_raw(raw.encode("utf-8", "surrogateescape"))
    recipients = _addresses(
        _field(fields, "recipient"),
        _field(fields, "to", "OriginalRecipient"),
        _field(fields, "cc"),
        _field(fields, "envelope_to"),
    )
    text = _field(fields, "text", "body-plain", "TextBody", "plain")
    if not text:
        text = html_to_text(_field(fields, "html", "body-html", "HtmlBody"))
    sender = parseaddr(_field(fields, "sender", "from", "From"))[1]
    message_id = _field(fields, "Message-Id", "message_id", "MessageID", "message-id")
    subject = _field(fields, "subject", "Subject")
    return IncomingMail(sender, recipients, subject, text, _key(message_id, sender, subject, text))


class Inbound:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: MailSettings,
        events: Events,
        queue: QueueNotifier,
        files: Attachments,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.events = events
        self.queue = queue
        self.files = files

    async def take(self, mail: IncomingMail) -> dict[str, Any]:
        """Store the reply in its conversation (once). ForgedReplyAddress when no recipient is a signed reply
        address of ours; Invalid when nothing is left of the text."""
        if not self.settings.replies_enabled:
            raise ForgedReplyAddress()
        mail_id = verify(self.settings.reply_address, self.settings.reply_secret, mail.recipients)
        text = mail.reply or (FILES_ONLY if mail.files else "")
        if not text:
            raise Invalid("the reply is empty once the quoted history is cut")
        async with self.sessions() as session:
            sent = await session.get(OutboxMail, mail_id)
            conversation = (
                await session.get(Conversation, sent.conversation_id) if sent and sent.conversation_id else None
            )
            if sent is None or conversation is None:
                raise ForgedReplyAddress()
            taken = await session.scalar(select(InboundMail).where(InboundMail.message_key == mail.key))
            if taken is not None:
                return {"conversation_id": taken.conversation_id, "message_id": taken.message_id, "duplicate": True}
            change = None
            if conversation.mode not in (MODE_QUEUED, MODE_AGENT):
                change = lifecycle.hand_off(session, conversation, HANDOFF_EMAIL_REPLY)
            message = Message(
                conversation_id=conversation.id,
                sender=SENDER_CUSTOMER,
                text=text,
                language=language_of(text),
                client_id=("mail:" + hashlib.sha256(mail.key.encode()).hexdigest())[:64],
            )
            session.add(message)
            conversation.language = message.language
            conversation.updated_at = utcnow()
            try:
                async with session.begin_nested():
                    await session.flush()
                    session.add(
                        InboundMail(
                            message_key=mail.key,
                            conversation_id=conversation.id,
                            message_id=message.id,
                            sender=mail.sender[:254],
                        )
                    )
                    await session.flush()
            except IntegrityError:  # the same mail, taken a moment ago by another process
                await session.rollback()
                return {"conversation_id": conversation.id, "message_id": None, "duplicate": True}
            await session.commit()
            await self.events.message(conversation, message)
            if change is not None:
                await change.announce(self.events)
        kept = await self._keep_files(conversation.id, mail.files)
        await self.queue.changed()
        return {"conversation_id": conversation.id, "message_id": message.id, "duplicate": False, "files": kept}

    async def _keep_files(self, conversation_id: str, files: tuple[tuple[str, bytes], ...]) -> list[str]:
        """The reply's photos and PDFs, each as a file in the conversation; the refused ones are said so, by name."""
        kept = []
        for name, data in files:
            try:
                await self.files.from_customer(conversation_id, name, data, None)
                kept.append(name)
            except DomainError as refused:
                log.info("a file of an e-mail reply to %s is not kept: %s", conversation_id, refused)
        return kept
