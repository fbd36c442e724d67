"""The list of a customer's orders, by e-mail, for a customer without their order number ("I lost my order number",
"我不记得订单号"; lane fixes). The bot offers it when this helpdesk sends e-mail and asks for the address they ordered
with (actions/no_order_number.py); the helpdesk queues the list for that address in the outbox (`requested`), and the
mail worker looks the address up in the order system when it sends (`order_list_context`). So no order is shown in
the chat, the list only reaches the mailbox the orders were placed with, and an address without orders gets no mail:
the chat says the same either way, telling nobody whether an address is a customer's. Each address once per
conversation (the outbox's dedupe key), at most MAX_PER_CONVERSATION addresses per conversation and
ORDER_LISTS_PER_ADDRESS (5) lists per client address per hour (shared by the helpdesk processes like the other
limits)."""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.db.models import OutboxMail
from helpdesk.limits.window import Limiter
from helpdesk.mail import outbox
from helpdesk.mail.templates import ORDER_LIST, language_of
from helpdesk.orders.model import OrderStatus
from helpdesk.orders.system import OrderSystem

log = logging.getLogger(__name__)

MAX_PER_CONVERSATION = 3  # different addresses one conversation may have a list sent to
LIST_LIMIT = 10  # the newest orders in the list
ADDRESS_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$", re.ASCII)

STATUS_WORDS: dict[str, dict[OrderStatus, str]] = {
    "en": {
        OrderStatus.PLACED: "placed, waiting for payment",
        OrderStatus.PAID: "paid, being prepared",
        OrderStatus.PACKED: "packed, about to ship",
        OrderStatus.SHIPPED: "on its way",
        OrderStatus.DELIVERED: "delivered",
        OrderStatus.CANCELLED: "cancelled",
        OrderStatus.RETURN_REQUESTED: "return in progress",
        OrderStatus.REFUNDED: "returned and refunded",
    },
    "zh": {
        OrderStatus.PLACED: "已下单，等待付款",
        OrderStatus.PAID: "已付款，正在备货",
        OrderStatus.PACKED: "已打包，即将发货",
        OrderStatus.SHIPPED: "运送中",
        OrderStatus.DELIVERED: "已送达",
        OrderStatus.CANCELLED: "已取消",
        OrderStatus.RETURN_REQUESTED: "退货处理中",
        OrderStatus.REFUNDED: "已退货退款",
    },
}


class OrderListRequests:
    """Queues the lists customers ask for (every helpdesk process with mail on has one)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], per_client: Limiter | None = None) -> None:
        self.sessions = sessions
        self.per_client = per_client  # lists per client address per hour (ORDER_LISTS_PER_ADDRESS); None: unlimited

    async def requested(
        self, conversation_id: str, email: str, language: str | None, client_address: str | None = None
    ) -> bool:
        """Queue the list for ``email`` in this conversation; False when the address is malformed, was asked for
        already in it, the conversation has had MAX_PER_CONVERSATION lists, or this client its lists for the hour
        (one client opening conversation after conversation to send lists to many addresses)."""
        address = email.strip()
        if len(address) > 254 or not ADDRESS_RE.match(address):
            return False
        if self.per_client is not None and client_address and not (await self.per_client.hit(client_address)).allowed:
            log.warning("client %s asked for more order lists this hour than allowed: not sent", client_address)
            return False
        async with self.sessions() as session:
            sent = await session.scalar(
                select(func.count())
                .select_from(OutboxMail)
                .where(OutboxMail.conversation_id == conversation_id, OutboxMail.kind == ORDER_LIST)
            )
            if (sent or 0) >= MAX_PER_CONVERSATION:
                log.info("conversation %s asked for more order lists than %d: not sent", conversation_id, sent)
                return False
            mail = await outbox.enqueue(
                session,
                kind=ORDER_LIST,
                dedupe_key=f"{ORDER_LIST}:{conversation_id}:{address.lower()}",
                to_address=address,
                language=language_of(language),
                conversation_id=conversation_id,
                payload={"email": address},
            )
            await session.commit()
            return mail is not None


@dataclass(frozen=True)
class ListedOrder:
    number: str
    placed: str  # the date it was placed (ISO, read the same in every language)
    status: str  # in words, in the mail's language
    items: str


async def order_list_context(system: OrderSystem, email: str, language: str) -> dict[str, Any] | None:
    """What the mail lists for ``email``: the customer's name and newest orders; None when the address has none."""
    customer = await system.find_customer(email)
    if customer is None:
        return None
    orders = await system.list_orders(customer.id, LIST_LIMIT)
    if not orders:
        return None
    lang = language_of(language)
    words = STATUS_WORDS[lang]
    separator = "、" if lang == "zh" else ", "
    listed = [
        ListedOrder(
            number=order.number,
            placed=order.placed_at.date().isoformat(),
            status=words.get(order.status, str(order.status)),
            items=separator.join(f"{line.quantity} × {line.name_in(lang)}" for line in order.lines),
        )
        for order in orders
    ]
    return {"name": customer.name, "orders": [asdict(o) for o in listed]}
