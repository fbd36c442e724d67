"""Identity: the order-owner check and signed identity tokens (the counting of wrong answers:
tests/orders/test_identity_checks.py)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from helpdesk.orders import (
    Address,
    ExpiredToken,
    InvalidSignature,
    MalformedToken,
    Order,
    OrderLine,
    OrderStatus,
    sign_identity,
    verify_access,
    verify_identity,
    verify_order_owner,
)
from helpdesk.orders.demo import DemoOrderSystem
from helpdesk.orders.identity import MissingSecret, identity_secret

pytestmark = pytest.mark.anyio

SECRET = "0123456789abcdef0123456789abcdef-test-only"
ISSUED = datetime(2025, 3, 12, 9, 0, tzinfo=UTC)
ORDER = Order(
    number="100234",
    customer_id="C1001",
    email="ann.lee@example.com",
    status=OrderStatus.SHIPPED,
    placed_at=datetime(2025, 3, 9, 7, 30, tzinfo=UTC),
    shipping_address=Address("Ann Lee", "Lange Voorhout 18", "Den Haag", "2511 AB", "NL"),
    lines=(OrderLine("LH-TXT-0412", "Chunky knit throw, oat", 1, Decimal("89.00")),),
    total=Decimal("89.00"),
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# -- order owner check ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "postcode", "expected"),
    [
        ("ann.lee@example.com", None, True),
        ("  Ann.Lee@EXAMPLE.com ", None, True),
        (None, "2511 AB", True),
        (None, "2511ab", True),
        (None, " 2511-AB ", True),
        ("ann.lee@example.com", "2511AB", True),
        ("ann.lee@example.org", None, False),
        ("ann.lee@example.com.evil.net", None, False),
        (None, "2511 AC", False),
        (None, "2511", False),
        ("ann.lee@example.com", "9999 ZZ", False),  # every detail given must match
        ("marco.rossi@example.org", "2511 AB", False),
        (None, None, False),  # nothing given proves nothing
        ("", "  ", False),
    ],
)
def test_verify_order_owner(email: str | None, postcode: str | None, expected: bool) -> None:
    assert verify_order_owner(ORDER, email=email, postcode=postcode) is expected


def test_verify_order_owner_by_signed_customer_id() -> None:
    assert verify_order_owner(ORDER, customer_id="C1001") is True
    assert verify_order_owner(ORDER, customer_id="C1002") is False


async def test_verify_access_gives_one_answer_for_missing_and_mismatched(tmp_path: Path) -> None:
    shop = DemoOrderSystem(str(tmp_path / "shop.db"))
    try:
        ok = await verify_access(shop, "100234", email="ANN.LEE@example.com")
        assert ok is not None and ok.number == "100234"
        assert (await verify_access(shop, "#100 234", postcode="2511ab")) is not None
        wrong_email = await verify_access(shop, "100234", email="marco.rossi@example.org")
        no_such_order = await verify_access(shop, "999999", email="ann.lee@example.com")
        not_a_number = await verify_access(shop, "hello", email="ann.lee@example.com")
        nothing_given = await verify_access(shop, "100234")
        assert wrong_email is None and no_such_order is None and not_a_number is None and nothing_given is None
    finally:
        await shop.aclose()


# -- signed identity --------------------------------------------------------------------------------


def test_sign_and_verify() -> None:
    token = sign_identity("C1001", SECRET, ISSUED)
    customer_id, issued, signature = token.split(".")
    assert (customer_id, issued) == ("C1001", str(int(ISSUED.timestamp())))
    # what a shop's server computes with its own HMAC library
    assert signature == hmac.new(SECRET.encode(), f"C1001.{issued}".encode(), hashlib.sha256).hexdigest()
    assert verify_identity(token, SECRET, now=ISSUED + timedelta(minutes=59)) == "C1001"
    assert verify_identity(token, SECRET.encode(), now=ISSUED) == "C1001"
    assert verify_identity(f"{customer_id}.{issued}.{signature.upper()}", SECRET, now=ISSUED) == "C1001"


def test_customer_ids_with_dots_and_at_signs() -> None:
    token = sign_identity("shop.eu:ann@example.com", SECRET, ISSUED)
    assert verify_identity(token, SECRET, now=ISSUED) == "shop.eu:ann@example.com"


def test_tampered_signature() -> None:
    token = sign_identity("C1001", SECRET, ISSUED)
    flipped = token[:-1] + ("0" if token[-1] != "0" else "1")
    with pytest.raises(InvalidSignature, match="signature does not match"):
        verify_identity(flipped, SECRET, now=ISSUED)


def test_tampered_customer_id() -> None:
    token = sign_identity("C1001", SECRET, ISSUED)
    with pytest.raises(InvalidSignature):
        verify_identity("C1002" + token[len("C1001") :], SECRET, now=ISSUED)


def test_tampered_issue_time() -> None:
    customer_id, issued, signature = sign_identity("C1001", SECRET, ISSUED).split(".")
    with pytest.raises(InvalidSignature):
        verify_identity(f"{customer_id}.{int(issued) + 3600}.{signature}", SECRET, now=ISSUED)


def test_wrong_secret() -> None:
    token = sign_identity("C1001", SECRET, ISSUED)
    with pytest.raises(InvalidSignature):
        verify_identity(token, SECRET + "x", now=ISSUED)


def test_expired() -> None:
    token = sign_identity("C1001", SECRET, ISSUED)
    assert verify_identity(token, SECRET, now=ISSUED + timedelta(seconds=3600)) == "C1001"
    with pytest.raises(ExpiredToken, match=r"expired 1 s ago \(lifetime 3600 s\)"):
        verify_identity(token, SECRET, now=ISSUED + timedelta(seconds=3601))
    with pytest.raises(ExpiredToken):
        verify_identity(token, SECRET, now=ISSUED + timedelta(minutes=11), ttl=600)
    with pytest.raises(ExpiredToken, match="in the future"):
        verify_identity(token, SECRET, now=ISSUED - timedelta(minutes=5))


@pytest.mark.parametrize(
    "token",
    [
        "",
        "C1001",
        "C1001.1741770000",
        "C1001.notanumber." + "a" * 64,
        "C1001.1741770000." + "a" * 63,
        "C1001.1741770000." + "g" * 64,
        ".1741770000." + "a" * 64,
        "C 1001.1741770000." + "a" * 64,
        "C1001.1741770000." + "a" * 64 + ".extra",
        "x" * 300,
    ],
)
def test_malformed(token: str) -> None:
    with pytest.raises(MalformedToken):
        verify_identity(token, SECRET, now=ISSUED)


def test_sign_refuses_odd_ids_and_naive_times() -> None:
    with pytest.raises(ValueError, match="can't be signed"):
        sign_identity("C 1001", SECRET, ISSUED)
    with pytest.raises(ValueError, match="must be timezone-aware"):
        sign_identity("C1001", SECRET, datetime(2025, 3, 12, 9, 0))


def test_secret_comes_from_the_environment() -> None:
    assert identity_secret({"IDENTITY_SECRET": SECRET}) == SECRET.encode()
    with pytest.raises(MissingSecret, match="IDENTITY_SECRET is not set"):
        identity_secret({})
    with pytest.raises(MissingSecret, match="IDENTITY_SECRET is only 5 characters long"):
        identity_secret({"IDENTITY_SECRET": "short"})
