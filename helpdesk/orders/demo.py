"""The demo shop: orders in a local SQLite file, seeded from ``knowledge/demo/shop.yml``.

    python -m helpdesk.orders.demo seed [--db URL] [--reset]

creates and seeds the database idempotently: rows already there are kept, missing ones are
added, and when the last seed was on an earlier day every date is moved forward by the days
since, so "delivered 5 days ago" stays 5 days ago. ``--reset`` drops everything and seeds afresh.
The default database is ``var/demo-shop.db``; ``DEMO_SHOP_URL`` or ``--db`` choose another.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import joinedload

from helpdesk.orders.config import DEFAULT_DEMO_DB, DEFAULT_SEED_FILE, load_orders_config, resolve_path
from helpdesk.orders.demo_seed import DeliveryEstimate, SeedData, SeedError
from helpdesk.orders.demo_tables import (
    CustomerRow,
    DemoBase,
    MetaRow,
    OrderLineRow,
    OrderRow,
    RefundRow,
    ReplacementRow,
    ReturnRow,
)
from helpdesk.orders.model import (
    Address,
    CancellationQuote,
    Customer,
    Order,
    OrderLine,
    OrderStatus,
    RefundState,
    RefundStatus,
    ReplacementRequest,
    ReturnItems,
    ReturnQuote,
    ReturnReason,
    ReturnRequest,
    normalise_order_number,
    utc_now,
)
from helpdesk.orders.policy import (
    ITEMS_BEING_REPLACED,
    REPLACEMENT_ALREADY_BOOKED,
    RETURN_ALREADY_REQUESTED,
    Action,
    OrderPolicy,
    new_rma,
)
from helpdesk.orders.system import (
    DEFAULT_LIST_LIMIT,
    BackendError,
    CustomerNotFound,
    OrderNotFound,
    OrderSystem,
    check_limit,
)

log = logging.getLogger("helpdesk.orders.demo")
ANCHOR_KEY = "anchor_date"
CENT = Decimal("0.01")


def demo_database_url(url: str | None = None) -> str:
    """An async SQLite URL. Accepts ``sqlite:///x.db``, ``sqlite+aiosqlite:///x.db`` or a plain file path;
    relative paths are taken from the project root."""
    raw = url or str(DEFAULT_DEMO_DB)
    if "://" not in raw:
        return f"sqlite+aiosqlite:///{resolve_path(raw)}"
    try:
        parsed = make_url(raw)
    except ArgumentError as exc:
        raise ValueError(f"demo shop URL {raw!r} is not a database URL: {exc}") from exc
    if parsed.get_backend_name() != "sqlite":
        raise ValueError(
            f"the demo shop runs on SQLite; got a {parsed.get_backend_name()} URL ({raw.split('://')[0]}://...)"
        )
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        database = str(resolve_path(database))
    return parsed.set(drivername="sqlite+aiosqlite", database=database).render_as_string(hide_password=False)


def create_demo_engine(url: str | None = None) -> AsyncEngine:
    full = demo_database_url(url)
    database = make_url(full).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    # pool_reset_on_return=None: every use of the engine ends its transaction itself (a session's close rolls back,
    # `begin()` commits or rolls back), so the pool's own ROLLBACK on return was a second one per session, each a
    # round trip to aiosqlite's thread (issue 22)
    engine = create_async_engine(full, connect_args={"timeout": 30}, pool_reset_on_return=None)

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


# ---------------------------------------------------------------------------------------------
# seeding


@dataclass(frozen=True)
class SeedReport:
    url: str
    reset: bool
    anchor: date
    shifted_days: int
    added: dict[str, int]
    kept: dict[str, int]

    def summary(self) -> str:
        what = "reset and seeded" if self.reset else "seeded"
        added = ", ".join(f"{n} {table}" for table, n in self.added.items())
        kept = ", ".join(f"{n} {table}" for table, n in self.kept.items() if n)
        lines = [f"demo shop {what}: {self.url}", f"  added: {added}"]
        if kept:
            lines.append(f"  already there (kept as they are; --reset to re-seed): {kept}")
        if self.shifted_days:
            lines.append(f"  moved every date forward {self.shifted_days} day(s): the last seed was on an earlier day")
        lines.append(f"  relative dates resolved against {self.anchor.isoformat()} (UTC)")
        return "\n".join(lines)


TABLES = {
    "customers": CustomerRow,
    "orders": OrderRow,
    "order lines": OrderLineRow,
    "returns": ReturnRow,
    "refunds": RefundRow,
}  # the seed's tables (replacements: made by the chat only)


async def _count(conn: AsyncConnection, model: type[DemoBase]) -> int:
    return int((await conn.execute(select(func.count()).select_from(model))).scalar_one())


async def _create_tables(engine: AsyncEngine, reset: bool) -> None:
    for attempt in range(3):
        try:
            async with engine.begin() as conn:
                if reset:
                    await conn.run_sync(DemoBase.metadata.drop_all)
                await conn.run_sync(DemoBase.metadata.create_all)
            return
        except OperationalError as exc:  # another process created them at the same moment
            if "already exists" not in str(exc) or attempt == 2:
                raise


async def _shift_dates(conn: AsyncConnection, days: int, policy: OrderPolicy) -> None:
    """Move every stored date forward ``days`` days (keeps relative dates current).

    Refund due dates are recomputed from the moved start, since business days don't shift with the calendar.
    """
    delta = timedelta(days=days)
    session = AsyncSession(bind=conn)
    for model, columns in (
        (OrderRow, ("placed_at", "shipped_at", "delivered_at", "cancelled_at")),
        (ReturnRow, ("created_at", "received_at")),
        (RefundRow, ("started_at", "refunded_at")),
        (ReplacementRow, ("created_at",)),
    ):
        for row in (await session.execute(select(model))).scalars():
            for column in columns:
                value = getattr(row, column)
                if value is not None:
                    setattr(row, column, value + delta)
            if isinstance(row, RefundRow):
                row.expected_by = policy.refund_expected_by(row.started_at.date())
    await session.flush()


async def seed_database(
    engine: AsyncEngine, seed: SeedData, policy: OrderPolicy, now: datetime | None = None, reset: bool = False
) -> SeedReport:
    """Create the tables and add whatever of ``seed`` is missing; safe to run again and concurrently."""
    now = now or utc_now()
    today = now.date()
    await _create_tables(engine, reset)
    async with engine.begin() as conn:
        # a write first: holds SQLite's write lock for the rest of this transaction
        await conn.execute(
            sqlite_insert(MetaRow).values(key=ANCHOR_KEY, value=today.isoformat()).on_conflict_do_nothing()
        )
        anchor = date.fromisoformat(
            (await conn.execute(select(MetaRow.value).where(MetaRow.key == ANCHOR_KEY))).scalar_one()
        )
        shifted = (today - anchor).days if anchor < today else 0
        if shifted:
            await _shift_dates(conn, shifted, policy)
            await conn.execute(update(MetaRow).where(MetaRow.key == ANCHOR_KEY).values(value=today.isoformat()))
        before = {name: await _count(conn, model) for name, model in TABLES.items()}
        existing = set((await conn.execute(select(OrderRow.number))).scalars())
        rows = seed.rows(now, policy)
        new = {row["number"] for row in rows.orders} - existing
        batches: list[tuple[type[DemoBase], list[dict[str, Any]]]] = [
            (CustomerRow, rows.customers),
            (OrderRow, [r for r in rows.orders if r["number"] in new]),
            (OrderLineRow, [r for r in rows.lines if r["order_number"] in new]),
            (ReturnRow, [r for r in rows.returns if r["order_number"] in new]),
            (RefundRow, [r for r in rows.refunds if r["order_number"] in new]),
        ]
        for model, batch in batches:
            if batch:
                await conn.execute(sqlite_insert(model).on_conflict_do_nothing(), batch)
        after = {name: await _count(conn, model) for name, model in TABLES.items()}
    added = {name: after[name] - before[name] for name in TABLES}
    return SeedReport(engine.url.render_as_string(), reset, today, shifted, added, before)


# ---------------------------------------------------------------------------------------------
# the order system


def _money(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _order(
    row: OrderRow,
    delivery: DeliveryEstimate | None = None,
    today: date | None = None,
    names_zh: dict[str, str] | None = None,
) -> Order:
    expected = None
    if delivery is not None and today is not None:
        shipped = row.shipped_at.date() if row.shipped_at else None
        expected = delivery.expected(OrderStatus(row.status), row.placed_at.date(), shipped, row.carrier, today)
    return Order(
        expected_delivery=expected,
        number=row.number,
        customer_id=row.customer_id,
        email=row.email,
        status=OrderStatus(row.status),
        placed_at=row.placed_at,
        shipped_at=row.shipped_at,
        delivered_at=row.delivered_at,
        carrier=row.carrier,
        tracking_number=row.tracking_number,
        tracking_url=row.tracking_url,
        shipping_address=Address(row.ship_name, row.ship_street, row.ship_city, row.ship_postcode, row.ship_country),
        lines=tuple(
            OrderLine(
                line.sku,
                line.name,
                line.quantity,
                _money(line.unit_price_cents),
                line.final_sale,
                (names_zh or {}).get(line.sku, ""),
            )
            for line in row.lines
        ),
        total=_money(row.total_cents),
        currency=row.currency,
        returned=_returned(row),
    )


def _returned(row: OrderRow) -> dict[str, int]:
    """The pieces of each line the order's booked returns took (``_pieces`` form: a SKU alone is the whole line)."""
    ordered = {line.sku: line.quantity for line in row.lines}
    returned: dict[str, int] = {}
    for booked in row.returns:
        for part in booked.skus.split():
            sku, _, pieces = part.partition(":")
            if sku in ordered and "#" not in part:  # single pieces of a set leave the set to return
                returned[sku] = min(ordered[sku], returned.get(sku, 0) + (int(pieces) if pieces else ordered[sku]))
    return returned


