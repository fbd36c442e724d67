"""The interface every order back end implements, and the errors it raises.

Callers (the Rasa form actions, the agent console's context panel) handle exactly these:

- ``OrderNotFound`` / ``CustomerNotFound``: nothing with that number or id. For customers, say the
  same thing as for a failed identity check (see ``identity.verify_access``).
- ``BackendError``: the shop system is down, slow or answered nonsense. Hand off with reason
  ``backend_error``; ``str(exc)`` is for logs, not for the customer.
- ``PolicyRefusal``: the shop's rules forbid the change. Show ``message_for_customer`` (why) and
  ``alternative`` (what they can do instead); ``reason_code`` is stable for stories and analytics.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import TYPE_CHECKING

from helpdesk.i18n import join_sentences
from helpdesk.knowledge.chat_text import markdown_to_text
from helpdesk.orders.model import (
    Address,
    CancellationQuote,
    Customer,
    Order,
    RefundStatus,
    ReplacementRequest,
    ReturnItems,
    ReturnQuote,
    ReturnReason,
    ReturnRequest,
    utc_now,
)
from helpdesk.vocabulary import HANDOFF_BACKEND_ERROR

if TYPE_CHECKING:
    from helpdesk.orders.policy import OrderPolicy

DEFAULT_LIST_LIMIT = 5
MAX_LIST_LIMIT = 50


class OrderSystemError(Exception):
    """Base class of everything an order system raises on purpose."""


class OrderNotFound(OrderSystemError):
    def __init__(self, number: str) -> None:
        super().__init__(f"no order with number {number!r}")
        self.number = number


class CustomerNotFound(OrderSystemError):
    def __init__(self, customer_id: str) -> None:
        super().__init__(f"no customer with id {customer_id!r}")
        self.customer_id = customer_id


class BackendError(OrderSystemError):
    """The order system could not answer (down, timed out, 5xx, malformed data). Hand off."""

    handoff_reason = HANDOFF_BACKEND_ERROR


class PolicyRefusal(OrderSystemError):
    """The shop's policy does not allow the requested change."""

    def __init__(
        self, reason_code: str, message_for_customer: str, alternative: str, order_number: str | None = None
    ) -> None:
        super().__init__(f"{reason_code}: {message_for_customer}")
        self.reason_code = reason_code
        self.message_for_customer = message_for_customer
        self.alternative = alternative
        self.order_number = order_number

    @property
    def text(self) -> str:
        """Why, then what they can do: one reply for the chat."""
        return join_sentences([part for part in (self.message_for_customer, self.alternative) if part]).strip()

    @property
    def plain_text(self) -> str:
        """``text`` without Markdown, for a screen that shows it as text (the agent's order dialog): a link as
        "label (address)"."""
        return markdown_to_text(self.text, "\n")


class OrderSystem(ABC):
    """Read and change a shop's orders. All methods are coroutines; implementations are async-safe."""

    @property
    @abstractmethod
    def policy(self) -> OrderPolicy:
        """The rules this system enforces; callers may ask it in advance (e.g. before confirming)."""

    @abstractmethod
    async def get_order(self, number: str) -> Order:
        """The order with this 6-digit number. Raises OrderNotFound (also for malformed numbers)."""

    @abstractmethod
    async def list_orders(self, customer_id: str, limit: int = DEFAULT_LIST_LIMIT) -> list[Order]:
        """The customer's most recent orders, newest first, at most ``limit`` (1..50)."""

    @abstractmethod
    async def find_customer(self, email: str) -> Customer | None:
        """The customer with this e-mail (case-insensitive), or None."""

    @abstractmethod
    async def get_customer(self, customer_id: str) -> Customer:
        """The customer with this id. Raises CustomerNotFound."""

    @abstractmethod
    async def quote_cancellation(self, number: str) -> CancellationQuote:
        """What cancelling the order would undo and pay back, changing nothing. Raises PolicyRefusal."""

    @abstractmethod
    async def cancel(self, number: str) -> Order:
        """Cancel the order; returns it as it is now. Raises PolicyRefusal when it can't be cancelled."""

    @abstractmethod
    async def change_address(self, number: str, address: Address) -> Order:
        """Change the delivery address; returns the updated order. Raises PolicyRefusal."""

    @abstractmethod
    async def quote_return(
        self, number: str, items: ReturnItems | None = None, reason: ReturnReason = ReturnReason.UNWANTED
    ) -> ReturnQuote:
        """What returning ``items`` would refund and cost (label), booking nothing. Raises PolicyRefusal.

        ``items``: SKU -> pieces ({"LH-TXT-0420": 1} for 1 of 2 towels), or SKUs for whole lines; None: every
        returnable line. ``reason``: damaged or wrong goods go back free, final-sale items included."""

    @abstractmethod
    async def create_return(
        self, number: str, items: ReturnItems | None = None, reason: ReturnReason = ReturnReason.UNWANTED
    ) -> ReturnRequest:
        """Book a return of ``items`` for ``reason`` (as for ``quote_return``). Raises PolicyRefusal."""

    @abstractmethod
    async def refund_status(self, number: str) -> RefundStatus:
        """Where the order's refund stands (RefundState.NONE when there is none)."""

    # -- optional: replacements of damaged or wrong goods (a system without them keeps these defaults) --------------

    @property
    def offers_replacements(self) -> bool:
        """Whether ``create_replacement`` books anything here: when not, damaged or wrong goods are refunded in the
        chat and a person arranges a replacement."""
        return False

    @property
    def offers_set_pieces(self) -> bool:
        """Whether returns and replacements here take single pieces of a line sold as one set (ReturnItems key
        ``set_pieces_key(sku)``: one broken plate of a set of 4); when not, a set goes back or is sent again whole."""
        return False

    async def quote_replacement(
        self, number: str, items: ReturnItems | None = None, reason: ReturnReason = ReturnReason.WRONG_ITEM
    ) -> ReturnQuote:
        """What replacing ``items`` (as for ``quote_return``) of damaged or wrong goods would send again and take
        back (nothing refunded), booking nothing. Raises PolicyRefusal; the default refuses, as
        ``create_replacement``."""
        raise self._no_replacements(number)

    async def create_replacement(
        self, number: str, items: ReturnItems | None = None, reason: ReturnReason = ReturnReason.WRONG_ITEM
    ) -> ReplacementRequest:
        """Book ``items`` (as for ``quote_return``) of damaged or wrong goods (``reason``) to be sent again at no cost,
        with the free return of what arrived; no refund. Raises PolicyRefusal. The default books nothing: it refuses
        (``replacement_not_offered``), and the customer is offered a person."""
        raise self._no_replacements(number)

    def _no_replacements(self, number: str) -> PolicyRefusal:
        from helpdesk.orders.policy import REPLACEMENT_NOT_OFFERED, Action

        return self.policy.refusal(Action.RETURN, REPLACEMENT_NOT_OFFERED, number, utc_now())

    async def list_replacements(self, number: str) -> list[ReplacementRequest]:
        """The replacements booked for the order, oldest first (the default: none)."""
        return []

    async def aclose(self) -> None:  # noqa: B027 (an optional hook, deliberately not abstract)
        """Release connections. The default has nothing to release."""

    async def __aenter__(self) -> OrderSystem:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


def check_limit(limit: int) -> int:
    if not 1 <= int(limit) <= MAX_LIST_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIST_LIMIT}, got {limit}")
    return int(limit)
