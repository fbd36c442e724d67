"""The customer and their orders in the agent console: who the customer proved to be, their orders as cards
(status, items, totals, expected delivery, tracking), and the changes an agent may make for them — cancel,
change the delivery address, start a return — through the same order system (helpdesk/orders/system.py,
demo or HTTP back end per config/orders.yml) and the same policies as the bot.

Who may do what:
- reading the panel: whoever may view the conversation (helpdesk/conversation/desk.py `may_view`);
- a change: the conversation's agent (or a supervisor), while it is with an agent, only on orders of the
  customer verified in that conversation, and only as far as the customer's proof reaches (as in the bot: the
  shop's login opens all their orders; an order's e-mail address opens that order; a postcode, reading only).

Every change is shown first (`preview`: the order system's own quote, and a `confirm` digest of it) and happens
only when the agent sends that digest back while it still describes the order (`perform`). It is written to the
conversation as a note the customer sees ("Your order 100240 was cancelled by Anna.") and to `order_actions`
(who, when, what was asked, what the order system answered); refusals are kept there too.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk import i18n
from helpdesk.conversation import script
from helpdesk.conversation.context import ContextService
from helpdesk.conversation.desk import NOT_YOURS, may_act, may_view
from helpdesk.db.models import Agent, Conversation, Message, OrderAction, iso
from helpdesk.errors import Conflict, Forbidden, Invalid, NotFound, Unavailable
from helpdesk.files.service import requested_photos
from helpdesk.limits.locks import ConversationLocks
from helpdesk.orders.messages import describe_order
from helpdesk.orders.model import Address, Order, OrderLine, OrderStatus, ReplacementRequest, ReturnReason, utc_now
from helpdesk.orders.policy import long_date, money, tracking_refusal
from helpdesk.orders.system import BackendError, OrderNotFound, OrderSystem, OrderSystemError, PolicyRefusal
from helpdesk.realtime.events import Events
from helpdesk.staff.accounts import display_names
from helpdesk.vocabulary import MODE_AGENT, SENDER_SYSTEM

log = logging.getLogger(__name__)

# the bot's slots about the customer (their home: actions/order_state.py and actions/identity.py)
SLOT_CUSTOMER = "customer_id"
SLOT_VERIFIED_BY = "customer_verified_by"
SLOT_NAME = "customer_name"
SLOT_TIER = "customer_tier"
SLOT_VERIFICATION = "verification"
SLOT_VERIFIED_ORDER = "verified_order"
BY_TOKEN = "signed_token"  # the shop's website signed the customer in
BY_ORDER = "order_check"  # the customer proved an order is theirs
PROOF_OPENS_CHANGES = ("email", "account")  # the order's e-mail address, or the signed-in owner's own order

CANCEL = "cancel"
CHANGE_ADDRESS = "change_address"
RETURN = "return"
RESEND_TRACKING = "resend_tracking"
ACTIONS = (CANCEL, CHANGE_ADDRESS, RETURN, RESEND_TRACKING)
ACTION_WORDS = {
    CANCEL: "Cancel the order",
    CHANGE_ADDRESS: "Change the delivery address",
    RETURN: "Start a return",
    RESEND_TRACKING: "Send the tracking",
}
LOOKUP = "lookup"  # an agent looked a customer up by e-mail or order number (order_actions keeps who and what)
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")
ORDER_NUMBER = re.compile(r"^\d{4,12}$")
ORDERS_SHOWN = 10
ADDRESS_FIELDS = ("name", "street", "postcode", "city", "country")
ADDRESS_CHARS = 120

STATUS_WORDS = {
    OrderStatus.PLACED: "Placed, waiting for payment",
    OrderStatus.PAID: "Paid, waiting to be packed",
    OrderStatus.PACKED: "Packed, about to ship",
    OrderStatus.SHIPPED: "On its way",
    OrderStatus.DELIVERED: "Delivered",
    OrderStatus.CANCELLED: "Cancelled",
    OrderStatus.RETURN_REQUESTED: "Return in progress",
    OrderStatus.REFUNDED: "Returned and refunded",
}
# the orders that may have a replacement booked (delivered goods that arrived damaged or wrong)
REPLACEABLE = frozenset({OrderStatus.DELIVERED, OrderStatus.RETURN_REQUESTED, OrderStatus.REFUNDED})
REASON_WORDS = {ReturnReason.WRONG_ITEM: "wrong item", ReturnReason.DAMAGED: "damaged"}
NOT_ANSWERING = "the order system is not answering right now; try again in a minute"


def _verified_in_words(slots: Mapping[str, Any]) -> str:
    how, proof, order = slots.get(SLOT_VERIFIED_BY), slots.get(SLOT_VERIFICATION), slots.get(SLOT_VERIFIED_ORDER)
    if how == BY_TOKEN:
        return "Verified: signed in on the shop's website"
    if proof == "email" and order:
        return f"Verified: gave the e-mail address of order {order}"
    if proof == "postcode" and order:
        return f"Partly verified: gave the delivery postcode of order {order} (enough to read, not to change)"
    if order:
        return f"Verified: proved order {order} is theirs"
    return "Verified: proved one of their orders is theirs"


def may_change(slots: Mapping[str, Any], order: Order) -> str | None:
    """None when the customer's proof in this conversation opens `order` for changes; else why not (for the agent)."""
    if str(slots.get(SLOT_CUSTOMER) or "") != order.customer_id:
        return "this order is not the verified customer's"
    if slots.get(SLOT_VERIFIED_BY) == BY_TOKEN:
        return None
    if slots.get(SLOT_VERIFIED_ORDER) == order.number and slots.get(SLOT_VERIFICATION) in PROOF_OPENS_CHANGES:
        return None
    return (
        f"the customer has not proved order {order.number} is theirs well enough to change it: ask the bot's "
        "identity check (the order's e-mail address, or signing in on the shop's website)"
    )


