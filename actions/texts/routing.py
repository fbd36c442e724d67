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

# "Did you mean": the handbook entries (or flows) that might fit, and a way out
SUGGEST = "I'm not completely sure what you mean. Did you mean one of these?"
NONE_OF_THESE_BUTTON = "None of these: talk to a person"
# the customer's turns in a row got only "Did you mean": a person takes over
FAILED_TURNS = (
    "Sorry, I still haven't been able to help with that. "
    "I'm passing your conversation to our support team, who will see all of it."
)
ENTRY_GONE = "Sorry, that help article is no longer available. Could you ask your question again?"
