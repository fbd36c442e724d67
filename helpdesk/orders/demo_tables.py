"""SQLAlchemy tables of the demo shop (its own SQLite file, separate from the helpdesk database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, TypeDecorator, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from helpdesk.orders.model import as_utc


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC (SQLite has no time zones) and returns them aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class DemoBase(DeclarativeBase):
    pass


class CustomerRow(DemoBase):
    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(16))
    street: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    postcode: Mapped[str] = mapped_column(String(16))
    country: Mapped[str] = mapped_column(String(2))


class OrderRow(DemoBase):
    __tablename__ = "orders"

    number: Mapped[str] = mapped_column(String(6), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20), index=True)
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    carrier: Mapped[str | None] = mapped_column(String(20), nullable=True)
    tracking_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    tracking_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    ship_name: Mapped[str] = mapped_column(String(200))
    ship_street: Mapped[str] = mapped_column(String(200))
    ship_city: Mapped[str] = mapped_column(String(100))
    ship_postcode: Mapped[str] = mapped_column(String(16))
    ship_country: Mapped[str] = mapped_column(String(2))
    total_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")

    lines: Mapped[list[OrderLineRow]] = relationship(order_by="OrderLineRow.position", lazy="selectin")
    # what its booked returns took (Order.returned: a further return may take the other items)
    returns: Mapped[list[ReturnRow]] = relationship(order_by="ReturnRow.created_at", lazy="selectin", viewonly=True)


class OrderLineRow(DemoBase):
    __tablename__ = "order_lines"
    __table_args__ = (UniqueConstraint("order_number", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_number: Mapped[str] = mapped_column(ForeignKey("orders.number"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    final_sale: Mapped[bool] = mapped_column(Boolean, default=False)


class ReturnRow(DemoBase):
    __tablename__ = "returns"

    rma: Mapped[str] = mapped_column(String(20), primary_key=True)
    order_number: Mapped[str] = mapped_column(ForeignKey("orders.number"), index=True)
    skus: Mapped[str] = mapped_column(Text)  # space-separated
    excluded_skus: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    instructions: Mapped[str] = mapped_column(Text)
    label_fee_cents: Mapped[int] = mapped_column(Integer)
    refund_cents: Mapped[int] = mapped_column(Integer)


class ReplacementRow(DemoBase):
    """A replacement of damaged or wrong goods: the items sent again at no cost; what arrived goes back under the
    same RMA, with no refund. The order keeps its status (it is delivered; a new parcel goes out)."""

    __tablename__ = "replacements"

    rma: Mapped[str] = mapped_column(String(20), primary_key=True)
    order_number: Mapped[str] = mapped_column(ForeignKey("orders.number"), index=True)
    skus: Mapped[str] = mapped_column(Text)  # space-separated, "<sku>:<pieces>" for some of a line's pieces
    reason: Mapped[str] = mapped_column(String(16))  # damaged | wrong_item
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    instructions: Mapped[str] = mapped_column(Text)


class RefundRow(DemoBase):
    __tablename__ = "refunds"

    order_number: Mapped[str] = mapped_column(ForeignKey("orders.number"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(16))  # return | cancellation
    amount_cents: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())  # parcel arrived / order cancelled
    expected_by: Mapped[date] = mapped_column(Date)
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class MetaRow(DemoBase):
    """``anchor_date``: the day the seed's relative dates were last resolved against."""

    __tablename__ = "demo_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
