"""Who the customer is: a signed identity token from the shop's website, or an order they proved is theirs.

The helpdesk forwards the widget's token as message metadata (``{"customer_token": "<token>"}``), with the
client's address (``"client_address"``: wrong answers to the identity check count per client, across
conversations: ``helpdesk/orders/attempts.py``);
``helpdesk.orders.verify_identity`` checks it against ``IDENTITY_SECRET``. A token that can't be
trusted (tampered with, expired, malformed, or no secret configured) is logged and ignored: the
customer simply proves an order is theirs the usual way.

Once the customer is known, their name, tier and recent orders go into slots (the helpdesk hands
the slots to the agent on a handoff) and out as a ``{"customer": {...}}`` custom message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.order_state import CUSTOMER_ID, CUSTOMER_NAME, CUSTOMER_TIER, CUSTOMER_VERIFIED_BY, RECENT_ORDERS
from helpdesk.orders import (
    Asker,
    BackendError,
    Customer,
    CustomerNotFound,
    IdentityTokenError,
    OrderSystem,
    identity_secret,
    verify_identity,
)
from helpdesk.orders.identity import MissingSecret

log = logging.getLogger("actions.identity")

TOKEN_KEY = "customer_token"
CLIENT_KEY = "client_address"
RECENT_LIMIT = 5
VERIFIED_BY_TOKEN = "signed_token"
VERIFIED_BY_ORDER = "order_check"


@dataclass(frozen=True)
class CustomerContext:
    """What agents (and "my last order") need to know about a verified customer."""

    id: str
    name: str | None
    tier: str | None
    recent_orders: list[str]

    def payload(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "tier": self.tier, "recent_orders": self.recent_orders}


def _metadata(tracker: Tracker, key: str) -> str | None:
    metadata = tracker.latest_message.get("metadata") or {}
    value = metadata.get(key) if isinstance(metadata, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def customer_token(tracker: Tracker) -> str | None:
    return _metadata(tracker, TOKEN_KEY)


def asker(tracker: Tracker) -> Asker:
    """Who is asking, for counting wrong answers: the conversation, the client's address (as the helpdesk saw
    it), and the customer the shop's website signed in (the slot, or this message's token)."""
    signed_in = tracker.get_slot(CUSTOMER_VERIFIED_BY) == VERIFIED_BY_TOKEN
    customer = tracker.get_slot(CUSTOMER_ID) if signed_in else customer_from_token(tracker)
    return Asker(tracker.sender_id, _metadata(tracker, CLIENT_KEY), str(customer) if customer else None)


def customer_from_token(tracker: Tracker) -> str | None:
    """The customer id in this message's identity token, if it carries one that checks out."""
    token = customer_token(tracker)
    if token is None:
        return None
    try:
        return verify_identity(token, identity_secret())
    except MissingSecret as exc:
        log.error("conversation %s sent an identity token, but it can't be checked: %s", tracker.sender_id, exc)
    except IdentityTokenError as exc:
        log.warning("conversation %s: identity token refused (%s): %s", tracker.sender_id, type(exc).__name__, exc)
    return None


async def load_context(system: OrderSystem, customer_id: str) -> CustomerContext:
    """Name, tier and recent orders; just the id when the order system has no such customer."""
    try:
        customer: Customer | None = await system.get_customer(customer_id)
    except CustomerNotFound:
        customer = None
    orders = await system.list_orders(customer_id, RECENT_LIMIT)
    return CustomerContext(
        id=customer_id,
        name=customer.name if customer else None,
        tier=str(customer.tier) if customer else None,
        recent_orders=[order.number for order in orders],
    )


def verified_customer(dispatcher: CollectingDispatcher, context: CustomerContext, how: str) -> list[EventType]:
    """Slots for the verified customer, and the same facts for the helpdesk as a custom message."""
    dispatcher.utter_message(json_message={"customer": context.payload()})
    return [
        SlotSet(CUSTOMER_ID, context.id),
        SlotSet(CUSTOMER_VERIFIED_BY, how),
        SlotSet(CUSTOMER_NAME, context.name),
        SlotSet(CUSTOMER_TIER, context.tier),
        SlotSet(RECENT_ORDERS, context.recent_orders),
    ]


async def signed_in_customer(
    dispatcher: CollectingDispatcher, tracker: Tracker, system: OrderSystem
) -> list[EventType]:
    """Verify the customer from a signed identity token on this message (nothing when there is none)."""
    customer_id = customer_from_token(tracker)
    if customer_id is None:
        return []
    if customer_id == tracker.get_slot(CUSTOMER_ID) and tracker.get_slot(CUSTOMER_VERIFIED_BY) == VERIFIED_BY_TOKEN:
        return []
    try:
        context = await load_context(system, customer_id)
    except BackendError as exc:
        # the token alone proves who it is; the profile can wait until the order system is back
        log.warning(
            "conversation %s: customer %s verified, profile unavailable: %s", tracker.sender_id, customer_id, exc
        )
        context = CustomerContext(customer_id, None, None, [])
    return verified_customer(dispatcher, context, VERIFIED_BY_TOKEN)
