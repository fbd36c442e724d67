"""Customer-facing sentences about an order's state, for the chat flows to send as they are."""

from __future__ import annotations

from datetime import datetime

from helpdesk.orders.model import Order, OrderStatus, RefundState, RefundStatus, utc_now
from helpdesk.orders.policy import OrderPolicy, long_date, money


def describe_order(order: Order, policy: OrderPolicy | None = None, now: datetime | None = None) -> str:
    """Where the order is, in one or two sentences (with the tracking link once it has shipped)."""
    policy = policy or OrderPolicy()
    now = now or utc_now()
    n = order.number
    placed = long_date(order.placed_at.date())
    status = order.status
    if status is OrderStatus.PLACED:
        return f"Order {n} was placed on {placed} and is waiting for your payment; we pack it as soon as it arrives."
    if status is OrderStatus.PAID:
        return (
            f"Order {n} (placed on {placed}) is paid and waiting to be packed; "
            "it usually ships within 1-2 business days."
        )
    if status is OrderStatus.PACKED:
        return f"Order {n} is packed and about to be handed to the carrier; you'll get the tracking link by e-mail."
    if status is OrderStatus.SHIPPED:
        return f"Order {n}{_shipped(order)}.{_tracking(order)}"
    if status is OrderStatus.DELIVERED:
        text = f"Order {n} was delivered on {long_date((order.delivered_at or order.placed_at).date())}."
        deadline = policy.return_deadline(order)
        if deadline is not None and now.date() <= deadline:
            text += f" If anything isn't right, you can return it until {long_date(deadline)}."
        return text
    if status is OrderStatus.CANCELLED:
        return f"Order {n} has been cancelled. Ask me for the refund status if you had already paid."
    if status is OrderStatus.RETURN_REQUESTED:
        return (
            f"Order {n} has a return in progress. Your refund follows within {policy.config.refund_business_days} "
            "business days after the parcel reaches our warehouse."
        )
    return f"Order {n} has been returned and refunded. Ask me for the refund status to see the details."


def _shipped(order: Order) -> str:
    carrier = f" with {order.carrier}" if order.carrier else ""
    when = f" on {long_date(order.shipped_at.date())}" if order.shipped_at else ""
    return f" shipped{when}{carrier}"


def _tracking(order: Order) -> str:
    if order.tracking_url:
        return f" You can follow it here: {order.tracking_url}"
    if order.tracking_number:
        return f" Its tracking number is {order.tracking_number}."
    return ""


def describe_refund(refund: RefundStatus, policy: OrderPolicy | None = None) -> str:
    """Where the refund stands, with the date to expect it."""
    policy = policy or OrderPolicy()
    n = refund.order_number
    amount = money(refund.amount, refund.currency)
    if refund.state is RefundState.REFUNDED:
        when = f" on {long_date(refund.refunded_on)}" if refund.refunded_on else ""
        return (
            f"Your refund of {amount} for order {n} was sent{when} to your original payment method. "
            "Depending on your bank it can take a few days to show on your statement."
        )
    if refund.state is RefundState.PROCESSING:
        by = f" by {long_date(refund.expected_by)} at the latest" if refund.expected_by else " soon"
        return f"Your refund of {amount} for order {n} is being processed and will be sent{by}."
    if refund.state is RefundState.AWAITING_RETURN:
        return (
            f"Your return for order {n} is booked but hasn't reached our warehouse yet. Once it arrives, your refund "
            f"of {amount} is sent within {policy.config.refund_business_days} business days."
        )
    return f"There's no refund on order {n}: nothing from it has been returned or cancelled after payment."
