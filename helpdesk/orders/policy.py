"""Larkspur Home's order rules: cancellation, address change, returns, refund timing.

The rules come from the ``policies`` section of ``config/orders.yml`` (``PolicyConfig``). Every
refusal is a ``PolicyRefusal`` with a stable ``reason_code``, a sentence saying *why* and one
saying *what the customer can do instead*. The functions take ``now`` explicitly so they are pure
and testable; the order systems pass their clock.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from helpdesk import i18n
from helpdesk.i18n import join_names as join_names  # re-exported: one home, in the customer's language
from helpdesk.i18n import long_date as long_date
from helpdesk.i18n import money as money
from helpdesk.orders import policy_texts
from helpdesk.orders.model import (
    SET_PIECES_SUFFIX,
    Address,
    CancellationQuote,
    Order,
    OrderLine,
    OrderStatus,
    ReturnItems,
    ReturnQuote,
    ReturnReason,
    normalise_country,
)
from helpdesk.orders.system import PolicyRefusal

if TYPE_CHECKING:
    from helpdesk.orders import policy_texts as say
else:
    from helpdesk.orders import policy_texts_zh

    say = i18n.Localized(policy_texts, zh=policy_texts_zh)

EU_COUNTRIES = frozenset(
    {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"}
    | {"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}
)
RMA_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
# orders that have been paid for: cancelling one refunds its total
CHARGED_STATUSES = frozenset({OrderStatus.PAID, OrderStatus.PACKED})  # no 0/O, 1/I: easy to read out on the phone

COUNTRY_NAMES = policy_texts.COUNTRY_NAMES  # English names (the Chinese: policy_texts_zh.COUNTRY_NAMES)


def tracking_refusal(order: Order) -> PolicyRefusal | None:
    """Why the tracking cannot be sent to the customer (nothing shipped yet), in the language spoken; None when it
    can (an order card's reasons are in the conversation's language: this one was the only English one on a Chinese
    customer's cards)."""
    if order.tracking_number:
        return None
    return PolicyRefusal("no_tracking", say.NO_TRACKING.format(order=order.number), "", order.number)


class Action(StrEnum):
    CANCEL = "cancel"
    CHANGE_ADDRESS = "change_address"
    RETURN = "return"


# Reason codes (stable: stories, analytics and the HTTP adapter's refusal mapping use them).
ALREADY_PACKED = "already_packed"
ALREADY_SHIPPED = "already_shipped"
ALREADY_DELIVERED = "already_delivered"
ALREADY_CANCELLED = "already_cancelled"
ALREADY_REFUNDED = "already_refunded"
RETURN_IN_PROGRESS = "return_in_progress"
RETURN_ALREADY_REQUESTED = "return_already_requested"
RETURN_WINDOW_EXPIRED = "return_window_expired"
FINAL_SALE = "final_sale"
NOT_DELIVERED = "not_delivered"
ITEM_NOT_IN_ORDER = "item_not_in_order"
TOO_MANY_PIECES = "too_many_pieces"
INVALID_ADDRESS = "invalid_address"
COUNTRY_NOT_SERVED = "country_not_served"
RETURN_COUNTRY_NOT_SUPPORTED = "return_country_not_supported"
SHOP_REFUSED = "shop_refused"
REPLACEMENT_NOT_OFFERED = "replacement_not_offered"  # an ordinary return, or a shop whose system books none
REPLACEMENT_ALREADY_BOOKED = "replacement_already_booked"
# a return (with its refund) of items a booked replacement sends again: the goods and the money both (a person decides)
ITEMS_BEING_REPLACED = "items_being_replaced"

TALK_TO_TEAM = policy_texts.TALK_TO_TEAM


class PolicyConfigError(ValueError):
    """The ``policies`` section of the orders configuration is invalid."""


@dataclass(frozen=True)
class PolicyConfig:
    cancel_statuses: frozenset[OrderStatus] = frozenset({OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.PACKED})
    address_change_statuses: frozenset[OrderStatus] = frozenset({OrderStatus.PLACED, OrderStatus.PAID})
    return_window_days: int = 30
    return_ship_within_days: int = 14
    refund_business_days: int = 10
    free_return_countries: frozenset[str] = EU_COUNTRIES
    paid_return_countries: frozenset[str] = frozenset({"GB", "CH", "NO"})
    return_label_fee: Decimal = Decimal("6.95")
    currency: str = "EUR"
    delivery_countries: frozenset[str] = field(default_factory=frozenset)  # empty: free + paid return countries
    # products (SKUs) that arrive broken beyond use, glass and ceramics: the customer disposes of them safely instead
    # of sending the pieces back (the handbook's damaged-item answer), for a refund or a replacement alike
    dispose_when_damaged: frozenset[str] = field(default_factory=frozenset)

    @property
    def shipping_countries(self) -> frozenset[str]:
        return self.delivery_countries or (self.free_return_countries | self.paid_return_countries)

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any] | None, where: str = "policies") -> PolicyConfig:
        """Build from the YAML section; unknown keys and bad values raise PolicyConfigError naming the key."""
        raw = dict(raw or {})
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise PolicyConfigError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        values: dict[str, Any] = {}
        for key in ("cancel_statuses", "address_change_statuses"):
            if key in raw:
                values[key] = frozenset(_statuses(raw[key], f"{where}.{key}"))
        for key in ("return_window_days", "return_ship_within_days", "refund_business_days"):
            if key in raw:
                values[key] = _positive_int(raw[key], f"{where}.{key}")
        for key in ("free_return_countries", "paid_return_countries", "delivery_countries"):
            if key in raw:
                values[key] = frozenset(_countries(raw[key], f"{where}.{key}"))
        if "return_label_fee" in raw:
            try:
                fee = Decimal(str(raw["return_label_fee"]))
            except ArithmeticError as exc:
                raise PolicyConfigError(f"{where}.return_label_fee must be an amount like 6.95") from exc
            if not fee.is_finite() or fee < 0:
                raise PolicyConfigError(f"{where}.return_label_fee must be zero or positive, got {fee}")
            values["return_label_fee"] = fee.quantize(Decimal("0.01"))
        if "currency" in raw:
            values["currency"] = str(raw["currency"]).upper()
        if "dispose_when_damaged" in raw:
            disposed = _skus(raw["dispose_when_damaged"], f"{where}.dispose_when_damaged")
            values["dispose_when_damaged"] = frozenset(disposed)
        return cls(**values)


