"""What the order flows keep in slots, and what the form and the flow actions share.

One form, ``order_form``, serves every order flow; ``order_flow`` says which one (the intent that
started it). The form collects the order number and proof that the order is the customer's, then
what the flow needs (an address, the items to return, a yes/no); ``action_order_submit`` carries
the request out against the order system (``helpdesk.orders``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.signals import signal_handoff
from actions.texts.catalog import orders as say
from helpdesk.orders import OrderSystem, ReturnReason, ReturnRemedy, get_order_system
from helpdesk.vocabulary import HANDOFF_BACKEND_ERROR, REQUEST_HUMAN

log = logging.getLogger("actions.orders")

FORM = "order_form"
ORDER_DETAILS_ACTION = "action_order_details"  # order details given without a request (actions/orders.py)

# the flows, named after the intents that start them
ORDER_STATUS = "order_status"
CANCEL = "cancel_order"
CHANGE_ADDRESS = "change_shipping_address"
RETURN = "request_refund"
REFUND_STATUS = "refund_status"
FLOWS = (ORDER_STATUS, CANCEL, CHANGE_ADDRESS, RETURN, REFUND_STATUS)
CHANGES = (CANCEL, CHANGE_ADDRESS, RETURN)  # the flows that change an order: they need a stronger proof

# how the current order was verified (the `verification` slot), and what that proof allows: an order's e-mail
# address or a signed-in customer's own order opens it for changes; its postcode, or being another order of a
# customer who proved one, only shows its status
BY_EMAIL = "email"
BY_POSTCODE = "postcode"
BY_ACCOUNT = "account"  # a signed-in customer's own order (helpdesk/orders/identity.py, signed identity)
BY_CUSTOMER = "customer"  # another order of the customer an order check identified
CHANGE_PROOFS = frozenset({BY_EMAIL, BY_ACCOUNT})

# slots
REQUESTED_SLOT = "requested_slot"
ORDER_ID = "order_id"
EMAIL = "email"
POSTCODE = "postcode"
FLOW = "order_flow"
VERIFICATION = "verification"
VERIFIED_ORDER = "verified_order"
EVIDENCE = "evidence"
PENDING_DETAIL = "pending_detail"
NEW_ADDRESS = "new_address"
RETURN_ITEMS = "return_items"
RETURN_REASON = "return_reason"  # damaged | wrong_item: what arrived is the shop's fault (a free return)
RETURN_REMEDY = "return_remedy"  # replacement | refund, for damaged or wrong goods (actions/remedy.py)
CONFIRM = "confirm"  # the digest of the change the customer said yes to (actions/changes.py), or False for no
PENDING_CONFIRMATION = "pending_confirmation"  # the digest of the change the bot asked about
REFUSAL = "order_refusal"
CUSTOMER_ID = "customer_id"
CUSTOMER_VERIFIED_BY = "customer_verified_by"
CUSTOMER_NAME = "customer_name"
CUSTOMER_TIER = "customer_tier"
RECENT_ORDERS = "recent_orders"
LAST_FLOW = "last_flow"
# another request asked for mid-request, while the form asks to switch: {"flow", "order_id"?, "detail"?}
SWITCH_TO = "switch_to"

# what a flow collects after the identity check: cleared when a request starts
DETAIL_SLOTS = (
    PENDING_DETAIL,
    NEW_ADDRESS,
    RETURN_ITEMS,
    RETURN_REASON,
    RETURN_REMEDY,
    CONFIRM,
    PENDING_CONFIRMATION,
    REFUSAL,
    SWITCH_TO,
)
# what one request collects beyond the order and the identity check; cleared when it ends
REQUEST_SLOTS = (EVIDENCE, *DETAIL_SLOTS)

# what each flow asks for after the identity check, in order
FLOW_DETAILS: dict[str, tuple[str, ...]] = {
    ORDER_STATUS: (),
    CANCEL: (CONFIRM,),
    CHANGE_ADDRESS: (NEW_ADDRESS, CONFIRM),
    RETURN: (RETURN_ITEMS, RETURN_REMEDY, CONFIRM),  # the remedy: only for damaged or wrong goods (actions/forms.py)
    REFUND_STATUS: (),
}


def person_button() -> dict[str, str]:
    return {"title": say.PERSON_BUTTON, "payload": REQUEST_HUMAN}


# under every change carried out: the customer can say at once that it wasn't what they wanted
def not_wanted_button() -> dict[str, str]:
    return {"title": say.NOT_WANTED_BUTTON, "payload": REQUEST_HUMAN}


@dataclass(frozen=True)
class OrderState:
    """The order request as the slots describe it."""

    flow: str | None
    order_id: str | None
    verified_order: str | None
    verification: str | None
    evidence: dict[str, str] | None
    pending_detail: str | None
    new_address: dict[str, str] | None
    return_items: dict[str, int] | None  # SKU -> pieces
    return_reason: ReturnReason
    return_remedy: ReturnRemedy  # a refund unless the customer chose a replacement of damaged or wrong goods
    confirm: str | bool | None
    pending_confirmation: str | None
    refusal: str | None
    customer_id: str | None
    customer_name: str | None
    requested: str | None

    @classmethod
    def from_tracker(cls, tracker: Tracker) -> OrderState:
        return cls.from_slots(tracker.get_slot)

    @classmethod
    def from_slots(cls, slot: Callable[[str], Any]) -> OrderState:
        """The request as ``slot(name)`` describes it (a tracker's slots, or a form turn's view of them)."""

        def text(name: str) -> str | None:
            value = slot(name)
            return str(value) if value not in (None, "") else None

        evidence = slot(EVIDENCE)
        address = slot(NEW_ADDRESS)
        items = slot(RETURN_ITEMS)
        confirm = slot(CONFIRM)
        return cls(
            flow=text(FLOW) if text(FLOW) in FLOWS else None,
            order_id=text(ORDER_ID),
            verified_order=text(VERIFIED_ORDER),
            verification=text(VERIFICATION),
            evidence=evidence if isinstance(evidence, dict) else None,
            pending_detail=text(PENDING_DETAIL),
            new_address=address if isinstance(address, dict) else None,
            return_items={str(k): int(v) for k, v in items.items()} if isinstance(items, dict) and items else None,
            return_reason=_return_reason(text(RETURN_REASON)),
            return_remedy=_return_remedy(text(RETURN_REMEDY)),
            confirm=confirm if isinstance(confirm, bool | str) and confirm != "" else None,
            pending_confirmation=text(PENDING_CONFIRMATION),
            refusal=text(REFUSAL),
            customer_id=text(CUSTOMER_ID),
            customer_name=text(CUSTOMER_NAME),
            requested=text(REQUESTED_SLOT),
        )

    @property
    def verified(self) -> bool:
        """The current order number passed an identity check: its status may be shown."""
        return self.order_id is not None and self.verified_order == self.order_id

    @property
    def may_change(self) -> bool:
        """The current order passed a check strong enough to change it (its e-mail, or the signed-in owner)."""
        return self.verified and self.verification in CHANGE_PROOFS

    @property
    def cleared(self) -> bool:
        """The proof given is enough for what the flow does."""
        return self.may_change if self.flow in CHANGES else self.verified

    @property
    def first_name(self) -> str | None:
        return self.customer_name.split()[0] if self.customer_name else None


def _return_reason(value: str | None) -> ReturnReason:
    try:
        return ReturnReason(value) if value else ReturnReason.UNWANTED
    except ValueError:
        return ReturnReason.UNWANTED


def _return_remedy(value: str | None) -> ReturnRemedy:
    try:
        return ReturnRemedy(value) if value else ReturnRemedy.REFUND
    except ValueError:
        return ReturnRemedy.REFUND


def order_system() -> OrderSystem:
    """The configured order system (demo shop or the shop's API), one per process."""
    return get_order_system()


def details_cleared() -> list[EventType]:
    return [SlotSet(name, None) for name in DETAIL_SLOTS]


def request_cleared() -> list[EventType]:
    """Forget what the last request collected (the order, the identity and the customer stay known)."""
    return [SlotSet(name, None) for name in REQUEST_SLOTS]


def request_ended() -> list[EventType]:
    """End the request: no flow, nothing collected, the form asks nothing more."""
    return [SlotSet(FLOW, None), *request_cleared(), SlotSet(REQUESTED_SLOT, None)]


def backend_failure(dispatcher: CollectingDispatcher, tracker: Tracker, error: Exception) -> list[EventType]:
    """The order system is down or too slow: apologise, hand off, log with the conversation id."""
    log.error("order system unavailable in conversation %s: %s: %s", tracker.sender_id, type(error).__name__, error)
    dispatcher.utter_message(text=say.BACKEND_ERROR)
    signal_handoff(dispatcher, HANDOFF_BACKEND_ERROR)
    return request_ended()


def asked_before(tracker: Tracker, slot: str) -> bool:
    """True when the form asked for ``slot`` last turn too: the customer's answer didn't fill it."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "slot" and event.get("name") == REQUESTED_SLOT:
            return bool(event.get("value") == slot)
    return False


def latest_intent(tracker: Tracker) -> str | None:
    intent: dict[str, Any] = tracker.latest_message.get("intent") or {}
    name = intent.get("name")
    return str(name) if name else None
