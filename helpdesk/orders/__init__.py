"""The order side of the chat flows: look up, cancel, re-address, return and refund orders.

from helpdesk.orders import get_order_system, verify_access, PolicyRefusal, BackendError

orders = get_order_system()                      # demo shop or the shop's API, per config/orders.yml
order = await verify_access(orders, "100234", email="ann.lee@example.com")
if order is None: ...                            # same answer for "no such order" and "wrong details"
try:
    await orders.cancel(order.number)
except PolicyRefusal as refusal:
    say(refusal.text)                            # why + what they can do instead
except BackendError:
    hand_off("backend_error")
"""

from typing import TYPE_CHECKING, Any

from helpdesk.orders.attempts import Asker, Attempt, AttemptLimits, IdentityChecks, Verdict
from helpdesk.orders.identity import (
    ExpiredToken,
    IdentityTokenError,
    InvalidSignature,
    MalformedToken,
    identity_secret,
    sign_identity,
    verify_access,
    verify_identity,
    verify_order_owner,
)
from helpdesk.orders.messages import describe_order, describe_refund
from helpdesk.orders.model import (
    Address,
    CancellationQuote,
    Customer,
    Order,
    OrderLine,
    OrderStatus,
    RefundState,
    RefundStatus,
    ReplacementRequest,
    ReturnItems,
    ReturnQuote,
    ReturnReason,
    ReturnRemedy,
    ReturnRequest,
    Tier,
    normalise_order_number,
)
from helpdesk.orders.policy import OrderPolicy, PolicyConfig
from helpdesk.orders.system import (
    BackendError,
    CustomerNotFound,
    OrderNotFound,
    OrderSystem,
    OrderSystemError,
    PolicyRefusal,
)

if TYPE_CHECKING:
    from helpdesk.orders.factory import (
        get_identity_checks,
        get_order_system,
        identity_checks_from_config,
        order_system_from_config,
    )

FACTORIES = ("get_identity_checks", "get_order_system", "identity_checks_from_config", "order_system_from_config")


def __getattr__(name: str) -> Any:
    # the back ends load lazily, so `python -m helpdesk.orders.demo` doesn't import itself twice
    if name in FACTORIES:
        from helpdesk.orders import factory

        return getattr(factory, name)
    raise AttributeError(f"module 'helpdesk.orders' has no attribute {name!r}")


__all__ = [
    "Address",
    "Asker",
    "Attempt",
    "AttemptLimits",
    "BackendError",
    "CancellationQuote",
    "Customer",
    "CustomerNotFound",
    "ExpiredToken",
    "IdentityChecks",
    "IdentityTokenError",
    "InvalidSignature",
    "MalformedToken",
    "Order",
    "OrderLine",
    "OrderNotFound",
    "OrderPolicy",
    "OrderStatus",
    "OrderSystem",
    "OrderSystemError",
    "PolicyConfig",
    "PolicyRefusal",
    "RefundState",
    "RefundStatus",
    "ReplacementRequest",
    "ReturnItems",
    "ReturnQuote",
    "ReturnReason",
    "ReturnRemedy",
    "ReturnRequest",
    "Tier",
    "Verdict",
    "describe_order",
    "describe_refund",
    "get_identity_checks",
    "get_order_system",
    "identity_checks_from_config",
    "identity_secret",
    "normalise_order_number",
    "order_system_from_config",
    "sign_identity",
    "verify_access",
    "verify_identity",
    "verify_order_owner",
]