def _replacements(replaced: Mapping[str, list[ReplacementRequest]], order: Order) -> list[dict[str, Any]]:
    """The replacements booked for the order (the bot books them for damaged or wrong goods), for its card."""
    return [
        {
            "rma": replacement.rma,
            "reason": str(replacement.reason),
            "reason_words": REASON_WORDS.get(replacement.reason, str(replacement.reason)),
            "created_at": iso(replacement.created_at),
            "items": [{"name": line.shown_name, "quantity": line.quantity} for line in replacement.lines],
        }
        for replacement in replaced.get(order.number, [])
    ]


def digest(action: str, order: Order, summary: Mapping[str, Any]) -> str:
    """What the agent confirms: the action, the order as it stands and the quoted change; any difference later
    (the order moved on, another agent changed it) and the confirmation no longer matches."""
    basis = {"action": action, "order": order.to_dict(), "summary": summary}
    return hashlib.sha256(json.dumps(basis, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _lines(lines: Iterable[OrderLine], language: str) -> list[str]:
    """A change's items as the order's card lists them: the products' names as the customer reads them in the chat
    (the conversation's language). The summary named them in English beside a Chinese card (walkthrough 2026-12-07)."""
    with i18n.speaking(language):
        return [f"{line.quantity} × {line.shown_name}" for line in lines]


def _names(lines: Iterable[OrderLine], language: str) -> str:
    with i18n.speaking(language):
        return ", ".join(line.shown_name for line in lines)


def _day(value: date, language: str) -> str:
    """A date in a change's summary in the staff member's own language, as the console writes the cards' dates (a
    Chinese console read "€149.00 最晚于 Monday 21 December 退回原支付方式")."""
    with i18n.speaking(language):
        return long_date(value)


def parse_address(raw: Any) -> Address:
    if not isinstance(raw, Mapping):
        raise Invalid('"address" must be an object with name, street, postcode, city and country')
    values = {}
    for field in ADDRESS_FIELDS:
        value = raw.get(field)
        if not isinstance(value, str) or not value.strip():
            raise Invalid(f'"address.{field}" is required')
        if len(value) > ADDRESS_CHARS:
            raise Invalid(f'"address.{field}" is longer than {ADDRESS_CHARS} characters')
        values[field] = value
    return Address(**values)


def parse_items(raw: Any, order: Order) -> dict[str, int] | None:
    """{SKU: pieces} for a return, or None (every returnable line)."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not raw:
        raise Invalid('"items" must be an object {"<sku>": <pieces>} with at least one item')
    items = {}
    for sku, pieces in raw.items():
        line = order.line(str(sku))
        if line is None:
            raise Invalid(f"order {order.number} has no item {sku!r}")
        if not isinstance(pieces, int) or isinstance(pieces, bool) or not 1 <= pieces <= line.quantity:
            raise Invalid(f"pieces of {line.name} must be 1 to {line.quantity}")
        items[line.sku] = pieces
    return items


@dataclass(frozen=True)
class Change:
    """A change as the agent confirms it: the summary shown, what it was asked with, its digest."""

    action: str
    order: Order
    summary: dict[str, Any]
    request: dict[str, Any]
    note_tail: str = ""  # the end of the customer's note (the refund)
    note_tail_zh: str = ""  # the same for a Chinese conversation

    @property
    def confirm(self) -> str:
        return digest(self.action, self.order, self.summary)

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "order_number": self.order.number, **self.summary, "confirm": self.confirm}


class OrderSystems:
    """The configured order system (helpdesk/orders/factory.py), built on first use: a wrong configuration shows
    where an agent opens the panel (503 with the reason), and the helpdesk starts without one."""

    def __init__(self, build: Callable[[], OrderSystem]) -> None:
        self._build = build
        self._system: OrderSystem | None = None

    def __call__(self) -> OrderSystem:
        if self._system is None:
            try:
                self._system = self._build()
            except ValueError as exc:
                log.error("the order system cannot be built: %s", exc)
                raise Unavailable(f"the order system is not configured: {exc}") from exc
        return self._system

    async def aclose(self) -> None:
        if self._system is not None:
            await self._system.aclose()
            self._system = None


@dataclass
class DeskOrders:
    sessions: async_sessionmaker[AsyncSession]
    events: Events
    locks: ConversationLocks
    order_system: Callable[[], OrderSystem]  # an OrderSystems in the helpdesk
    context: ContextService  # the bot's slots, gathered at handoff in the background or when first needed

    # ---- reading ------------------------------------------------------------------------------
    async def _conversation(self, agent: Agent, conversation_id: str, acting: bool) -> Conversation:
        async with self.sessions() as session:
            conversation = await session.get(Conversation, conversation_id)
        if conversation is None:
            raise NotFound("no such conversation")
        if not may_view(agent, conversation) or (acting and not may_act(agent, conversation)):
            raise Forbidden(NOT_YOURS)
        if acting and conversation.mode != MODE_AGENT:
            raise Conflict(f"this conversation is {conversation.mode}, not with an agent: claim it first")
        return conversation

    async def panel(self, agent: Agent, conversation_id: str) -> dict[str, Any]:
        """The customer as verified in this conversation and their recent orders, as the console's cards."""
        await self._conversation(agent, conversation_id, acting=False)
        # the slots are gathered after a handoff in the background: an agent opening the panel right away waits for
        # them (it read "Not verified" with no orders for a customer the bot had verified), as the conversation does
        await self.context.ensure(conversation_id)
        conversation = await self._conversation(agent, conversation_id, acting=False)
        slots = conversation.slots or {}
        customer_id = slots.get(SLOT_CUSTOMER)
        history = await self.history(conversation_id)
        verified_order = slots.get(SLOT_VERIFIED_ORDER)
        async with self.sessions() as session:  # the photos the bot asked for, on their order's card
            photos = await requested_photos(session, conversation_id, str(verified_order) if verified_order else None)
        can_act = may_act(agent, conversation) and conversation.mode == MODE_AGENT
        if not customer_id:
            return {
                "identity": {
                    "verified": False,
                    "in_words": "Not verified: the customer has not proved who they are to the bot yet",
                },
                "orders": [],
                "history": history,
                "photos": photos,
                "can_act": can_act,  # nothing to change yet; the agent may look the customer up
                "error": None,
            }
        identity: dict[str, Any] = {
            "verified": True,
            "customer_id": str(customer_id),
            "name": slots.get(SLOT_NAME),
            "tier": slots.get(SLOT_TIER),
            "in_words": _verified_in_words(slots),
        }
        system = self.order_system()
        try:
            customer = await system.get_customer(str(customer_id))
            identity.update(name=customer.name, email=customer.email, tier=str(customer.tier))
            orders = await system.list_orders(str(customer_id), ORDERS_SHOWN)
            orders = await self._chat_order_first(system, orders, str(customer_id), verified_order)
            replaced = {
                order.number: await system.list_replacements(order.number)
                for order in orders
                if order.status in REPLACEABLE
            }
        except OrderSystemError as exc:
            log.warning("conversation %s: customer %s: %s", conversation_id, customer_id, exc)
            return {
                "identity": identity,
                "orders": [],
                "history": history,
                "photos": photos,
                "can_act": can_act,
                "error": NOT_ANSWERING,
            }
        now = utc_now()
        # each order's summary and the order rules' reasons in the conversation's language: what the customer reads
        with i18n.speaking(conversation.language or "en"):
            cards = [
                {
                    **self._card(system, slots, order, now, can_act),
                    "replacements": _replacements(replaced, order),
                    "in_chat": order.number == verified_order,
                }
                for order in orders
            ]
        return {
            "identity": identity,
            "orders": cards,
            "history": history,
            "photos": photos,
            "can_act": can_act,
            "error": None,
        }

    @staticmethod
    async def _chat_order_first(
        system: OrderSystem, orders: list[Order], customer_id: str, verified_order: Any
    ) -> list[Order]:
        """The customer's recent orders with the one this chat is about (the order the bot verified them with) first,
        fetched when it is older than the recent ones shown: the agent sees it at a glance, not below the fold."""
        if not verified_order:
            return orders
        number = str(verified_order)
        if all(order.number != number for order in orders):
            try:
                order = await system.get_order(number)
            except OrderNotFound:
                return orders
            if order.customer_id != customer_id:
                return orders  # never another customer's order
            orders = [*orders, order]
        return sorted(orders, key=lambda order: order.number != number)  # stable: the others keep their order

    @staticmethod
    def _card(
        system: OrderSystem, slots: Mapping[str, Any], order: Order, now: datetime, can_act: bool
    ) -> dict[str, Any]:
        policy = system.policy
        locked = may_change(slots, order)
        refusals: dict[str, PolicyRefusal | None] = {
            CANCEL: policy.cancel_refusal(order, now),
            CHANGE_ADDRESS: (
                None
                if order.status in policy.config.address_change_statuses
                else policy.address_change_refusal(order, order.shipping_address, now)
            ),
        }
        try:
            policy.plan_return(order, None, now)
            refusals[RETURN] = None
        except PolicyRefusal as return_refusal:
            refusals[RETURN] = return_refusal
        refusals[RESEND_TRACKING] = tracking_refusal(order)
        actions = []
        for action in ACTIONS:
            refusal = refusals[action]
            why = refusal.message_for_customer if refusal is not None else (locked if can_act else None)
            if not can_act and why is None:
                why = "claim the conversation first"
            actions.append({"action": action, "label": ACTION_WORDS[action], "allowed": why is None, "why_not": why})
        deadline = policy.return_deadline(order)
        return {
            "number": order.number,
            "status": str(order.status),
            "status_words": STATUS_WORDS.get(order.status, str(order.status)),
            "placed_at": iso(order.placed_at),
            "shipped_at": iso(order.shipped_at),
            "delivered_at": iso(order.delivered_at),
            "expected_delivery": order.expected_delivery.isoformat() if order.expected_delivery else None,
            "return_until": (
                deadline.isoformat()
                if deadline and order.status == OrderStatus.DELIVERED and deadline >= now.date()
                else None
            ),
            "carrier": order.carrier,
            "tracking_number": order.tracking_number,
            "tracking_url": order.tracking_url,
            "items": [
                {
                    "sku": line.sku,
                    "name": line.shown_name,  # as the customer reads it in the chat (粗针织毯, not "Chunky knit throw")
                    "quantity": line.quantity,
                    "unit_price": money(line.unit_price, order.currency),
                    "line_total": money(line.line_total, order.currency),
                    "final_sale": line.final_sale,
                }
                for line in order.lines
            ],
            "total": money(order.total, order.currency),
            "currency": order.currency,
            "ship_to": f"{order.shipping_address.city}, {order.shipping_address.country}",
            "summary": describe_order(order, policy, now),
            "actions": actions,
        }

    async def lookup(self, agent: Agent, conversation_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """The agent looks a customer up by e-mail or order number (the customer did not prove who they are): the
        customer and their orders to read — no changes, as only the customer's own proof opens those — and a row in
        order_actions saying who looked up what, shown in the panel's history."""
        conversation = await self._conversation(agent, conversation_id, acting=False)
        if not (agent.can_supervise or may_act(agent, conversation)):
            raise Forbidden("claim the conversation first")
        email, number = body.get("email"), body.get("order_number")
        if (email is None) == (number is None):
            raise Invalid('give either "email" or "order_number"')
        if email is not None and (not isinstance(email, str) or not EMAIL.match(email.strip())):
            raise Invalid('"email" must be an e-mail address')
        if number is not None and (not isinstance(number, str) or not ORDER_NUMBER.match(number.strip())):
            raise Invalid('"order_number" must be an order number (digits)')
        system = self.order_system()
        asked = {"email": email.strip()} if isinstance(email, str) else {"order_number": str(number).strip()}
        customer = None
        try:
            if isinstance(email, str):
                customer = await system.find_customer(email.strip())
            else:
                order = await system.get_order(str(number).strip())
                customer = await system.get_customer(order.customer_id)
        except OrderNotFound:
            customer = None
        except OrderSystemError as exc:
            raise Unavailable(NOT_ANSWERING) from exc
        await self._log_lookup(conversation_id, agent, asked, customer.id if customer else "", bool(customer))
        if customer is None:
            raise NotFound("no customer with that e-mail address" if email is not None else f"no order {number}")
        try:
            orders = await system.list_orders(customer.id, ORDERS_SHOWN)
        except OrderSystemError as exc:
            raise Unavailable(NOT_ANSWERING) from exc
        now = utc_now()
        what = asked.get("email") or f"order {asked.get('order_number')}"
        return {
            "identity": {
                "verified": False,
                "looked_up": True,
                "customer_id": customer.id,
                "name": customer.name,
                "email": customer.email,
                "tier": str(customer.tier),
                "in_words": f"Looked up by {agent.display_name} ({what}); not verified by the customer: "
                "read only, no changes",
            },
            "orders": [self._card(system, {}, order, now, False) for order in orders],
            "history": await self.history(conversation_id),
            "can_act": False,
            "error": None,
        }

    async def _log_lookup(
        self, conversation_id: str, agent: Agent, asked: dict[str, Any], customer_id: str, found: bool
    ) -> None:
        async with self.sessions() as session:
            session.add(
                OrderAction(
                    conversation_id=conversation_id,
                    agent_id=agent.id,
                    order_number=str(asked.get("order_number") or "")[:16],
                    customer_id=customer_id[:64],
                    action=LOOKUP,
                    request=asked,
                    result={"found": found},
                    outcome="done" if found else "not_found",
                )
            )
            await session.commit()
        log.info("agent %s looked up a customer in conversation %s (%s)", agent.id, conversation_id, sorted(asked))

    async def history(self, conversation_id: str) -> list[dict[str, Any]]:
        async with self.sessions() as session:
            rows = list(
                await session.scalars(
                    select(OrderAction).where(OrderAction.conversation_id == conversation_id).order_by(OrderAction.id)
                )
            )
            names = await display_names(session, [row.agent_id for row in rows])
        return [
            {
                "id": row.id,
                "order_number": row.order_number,
                "action": row.action,
                "outcome": row.outcome,
                "agent_id": row.agent_id,
                "agent_name": names.get(row.agent_id),
                "created_at": iso(row.created_at),
                "result": row.result,
                "request": row.request if row.action == LOOKUP else None,
            }
            for row in rows
        ]

    # ---- changing ----------------------------------------------------------------------------
    async def _order(self, conversation: Conversation, number: str) -> tuple[OrderSystem, Order]:
        slots = conversation.slots or {}
        if not slots.get(SLOT_CUSTOMER):
            raise Forbidden("the customer of this conversation is not verified: no order changes")
        system = self.order_system()
        try:
            order = await system.get_order(number)
        except OrderNotFound as exc:
            raise NotFound(f"no order {number}") from exc
        except BackendError as exc:
            raise Unavailable(NOT_ANSWERING) from exc
        locked = may_change(slots, order)
        if locked is not None:
            raise Forbidden(locked)
        return system, order

    async def _quote(
        self, system: OrderSystem, order: Order, action: str, body: Mapping[str, Any], names_in: str, dates_in: str
    ) -> Change:
        """The change as the order system prices it now, changing nothing (PolicyRefusal when it may not be); its
        summary names the items in ``names_in`` (the conversation's language, as the cards) and writes the dates in
        ``dates_in`` (the staff member's)."""
        if action == CANCEL:
            quote = await system.quote_cancellation(order.number)
            refund = (
                f"{money(quote.refund_amount, quote.currency)} back to the original payment method"
                + (f" by {_day(quote.refund_by, dates_in)}" if quote.refund_by else "")
                if quote.refund_amount
                else "nothing to refund (not paid yet)"
            )
            summary = {
                "title": f"Cancel order {order.number}?",
                "lines": _lines(quote.lines, names_in),
                "facts": {"Total": money(quote.total, quote.currency), "Refund": refund},
            }
            note = (
                f"The refund of {money(quote.refund_amount, quote.currency)} goes back to your original payment "
                + (f"method by {long_date(quote.refund_by)}." if quote.refund_by else "method.")
                if quote.refund_amount
                else "Nothing was charged, so there is nothing to refund."
            )
            with i18n.speaking("zh"):
                by = f"最晚于 {long_date(quote.refund_by)} " if quote.refund_by else ""
                note_zh = (
                    f"{money(quote.refund_amount, quote.currency)} 将{by}退回您的原支付方式。"
                    if quote.refund_amount
                    else "您还没有付款，所以无需退款。"
                )
            return Change(CANCEL, order, summary, {}, note, note_zh)
        if action == CHANGE_ADDRESS:
            address = parse_address(body.get("address"))
            refusal = system.policy.address_change_refusal(order, address, utc_now())
            if refusal is not None:
                raise refusal
            summary = {
                "title": f"Change the delivery address of order {order.number}?",
                "lines": _lines(order.lines, names_in),
                "facts": {
                    "New address": f"{address.name}, {address.street}, {address.postcode} {address.city}, "
                    f"{address.country}"
                },
            }
            return Change(CHANGE_ADDRESS, order, summary, {"address": address.to_dict()})
        if action == RETURN:
            items = parse_items(body.get("items"), order)
            plan = await system.quote_return(order.number, items)
            facts = {
                "Refund": money(plan.refund_amount, plan.currency),
                "Return label": "free" if not plan.label_fee else money(plan.label_fee, plan.currency),
            }
            if plan.ship_by:
                facts["Send the parcel by"] = _day(plan.ship_by, dates_in)
            if plan.excluded_lines:
                facts["Not returnable (final sale)"] = _names(plan.excluded_lines, names_in)
            summary = {
                "title": f"Start a return for order {order.number}?",
                "lines": _lines(plan.lines, names_in),
                "facts": facts,
            }
            return Change(RETURN, order, summary, {"items": plan.items})
        if action == RESEND_TRACKING:
            refusal = tracking_refusal(order)
            if refusal is not None:
                raise refusal
            facts = {"Carrier": order.carrier or "—", "Tracking number": order.tracking_number or "—"}
            if order.tracking_url:
                facts["Link"] = order.tracking_url
            summary = {"title": f"Send the tracking of order {order.number} to the customer?", "lines": [],
                       "facts": facts}  # fmt: skip
            return Change(RESEND_TRACKING, order, summary, {})
        raise Invalid(f"unknown action {action!r}: one of {', '.join(ACTIONS)}")

    @staticmethod
    def _languages(conversation: Conversation, agent: Agent) -> tuple[str, str]:
        """(the items' names, the dates) of a change's summary: the conversation's language, the agent's."""
        return conversation.language or "en", agent.language or "en"

    async def preview(
        self, agent: Agent, conversation_id: str, number: str, action: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        """What the change would do, as the agent confirms it (nothing changes)."""
        conversation = await self._conversation(agent, conversation_id, acting=True)
        system, order = await self._order(conversation, number)
        try:
            return (await self._quote(system, order, action, body, *self._languages(conversation, agent))).to_json()
        except PolicyRefusal as refusal:
            raise Conflict(refusal.plain_text, reason_code=refusal.reason_code) from refusal
        except BackendError as exc:
            raise Unavailable(NOT_ANSWERING) from exc

    async def perform(
        self, agent: Agent, conversation_id: str, number: str, action: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Make the change the agent confirmed (`body["confirm"]`: the digest `preview` gave), tell the customer,
        keep the audit row."""
        confirm = body.get("confirm")
        if not isinstance(confirm, str) or not confirm:
            raise Invalid('"confirm" is required: the digest the summary (…/preview) gave')
        async with self.locks(f"order:{number}"):
            conversation = await self._conversation(agent, conversation_id, acting=True)
            system, order = await self._order(conversation, number)
            customer_id = order.customer_id
            try:
                change = await self._quote(system, order, action, body, *self._languages(conversation, agent))
            except PolicyRefusal as refusal:
                await self._audit(conversation_id, agent, order, action, {}, "refused", {"reason": refusal.reason_code})
                raise Conflict(refusal.plain_text, reason_code=refusal.reason_code) from refusal
            except BackendError as exc:
                raise Unavailable(NOT_ANSWERING) from exc
            if change.confirm != confirm:
                raise Conflict(
                    "the order or the change is not what the summary showed any more: look at the new summary",
                    summary=change.to_json(),
                )
            try:
                result, note = await self._apply(system, change, agent, conversation.language or "en")
            except PolicyRefusal as refusal:
                await self._audit(
                    conversation_id, agent, order, action, change.request, "refused", {"reason": refusal.reason_code}
                )
                raise Conflict(refusal.plain_text, reason_code=refusal.reason_code) from refusal
            except BackendError as exc:
                await self._audit(conversation_id, agent, order, action, change.request, "failed", {"error": str(exc)})
                raise Unavailable(NOT_ANSWERING) from exc
            async with self.sessions() as session:
                stored = await session.get(Conversation, conversation_id)
                assert stored is not None
                note = await script.in_conversation_script(session, stored, note)  # in the customer's script
                message = Message(conversation_id=conversation_id, sender=SENDER_SYSTEM, text=note)
                session.add(message)
                await session.flush()
                row = OrderAction(
                    conversation_id=conversation_id,
                    agent_id=agent.id,
                    order_number=order.number,
                    customer_id=customer_id,
                    action=action,
                    request=change.request,
                    result=result,
                    outcome="done",
                    message_id=message.id,
                )
                session.add(row)
                await session.commit()
                await self.events.message(stored, message)
        return {"order_number": order.number, "action": action, "outcome": "done", "result": result, "note": note}

    @staticmethod
    async def _apply(
        system: OrderSystem, change: Change, agent: Agent, language: str = "en"
    ) -> tuple[dict[str, Any], str]:
        """Do it; the order system's answer and the note the customer sees (in the conversation's language)."""
        number, who = change.order.number, agent.display_name
        notes = NOTES["zh" if language == "zh" else "en"]
        with i18n.speaking("zh") if language == "zh" else nullcontext():
            if change.action == CANCEL:
                order = await system.cancel(number)
                tail = change.note_tail_zh if language == "zh" else change.note_tail
                return order.to_dict(), notes[CANCEL].format(who=who, number=number, tail=tail)
            if change.action == RESEND_TRACKING:
                o = change.order
                link = notes["link"].format(url=o.tracking_url) if o.tracking_url else ""
                note = notes[RESEND_TRACKING].format(
                    who=who, number=number, carrier=o.carrier or notes["carrier"], tracking=o.tracking_number, link=link
                )
                return {
                    "carrier": o.carrier,
                    "tracking_number": o.tracking_number,
                    "tracking_url": o.tracking_url,
                }, note
            if change.action == CHANGE_ADDRESS:
                order = await system.change_address(number, Address(**change.request["address"]))
                a = order.shipping_address
                note = notes[CHANGE_ADDRESS].format(
                    who=who, number=number, street=a.street, postcode=a.postcode, city=a.city
                )
                return order.to_dict(), note
            if change.action != RETURN:  # never a return for an action this does not know
                raise Invalid(f"unknown action {change.action!r}: one of {', '.join(ACTIONS)}")
            request = await system.create_return(number, change.request["items"])
            note = notes[RETURN].format(who=who, number=number, rma=request.rma, instructions=request.instructions)
            return request.to_dict(), note

    async def _audit(
        self,
        conversation_id: str,
        agent: Agent,
        order: Order,
        action: str,
        request: dict[str, Any],
        outcome: str,
        result: dict[str, Any],
    ) -> None:
        async with self.sessions() as session:
            session.add(
                OrderAction(
                    conversation_id=conversation_id,
                    agent_id=agent.id,
                    order_number=order.number,
                    customer_id=order.customer_id,
                    action=action,
                    request=request,
                    result=result,
                    outcome=outcome,
                )
            )
            await session.commit()


# the note the customer reads after an agent's change to their order, per conversation language (DeskOrders._apply)
NOTES: dict[str, dict[str, str]] = {
    "en": {
        CANCEL: "Your order {number} was cancelled by {who}. {tail}",
        RESEND_TRACKING: "{who} sent you the tracking of your order {number}: {carrier} {tracking}.{link}",
        CHANGE_ADDRESS: "{who} changed the delivery address of your order {number} to {street}, {postcode} {city}.",
        RETURN: "{who} started a return for your order {number} ({rma}). {instructions}",
        "link": " Follow it here: {url}",
        "carrier": "carrier",
    },
    "zh": {
        CANCEL: "客服 {who} 已取消您的订单 {number}。{tail}",
        RESEND_TRACKING: "客服 {who} 已将您订单 {number} 的物流信息发给您：{carrier} {tracking}。{link}",
        CHANGE_ADDRESS: "客服 {who} 已将您订单 {number} 的收货地址改为 {street}, {postcode} {city}。",
        RETURN: "客服 {who} 已为您的订单 {number} 发起退货（{rma}）。{instructions}",
        "link": "物流链接：{url}",
        "carrier": "承运商",
    },
}
