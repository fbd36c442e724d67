"""The order side's data: customers, orders, returns and refunds.

All datetimes are timezone-aware UTC; money is ``Decimal`` in the order's currency (EUR for
Larkspur Home). The objects are frozen: an operation that changes an order returns a new one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from helpdesk import i18n

ORDER_NUMBER_RE = re.compile(r"^\d{6}$")
RMA_RE = re.compile(r"^RMA-\d{6}-[0-9A-Z]{4}$")


class OrderStatus(StrEnum):
    PLACED = "placed"
    PAID = "paid"
    PACKED = "packed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    RETURN_REQUESTED = "return_requested"
    REFUNDED = "refunded"


class Tier(StrEnum):
    STANDARD = "standard"
    VIP = "vip"


class ReturnReason(StrEnum):
    """Why goods go back. Damaged or wrong goods are the shop's fault: their return is free from every country and
    final-sale items are taken back too (the handbook's damaged-item, wrong-item and return-policy entries)."""

    UNWANTED = "unwanted"  # an ordinary return: the customer changed their mind
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"

    @property
    def shop_at_fault(self) -> bool:
        return self is not ReturnReason.UNWANTED


class ReturnRemedy(StrEnum):
    """What the customer gets for goods that go back: their money (every return), or, for damaged or wrong goods,
    the right item sent again at no cost (the handbook's wrong-item and damaged-item answers offer both)."""

    REFUND = "refund"
    REPLACEMENT = "replacement"


class RefundState(StrEnum):
    NONE = "none"  # nothing to refund (no return, no paid cancellation)
    AWAITING_RETURN = "awaiting_return"  # return booked, parcel not yet at the warehouse
    PROCESSING = "processing"  # return arrived or paid order cancelled: money on its way by expected_by
    REFUNDED = "refunded"  # money sent on refunded_on


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime, what: str = "datetime") -> datetime:
    """Return ``value`` in UTC; naive datetimes are refused (they are ambiguous)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(UTC)


def normalise_order_number(text: str | int | None) -> str | None:
    """``"#100 234"`` / ``100234`` → ``"100234"``; ``None`` when it is not a 6-digit order number."""
    if text is None:
        return None
    candidate = re.sub(r"[\s#\-]", "", str(text)).removeprefix("No.").removeprefix("no.")
    return candidate if ORDER_NUMBER_RE.match(candidate) else None


def normalise_country(code: str) -> str:
    """ISO 3166-1 alpha-2, upper-case; ``UK`` is accepted for ``GB``."""
    code = code.strip().upper()
    return "GB" if code == "UK" else code


def _money(value: Decimal | int | float | str, what: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except ArithmeticError as exc:
        raise ValueError(f"{what} must be a number, got {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return amount.quantize(Decimal("0.01"))


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class Customer:
    id: str
    email: str
    name: str
    postcode: str
    tier: Tier = Tier.STANDARD

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("customer id must not be empty")
        if "@" not in self.email:
            raise ValueError(f"customer {self.id}: e-mail {self.email!r} has no @")
        object.__setattr__(self, "tier", Tier(self.tier))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "email": self.email,
            "name": self.name,
            "postcode": self.postcode,
            "tier": str(self.tier),
        }


@dataclass(frozen=True)
class Address:
    """A delivery address. ``country`` is ISO 3166-1 alpha-2 (``GB`` for the UK)."""

    name: str
    street: str
    city: str
    postcode: str
    country: str

    def __post_init__(self) -> None:
        for name in ("name", "street", "city", "postcode", "country"):
            object.__setattr__(self, name, " ".join(str(getattr(self, name) or "").split()))
        object.__setattr__(self, "country", normalise_country(self.country))

    def missing_fields(self) -> list[str]:
        """The required parts that are empty, in reading order."""
        return [name for name in ("name", "street", "postcode", "city", "country") if not getattr(self, name)]

    def to_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "street": self.street,
            "city": self.city,
            "postcode": self.postcode,
            "country": self.country,
        }


# a line sold as one set of pieces: "Ribbed tumblers, set of 6", "Percale pillowcases, pair"
SET_SIZE_RE = re.compile(r",\s*(?:set\s+of\s+(\d+)|(pair))\b", re.IGNORECASE)
# a return's or replacement's key (ReturnItems) for some single pieces of a line sold as one set: "<sku>#pieces" ->
# how many pieces ("one plate of the set of 4 arrived broken": 1 of "LH-KIT-0101")
SET_PIECES_SUFFIX = "#pieces"


def set_pieces_key(sku: str) -> str:
    return sku + SET_PIECES_SUFFIX


@dataclass(frozen=True)
class OrderLine:
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    final_sale: bool = False
    name_zh: str = ""  # the product's Chinese name in the shop's catalogue ("" when it has none)
    # the pieces of one set this line stands for, single ones (``pieces_of_set``); 0 for a line as ordered
    of_set: int = 0

    def __post_init__(self) -> None:
        if not self.sku:
            raise ValueError("order line sku must not be empty")
        if int(self.quantity) < 1:
            raise ValueError(f"order line {self.sku}: quantity must be at least 1, got {self.quantity}")
        object.__setattr__(self, "quantity", int(self.quantity))
        object.__setattr__(self, "unit_price", _money(self.unit_price, f"order line {self.sku} unit_price"))
        object.__setattr__(self, "final_sale", bool(self.final_sale))

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity

    def with_quantity(self, quantity: int) -> OrderLine:
        """This line with fewer pieces (a return of 1 of 2 towels)."""
        if not 1 <= quantity <= self.quantity:
            raise ValueError(f"order line {self.sku}: quantity must be 1 to {self.quantity}, got {quantity}")
        return OrderLine(self.sku, self.name, quantity, self.unit_price, self.final_sale, self.name_zh, self.of_set)

    @property
    def set_size(self) -> int | None:
        """The pieces of a line sold as one set (6 for "Ribbed tumblers, set of 6", 2 for a pair); None for others."""
        match = SET_SIZE_RE.search(self.name)
        if match is None:
            return None
        return 2 if match.group(2) else int(match.group(1))

    def pieces_of_set(self, pieces: int) -> OrderLine:
        """``pieces`` single pieces of this one set, at their share of its price (a broken plate of a set of 4:
        a quarter of it)."""
        size = self.set_size
        if size is None or self.quantity != 1 or not 1 <= pieces < size:
            raise ValueError(f"order line {self.sku}: not 1 to {size} single pieces of one set: {pieces}")
        share = (self.unit_price / size).quantize(Decimal("0.01"))
        name = f"{self.name} – single {'piece' if pieces == 1 else 'pieces'}"
        name_zh = f"{self.name_zh}（其中 {pieces} 件）" if self.name_zh else ""
        return OrderLine(self.sku, name, pieces, share, self.final_sale, name_zh, of_set=size)

    def name_in(self, language: str) -> str:
        """The product's name as a customer writing in ``language`` reads it (English when it has no such name)."""
        return self.name_zh if language == "zh" and self.name_zh else self.name

    @property
    def shown_name(self) -> str:
        """The product's name in the language being spoken now (helpdesk.i18n.speaking: the customer's)."""
        return self.name_in(i18n.current())

    def to_dict(self) -> dict[str, Any]:
        return {
            "sku": self.sku,
            "name": self.name,
            "quantity": self.quantity,
            "unit_price": str(self.unit_price),
            "final_sale": self.final_sale,
        }