def _pieces(line: OrderLine, order: Order) -> str:
    """A returned line in the returns table: its SKU, with ":<pieces>" when only some of the ordered ones go back,
    "#<pieces>" for single pieces of a set."""
    if line.of_set:
        return f"{line.sku}#{line.quantity}"
    ordered = order.line(line.sku)
    return line.sku if ordered is None or ordered.quantity == line.quantity else f"{line.sku}:{line.quantity}"


def _replaced_lines(skus: str, order: Order) -> tuple[OrderLine, ...]:
    """The lines a stored replacement names (``_pieces`` form), with their pieces."""
    lines = []
    for part in skus.split():
        sku, _, single = part.partition("#")
        sku, _, pieces = sku.partition(":")
        line = order.line(sku)
        if line is not None and single:
            lines.append(line.pieces_of_set(int(single)))
        elif line is not None:
            lines.append(line.with_quantity(int(pieces)) if pieces else line)
    return tuple(lines)


def _customer(row: CustomerRow) -> Customer:
    return Customer(id=row.id, email=row.email, name=row.name, postcode=row.postcode, tier=row.tier)  # type: ignore[arg-type]


def catalogue_zh(data: SeedData) -> dict[str, str]:
    """The seed's Chinese product names by SKU."""
    return {sku: product.name_zh for sku, product in data.products.items() if product.name_zh}