def _statuses(raw: Any, where: str) -> list[OrderStatus]:
    if not isinstance(raw, list):
        raise PolicyConfigError(f"{where} must be a list of order statuses")
    try:
        return [OrderStatus(str(s)) for s in raw]
    except ValueError as exc:
        allowed = ", ".join(s.value for s in OrderStatus)
        raise PolicyConfigError(f"{where}: {exc} (allowed: {allowed})") from exc


def _positive_int(raw: Any, where: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise PolicyConfigError(f"{where} must be a positive whole number, got {raw!r}")
    return raw


def _skus(raw: Any, where: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(sku, str) and sku.strip() for sku in raw):
        raise PolicyConfigError(f"{where} must be a list of product SKUs, got {raw!r}")
    return [sku.strip() for sku in raw]


def _countries(raw: Any, where: str) -> list[str]:
    if isinstance(raw, list) and any(c is False for c in raw):
        raise PolicyConfigError(f'{where}: write Norway as "NO" in quotes (YAML reads a bare NO as false)')
    if not isinstance(raw, list) or not all(isinstance(c, str) and len(c.strip()) == 2 for c in raw):
        raise PolicyConfigError(f"{where} must be a list of two-letter country codes (ISO 3166-1), got {raw!r}")
    return [normalise_country(c) for c in raw]


def add_business_days(start: date, days: int) -> date:
    """The date ``days`` business days (Monday to Friday) after ``start``; public holidays are not skipped."""
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def new_rma(order_number: str) -> str:
    """A return number like ``RMA-100234-7F3K`` (4 random characters without look-alikes)."""
    suffix = "".join(secrets.choice(RMA_ALPHABET) for _ in range(4))
    return f"RMA-{order_number}-{suffix}"


def country_name(code: str) -> str:
    """The country's name in the customer's language ("the United Kingdom", "英国")."""
    names: dict[str, str] = say.COUNTRY_NAMES
    return names.get(code, code)


class OrderPolicy:
    """The rules, applied to orders. Stateless apart from its configuration."""

    def __init__(self, config: PolicyConfig | None = None) -> None:
        self.config = config or PolicyConfig()

    # -- dates ---------------------------------------------------------------------------------

    def refund_expected_by(self, arrived: date) -> date:
        """Latest date the refund is sent: ``refund_business_days`` business days after arrival."""
        return add_business_days(arrived, self.config.refund_business_days)

    def return_deadline(self, order: Order) -> date | None:
        """Last day a return can be booked (delivery date + window), when the delivery date is known."""
        delivered = order.delivered_at or order.shipped_at
        if delivered is None:
            return None
        return delivered.date() + timedelta(days=self.config.return_window_days)

    # -- cancellation --------------------------------------------------------------------------

    def cancel_refusal(self, order: Order, now: datetime) -> PolicyRefusal | None:
        """None when the order can be cancelled now, otherwise the refusal to show."""
        if order.status in self.config.cancel_statuses:
            return None
        code = {
            OrderStatus.PACKED: ALREADY_PACKED,
            OrderStatus.SHIPPED: ALREADY_SHIPPED,
            OrderStatus.DELIVERED: ALREADY_DELIVERED,
            OrderStatus.CANCELLED: ALREADY_CANCELLED,
            OrderStatus.RETURN_REQUESTED: RETURN_IN_PROGRESS,
            OrderStatus.REFUNDED: ALREADY_REFUNDED,
        }.get(order.status, SHOP_REFUSED)
        return self.refusal(Action.CANCEL, code, order, now)

    def quote_cancellation(self, order: Order, now: datetime) -> CancellationQuote:
        """What cancelling ``order`` now would pay back (all of it once paid, nothing before), or PolicyRefusal."""
        refusal = self.cancel_refusal(order, now)
        if refusal is not None:
            raise refusal
        charged = order.status in CHARGED_STATUSES
        return CancellationQuote(
            order_number=order.number,
            lines=order.lines,
            total=order.total,
            refund_amount=order.total if charged else Decimal("0.00"),
            currency=order.currency,
            refund_by=self.refund_expected_by(now.date()) if charged else None,
        )

    # -- address change ------------------------------------------------------------------------

    def address_change_refusal(self, order: Order, address: Address, now: datetime) -> PolicyRefusal | None:
        """None when the order's delivery address may be changed to ``address``."""
        if order.status not in self.config.address_change_statuses:
            code = {
                OrderStatus.PLACED: SHOP_REFUSED,
                OrderStatus.PAID: SHOP_REFUSED,
                OrderStatus.PACKED: ALREADY_PACKED,
                OrderStatus.SHIPPED: ALREADY_SHIPPED,
                OrderStatus.CANCELLED: ALREADY_CANCELLED,
            }.get(order.status, ALREADY_DELIVERED)
            return self.refusal(Action.CHANGE_ADDRESS, code, order, now)
        # a country the shop does not deliver to is the answer, whatever else the address lacks (a Chinese address
        # without its postcode is not to be asked for its postcode)
        if address.country and address.country not in self.config.shipping_countries:
            return self.refusal(Action.CHANGE_ADDRESS, COUNTRY_NOT_SERVED, order, now, country=address.country)
        missing = address.missing_fields()
        if missing:
            return self.refusal(Action.CHANGE_ADDRESS, INVALID_ADDRESS, order, now, missing=missing)
        return None

    # -- returns -------------------------------------------------------------------------------

    def plan_return(
        self, order: Order, items: ReturnItems | None, now: datetime, reason: ReturnReason = ReturnReason.UNWANTED
    ) -> ReturnQuote:
        """The return of ``items`` (SKU -> pieces, or SKUs for whole lines; None: every returnable line) booked
        ``now``, or PolicyRefusal saying why not. Damaged or wrong goods (``reason``) go back without a label fee,
        final-sale items included; the return window is the same. With a return booked for some of the order's
        pieces (``Order.returned``), the others may go back in a return of their own; those already in one may not."""
        if order.status is OrderStatus.RETURN_REQUESTED and (taken := self._already_returned(order, items)):
            raise self.refusal(Action.RETURN, RETURN_ALREADY_REQUESTED, order, now, items=taken)
        order = order.open_for_return()
        status_code = {
            OrderStatus.PLACED: NOT_DELIVERED,
            OrderStatus.PAID: NOT_DELIVERED,
            OrderStatus.PACKED: NOT_DELIVERED,
            OrderStatus.SHIPPED: NOT_DELIVERED,
            OrderStatus.CANCELLED: ALREADY_CANCELLED,
            OrderStatus.RETURN_REQUESTED: RETURN_ALREADY_REQUESTED,
            OrderStatus.REFUNDED: ALREADY_REFUNDED,
        }.get(order.status)
        if status_code is not None:
            # damaged or wrong goods: the customer has them, whatever the carrier's tracking says yet
            arrived = {"arrived": True} if reason.shop_at_fault else {}
            raise self.refusal(Action.RETURN, status_code, order, now, **arrived)
        deadline = self.return_deadline(order)
        if deadline is not None and now.date() > deadline:
            raise self.refusal(Action.RETURN, RETURN_WINDOW_EXPIRED, order, now)
        lines, excluded = self._returnable_lines(order, items, now, final_sale_taken=reason.shop_at_fault)
        country = order.country
        if country in self.config.free_return_countries or (
            reason.shop_at_fault and country in self.config.paid_return_countries
        ):
            fee = Decimal("0.00")
        elif country in self.config.paid_return_countries:
            fee = self.config.return_label_fee
        else:
            raise self.refusal(Action.RETURN, RETURN_COUNTRY_NOT_SUPPORTED, order, now, country=country)
        value = sum((line.line_total for line in lines), Decimal("0.00"))
        return ReturnQuote(
            order_number=order.number,
            lines=tuple(lines),
            excluded_lines=tuple(excluded),
            label_fee=fee,
            refund_amount=max(value - fee, Decimal("0.00")),
            currency=order.currency,
            ship_by=self.ship_by(now),
            disposed_lines=tuple(line for line in lines if self._disposed_of(line, reason)),
        )

    @staticmethod
    def _already_returned(order: Order, items: ReturnItems | None) -> list[str]:
        """The names of the ``items`` asked for (SKU -> pieces; a SKU alone: the pieces not returned yet) that a
        return booked before took, when the order system says what it took and it left something; [] otherwise."""
        left = {line.sku: line.quantity for line in order.not_returned()}
        if order.returned is None or not left or items is None:
            return []
        if isinstance(items, Mapping):
            asked = {str(sku).strip(): int(n) for sku, n in items.items()}
        else:  # a SKU alone: the pieces of it not returned yet
            asked = {sku: left.get(sku, 0) or 1 for sku in (str(one).strip() for one in items)}
        return [
            line.shown_name
            for line in order.lines
            if line.sku in asked and order.returned.get(line.sku) and asked[line.sku] > left.get(line.sku, 0)
        ]

    def _disposed_of(self, line: OrderLine, reason: ReturnReason) -> bool:
        """Broken glass or ceramics: disposed of by the customer, not sent back."""
        return reason is ReturnReason.DAMAGED and line.sku in self.config.dispose_when_damaged

    def plan_replacement(
        self, order: Order, items: ReturnItems | None, now: datetime, reason: ReturnReason
    ) -> ReturnQuote:
        """The replacement of damaged or wrong goods (``reason``): what goes back free and is sent again, as
        ``plan_return`` plans its return (same checks, no label fee), or PolicyRefusal. Goods the customer simply
        doesn't want are refunded, never replaced."""
        if not reason.shop_at_fault:
            raise self.refusal(Action.RETURN, REPLACEMENT_NOT_OFFERED, order, now)
        return self.plan_return(order, items, now, reason)

    def replacement_instructions(self, order: Order, plan: ReturnQuote, rma: str) -> str:
        """What is sent again, and what the customer does with what arrived, in one message."""
        parts = [
            say.REPLACEMENT_BOOKED.format(order=order.number, rma=rma, items=self._pieces(plan)),
            say.REPLACEMENT_SHIPS,
        ]
        if plan.sent_back:
            parts += [
                say.REPLACEMENT_SEND_BACK,
                say.LABEL_FREE.format(email=order.email),
                say.PACK_AND_SEND.format(rma=rma, days=self.config.return_ship_within_days),
            ]
        parts += self._disposal(plan)
        return i18n.join_sentences(parts)

    def _disposal(self, plan: ReturnQuote) -> list[str]:
        """What the customer does with broken glass or ceramics that need not go back (none: nothing to say)."""
        if not plan.disposed_lines:
            return []
        names = join_names([line.shown_name for line in plan.disposed_lines])
        return [(say.DISPOSE_ALL if not plan.sent_back else say.DISPOSE_THESE).format(names=names)]

    @staticmethod
    def _pieces(plan: ReturnQuote) -> str:
        return say.ITEMS_SEPARATOR.join(
            say.PIECES_OF.format(quantity=line.quantity, name=line.shown_name) if line.quantity > 1 else line.shown_name
            for line in plan.lines
        )

    def ship_by(self, booked: datetime) -> date:
        """The last day to hand a return booked at ``booked`` to the carrier."""
        return booked.date() + timedelta(days=self.config.return_ship_within_days)

    def _returnable_lines(
        self, order: Order, items: ReturnItems | None, now: datetime, final_sale_taken: bool = False
    ) -> tuple[list[OrderLine], list[OrderLine]]:
        if items is None and final_sale_taken:
            return list(order.lines), []
        if items is None:
            lines = [line for line in order.lines if not line.final_sale]
            excluded = [line for line in order.lines if line.final_sale]
            if not lines:
                raise self.refusal(Action.RETURN, FINAL_SALE, order, now, items=[line.shown_name for line in excluded])
            return lines, excluded
        pieces: dict[str, int | None]
        if isinstance(items, Mapping):
            pieces = {str(sku).strip(): int(count) for sku, count in items.items()}
        else:
            pieces = {str(sku).strip(): None for sku in items}
        wanted: list[OrderLine] = []
        for sku, quantity in pieces.items():
            if not sku:
                continue
            if sku.endswith(SET_PIECES_SUFFIX):  # single pieces of a set (damaged: one plate of a set of 4)
                wanted.append(self._pieces_of_set(order, sku.removesuffix(SET_PIECES_SUFFIX), quantity, now))
                continue
            line = order.line(sku)
            if line is None:
                raise self.refusal(Action.RETURN, ITEM_NOT_IN_ORDER, order, now, sku=sku)
            if quantity is not None and not 1 <= quantity <= line.quantity:
                raise self.refusal(
                    Action.RETURN, TOO_MANY_PIECES, order, now, item=line.shown_name, ordered=line.quantity
                )
            wanted.append(line if quantity is None else line.with_quantity(quantity))
        if not wanted:
            raise self.refusal(Action.RETURN, ITEM_NOT_IN_ORDER, order, now, sku="")
        final = [line for line in wanted if line.final_sale]
        if final and not final_sale_taken:
            raise self.refusal(Action.RETURN, FINAL_SALE, order, now, items=[line.shown_name for line in final])
        return wanted, []

    def _pieces_of_set(self, order: Order, sku: str, pieces: int | None, now: datetime) -> OrderLine:
        line = order.line(sku)
        if line is None:
            raise self.refusal(Action.RETURN, ITEM_NOT_IN_ORDER, order, now, sku=sku)
        try:
            return line.pieces_of_set(pieces or 0)
        except ValueError:
            raise self.refusal(
                Action.RETURN, TOO_MANY_PIECES, order, now, item=line.shown_name, ordered=line.set_size or 1
            ) from None

    def return_instructions(self, order: Order, plan: ReturnQuote, rma: str) -> str:
        """What the customer does next, in one message (in the conversation's language)."""
        c = self.config
        items = self._pieces(plan)
        parts = [say.RETURN_BOOKED.format(order=order.number, rma=rma, items=items)]
        refund = money(plan.refund_amount, c.currency)
        if not plan.sent_back:  # broken glass or ceramics only: no parcel, the refund follows the booking
            parts += self._disposal(plan)
            parts.append(say.REFUND_TIMING_NO_PARCEL.format(amount=refund, days=c.refund_business_days))
        else:
            if plan.label_fee:
                parts.append(
                    say.LABEL_PAID.format(
                        email=order.email, country=country_name(order.country), fee=money(plan.label_fee, c.currency)
                    )
                )
            else:
                parts.append(say.LABEL_FREE.format(email=order.email))
            parts.append(say.PACK_AND_SEND.format(rma=rma, days=c.return_ship_within_days))
            parts += self._disposal(plan)
            parts.append(say.REFUND_TIMING.format(amount=refund, days=c.refund_business_days))
        if plan.excluded_lines:
            names = join_names([line.shown_name for line in plan.excluded_lines])
            excluded = say.EXCLUDED_ONE if len(plan.excluded_lines) == 1 else say.EXCLUDED_MANY
            parts.append(excluded.format(names=names))
        return i18n.join_sentences(parts)

    # -- refusals ------------------------------------------------------------------------------

    def refusal(
        self, action: Action | str, code: str, order: Order | str, now: datetime, **details: Any
    ) -> PolicyRefusal:
        """The refusal for ``code`` when the customer tried ``action``.

        ``order`` may be just its number when the order itself is not at hand (a shop's refusal);
        the sentences then leave out what needs the order's data.
        """
        action = Action(action)
        number = order if isinstance(order, str) else order.number
        full = None if isinstance(order, str) else order
        message, alternative = _Sentences(self.config, action, number, full, now, details).for_code(code)
        return PolicyRefusal(code, message, alternative, number)


class _Sentences:
    """Customer-facing sentences for each (action, reason code)."""

    def __init__(
        self,
        config: PolicyConfig,
        action: Action,
        number: str,
        order: Order | None,
        now: datetime,
        details: dict[str, Any],
    ) -> None:
        self.c = config
        self.action = action
        self.n = number
        self.order = order
        self.now = now
        self.details = details

    def for_code(self, code: str) -> tuple[str, str]:
        method = getattr(self, f"_{code}", None)
        if method is None:
            return self._shop_refused()
        sentences: tuple[str, str] = method()
        return sentences

    def _return_offer(self) -> str:
        return say.RETURN_OFFER.format(days=self.c.return_window_days)

    def _refuse_or_return(self) -> str:
        return say.REFUSE_OR_RETURN.format(return_offer=self._return_offer())

    def _already_packed(self) -> tuple[str, str]:
        if self.action is Action.CHANGE_ADDRESS:
            return say.PACKED_NO_ADDRESS_CHANGE.format(order=self.n), say.PACKED_ADDRESS_INSTEAD
        return say.PACKED_NO_CANCEL.format(order=self.n), self._refuse_or_return()

    def _already_shipped(self) -> tuple[str, str]:
        if self.action is Action.CHANGE_ADDRESS:
            carrier = self.order.carrier if self.order and self.order.carrier else say.THE_CARRIER
            url = self.order.tracking_url if self.order else None
            tracking_link = say.TRACKING_LINK.format(url=url) if url else say.NO_TRACKING_LINK
            return (
                say.SHIPPED_NO_ADDRESS_CHANGE.format(order=self.n),
                say.SHIPPED_REDIRECT.format(carrier=carrier, tracking_link=tracking_link),
            )
        return say.SHIPPED_NO_CANCEL.format(order=self.n), self._refuse_or_return()

    def _already_delivered(self) -> tuple[str, str]:
        if self.action is Action.CHANGE_ADDRESS:
            return say.DELIVERED_NO_ADDRESS_CHANGE.format(order=self.n), say.DELIVERED_WRONG_PLACE
        message = say.DELIVERED_NO_CANCEL.format(order=self.n)
        delivered = (self.order.delivered_at or self.order.shipped_at) if self.order is not None else None
        if delivered is None:
            return message, say.DELIVERED_RETURN_OFFER.format(return_offer=self._return_offer())
        last = delivered.date() + timedelta(days=self.c.return_window_days)
        if self.now.date() > last:
            return message, say.DELIVERED_WINDOW_ENDED.format(
                days=self.c.return_window_days, date=long_date(last), talk_to_team=say.TALK_TO_TEAM
            )
        return message, say.DELIVERED_RETURN_UNTIL.format(date=long_date(last))

    def _already_cancelled(self) -> tuple[str, str]:
        message = {
            Action.CANCEL: say.CANCELLED_NO_CANCEL,
            Action.CHANGE_ADDRESS: say.CANCELLED_NO_ADDRESS_CHANGE,
            Action.RETURN: say.CANCELLED_NO_RETURN,
        }[self.action].format(order=self.n)
        alternative = say.CANCELLED_REFUND
        if self.action is Action.CHANGE_ADDRESS:
            alternative = say.CANCELLED_NEW_ORDER.format(refund=alternative)
        return message, alternative

    def _already_refunded(self) -> tuple[str, str]:
        message = (say.REFUNDED_NO_CANCEL if self.action is Action.CANCEL else say.REFUNDED).format(order=self.n)
        return message, say.REFUND_LOOKS_WRONG.format(talk_to_team=say.TALK_TO_TEAM)

    def _return_in_progress(self) -> tuple[str, str]:
        return (
            say.RETURN_IN_PROGRESS.format(order=self.n),
            say.RETURN_IN_PROGRESS_REFUND.format(days=self.c.refund_business_days),
        )

    def _return_already_requested(self) -> tuple[str, str]:
        # details["nothing_sent_back"]: broken glass or ceramics disposed of, the refund under way since the booking
        disposed = self.details.get("nothing_sent_back")
        after = say.RETURN_ALREADY_REFUNDING if disposed else say.RETURN_ALREADY_BOOKED_NEXT
        if items := self.details.get("items"):  # some of the items asked for: the others may still go back
            message = say.ITEMS_ALREADY_IN_RETURN.format(order=self.n, items=join_names(list(items)))
            return message, say.OTHER_ITEMS_MAY_GO_BACK
        return say.RETURN_ALREADY_BOOKED.format(order=self.n), after.format(days=self.c.refund_business_days)

    def _not_delivered(self) -> tuple[str, str]:
        if self.order is None:
            return say.NOT_DELIVERED.format(order=self.n), say.NOT_DELIVERED_CANCEL
        if self.order.status is OrderStatus.SHIPPED:
            if self.details.get("arrived"):
                # "my blanket arrived with a big hole in it": not "it's still on its way, refuse the parcel"
                return say.ARRIVED_IN_TRANSIT.format(order=self.n), say.ARRIVED_IN_TRANSIT_NEXT
            return say.ON_ITS_WAY.format(order=self.n), say.ON_ITS_WAY_NEXT.format(days=self.c.return_window_days)
        # not shipped: the bot knows it, so no "if it hasn't shipped"; a cancellation where the shop still allows one
        # (the chat offers it as a button: actions/orders.py), else when the parcel comes
        if self.order.status in self.c.cancel_statuses:
            return say.NOT_SHIPPED.format(order=self.n), say.NOT_SHIPPED_CANCEL
        return say.NOT_SHIPPED.format(order=self.n), say.NOT_SHIPPED_PACKED.format(days=self.c.return_window_days)

    def _return_window_expired(self) -> tuple[str, str]:
        when = (self.order.delivered_at or self.order.shipped_at) if self.order is not None else None
        days = self.c.return_window_days
        if when is not None:
            message = say.WINDOW_EXPIRED_ON.format(order=self.n, date=long_date(when.date()), days=days)
        else:
            message = say.WINDOW_EXPIRED.format(order=self.n, days=days)
        return message, say.GUARANTEE.format(talk_to_team=say.TALK_TO_TEAM)

    def _final_sale(self) -> tuple[str, str]:
        items = list(self.details.get("items") or [])
        if items:
            named = say.FINAL_SALE_ONE if len(items) == 1 else say.FINAL_SALE_MANY
            message = named.format(items=join_names(items), order=self.n)
        else:
            message = say.FINAL_SALE_CHOSEN.format(order=self.n)
        others = self.order is not None and any(not line.final_sale for line in self.order.lines)
        alternative = i18n.join_sentences(
            [say.FINAL_SALE_OTHERS, say.FINAL_SALE_FAULTY] if others else [say.FINAL_SALE_FAULTY]
        )
        return message, alternative

    def _item_not_in_order(self) -> tuple[str, str]:
        sku = self.details.get("sku") or ""
        message = (
            say.ITEM_NOT_IN_ORDER.format(order=self.n, sku=sku) if sku else say.ITEMS_NOT_SAID.format(order=self.n)
        )
        if self.order is not None:
            lines = self.order.lines
            names = join_names([say.ITEM_WITH_SKU.format(name=line.shown_name, sku=line.sku) for line in lines])
            return message, say.ORDER_CONTAINS.format(names=names)
        return message, say.WHICH_ITEMS

    def _too_many_pieces(self) -> tuple[str, str]:
        item, ordered = self.details.get("item") or "", self.details.get("ordered") or 1
        return say.TOO_MANY_PIECES.format(order=self.n, ordered=ordered, item=item), say.HOW_MANY

    def _invalid_address(self) -> tuple[str, str]:
        missing = join_names(list(self.details.get("missing") or []))
        return say.ADDRESS_MISSING.format(missing=missing, order=self.n), say.FULL_ADDRESS

    def _country_not_served(self) -> tuple[str, str]:
        country = country_name(str(self.details.get("country") or ""))
        return say.COUNTRY_NOT_SERVED.format(country=country, order=self.n), say.WHERE_WE_DELIVER

    def _return_country_not_supported(self) -> tuple[str, str]:
        country = country_name(str(self.details.get("country") or ""))
        return say.RETURN_COUNTRY_NOT_SUPPORTED.format(country=country, order=self.n), say.TALK_TO_TEAM

    def _replacement_not_offered(self) -> tuple[str, str]:
        return say.REPLACEMENT_NOT_OFFERED.format(order=self.n), say.TALK_TO_TEAM

    def _replacement_already_booked(self) -> tuple[str, str]:
        return (
            say.REPLACEMENT_ALREADY_BOOKED.format(order=self.n),
            say.REPLACEMENT_ALREADY_BOOKED_NEXT.format(talk_to_team=say.TALK_TO_TEAM),
        )

    def _items_being_replaced(self) -> tuple[str, str]:
        return say.ITEMS_BEING_REPLACED.format(order=self.n), say.TALK_TO_TEAM

    def _shop_refused(self) -> tuple[str, str]:
        sentence = {
            Action.CANCEL: say.SHOP_REFUSED_CANCEL,
            Action.CHANGE_ADDRESS: say.SHOP_REFUSED_CHANGE_ADDRESS,
            Action.RETURN: say.SHOP_REFUSED_RETURN,
        }[self.action]
        return sentence.format(order=self.n), say.TALK_TO_TEAM
