"""Sending one e-mail: composed from a rendered template (text + HTML), delivered over SMTP with aiosmtplib.

`Mailer` is the one interface the worker uses; `SmtpMailer` is the implementation (any SMTP relay or provider's
SMTP endpoint, settings from the environment). Errors come back as `TemporaryFailure` (retry later: the server
was unreachable or answered 4xx) or `PermanentFailure` (5xx: the address was refused; never retried)."""

from __future__ import annotations

import hashlib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate
from typing import Protocol

import aiosmtplib

from helpdesk.mail.settings import MailSettings
from helpdesk.mail.templates import RenderedMail


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


def thread_id(conversation_id: str, domain: str) -> str:
    """A Message-ID every mail about one conversation refers to, so mail programs thread them (no id in it)."""
    return f"<conversation-{hashlib.sha256(conversation_id.encode()).hexdigest()[:24]}@{domain}>"


def compose(
    settings: MailSettings,
    mail_id: int,
    to_address: str,
    rendered: RenderedMail,
    conversation_id: str | None,
    reply_to: str | None,
    automatic: bool,
) -> EmailMessage:
    """The message: one Message-ID per outbox row (a retried send is the same message to the receiver)."""
    message = EmailMessage()
    message["From"] = settings.from_address
    message["To"] = Address(addr_spec=to_address)
    message["Subject"] = rendered.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = f"<outbox-{mail_id}@{settings.sender_domain}>"
    if reply_to:
        message["Reply-To"] = reply_to
    if conversation_id:
        thread = thread_id(conversation_id, settings.sender_domain)
        message["In-Reply-To"] = thread
        message["References"] = thread
    if automatic:
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies to it
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message


class SmtpMailer:
    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    async def send(self, message: EmailMessage) -> None:
        s = self.settings
        try:
            await aiosmtplib.send(
                message,
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_username or None,
                password=s.smtp_password or None,
                use_tls=s.smtp_security == "tls",
                start_tls=s.smtp_security == "starttls",
                timeout=s.smtp_timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [error.code for error in exc.recipients]
            if all(code >= 500 for code in codes):
                raise PermanentFailure(f"recipient refused: {exc}") from exc
            raise TemporaryFailure(f"recipient deferred: {exc}") from exc
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code >= 500:
                raise PermanentFailure(f"{exc.code} {exc.message}") from exc
            raise TemporaryFailure(f"{exc.code} {exc.message}") from exc
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc
