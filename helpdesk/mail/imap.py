"""A small IMAP poller for shops whose mail provider has no inbound webhook: every IMAP_POLL_SECONDS it reads the
unseen messages of IMAP_FOLDER in the reply mailbox, takes each reply into its conversation
(helpdesk/mail/inbound.py) and marks it seen; a mail that is not a reply to us (a forged or missing reply
address, nothing left of the text) is marked seen too and logged, so it is not read again. Several helpdesk
processes may poll one mailbox: a mail taken twice is stored once (its Message-ID).

Settings (environment only): IMAP_HOST (unset: no poller), IMAP_PORT, IMAP_SECURITY (ssl | starttls | none),
IMAP_USERNAME, IMAP_PASSWORD (a secret: also IMAP_PASSWORD_FILE), IMAP_FOLDER (INBOX), IMAP_POLL_SECONDS (60)."""

from __future__ import annotations

import asyncio
import contextlib
import imaplib
import logging
import os
import ssl
from dataclasses import dataclass

from helpdesk.config import secret_from_env
from helpdesk.errors import DomainError
from helpdesk.mail.inbound import Inbound, parse_raw

log = logging.getLogger(__name__)
BATCH = 50  # messages read per round


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    security: str
    username: str
    password: str
    folder: str = "INBOX"
    poll_seconds: float = 60.0

    @classmethod
    def from_env(cls) -> ImapSettings | None:
        host = os.environ.get("IMAP_HOST") or ""
        if not host:
            return None
        security = (os.environ.get("IMAP_SECURITY") or "ssl").lower()
        if security not in ("ssl", "starttls", "none"):
            raise ValueError("environment variable IMAP_SECURITY must be ssl, starttls or none")
        return cls(
            host=host,
            port=int(os.environ.get("IMAP_PORT") or (993 if security == "ssl" else 143)),
            security=security,
            username=os.environ.get("IMAP_USERNAME") or "",
            password=secret_from_env("IMAP_PASSWORD"),
            folder=os.environ.get("IMAP_FOLDER") or "INBOX",
            poll_seconds=float(os.environ.get("IMAP_POLL_SECONDS") or 60),
        )


class ImapPoller:
    def __init__(self, settings: ImapSettings, inbound: Inbound) -> None:
        self.settings = settings
        self.inbound = inbound

    async def forever(self) -> None:
        while True:
            try:
                await self.round()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("IMAP round failed; trying again in %ss", self.settings.poll_seconds)
            await asyncio.sleep(self.settings.poll_seconds)

    async def round(self) -> int:
        """Read the unseen mails, take the replies; returns how many were taken."""
        connection = await asyncio.to_thread(self._connect)
        taken = 0
        try:
            for uid, raw in await asyncio.to_thread(self._unseen, connection):
                try:
                    result = await self.inbound.take(parse_raw(raw))
                    taken += 0 if result["duplicate"] else 1
                except DomainError as refused:
                    log.warning("IMAP mail %s is not taken: %s", uid.decode(), refused)
                await asyncio.to_thread(connection.uid, "STORE", uid.decode(), "+FLAGS", "(\\Seen)")
        finally:
            await asyncio.to_thread(self._logout, connection)
        return taken

    def _connect(self) -> imaplib.IMAP4:
        s = self.settings
        connection: imaplib.IMAP4
        if s.security == "ssl":
            connection = imaplib.IMAP4_SSL(s.host, s.port, ssl_context=ssl.create_default_context(), timeout=30)
        else:
            connection = imaplib.IMAP4(s.host, s.port, timeout=30)
            if s.security == "starttls":
                connection.starttls(ssl.create_default_context())
        connection.login(s.username, s.password)
        connection.select(s.folder)
        return connection

    @staticmethod
    def _unseen(connection: imaplib.IMAP4) -> list[tuple[bytes, bytes]]:
        status, data = connection.uid("SEARCH", "UNSEEN")
        if status != "OK" or not data or not data[0]:
            return []
        found = []
        for uid in data[0].split()[:BATCH]:
            status, parts = connection.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
            if status != "OK":
                continue
            for part in parts:
                if isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], bytes):
                    found.append((uid, part[1]))
                    break
        return found

    @staticmethod
    def _logout(connection: imaplib.IMAP4) -> None:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            connection.logout()
