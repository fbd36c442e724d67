"""Cancelling an order (the cancel flow: actions/forms.py, actions/orders.py).

Placeholders: {order_id}; {items} one ITEM_LINE per line of the order, one per line; {quantity}, {name}, {amount}
of one line; {total} and {refund} as policy.money writes them (€166.95); {refund_by} policy.long_date.
"""

from __future__ import annotations

ITEM_LINE = "- {quantity} × {name} ({amount})"
# the summary the customer confirms: nothing is cancelled before the yes
CONFIRM_WITH_REFUND = (
    "Cancelling order {order_id} cancels all of it:\n{items}\nTotal: {total}. You get {refund} back to your original "
    "payment method by {refund_by} at the latest.\nShall I cancel order {order_id}? (yes/no)"
)
CONFIRM_WITH_REFUND_UNDATED = (
    "Cancelling order {order_id} cancels all of it:\n{items}\nTotal: {total}. You get {refund} back to your original "
    "payment method.\nShall I cancel order {order_id}? (yes/no)"
)
CONFIRM_NOTHING_CHARGED = (
    "Cancelling order {order_id} cancels all of it:\n{items}\nTotal: {total}. Nothing has been charged yet, so "
    "there's nothing to refund.\nShall I cancel order {order_id}? (yes/no)"
)
YES_BUTTON = "Yes, cancel it"
NO_BUTTON = "No, keep it"
DONE_WITH_REFUND = "Done: order {order_id} is cancelled. {refund}"  # {refund}: the refund's status, in full
DONE_NOTHING_CHARGED = (
    "Done: order {order_id} is cancelled. Nothing had been charged yet, so there's nothing to refund."
)
DECLINED = "Alright, I haven't cancelled anything: order {order_id} goes ahead as planned."
