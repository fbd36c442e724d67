"""What the "Did you mean" buttons call the flows the bot can start (actions/faq.py). Intents not named here
(small talk, order details) are never offered as a button."""

from __future__ import annotations

INTENT_CHOICES = {
    "order_status": "Check where an order is",
    "cancel_order": "Cancel an order",
    "change_order": "Change the items of an order",
    "change_shipping_address": "Change an order's delivery address",
    "request_refund": "Return an item for a refund",
    "refund_status": "Check on a refund",
    "payment_issue": "A problem with a payment",
}
