"""The demo shop's seed file (``knowledge/demo/shop.yml``): parsing, checking, resolving dates.

Dates in the seed are relative (``placed_days_ago: 12``) so a fresh seed is always current;
``SeedData.rows(now, policy)`` turns them into absolute UTC timestamps and table rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from helpdesk.orders.model import (
    ORDER_NUMBER_RE,
    RMA_RE,
    Address,
    Order,
    OrderLine,
    OrderStatus,
    ReturnQuote,
    as_utc,
    normalise_country,
)
from helpdesk.orders.policy import OrderPolicy, add_business_days

# libyaml's safe loader when PyYAML was built with it (it is, from its wheels): the same documents, about seven times
# faster than the pure-Python one (the seed file: 0.15 s of CPU a read, more on a busy machine, in the action
# server's event loop at the first order lookup)
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ALLOWED_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
SHIPPED_STATUSES = {OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.RETURN_REQUESTED, OrderStatus.REFUNDED}
DELIVERED_STATUSES = {OrderStatus.DELIVERED, OrderStatus.RETURN_REQUESTED, OrderStatus.REFUNDED}
# time of day (UTC) of each kind of event: increasing, so events on the same day keep their order
EVENT_HOURS = {
    "placed": 7,
    "cancelled": 9,
    "shipped": 11,
    "delivered": 13,
    "requested": 15,
    "received": 17,
    "refunded": 19,
}


class SeedError(ValueError):
    """The seed file is invalid; the message names the file and the entry."""


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price: Decimal
    final_sale: bool
    name_zh: str = ""  # its Chinese name (products.<sku>.zh)


@dataclass(frozen=True)
class SeedCustomer:
    id: str
    email: str
    name: str
    tier: str
    street: str
    city: str
    postcode: str
    country: str


@dataclass(frozen=True)
class SeedReturn:
    rma: str
    requested_days_ago: int
    received_days_ago: int | None
    skus: tuple[str, ...] | None


@dataclass(frozen=True)
class SeedOrder:
    number: str
    customer: str
    status: OrderStatus
    placed_days_ago: int
    lines: tuple[tuple[str, int], ...]
    shipped_days_ago: int | None = None
    delivered_days_ago: int | None = None
    cancelled_days_ago: int | None = None
    refunded_days_ago: int | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    ship_to: Mapping[str, str] | None = None
    return_: SeedReturn | None = None


@dataclass(frozen=True)
class DeliveryEstimate:
    """How long the demo shop's parcels take, for "it should arrive by ..." (business days, Monday to Friday).

    A paid order is handed to the carrier ``dispatch_business_days`` after it is placed (a packed one the next
    business day); then it travels its carrier's ``transit_business_days`` (``default_transit_business_days`` when
    the carrier is not known yet). Seed section ``delivery``."""

    dispatch_business_days: int = 2
    default_transit_business_days: int = 2
    transit_business_days: Mapping[str, int] = field(default_factory=dict)

    def expected(
        self, status: OrderStatus, placed: date, shipped: date | None, carrier: str | None, today: date
    ) -> date | None:
        """The day the order should arrive; None once it has arrived, before it is paid, or after it ended."""
        transit = self.transit_business_days.get(carrier or "", self.default_transit_business_days)
        if status is OrderStatus.SHIPPED and shipped is not None:
            return max(add_business_days(shipped, transit), today)
        if status is OrderStatus.PAID:
            handed_over = max(add_business_days(placed, self.dispatch_business_days), add_business_days(today, 1))
            return add_business_days(handed_over, transit)
        if status is OrderStatus.PACKED:
            return add_business_days(today, 1 + transit)
        return None


def _delivery(raw: Any, where: str, carriers: Mapping[str, str]) -> DeliveryEstimate:
    if raw is None:
        return DeliveryEstimate()
    r = _Reader(raw, where)
    r.unknown({"dispatch_business_days", "default_transit_business_days", "transit_business_days"})
    transit = _Reader(raw.get("transit_business_days") or {}, f"{where}.transit_business_days")
    transit.unknown(set(carriers))
    days = {str(carrier): transit.days(str(carrier), required=True) or 0 for carrier in transit.raw}
    dispatch, default = r.days("dispatch_business_days"), r.days("default_transit_business_days")
    return DeliveryEstimate(
        dispatch_business_days=DeliveryEstimate.dispatch_business_days if dispatch is None else dispatch,
        default_transit_business_days=DeliveryEstimate.default_transit_business_days if default is None else default,
        transit_business_days=days,
    )


@dataclass
class SeedRows:
    """Rows for each table, ready for ``insert()``."""

    customers: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    returns: list[dict[str, Any]] = field(default_factory=list)
    refunds: list[dict[str, Any]] = field(default_factory=list)


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


class _Reader:
    """Typed access to one mapping of the seed, with errors that say where."""

    def __init__(self, raw: Any, where: str) -> None:
        if not isinstance(raw, Mapping):
            raise SeedError(f"{where}: expected a mapping, got {type(raw).__name__}")
        self.raw = raw
        self.where = where

    def text(self, key: str, required: bool = True) -> str | None:
        value = self.raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise SeedError(f"{self.where}: '{key}' is required")
            return None
        if isinstance(value, bool | list | dict):
            raise SeedError(f"{self.where}: '{key}' must be text, got {value!r}")
        return str(value).strip()

    def days(self, key: str, required: bool = False) -> int | None:
        value = self.raw.get(key)
        if value is None:
            if required:
                raise SeedError(f"{self.where}: '{key}' is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise SeedError(f"{self.where}: '{key}' must be a whole number of days ≥ 0, got {value!r}")
        return value

    def unknown(self, known: set[str]) -> None:
        extra = sorted(set(self.raw) - known)
        if extra:
            raise SeedError(f"{self.where}: unknown key(s) {', '.join(extra)} (known: {', '.join(sorted(known))})")


@dataclass
class SeedData:
    carriers: dict[str, str]
    products: dict[str, Product]
    customers: dict[str, SeedCustomer]
    orders: list[SeedOrder]
    source: str = "seed"
    delivery: DeliveryEstimate = field(default_factory=DeliveryEstimate)

    # -- loading -------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> SeedData:
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
        except OSError as exc:
            raise SeedError(f"can't read the demo seed file {path}: {exc.strerror}") from exc
        except yaml.YAMLError as exc:
            raise SeedError(f"{path} is not valid YAML: {exc}") from exc
        return cls.parse(raw, str(path))

    @classmethod
    def parse(cls, raw: Any, source: str = "seed") -> SeedData:
        top = _Reader(raw, source)
        top.unknown({"version", "carriers", "delivery", "products", "customers", "orders"})
        if raw.get("version") != 1:
            raise SeedError(f"{source}: 'version: 1' is required, got {raw.get('version')!r}")
        carriers = {str(k): str(v) for k, v in _Reader(raw.get("carriers") or {}, f"{source} carriers").raw.items()}
        products = {sku: _product(sku, spec, source) for sku, spec in (raw.get("products") or {}).items()}
        customers: dict[str, SeedCustomer] = {}
        emails: set[str] = set()
        for i, item in enumerate(raw.get("customers") or []):
            customer = _customer(item, f"{source} customers[{i}]")
            if customer.id in customers:
                raise SeedError(f"{source}: customer id {customer.id} appears twice")
            if customer.email in emails:
                raise SeedError(f"{source}: e-mail {customer.email} belongs to two customers")
            customers[customer.id] = customer
            emails.add(customer.email)
        orders: list[SeedOrder] = []
        numbers: set[str] = set()
        rmas: set[str] = set()
        for i, item in enumerate(raw.get("orders") or []):
            order = _order(item, f"{source} orders[{i}]", carriers, products, customers)
            if order.number in numbers:
                raise SeedError(f"{source}: order {order.number} appears twice")
            numbers.add(order.number)
            if order.return_ is not None:
                if order.return_.rma in rmas:
                    raise SeedError(f"{source}: return number {order.return_.rma} appears twice")
                rmas.add(order.return_.rma)
            orders.append(order)
        delivery = _delivery(raw.get("delivery"), f"{source} delivery", carriers)
        return cls(carriers, products, customers, orders, source, delivery)

    # -- resolving -----------------------------------------------------------------------------

    def rows(self, now: datetime, policy: OrderPolicy) -> SeedRows:
        """Every row, with relative dates resolved against ``now`` (UTC)."""
        now = as_utc(now, "now")
        rows = SeedRows()
        for c in self.customers.values():
            rows.customers.append(
                {
                    "id": c.id,
                    "email": c.email,
                    "name": c.name,
                    "tier": c.tier,
                    "street": c.street,
                    "city": c.city,
                    "postcode": c.postcode,
                    "country": c.country,
                }
            )
        for o in self.orders:
            self._order_rows(o, now, policy, rows)
        return rows

    def _order_rows(self, o: SeedOrder, now: datetime, policy: OrderPolicy, rows: SeedRows) -> None:
        customer = self.customers[o.customer]
        n = int(o.number)

        def at(kind: str, days: int | None) -> datetime | None:
            if days is None:
                return None
            day = now.date() - timedelta(days=days)
            moment = datetime.combine(day, time(EVENT_HOURS[kind]), now.tzinfo) + timedelta(minutes=(n * 37) % 100)
            return min(moment, now)

        ship_to = dict(o.ship_to or {})
        address = Address(
            name=ship_to.get("name", customer.name),
            street=ship_to.get("street", customer.street),
            city=ship_to.get("city", customer.city),
            postcode=ship_to.get("postcode", customer.postcode),
            country=ship_to.get("country", customer.country),
        )
        lines = [
            OrderLine(sku, product.name, qty, product.price, product.final_sale, product.name_zh)
            for sku, qty in o.lines
            for product in (self.products[sku],)
        ]
        total = sum((line.line_total for line in lines), Decimal("0.00"))
        tracking_url = None
        if o.carrier and o.tracking_number:
            tracking_url = self.carriers[o.carrier].format(
                tracking_number=o.tracking_number,
                postcode=address.postcode.replace(" ", ""),
                country=address.country,
            )
        placed_at = at("placed", o.placed_days_ago)
        assert placed_at is not None
        rows.orders.append(
            {
                "number": o.number,
                "customer_id": customer.id,
                "email": customer.email,
                "status": o.status.value,
                "placed_at": placed_at,
                "shipped_at": at("shipped", o.shipped_days_ago),
                "delivered_at": at("delivered", o.delivered_days_ago),
                "cancelled_at": at("cancelled", o.cancelled_days_ago),
                "carrier": o.carrier,
                "tracking_number": o.tracking_number,
                "tracking_url": tracking_url,
                "ship_name": address.name,
                "ship_street": address.street,
                "ship_city": address.city,
                "ship_postcode": address.postcode,
                "ship_country": address.country,
                "total_cents": _cents(total),
                "currency": policy.config.currency,
            }
        )
        for position, line in enumerate(lines, start=1):
            rows.lines.append(
                {
                    "order_number": o.number,
                    "position": position,
                    "sku": line.sku,
                    "name": line.name,
                    "quantity": line.quantity,
                    "unit_price_cents": _cents(line.unit_price),
                    "final_sale": line.final_sale,
                }
            )
        refunded_at = at("refunded", o.refunded_days_ago)
        if o.return_ is not None:
            ret = o.return_
            chosen = [line for line in lines if ret.skus is None or line.sku in ret.skus]
            returned = [line for line in chosen if not line.final_sale] if ret.skus is None else chosen
            excluded = [line for line in lines if line.final_sale] if ret.skus is None else []
            fee = policy.config.return_label_fee if address.country in policy.config.paid_return_countries else 0
            value = sum((line.line_total for line in returned), Decimal("0.00"))
            plan = ReturnQuote(
                o.number, tuple(returned), tuple(excluded), Decimal(fee), max(value - fee, Decimal("0.00"))
            )
            order = Order(
                number=o.number,
                customer_id=customer.id,
                email=customer.email,
                status=o.status,
                placed_at=placed_at,
                shipping_address=address,
                lines=tuple(lines),
                total=total,
            )
            received_at = at("received", ret.received_days_ago)
            rows.returns.append(
                {
                    "rma": ret.rma,
                    "order_number": o.number,
                    "skus": " ".join(line.sku for line in returned),
                    "excluded_skus": " ".join(line.sku for line in excluded),
                    "created_at": at("requested", ret.requested_days_ago),
                    "received_at": received_at,
                    "instructions": policy.return_instructions(order, plan, ret.rma),
                    "label_fee_cents": _cents(plan.label_fee),
                    "refund_cents": _cents(plan.refund_amount),
                }
            )
            if received_at is not None:
                rows.refunds.append(
                    {
                        "order_number": o.number,
                        "reason": "return",
                        "amount_cents": _cents(plan.refund_amount),
                        "started_at": received_at,
                        "expected_by": policy.refund_expected_by(received_at.date()),
                        "refunded_at": refunded_at,
                    }
                )
        elif o.status is OrderStatus.CANCELLED and refunded_at is not None:
            cancelled_at = at("cancelled", o.cancelled_days_ago)
            assert cancelled_at is not None
            rows.refunds.append(
                {
                    "order_number": o.number,
                    "reason": "cancellation",
                    "amount_cents": _cents(total),
                    "started_at": cancelled_at,
                    "expected_by": policy.refund_expected_by(cancelled_at.date()),
                    "refunded_at": refunded_at,
                }
            )


def _product(sku: Any, spec: Any, source: str) -> Product:
    where = f"{source} products.{sku}"
    r = _Reader(spec, where)
    r.unknown({"name", "price", "final_sale", "zh"})
    try:
        price = Decimal(str(spec.get("price")))
    except ArithmeticError as exc:
        raise SeedError(f"{where}: 'price' must be an amount like 24.95") from exc
    if not price.is_finite() or price <= 0:
        raise SeedError(f"{where}: 'price' must be positive, got {spec.get('price')!r}")
    final_sale = bool(spec.get("final_sale", False))
    name_zh = r.text("zh", required=False) or ""
    return Product(str(sku), r.text("name") or "", price.quantize(Decimal("0.01")), final_sale, name_zh)


def _customer(item: Any, where: str) -> SeedCustomer:
    r = _Reader(item, where)
    r.unknown({"id", "email", "name", "tier", "street", "city", "postcode", "country"})
    email = (r.text("email") or "").lower()
    domain = email.rpartition("@")[2]
    if domain not in ALLOWED_EMAIL_DOMAINS:
        raise SeedError(
            f"{where}: e-mail {email} must be at {', '.join(ALLOWED_EMAIL_DOMAINS)} (reserved for examples)"
        )
    tier = r.text("tier", required=False) or "standard"
    if tier not in ("standard", "vip"):
        raise SeedError(f"{where}: tier must be standard or vip, got {tier!r}")
    if item.get("country") is False:
        raise SeedError(f'{where}: write Norway as country: "NO" in quotes (YAML reads a bare NO as false)')
    country = normalise_country(r.text("country") or "")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise SeedError(f"{where}: country must be a two-letter code, got {country!r}")
    return SeedCustomer(
        id=r.text("id") or "",
        email=email,
        name=r.text("name") or "",
        tier=tier,
        street=r.text("street") or "",
        city=r.text("city") or "",
        postcode=r.text("postcode") or "",
        country=country,
    )


ORDER_KEYS = {
    "number", "customer", "status", "placed_days_ago", "shipped_days_ago", "delivered_days_ago",
    "cancelled_days_ago", "refunded_days_ago", "carrier", "tracking_number", "ship_to", "lines", "return", "demo",
}  # fmt: skip


def _order(
    item: Any, where: str, carriers: dict[str, str], products: dict[str, Product], customers: dict[str, SeedCustomer]
) -> SeedOrder:
    r = _Reader(item, where)
    r.unknown(ORDER_KEYS)
    number = r.text("number") or ""
    where = f"{where} (order {number})"
    r.where = where
    if not ORDER_NUMBER_RE.match(number):
        raise SeedError(f"{where}: 'number' must be 6 digits in quotes, got {number!r}")
    customer = r.text("customer") or ""
    if customer not in customers:
        raise SeedError(f"{where}: unknown customer {customer!r}")
    try:
        status = OrderStatus(r.text("status") or "")
    except ValueError as exc:
        raise SeedError(f"{where}: {exc}") from exc
    raw_lines = item.get("lines")
    if not isinstance(raw_lines, Mapping) or not raw_lines:
        raise SeedError(f"{where}: 'lines' must map SKUs to quantities, e.g. {{LH-TXT-0412: 1}}")
    lines: list[tuple[str, int]] = []
    for sku, qty in raw_lines.items():
        if sku not in products:
            raise SeedError(f"{where}: unknown product {sku!r} in lines")
        if isinstance(qty, bool) or not isinstance(qty, int) or qty < 1:
            raise SeedError(f"{where}: quantity of {sku} must be a whole number ≥ 1, got {qty!r}")
        lines.append((str(sku), qty))
    ship_to = item.get("ship_to")
    if ship_to is not None:
        sr = _Reader(ship_to, f"{where} ship_to")
        sr.unknown({"name", "street", "city", "postcode", "country"})
        ship_to = {k: str(v) for k, v in ship_to.items()}
    order = SeedOrder(
        number=number,
        customer=customer,
        status=status,
        placed_days_ago=r.days("placed_days_ago", required=True) or 0,
        lines=tuple(lines),
        shipped_days_ago=r.days("shipped_days_ago"),
        delivered_days_ago=r.days("delivered_days_ago"),
        cancelled_days_ago=r.days("cancelled_days_ago"),
        refunded_days_ago=r.days("refunded_days_ago"),
        carrier=r.text("carrier", required=False),
        tracking_number=r.text("tracking_number", required=False),
        ship_to=ship_to,
        return_=_return(item.get("return"), where, number, dict(lines)) if item.get("return") is not None else None,
    )
    _check_lifecycle(order, where, carriers)
    return order


def _return(raw: Any, where: str, number: str, lines: dict[str, int]) -> SeedReturn:
    r = _Reader(raw, f"{where} return")
    r.unknown({"rma", "requested_days_ago", "received_days_ago", "skus"})
    rma = r.text("rma") or ""
    if not RMA_RE.match(rma) or rma.split("-")[1] != number:
        raise SeedError(f"{r.where}: 'rma' must look like RMA-<order number>-7F3K, got {rma!r}")
    skus = raw.get("skus")
    if skus is not None:
        if not isinstance(skus, list) or not skus or any(s not in lines for s in skus):
            raise SeedError(f"{r.where}: 'skus' must list SKUs of the order's lines, got {skus!r}")
        skus = tuple(str(s) for s in skus)
    return SeedReturn(
        rma=rma,
        requested_days_ago=r.days("requested_days_ago", required=True) or 0,
        received_days_ago=r.days("received_days_ago"),
        skus=skus,
    )


def _check_lifecycle(o: SeedOrder, where: str, carriers: dict[str, str]) -> None:
    """Each status has exactly the dates it needs, in a possible order."""
    shipped = o.status in SHIPPED_STATUSES
    delivered = o.status in DELIVERED_STATUSES

    def need(key: str, value: object, wanted: bool) -> None:
        if wanted and value is None:
            raise SeedError(f"{where}: status {o.status} needs '{key}'")
        if not wanted and value is not None:
            raise SeedError(f"{where}: status {o.status} must not have '{key}'")

    need("shipped_days_ago", o.shipped_days_ago, shipped)
    need("carrier", o.carrier, shipped)
    need("tracking_number", o.tracking_number, shipped)
    need("delivered_days_ago", o.delivered_days_ago, delivered)
    need("cancelled_days_ago", o.cancelled_days_ago, o.status is OrderStatus.CANCELLED)
    need("return", o.return_, o.status in (OrderStatus.RETURN_REQUESTED, OrderStatus.REFUNDED))
    if o.status not in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
        need("refunded_days_ago", o.refunded_days_ago, False)
    if o.status is OrderStatus.REFUNDED:
        need("refunded_days_ago", o.refunded_days_ago, True)
        assert o.return_ is not None
        need("return.received_days_ago", o.return_.received_days_ago, True)
    if o.carrier is not None and o.carrier not in carriers:
        raise SeedError(f"{where}: unknown carrier {o.carrier!r} (known: {', '.join(carriers)})")
    chain = [
        ("placed_days_ago", o.placed_days_ago),
        ("cancelled_days_ago", o.cancelled_days_ago),
        ("shipped_days_ago", o.shipped_days_ago),
        ("delivered_days_ago", o.delivered_days_ago),
        ("return.requested_days_ago", o.return_.requested_days_ago if o.return_ else None),
        ("return.received_days_ago", o.return_.received_days_ago if o.return_ else None),
        ("refunded_days_ago", o.refunded_days_ago),
    ]
    known = [(k, v) for k, v in chain if v is not None]
    for (earlier, a), (later, b) in zip(known, known[1:], strict=False):
        if b > a:
            raise SeedError(f"{where}: '{later}' ({b}) can't be before '{earlier}' ({a}): days ago must not increase")
