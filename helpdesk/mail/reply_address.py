"""Signed reply addresses: nobody can write into someone else's conversation by e-mail.

Each mail we send carries its own reply address, `<local>+<outbox id>.<signature>@<domain>` (MAIL_REPLY_ADDRESS
gives local part and domain): the signature is an HMAC-SHA256 of the outbox id under MAIL_REPLY_SECRET, cut to 80
bits and written in lower-case base32, so it survives mail systems that change the case of addresses. A reply is
taken only when the signature checks; the outbox row names the conversation. A forged or altered address is
refused (`ForgedReplyAddress`)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from helpdesk.errors import Forbidden

SIGNATURE_BYTES = 10


class ForgedReplyAddress(Forbidden):
    def __init__(self) -> None:
        super().__init__("this reply address is not one we sent: the message is refused")


def _signature(secret: str, mail_id: int) -> str:
    digest = hmac.new(secret.encode(), f"reply:{mail_id}".encode(), hashlib.sha256).digest()[:SIGNATURE_BYTES]
    return base64.b32encode(digest).decode().lower().rstrip("=")


def reply_address(mailbox: str, secret: str, mail_id: int) -> str:
    """The reply address of outbox mail `mail_id` in `mailbox` (local@domain)."""
    local, _, domain = mailbox.partition("@")
    return f"{local}+{mail_id}.{_signature(secret, mail_id)}@{domain}"


def _pattern(mailbox: str) -> re.Pattern[str]:
    local, _, domain = mailbox.partition("@")
    return re.compile(rf"{re.escape(local)}\+(\d{{1,12}})\.([a-z2-7]{{16}})@{re.escape(domain)}", re.IGNORECASE)


def find_token(mailbox: str, addresses: list[str]) -> tuple[int, str] | None:
    """The first (mail id, signature) in these recipient addresses that is addressed to our mailbox, unchecked."""
    pattern = _pattern(mailbox)
    for address in addresses:
        found = pattern.search(address or "")
        if found:
            return int(found.group(1)), found.group(2).lower()
    return None


def verify(mailbox: str, secret: str, addresses: list[str]) -> int:
    """The outbox mail id these recipients reply to; ForgedReplyAddress when none carries a valid signature."""
    token = find_token(mailbox, addresses)
    if token is None or not secret:
        raise ForgedReplyAddress()
    mail_id, signature = token
    if not hmac.compare_digest(signature, _signature(secret, mail_id)):
        raise ForgedReplyAddress()
    return mail_id