class DemoOrderSystem(OrderSystem):
    """Orders of the demo shop, with Larkspur Home's policies enforced by ``OrderPolicy``."""

    def __init__(
        self,
        url: str | None = None,
        *,
        policy: OrderPolicy | None = None,
        seed_file: Path | None = DEFAULT_SEED_FILE,
        auto_seed: bool = True,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._policy = policy or OrderPolicy()
        self._engine = create_demo_engine(url)
        self._sessions = async_sessionmaker(self._engine, expire_on_commit=False)
        self._seed_file = seed_file
        self._auto_seed = auto_seed and seed_file is not None
        self._clock = clock
        self._delivery = DeliveryEstimate()
        self._ready = False
        self._ready_lock = asyncio.Lock()
        self._write_lock = asyncio.Lock()  # one writer at a time in this process (SQLite has one anyway)
        self._catalogue_zh: dict[str, str] | None = None

    @property
    def policy(self) -> OrderPolicy:
        return self._policy

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    async def seed(self, reset: bool = False, data: SeedData | None = None) -> SeedReport:
        """Seed the database from the seed file (``data``: that file as read already)."""
        if self._seed_file is None:
            raise ValueError("this demo order system has no seed file")
        data = data or SeedData.load(self._seed_file)
        report = await seed_database(self._engine, data, self._policy, self._clock(), reset)
        self._ready = True
        return report

    async def _ensure_ready(self) -> None:
        if self._ready:
            return
        async with self._ready_lock:
            await self._make_ready()

    async def _make_ready(self) -> None:
        """Seed (or create) the database once; the caller holds the lock (another task may have done it since)."""
        if self._ready:
            return
        try:
            data = SeedData.load(self._seed_file) if self._seed_file is not None else None  # read once
            if data is not None:
                self._delivery = data.delivery
                self._catalogue_zh = catalogue_zh(data)
            if self._auto_seed:
                report = await self.seed(data=data)
                log.info("%s", report.summary().replace("\n", ";"))
            else:
                await _create_tables(self._engine, reset=False)
        except SQLAlchemyError as exc:
            log.error("demo shop database %s unavailable: %s", self._engine.url, exc.__class__.__name__)
            raise BackendError(f"demo shop database unavailable: {exc}") from exc
        self._ready = True

    @asynccontextmanager
    async def _session(self, write: bool = False) -> AsyncIterator[AsyncSession]:
        await self._ensure_ready()
        try:
            if write:
                async with self._write_lock, self._sessions.begin() as session:
                    yield session
            else:
                async with self._sessions() as session:
                    yield session
        except SQLAlchemyError as exc:
            log.error("demo shop database error: %s", exc.__class__.__name__)
            raise BackendError(f"demo shop database error: {exc}") from exc

    @staticmethod
    async def _order_row(session: AsyncSession, number: str) -> OrderRow:
        """The order's row with its lines, in one SELECT (the lines joined to it, in their order): the mapping's
        `selectin` loading sends a second SELECT for them, and each statement here is a round trip to aiosqlite's
        thread, 0.3 ms of the action server's CPU on the 2-core AMD EPYC (issue 22)."""
        normalised = normalise_order_number(number)
        options = [joinedload(OrderRow.lines), joinedload(OrderRow.returns)]
        row = await session.get(OrderRow, normalised, options=options) if normalised else None
        if row is None:
            raise OrderNotFound(str(number))
        return row

    def _as_order(self, row: OrderRow) -> Order:
        return _order(row, self._delivery, self._clock().date(), self._names_zh())

    def _names_zh(self) -> dict[str, str]:
        """The catalogue's Chinese product names by SKU (the seed file's products; read once)."""
        if self._catalogue_zh is None:
            self._catalogue_zh = catalogue_zh(SeedData.load(self._seed_file)) if self._seed_file is not None else {}
        return self._catalogue_zh

    async def get_order(self, number: str) -> Order:
        async with self._session() as session:
            return self._as_order(await self._order_row(session, number))

    async def list_orders(self, customer_id: str, limit: int = DEFAULT_LIST_LIMIT) -> list[Order]:
        limit = check_limit(limit)
        async with self._session() as session:
            query = (
                select(OrderRow)
                # the lines and the returns in the same SELECT (`_order_row`)
                .options(joinedload(OrderRow.lines), joinedload(OrderRow.returns))
                .where(OrderRow.customer_id == customer_id)
                .order_by(OrderRow.placed_at.desc(), OrderRow.number.desc())
                .limit(limit)
            )
            return [self._as_order(row) for row in (await session.execute(query)).unique().scalars()]

    async def find_customer(self, email: str) -> Customer | None:
        async with self._session() as session:
            query = select(CustomerRow).where(CustomerRow.email == email.strip().lower())
            row = (await session.execute(query)).scalar_one_or_none()
            return _customer(row) if row else None

    async def get_customer(self, customer_id: str) -> Customer:
        async with self._session() as session:
            row = await session.get(CustomerRow, customer_id)
            if row is None:
                raise CustomerNotFound(customer_id)
            return _customer(row)

    async def quote_cancellation(self, number: str) -> CancellationQuote:
        order = await self.get_order(number)
        return self._policy.quote_cancellation(order, self._clock())

    async def cancel(self, number: str) -> Order:
        now = self._clock()
        async with self._session(write=True) as session:
            row = await self._order_row(session, number)
            refusal = self._policy.cancel_refusal(_order(row), now)
            if refusal is not None:
                raise refusal
            if row.status in (OrderStatus.PAID, OrderStatus.PACKED):
                session.add(
                    RefundRow(
                        order_number=row.number,
                        reason="cancellation",
                        amount_cents=row.total_cents,
                        started_at=now,
                        expected_by=self._policy.refund_expected_by(now.date()),
                        refunded_at=None,
                    )
                )
            row.status = OrderStatus.CANCELLED.value
            row.cancelled_at = now
            await session.flush()
            return self._as_order(row)

    async def change_address(self, number: str, address: Address) -> Order:
        now = self._clock()
        async with self._session(write=True) as session:
            row = await self._order_row(session, number)
            refusal = self._policy.address_change_refusal(_order(row), address, now)
            if refusal is not None:
                raise refusal
            row.ship_name, row.ship_street, row.ship_city = address.name, address.street, address.city
            row.ship_postcode, row.ship_country = address.postcode, address.country
            await session.flush()
            return self._as_order(row)

    async def quote_return(
        self, number: str, items: ReturnItems | None = None, reason: ReturnReason = ReturnReason.UNWANTED
    ) -> ReturnQuote:
        async with self._session() as session:
            order = self._as_order(await self._order_row(session, number))
            return await self._plan_return(session, order, items, self._clock(), reason)

    async def _plan_return(
        self, session: AsyncSession, order: Order, items: ReturnItems | None, now: datetime, reason: ReturnReason
    ) -> ReturnQuote:
        """``plan_return``, refused when a booked replacement sends any of its items again (else the customer would
        get the goods and the money: a person decides); a return booked already whose broken glass was disposed of
        is refused as under way, nothing to send back."""
        await self._refuse_a_refund_under_way(session, order, now)
        plan = self._policy.plan_return(order, items, now, reason)
        booked = select(ReplacementRow.skus).where(ReplacementRow.order_number == order.number)
        replaced = {
            line.sku for (skus,) in (await session.execute(booked)).all() for line in _replaced_lines(skus, order)
        }
        if replaced & {line.sku for line in plan.lines}:
            raise self._policy.refusal(Action.RETURN, ITEMS_BEING_REPLACED, order, now)
        return plan

    async def create_return(
        self, number: str, items: ReturnItems | None = None, reason: ReturnReason = ReturnReason.UNWANTED
    ) -> ReturnRequest:
        now = self._clock()
        async with self._session(write=True) as session:
            row = await self._order_row(session, number)
            order = self._as_order(row)
            plan = await self._plan_return(session, order, items, now, reason)
            rma = await _unused_rma(session, order.number)
            instructions = self._policy.return_instructions(order, plan, rma)
            session.add(
                ReturnRow(
                    rma=rma,
                    order_number=order.number,
                    skus=" ".join(_pieces(line, order) for line in plan.lines),
                    excluded_skus=" ".join(line.sku for line in plan.excluded_lines),
                    created_at=now,
                    received_at=None if plan.sent_back else now,  # broken glass disposed of: nothing to wait for
                    instructions=instructions,
                    label_fee_cents=_cents(plan.label_fee),
                    refund_cents=_cents(plan.refund_amount),
                )
            )
            refund = await session.get(RefundRow, order.number) if not plan.sent_back else None
            if refund is not None:
                # a further return with nothing to send back: one refund for the order (the sum while under way)
                refund.amount_cents = _cents(plan.refund_amount) + (0 if refund.refunded_at else refund.amount_cents)
                refund.started_at, refund.refunded_at = now, None
                refund.expected_by = self._policy.refund_expected_by(now.date())
            elif not plan.sent_back:
                session.add(
                    RefundRow(
                        order_number=order.number,
                        reason="return",
                        amount_cents=_cents(plan.refund_amount),
                        started_at=now,
                        expected_by=self._policy.refund_expected_by(now.date()),
                        refunded_at=None,
                    )
                )
            row.status = OrderStatus.RETURN_REQUESTED.value
            await session.flush()
            return ReturnRequest(
                rma=rma,
                order_number=order.number,
                lines=plan.lines,
                excluded_lines=plan.excluded_lines,
                created_at=now,
                instructions=instructions,
                refund_amount=plan.refund_amount,
                label_fee=plan.label_fee,
                currency=order.currency,
            )

    @property
    def offers_replacements(self) -> bool:
        return True

    @property
    def offers_set_pieces(self) -> bool:
        return True

    async def _refuse_a_refund_under_way(self, session: AsyncSession, order: Order, now: datetime) -> None:
        """A return booked already whose broken glass was disposed of (nothing to send back, its refund under way):
        refused as booked, saying so (the policy alone would ask for the parcel)."""
        if order.status is not OrderStatus.RETURN_REQUESTED or order.open_for_return() is not order:
            return  # nothing booked, or items left that a return of their own may take
        latest = select(ReturnRow.received_at).where(ReturnRow.order_number == order.number)
        received = (await session.execute(latest.order_by(ReturnRow.created_at.desc()).limit(1))).scalar()
        if received is not None:
            raise self._policy.refusal(Action.RETURN, RETURN_ALREADY_REQUESTED, order, now, nothing_sent_back=True)

    async def _plan_replacement(
        self, session: AsyncSession, order: Order, items: ReturnItems | None, now: datetime, reason: ReturnReason
    ) -> ReturnQuote:
        await self._refuse_a_refund_under_way(session, order, now)
        plan = self._policy.plan_replacement(order, items, now, reason)
        booked = select(ReplacementRow.rma).where(ReplacementRow.order_number == order.number).limit(1)
        if (await session.execute(booked)).first() is not None:  # one replacement per order: then a person
            raise self._policy.refusal(Action.RETURN, REPLACEMENT_ALREADY_BOOKED, order, now)
        return plan

    async def quote_replacement(
        self, number: str, items: ReturnItems | None = None, reason: ReturnReason = ReturnReason.WRONG_ITEM
    ) -> ReturnQuote:
        async with self._session() as session:
            order = self._as_order(await self._order_row(session, number))
            return await self._plan_replacement(session, order, items, self._clock(), reason)

    async def create_replacement(
        self, number: str, items: ReturnItems | None = None, reason: ReturnReason = ReturnReason.WRONG_ITEM
    ) -> ReplacementRequest:
        now = self._clock()
        async with self._session(write=True) as session:
            row = await self._order_row(session, number)
            order = self._as_order(row)
            plan = await self._plan_replacement(session, order, items, now, reason)
            rma = await _unused_rma(session, order.number)
            instructions = self._policy.replacement_instructions(order, plan, rma)
            session.add(
                ReplacementRow(
                    rma=rma,
                    order_number=order.number,
                    skus=" ".join(_pieces(line, order) for line in plan.lines),
                    reason=reason.value,
                    created_at=now,
                    instructions=instructions,
                )
            )
            await session.flush()
            return ReplacementRequest(rma, order.number, plan.lines, reason, now, instructions, order.currency)

    async def list_replacements(self, number: str) -> list[ReplacementRequest]:
        async with self._session() as session:
            row = await self._order_row(session, number)
            order = self._as_order(row)
            query = (
                select(ReplacementRow)
                .where(ReplacementRow.order_number == row.number)
                .order_by(ReplacementRow.created_at, ReplacementRow.rma)
            )
            return [
                ReplacementRequest(
                    replacement.rma,
                    order.number,
                    _replaced_lines(replacement.skus, order),
                    ReturnReason(replacement.reason),
                    replacement.created_at,
                    replacement.instructions,
                    order.currency,
                )
                for replacement in (await session.execute(query)).scalars()
            ]

    async def refund_status(self, number: str) -> RefundStatus:
        async with self._session() as session:
            row = await self._order_row(session, number)
            refund = await session.get(RefundRow, row.number)
            if refund is not None:
                return RefundStatus(
                    order_number=row.number,
                    state=RefundState.REFUNDED if refund.refunded_at else RefundState.PROCESSING,
                    amount=_money(refund.amount_cents),
                    currency=row.currency,
                    expected_by=refund.expected_by,
                    refunded_on=refund.refunded_at.date() if refund.refunded_at else None,
                )
            # every booked return whose parcel has not arrived: their refunds together (a second return of the
            # order's other items was shown alone)
            query = select(ReturnRow).where(ReturnRow.order_number == row.number, ReturnRow.received_at.is_(None))
            pending = list((await session.execute(query)).scalars())
            if pending:
                awaited = _money(sum(r.refund_cents for r in pending))
                state = RefundState.AWAITING_RETURN
                return RefundStatus(row.number, state, awaited, row.currency, returns_awaited=len(pending))
            return RefundStatus(row.number, RefundState.NONE, Decimal("0.00"), row.currency)

    async def aclose(self) -> None:
        await self._engine.dispose()


# ---------------------------------------------------------------------------------------------
# command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpdesk.orders.demo", description="The demo shop's database.")
    commands = parser.add_subparsers(dest="command", required=True)
    seed = commands.add_parser("seed", help="create and seed the demo database (idempotent)")
    seed.add_argument("--db", help="database URL or file (default: DEMO_SHOP_URL, else var/demo-shop.db)")
    seed.add_argument("--reset", action="store_true", help="drop every table first and seed afresh")
    seed.add_argument("--seed-file", type=Path, help="seed file (default: knowledge/demo/shop.yml)")
    seed.add_argument("--config", type=Path, help="orders configuration with the policies (default: config/orders.yml)")
    args = parser.parse_args(argv)

    try:
        config = load_orders_config(args.config)
        system = DemoOrderSystem(
            args.db or config.demo.url,
            policy=OrderPolicy(config.policy),
            seed_file=resolve_path(args.seed_file) if args.seed_file else config.demo.seed_file,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    async def run() -> SeedReport:
        try:
            return await system.seed(reset=args.reset)
        finally:
            await system.aclose()

    try:
        report = asyncio.run(run())
    except SeedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"error: the demo database could not be written: {exc}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())


async def _unused_rma(session: AsyncSession, order_number: str) -> str:
    """A new RMA number for the order that no return and no replacement has (both are quoted by it)."""
    rma = new_rma(order_number)
    while await session.get(ReturnRow, rma) is not None or await session.get(ReplacementRow, rma) is not None:
        rma = new_rma(order_number)
    return rma