@dataclass(frozen=True)
class Order:
    number: str
    customer_id: str
    email: str  # the order's contact e-mail (used for the owner check)
    status: OrderStatus
    placed_at: datetime
    shipping_address: Address
    lines: tuple[OrderLine, ...]
    total: Decimal
    currency: str = "EUR"
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    expected_delivery: date | None = None  # the shop's (or carrier's) estimate while the order is on its way
    # the pieces of each line already in a booked return (SKU -> pieces); None when the order system does not say
    # (then an order with a return booked takes no other)
    returned: Mapping[str, int] | None = None

    def __post_init__(self) -> None:
        if not ORDER_NUMBER_RE.match(self.number):
            raise ValueError(f"order number must be 6 digits, got {self.number!r}")
        try:
            object.__setattr__(self, "status", OrderStatus(self.status))
        except ValueError as exc:
            allowed = ", ".join(s.value for s in OrderStatus)
            raise ValueError(f"order {self.number}: unknown status {self.status!r} (allowed: {allowed})") from exc
        object.__setattr__(self, "placed_at", as_utc(self.placed_at, f"order {self.number} placed_at"))
        for name in ("shipped_at", "delivered_at"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, as_utc(value, f"order {self.number} {name}"))
        object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "total", _money(self.total, f"order {self.number} total"))
        object.__setattr__(self, "currency", self.currency.upper())
        if self.returned is not None:
            object.__setattr__(self, "returned", {str(sku): int(n) for sku, n in self.returned.items() if int(n) > 0})

    def not_returned(self) -> tuple[OrderLine, ...]:
        """The lines with the pieces no booked return has taken yet (every line when none was booked)."""
        returned = self.returned or {}
        return tuple(
            line if not returned.get(line.sku) else line.with_quantity(line.quantity - returned[line.sku])
            for line in self.lines
            if returned.get(line.sku, 0) < line.quantity
        )

    def open_for_return(self) -> Order:
        """The order as a further return sees it: with a return booked for some of its pieces, the others, open as a
        delivered order's (a second return of other items: the walk of 2026-12-07, lane cen5); else the order."""
        if self.status is not OrderStatus.RETURN_REQUESTED or self.returned is None or not self.not_returned():
            return self
        return replace(self, status=OrderStatus.DELIVERED, lines=self.not_returned(), returned={})

    @property
    def postcode(self) -> str:
        return self.shipping_address.postcode

    @property
    def country(self) -> str:
        return self.shipping_address.country

    def line(self, sku: str) -> OrderLine | None:
        return next((line for line in self.lines if line.sku.lower() == sku.strip().lower()), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (for slots, the agent's context panel, logs without secrets)."""
        return {
            "number": self.number,
            "customer_id": self.customer_id,
            "email": self.email,
            "status": str(self.status),
            "placed_at": _iso(self.placed_at),
            "shipped_at": _iso(self.shipped_at),
            "delivered_at": _iso(self.delivered_at),
            "carrier": self.carrier,
            "tracking_number": self.tracking_number,
            "tracking_url": self.tracking_url,
            "expected_delivery": _iso(self.expected_delivery),
            "shipping_address": self.shipping_address.to_dict(),
            "lines": [line.to_dict() for line in self.lines],
            "total": str(self.total),
            "currency": self.currency,
        }


# what to return: SKU -> pieces (a SKU list means every piece of those lines; None, every returnable line)
ReturnItems = Mapping[str, int] | Sequence[str]


@dataclass(frozen=True)
class ReturnQuote:
    """What a return would contain and cost, before it is booked (``OrderSystem.quote_return``)."""

    order_number: str
    lines: tuple[OrderLine, ...]  # with the pieces to return
    excluded_lines: tuple[OrderLine, ...]  # final-sale lines left out of a "return everything"
    label_fee: Decimal
    refund_amount: Decimal
    currency: str = "EUR"
    ship_by: date | None = None  # the parcel must be handed to the carrier by then, once booked today
    # of ``lines``, those broken beyond use (glass, ceramics) that the customer disposes of instead of sending back
    disposed_lines: tuple[OrderLine, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "excluded_lines", tuple(self.excluded_lines))
        object.__setattr__(self, "disposed_lines", tuple(self.disposed_lines))
        object.__setattr__(self, "label_fee", _money(self.label_fee, f"return of {self.order_number} label_fee"))
        object.__setattr__(self, "refund_amount", _money(self.refund_amount, f"return of {self.order_number} refund"))

    @property
    def sent_back(self) -> tuple[OrderLine, ...]:
        """The lines that go back in a parcel (all of them but the disposed ones)."""
        disposed = {line.sku for line in self.disposed_lines}
        return tuple(line for line in self.lines if line.sku not in disposed)

    @property
    def items(self) -> dict[str, int]:
        return {line.sku: line.quantity for line in self.lines}

    def to_dict(self) -> dict[str, Any]:
        return {
            "order_number": self.order_number,
            "lines": [line.to_dict() for line in self.lines],
            "excluded_lines": [line.to_dict() for line in self.excluded_lines],
            "label_fee": str(self.label_fee),
            "refund_amount": str(self.refund_amount),
            "currency": self.currency,
            "ship_by": _iso(self.ship_by),
        }


@dataclass(frozen=True)
class CancellationQuote:
    """What cancelling an order would undo and pay back (``OrderSystem.quote_cancellation``)."""

    order_number: str
    lines: tuple[OrderLine, ...]
    total: Decimal
    refund_amount: Decimal  # 0 when nothing was charged yet
    currency: str = "EUR"
    refund_by: date | None = None  # the latest day the refund is sent, when there is one

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "total", _money(self.total, f"cancellation of {self.order_number} total"))
        object.__setattr__(self, "refund_amount", _money(self.refund_amount, f"cancellation of {self.order_number}"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "order_number": self.order_number,
            "lines": [line.to_dict() for line in self.lines],
            "total": str(self.total),
            "refund_amount": str(self.refund_amount),
            "currency": self.currency,
            "refund_by": _iso(self.refund_by),
        }


@dataclass(frozen=True)
class ReturnRequest:
    rma: str
    order_number: str
    lines: tuple[OrderLine, ...]
    created_at: datetime
    instructions: str  # customer-facing: what to do with the parcel, label, refund
    refund_amount: Decimal
    label_fee: Decimal = Decimal("0.00")
    currency: str = "EUR"
    label_url: str | None = None
    excluded_lines: tuple[OrderLine, ...] = field(default=())  # final-sale lines left out of "return all"

    def __post_init__(self) -> None:
        object.__setattr__(self, "created_at", as_utc(self.created_at, f"return {self.rma} created_at"))
        object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "excluded_lines", tuple(self.excluded_lines))
        object.__setattr__(self, "refund_amount", _money(self.refund_amount, f"return {self.rma} refund_amount"))
        object.__setattr__(self, "label_fee", _money(self.label_fee, f"return {self.rma} label_fee"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "rma": self.rma,
            "order_number": self.order_number,
            "lines": [line.to_dict() for line in self.lines],
            "excluded_lines": [line.to_dict() for line in self.excluded_lines],
            "created_at": _iso(self.created_at),
            "instructions": self.instructions,
            "refund_amount": str(self.refund_amount),
            "label_fee": str(self.label_fee),
            "currency": self.currency,
            "label_url": self.label_url,
        }


@dataclass(frozen=True)
class RefundStatus:
    order_number: str
    state: RefundState
    amount: Decimal
    currency: str = "EUR"
    expected_by: date | None = None  # latest date the money should be sent (PROCESSING)
    refunded_on: date | None = None  # when it was sent (REFUNDED)
    # AWAITING_RETURN: the booked returns whose parcels the refund waits for (``amount`` is theirs together: two
    # returns of one order were shown as the latest one's refund alone, lane cust's walk)
    returns_awaited: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", RefundState(self.state))
        object.__setattr__(self, "amount", _money(self.amount, f"refund for {self.order_number} amount"))
        if int(self.returns_awaited) < 1:
            raise ValueError(f"refund for {self.order_number}: returns_awaited must be at least 1")

    def to_dict(self) -> dict[str, Any]:
        return {
            "order_number": self.order_number,
            "state": str(self.state),
            "amount": str(self.amount),
            "currency": self.currency,
            "expected_by": _iso(self.expected_by),
            "refunded_on": _iso(self.refunded_on),
            "returns_awaited": self.returns_awaited,
        }


@dataclass(frozen=True)
class ReplacementRequest:
    """A replacement booked for damaged or wrong goods (``OrderSystem.create_replacement``): ``lines`` are sent again
    at no cost, and what arrived goes back free under ``rma`` (no refund: the customer gets the goods instead)."""

    rma: str
    order_number: str
    lines: tuple[OrderLine, ...]
    reason: ReturnReason
    created_at: datetime
    instructions: str  # customer-facing: what is sent, and what to do with what arrived
    currency: str = "EUR"

    def __post_init__(self) -> None:
        object.__setattr__(self, "created_at", as_utc(self.created_at, f"replacement {self.rma} created_at"))
        object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "reason", ReturnReason(self.reason))

    def to_dict(self) -> dict[str, Any]:
        return {
            "rma": self.rma,
            "order_number": self.order_number,
            "lines": [line.to_dict() for line in self.lines],
            "reason": str(self.reason),
            "created_at": _iso(self.created_at),
            "instructions": self.instructions,
            "currency": self.currency,
        }
