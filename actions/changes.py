"""A change to an order (cancel, re-address, return) as the customer is asked to confirm it, and its digest.

A "yes" confirms exactly one change: when the form asks, it keeps the digest of what will happen in the
``pending_confirmation`` slot; a yes is taken only while that question is open and still describes the order as
it is (the digest then goes into ``confirm``); ``action_order_submit`` carries the change out only when the
digest of what it is about to do equals the confirmed one. A yes after the conversation's memory was lost, after
another request came in between, or after the order or the details changed, confirms nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from actions.order_state import CANCEL, CHANGE_ADDRESS, RETURN, OrderState
from helpdesk.orders import Order


@dataclass(frozen=True)
class PlannedChange:
    """What the change would do, in the terms the customer confirms."""

    flow: str
    order: Order
    new_address: dict[str, str] | None = None
    return_items: tuple[str, ...] = ()

    def facts(self) -> dict[str, Any]:
        """Everything the confirmation stands for: the order's contents and what would change."""
        facts: dict[str, Any] = {
            "flow": self.flow,
            "order": self.order.number,
            "lines": [[line.sku, line.quantity, str(line.unit_price)] for line in self.order.lines],
            "total": str(self.order.total),
        }
        if self.flow == CHANGE_ADDRESS:
            facts["new_address"] = self.new_address
        if self.flow == RETURN:
            facts["return_items"] = list(self.return_items)
        return facts

    @property
    def digest(self) -> str:
        canonical = json.dumps(self.facts(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def planned_change(state: OrderState, order: Order) -> PlannedChange | None:
    """The change the slots describe for ``order``; None when the flow changes nothing or a detail is missing."""
    if state.flow == CANCEL:
        return PlannedChange(CANCEL, order)
    if state.flow == CHANGE_ADDRESS and state.new_address:
        return PlannedChange(CHANGE_ADDRESS, order, new_address=dict(state.new_address))
    if state.flow == RETURN and state.return_items:
        return PlannedChange(RETURN, order, return_items=tuple(state.return_items))
    return None


def confirmed(state: OrderState, change: PlannedChange | None) -> bool:
    """The customer said yes to exactly this change."""
    return change is not None and isinstance(state.confirm, str) and state.confirm == change.digest
