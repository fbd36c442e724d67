"""Where an order and its refund stand, in the customer's words: the status flow's texts, in one place.

Each text is a template with named placeholders for one whole sentence (or a list), never a fragment: a message
is whole sentences one after the other, so a translation replaces each template as it is.
Placeholders: {order_id}; {date} / {expected} / {deadline} as ``policy.long_date`` writes them ("Friday 24
January"); {dispatch_days} the shop's fact dispatch_business_days (config/shop_facts.yml: "1–2"); {carrier};
{url}; {tracking_number}; {amount} as ``policy.money`` writes it (€166.95); {refund_days};
{items}: ITEM_LINE for each line of the order, one per line; {quantity} and {name} of one line.

The tracking link is a Markdown link with a short label ("Track with DHL"): the widget and the console show the label
(a carrier's raw URL runs over several lines on a phone), plain-text views show "label (url)". Only an http(s) URL
becomes a link; the carrier's name and the URL are written so that nothing in them can change the Markdown around.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from helpdesk.i18n import Localized, join_sentences
from helpdesk.knowledge.facts import fact_text
from helpdesk.orders import messages_zh
from helpdesk.orders.model import Order, OrderLine, OrderStatus, RefundState, RefundStatus, utc_now
from helpdesk.orders.policy import OrderPolicy, long_date, money

PLACED = "Order {order_id} was placed on {date} and is waiting for your payment; we pack it as soon as it arrives."
PAID = (
    "Order {order_id} (placed on {date}) is paid and waiting to be packed; it usually ships within {dispatch_days} "
    "business days."
)
PAID_EXPECTED = "Order {order_id} (placed on {date}) is paid and waiting to be packed; it should arrive by {expected}."
PACKED = "Order {order_id} is packed and about to be handed to the carrier; you'll get the tracking link by e-mail."
PACKED_EXPECTED = (
    "Order {order_id} is packed and about to be handed to the carrier, and should arrive by {expected}. You'll get "
    "the tracking link by e-mail."
)
SHIPPED_ON_WITH = "Order {order_id} shipped on {date} with {carrier}."
SHIPPED_ON = "Order {order_id} shipped on {date}."
SHIPPED_WITH = "Order {order_id} shipped with {carrier}."
SHIPPED = "Order {order_id} has shipped."
ARRIVES_BY = "It should arrive by {expected}."
TRACK_WITH = "[Track with {carrier}]({url})"
TRACK = "[Track your parcel]({url})"
TRACKING_NUMBER = "Its tracking number is {tracking_number}."
DELIVERED = "Order {order_id} was delivered on {date}."
RETURN_UNTIL = "If anything isn't right, you can return it until {deadline}."
CANCELLED = "Order {order_id} has been cancelled. Ask me for the refund status if you had already paid."
RETURN_REQUESTED = (
    "Order {order_id} has a return in progress. Your refund follows within {refund_days} business days after the "
    "parcel reaches our warehouse."
)
REFUNDED = "Order {order_id} has been returned and refunded. Ask me for the refund status to see the details."
CONTENTS = "What's in it:\n{items}"
ITEM_LINE = "- {quantity} × {name}"

REFUND_SENT_ON = (
    "Your refund of {amount} for order {order_id} was sent on {date} to your original payment method. Depending on "
    "your bank it can take a few days to show on your statement."
)
REFUND_SENT = (
    "Your refund of {amount} for order {order_id} was sent to your original payment method. Depending on your bank "
    "it can take a few days to show on your statement."
)
REFUND_PROCESSING_BY = (
    "Your refund of {amount} for order {order_id} is being processed and will be sent by {date} at the latest."
)
REFUND_PROCESSING = "Your refund of {amount} for order {order_id} is being processed and will be sent soon."
REFUND_AWAITING_RETURN = (
    "Your return for order {order_id} is booked but hasn't reached our warehouse yet. Once it arrives, your refund "
    "of {amount} is sent within {refund_days} business days."
)
REFUNDS_AWAITING_RETURNS = (
    "Your {count} returns for order {order_id} are booked but their parcels haven't reached our warehouse yet. Each "
    "one's refund is sent within {refund_days} business days after it arrives: {amount} in all."
)
REFUND_NONE = "There's no refund on order {order_id}: nothing from it has been returned or cancelled after payment."

# statuses whose answer lists what is in the order
WITH_CONTENTS = frozenset(
    {OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED}
)


if TYPE_CHECKING:
    from helpdesk.orders import messages as say
else:
    say = Localized(sys.modules[__name__], zh=messages_zh)  # the templates above in the customer's language


def item_lines(lines: Iterable[OrderLine]) -> str:
    """One ITEM_LINE per order line, one below the other."""
    return "\n".join(say.ITEM_LINE.format(quantity=line.quantity, name=line.shown_name) for line in lines)


def describe_order(
    order: Order, policy: OrderPolicy | None = None, now: datetime | None = None, return_window: bool = True
) -> str:
    """Where the order is, when it should arrive (while it travels), the tracking link once it has shipped, and
    what is in it. ``return_window`` False: a delivered order's return deadline is left out (the customer says the
    parcel never reached them: there is nothing in hand to return)."""
    policy = policy or OrderPolicy()
    text = join_sentences(_status(order, policy, now or utc_now(), return_window))
    if order.status in WITH_CONTENTS and order.lines:
        text += "\n" + say.CONTENTS.format(items=item_lines(order.lines))
    return text


def _status(order: Order, policy: OrderPolicy, now: datetime, return_window: bool = True) -> list[str]:
    n, status = order.number, order.status
    placed = long_date(order.placed_at.date())
    expected = long_date(order.expected_delivery) if order.expected_delivery else None
    if status is OrderStatus.PLACED:
        return [say.PLACED.format(order_id=n, date=placed)]
    if status is OrderStatus.PAID:
        if expected:
            return [say.PAID_EXPECTED.format(order_id=n, date=placed, expected=expected)]
        return [say.PAID.format(order_id=n, date=placed, dispatch_days=fact_text("dispatch_business_days"))]
    if status is OrderStatus.PACKED:
        return [
            say.PACKED_EXPECTED.format(order_id=n, expected=expected) if expected else say.PACKED.format(order_id=n)
        ]
    if status is OrderStatus.SHIPPED:
        return _shipped(order, expected)
    if status is OrderStatus.DELIVERED:
        sentences = [say.DELIVERED.format(order_id=n, date=long_date((order.delivered_at or order.placed_at).date()))]
        deadline = policy.return_deadline(order)
        if return_window and deadline is not None and now.date() <= deadline:
            sentences.append(say.RETURN_UNTIL.format(deadline=long_date(deadline)))
        return sentences
    if status is OrderStatus.CANCELLED:
        return [say.CANCELLED.format(order_id=n)]
    if status is OrderStatus.RETURN_REQUESTED:
        return [say.RETURN_REQUESTED.format(order_id=n, refund_days=policy.config.refund_business_days)]
    return [say.REFUNDED.format(order_id=n)]


def _shipped(order: Order, expected: str | None) -> list[str]:
    n, carrier = order.number, order.carrier
    shipped_on = long_date(order.shipped_at.date()) if order.shipped_at else None
    if shipped_on and carrier:
        sentences = [say.SHIPPED_ON_WITH.format(order_id=n, date=shipped_on, carrier=carrier)]
    elif shipped_on:
        sentences = [say.SHIPPED_ON.format(order_id=n, date=shipped_on)]
    elif carrier:
        sentences = [say.SHIPPED_WITH.format(order_id=n, carrier=carrier)]
    else:
        sentences = [say.SHIPPED.format(order_id=n)]
    if expected:
        sentences.append(say.ARRIVES_BY.format(expected=expected))
    link = tracking_link(order)
    if link:
        sentences.append(link)
    elif order.tracking_number:
        sentences.append(say.TRACKING_NUMBER.format(tracking_number=order.tracking_number))
    return sentences


# what may not stand in a link's label (its brackets, a line break) or must be escaped not to start emphasis or code
_LABEL_DROPPED = re.compile(r"[\[\]\r\n]+")
_LABEL_ESCAPED = re.compile(r"([\\`*_])")
# what may not stand in a Markdown link's URL unencoded (spaces, brackets that would end it, quotes)
_URL_ENCODED = {c: f"%{ord(c):02X}" for c in " ()<>\"'`[]\\"}


def tracking_link(order: Order) -> str | None:
    """The order's tracking page as a Markdown link labelled with its carrier (module docstring), or None when it has
    no tracking URL or one that is not a plain http(s) address."""
    url = (order.tracking_url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed "[" in the host
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(ord(c) < 32 for c in url):
        return None
    safe_url = "".join(_URL_ENCODED.get(c, c) for c in url)
    carrier = _LABEL_ESCAPED.sub(r"\\\1", " ".join(_LABEL_DROPPED.sub(" ", order.carrier or "").split()))
    if carrier:
        return say.TRACK_WITH.format(carrier=carrier, url=safe_url)
    return say.TRACK.format(url=safe_url)


def describe_refund(refund: RefundStatus, policy: OrderPolicy | None = None) -> str:
    """Where the refund stands, with the date to expect it."""
    policy = policy or OrderPolicy()
    n = refund.order_number
    amount = money(refund.amount, refund.currency)
    if refund.state is RefundState.REFUNDED:
        if refund.refunded_on:
            return say.REFUND_SENT_ON.format(amount=amount, order_id=n, date=long_date(refund.refunded_on))
        return say.REFUND_SENT.format(amount=amount, order_id=n)
    if refund.state is RefundState.PROCESSING:
        if refund.expected_by:
            return say.REFUND_PROCESSING_BY.format(amount=amount, order_id=n, date=long_date(refund.expected_by))
        return say.REFUND_PROCESSING.format(amount=amount, order_id=n)
    if refund.state is RefundState.AWAITING_RETURN and refund.returns_awaited > 1:
        return say.REFUNDS_AWAITING_RETURNS.format(
            count=refund.returns_awaited, order_id=n, amount=amount, refund_days=policy.config.refund_business_days
        )
    if refund.state is RefundState.AWAITING_RETURN:
        return say.REFUND_AWAITING_RETURN.format(
            order_id=n, amount=amount, refund_days=policy.config.refund_business_days
        )
    return say.REFUND_NONE.format(order_id=n)
