"""Who is the customer? Two ways to know.

(a) **Knowledge check** in the chat: the customer gives an order number plus the order's e-mail
    and/or delivery postcode. ``verify_access`` answers ``None`` both when the order does not exist
    and when the details don't match, so the bot cannot reveal which orders exist: answer both the
    same. The chat counts wrong answers per conversation, client, customer and order across
    conversations and processes: ``helpdesk.orders.attempts``.

(b) **Signed identity** from the shop's website, like Intercom's identity verification: the shop's
    server signs the logged-in customer's id with the shared secret ``IDENTITY_SECRET`` and hands
    the token to the widget; ``verify_identity`` checks it. Token format::

        <customer_id>.<issued_at as Unix seconds>.<hex HMAC-SHA256(secret, "<customer_id>.<issued_at>")>

    e.g. in PHP: ``$msg = "$id." . time(); $token = "$msg." . hash_hmac('sha256', $msg, $secret);``
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from datetime import datetime

from helpdesk.orders.model import Order, as_utc, normalise_order_number, utc_now
from helpdesk.orders.system import OrderNotFound, OrderSystem

DEFAULT_TOKEN_TTL = 3600  # seconds
CLOCK_SKEW = 60  # seconds a token's issued_at may lie in the future (clocks differ)
MIN_SECRET_LENGTH = 32
SECRET_ENV = "IDENTITY_SECRET"
CUSTOMER_ID_RE = re.compile(r"^[A-Za-z0-9_@:+\-.]{1,128}$")
_TOKEN_RE = re.compile(r"^(?P<customer_id>.+)\.(?P<issued_at>\d{1,12})\.(?P<signature>[0-9a-fA-F]{64})$")

# ---------------------------------------------------------------------------------------------
# (a) order owner check


def _normalise_email(value: str) -> str:
    return value.strip().lower()


def _normalise_postcode(value: str) -> str:
    return re.sub(r"[\s\-]", "", value).upper()


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def verify_order_owner(
    order: Order, email: str | None = None, postcode: str | None = None, *, customer_id: str | None = None
) -> bool:
    """True when every detail given matches the order (at least one must be given).

    E-mail is compared case-insensitively; postcodes ignoring spaces, dashes and case (``2511ab`` =
    ``2511 AB``). ``customer_id`` is for a customer already known from a signed identity token.
    All comparisons are constant-time and all given details are checked, whatever fails first.
    """
    checks: list[bool] = []
    if email is not None and email.strip():
        checks.append(_same(_normalise_email(email), _normalise_email(order.email)))
    if postcode is not None and postcode.strip():
        checks.append(_same(_normalise_postcode(postcode), _normalise_postcode(order.postcode)))
    if customer_id is not None and customer_id.strip():
        checks.append(_same(customer_id.strip(), order.customer_id))
    return bool(checks) and all(checks)


async def verify_access(
    system: OrderSystem,
    number: str,
    email: str | None = None,
    postcode: str | None = None,
    *,
    customer_id: str | None = None,
) -> Order | None:
    """The order when it exists *and* the details match; ``None`` in every other case.

    A missing order and wrong details give the same ``None`` (and the same reply), so the chat
    never tells anyone which order numbers exist. ``BackendError`` propagates: the system being
    down is not the customer's mistake.
    """
    normalised = normalise_order_number(number)
    try:
        if normalised is None:
            raise OrderNotFound(str(number))
        order = await system.get_order(normalised)
    except OrderNotFound:
        # do the same work as for a real order so timing does not tell the two apart
        _same(_normalise_email(email or ""), "nobody@example.invalid")
        _same(_normalise_postcode(postcode or ""), "0000XX")
        return None
    return order if verify_order_owner(order, email, postcode, customer_id=customer_id) else None


# ---------------------------------------------------------------------------------------------
# (b) signed identity tokens


class IdentityTokenError(ValueError):
    """The identity token can't be trusted; the widget continues as an anonymous visitor."""


class MalformedToken(IdentityTokenError):
    pass


class InvalidSignature(IdentityTokenError):
    """Tampered with, or signed with another secret."""


class ExpiredToken(IdentityTokenError):
    pass


class MissingSecret(RuntimeError):
    pass


def identity_secret(environ: dict[str, str] | None = None) -> bytes:
    """The shared secret from ``IDENTITY_SECRET`` (never from a file in git)."""
    value = (environ if environ is not None else os.environ).get(SECRET_ENV, "")
    if len(value) < MIN_SECRET_LENGTH:
        problem = "is not set" if not value else f"is only {len(value)} characters long"
        raise MissingSecret(
            f"environment variable {SECRET_ENV} {problem}; it needs at least {MIN_SECRET_LENGTH} random characters, "
            'e.g. python -c "import secrets; print(secrets.token_hex(32))"'
        )
    return value.encode("utf-8")


def _key(secret: str | bytes) -> bytes:
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    if not key:
        raise MissingSecret("the identity secret is empty")
    return key


def _signature(customer_id: str, issued_at: int, secret: str | bytes) -> str:
    message = f"{customer_id}.{issued_at}".encode()
    return hmac.new(_key(secret), message, hashlib.sha256).hexdigest()


def sign_identity(customer_id: str, secret: str | bytes, issued_at: datetime | int | None = None) -> str:
    """A token for ``customer_id`` issued at ``issued_at`` (default now). The shop's server does this.

    The token carries no expiry of its own: ``verify_identity`` accepts it for ``ttl`` seconds
    after ``issued_at``, so the lifetime is the helpdesk's policy, not the signer's.
    """
    if not CUSTOMER_ID_RE.match(customer_id):
        raise ValueError(
            f"customer id {customer_id!r} can't be signed: use 1-128 letters, digits or _ @ : + - . characters"
        )
    if issued_at is None:
        issued_at = utc_now()
    epoch = int(as_utc(issued_at, "issued_at").timestamp()) if isinstance(issued_at, datetime) else int(issued_at)
    if epoch < 0:
        raise ValueError(f"issued_at must not be before 1970, got {epoch}")
    return f"{customer_id}.{epoch}.{_signature(customer_id, epoch, secret)}"


def verify_identity(token: str, secret: str | bytes, now: datetime | None = None, ttl: int = DEFAULT_TOKEN_TTL) -> str:
    """The customer id in a valid token. Raises MalformedToken, InvalidSignature or ExpiredToken."""
    if not isinstance(token, str) or len(token) > 256:
        raise MalformedToken("identity token must be a string of at most 256 characters")
    match = _TOKEN_RE.match(token.strip())
    if match is None:
        raise MalformedToken("identity token must look like <customer_id>.<issued_at seconds>.<64 hex digits>")
    customer_id, issued_at = match["customer_id"], int(match["issued_at"])
    if not CUSTOMER_ID_RE.match(customer_id):
        raise MalformedToken("identity token has an invalid customer id")
    if not hmac.compare_digest(match["signature"].lower(), _signature(customer_id, issued_at, secret)):
        raise InvalidSignature("identity token signature does not match (tampered with, or another secret)")
    now_epoch = int(as_utc(now or utc_now(), "now").timestamp())
    if issued_at > now_epoch + CLOCK_SKEW:
        raise ExpiredToken(f"identity token is issued {issued_at - now_epoch} s in the future; check the clocks")
    if now_epoch - issued_at > ttl:
        raise ExpiredToken(f"identity token expired {now_epoch - issued_at - ttl} s ago (lifetime {ttl} s)")
    return customer_id
