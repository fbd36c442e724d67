"""The mail settings, from the environment only (the SMTP password and the reply-address secret are secrets: never
from git or the command line). Mail is off until SMTP_HOST is set: nothing is queued, no worker runs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr

from helpdesk.config import secret_from_env

SECURITY = ("starttls", "tls", "none")


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"environment variable {name} must be a number, got {raw!r}") from exc


@dataclass(frozen=True)
class MailSettings:
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_security: str = "starttls"  # starttls (port 587) | tls (port 465) | none (a local relay)
    smtp_timeout: float = 30.0
    from_address: str = "Larkspur Home Support <support@localhost>"
    # replies come back to <local>+<signed token>@<domain> (helpdesk/mail/reply_address.py): MAIL_REPLY_ADDRESS
    # names the mailbox, MAIL_REPLY_SECRET signs the token; without both, e-mails carry no reply address
    reply_address: str = ""
    reply_secret: str = ""
    # the inbound webhook (POST /api/mail/inbound) answers only to this token (MAIL_INBOUND_TOKEN)
    inbound_token: str = ""
    # an agent's reply the customer has not seen on the page after this long goes by e-mail; so does the
    # rating link of a chat closed while they were away
    reply_grace_seconds: float = 90.0
    poll_seconds: float = 5.0  # how often each process looks for mail to queue and to send
    max_attempts: int = 6  # a mail that failed this often (temporary errors, with backoff) is given up
    backoff_seconds: float = 30.0  # the first retry's wait; doubled each time, at most an hour
    # a mail claimed this long ago and never finished (its process died while sending) is not sent again: it may
    # have gone out (never twice)
    claim_lease_seconds: float = 600.0
    public_url: str = "http://127.0.0.1:8080"

    @property
    def enabled(self) -> bool:
        return bool(self.smtp_host)

    @property
    def replies_enabled(self) -> bool:
        return bool(self.reply_address and self.reply_secret)

    @property
    def sender_domain(self) -> str:
        return parseaddr(self.from_address)[1].rpartition("@")[2] or "localhost"

    @classmethod
    def from_env(cls, public_url: str) -> MailSettings:
        security = (os.environ.get("SMTP_SECURITY") or "starttls").lower()
        if security not in SECURITY:
            raise ValueError(f"environment variable SMTP_SECURITY must be one of {', '.join(SECURITY)}")
        default_port = {"starttls": 587, "tls": 465, "none": 25}[security]
        from_address = os.environ.get("MAIL_FROM") or cls.from_address
        if not parseaddr(from_address)[1]:
            raise ValueError(f"environment variable MAIL_FROM must be an e-mail address, got {from_address!r}")
        reply_address = os.environ.get("MAIL_REPLY_ADDRESS") or ""
        if reply_address:
            Address(addr_spec=reply_address)  # a malformed address stops the start, with the reason
        return cls(
            smtp_host=os.environ.get("SMTP_HOST") or "",
            smtp_port=int(_number("SMTP_PORT", default_port)),
            smtp_username=os.environ.get("SMTP_USERNAME") or "",
            smtp_password=secret_from_env("SMTP_PASSWORD"),
            smtp_security=security,
            smtp_timeout=_number("SMTP_TIMEOUT", 30.0),
            from_address=from_address,
            reply_address=reply_address,
            reply_secret=secret_from_env("MAIL_REPLY_SECRET"),
            inbound_token=secret_from_env("MAIL_INBOUND_TOKEN"),
            reply_grace_seconds=_number("MAIL_REPLY_GRACE_SECONDS", 90.0),
            poll_seconds=_number("MAIL_POLL_SECONDS", 5.0),
            max_attempts=int(_number("MAIL_MAX_ATTEMPTS", 6)),
            backoff_seconds=_number("MAIL_BACKOFF_SECONDS", 30.0),
            claim_lease_seconds=_number("MAIL_CLAIM_LEASE_SECONDS", 600.0),
            public_url=public_url.rstrip("/"),
        )
