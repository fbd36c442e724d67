"""A change to an order (cancel, re-address, return) exactly as the customer is asked to confirm it, and its digest.

The order system prices the change first (``quote_cancellation``, ``quote_return``: what is cancelled or returned,
the refund, the label fee, the dates), so the summary the customer sees is what will happen. A "yes" confirms
exactly one change: when the form asks, it keeps the digest of the change in the ``pending_confirmation`` slot; a
yes is taken only while that question is open and still describes the change (the digest then goes into
``confirm``); ``action_order_submit`` carries the change out only when the digest of what it is about to do
equals the confirmed one. A yes after the conversation's memory was lost, after another request came in between,
or after the order, the items or the prices changed, confirms nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from actions.address import format_address
from actions.order_state import CANCEL, CHANGE_ADDRESS, RETURN, OrderState
from actions.texts import render
from actions.texts.catalog import address as address_texts
from actions.texts.catalog import cancel as cancel_texts
from actions.texts.catalog import returns as return_texts
from helpdesk import i18n
from helpdesk.orders import CancellationQuote, Order, OrderLine, OrderSystem, ReturnQuote, ReturnRemedy
from helpdesk.orders.model import utc_now
from helpdesk.orders.policy import OrderPolicy, country_name, join_names, long_date, money


@dataclass(frozen=True)
class PlannedChange:
    """What the change would do, in the terms the customer confirms."""

    flow: str
    order: Order
    new_address: dict[str, str] | None = None
    cancellation: CancellationQuote | None = None
    returned: ReturnQuote | None = None
    replacement: bool = False  # the returned goods are sent again instead of refunded (damaged or wrong goods)

    def facts(self) -> dict[str, Any]:
        """Everything the confirmation stands for."""
        facts: dict[str, Any] = {"flow": self.flow, "order": self.order.number}
        if self.cancellation is not None:
            facts["cancellation"] = self.cancellation.to_dict()
        if self.new_address is not None:
            facts["new_address"] = self.new_address
        if self.returned is not None:
            facts["return"] = self.returned.to_dict()
        if self.replacement:
            facts["remedy"] = ReturnRemedy.REPLACEMENT.value
        return facts

    @property
    def digest(self) -> str:
        canonical = json.dumps(self.facts(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


async def planned_change(system: OrderSystem, state: OrderState, order: Order) -> PlannedChange | None:
    """The change the slots describe for ``order``, priced by the order system; None when the flow changes nothing
    or a detail is still missing. Raises PolicyRefusal when the change is no longer possible."""
    if state.flow == CANCEL:
        return PlannedChange(CANCEL, order, cancellation=await system.quote_cancellation(order.number))
    if state.flow == CHANGE_ADDRESS and state.new_address:
        return PlannedChange(CHANGE_ADDRESS, order, new_address=dict(state.new_address))
    if state.flow == RETURN and state.return_items:
        replacement = state.return_remedy is ReturnRemedy.REPLACEMENT and state.return_reason.shop_at_fault
        quote_of = system.quote_replacement if replacement else system.quote_return
        quote = await quote_of(order.number, state.return_items, state.return_reason)
        return PlannedChange(RETURN, order, returned=quote, replacement=replacement)
    return None


def confirmed(state: OrderState, change: PlannedChange | None) -> bool:
    """The customer said yes to exactly this change."""
    return change is not None and isinstance(state.confirm, str) and state.confirm == change.digest


def summary(change: PlannedChange, policy: OrderPolicy) -> tuple[str, str, str]:
    """The question for ``change`` (actions/texts: cancel, returns, address): its text, and the titles of its Yes
    and No buttons."""
    if change.cancellation is not None:
        quote = change.cancellation
        values = {
            "order_id": quote.order_number,
            "items": _item_lines(cancel_texts.ITEM_LINE, quote.lines, quote.currency),
            "total": money(quote.total, quote.currency),
        }
        refund = money(quote.refund_amount, quote.currency)
        if quote.refund_amount and quote.refund_by:
            text = render(
                cancel_texts.CONFIRM_WITH_REFUND, **values, refund=refund, refund_by=long_date(quote.refund_by)
            )
        elif quote.refund_amount:  # a shop that doesn't say when
            text = render(cancel_texts.CONFIRM_WITH_REFUND_UNDATED, **values, refund=refund)
        else:
            text = render(cancel_texts.CONFIRM_NOTHING_CHARGED, **values)
        return text, cancel_texts.YES_BUTTON, cancel_texts.NO_BUTTON
    if change.returned is not None and change.replacement:
        returned = change.returned
        text = render(
            return_texts.SUMMARY_REPLACEMENT if returned.sent_back else return_texts.SUMMARY_REPLACEMENT_NOTHING_BACK,
            order_id=returned.order_number,
            items=_item_lines(return_texts.ITEM_LINE, returned.lines, returned.currency),
            ship_by=long_date(returned.ship_by or policy.ship_by(utc_now())),
        )
        return text + _disposed_note(returned), return_texts.YES_REPLACEMENT_BUTTON, return_texts.NO_BUTTON
    if change.returned is not None:
        returned = change.returned
        facts: dict[str, Any] = {
            "order_id": returned.order_number,
            "items": _item_lines(return_texts.ITEM_LINE, returned.lines, returned.currency),
            "refund": money(returned.refund_amount, returned.currency),
            "refund_days": policy.config.refund_business_days,
            "ship_by": long_date(returned.ship_by or policy.ship_by(utc_now())),
        }
        if not returned.sent_back:  # broken glass or ceramics only: no parcel, no label
            text = render(return_texts.SUMMARY_NOTHING_BACK, **facts)
        elif returned.label_fee:
            fee, country = money(returned.label_fee, returned.currency), country_name(change.order.country)
            text = render(return_texts.SUMMARY_PAID_LABEL, **facts, fee=fee, country=country)
        else:
            text = render(return_texts.SUMMARY_FREE_LABEL, **facts)
        text += _disposed_note(returned)
        left_out = [line.name_in(i18n.current()) for line in returned.excluded_lines]
        if left_out:
            note = return_texts.LEFT_OUT_ONE if len(left_out) == 1 else return_texts.LEFT_OUT_MANY
            text += "\n" + render(note, final_sale=join_names(left_out))
        return text, return_texts.YES_BUTTON, return_texts.NO_BUTTON
    address = format_address(change.new_address or {})
    text = render(address_texts.CONFIRM, order_id=change.order.number, address=address)
    return text, address_texts.YES_BUTTON, address_texts.NO_BUTTON


def _disposed_note(returned: ReturnQuote) -> str:
    """Under a summary whose parcel leaves broken glass or ceramics out: those need not go back ("" otherwise)."""
    if not returned.disposed_lines or not returned.sent_back:
        return ""
    names = join_names([line.name_in(i18n.current()) for line in returned.disposed_lines])
    return "\n" + render(return_texts.DISPOSED_NOTE, names=names)


def _item_lines(template: str, lines: Iterable[OrderLine], currency: str) -> str:
    return "\n".join(
        render(
            template,
            quantity=line.quantity,
            name=line.name_in(i18n.current()),
            amount=money(line.line_total, currency),
        )
        for line in lines
    )


def declined_text(flow: object, order_id: str) -> str:
    """What the customer reads when they say no to the change (cancel, new address, return) at its yes/no."""
    declined = {CANCEL: cancel_texts.DECLINED, CHANGE_ADDRESS: address_texts.DECLINED}
    return render(declined.get(str(flow), return_texts.DECLINED), order_id=order_id)
