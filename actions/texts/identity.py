"""Finding the order and proving it is the customer's (actions/forms.py, actions/identity.py).

Placeholders: {order_id} a 6-digit order number; {goal} one of GOALS; {first_name}; {orders} order numbers
joined with ORDERS_JOINER; {remaining} wrong answers left (2 or more); {number} / {email} what the customer typed.
"""

from __future__ import annotations

# what each order flow does, inside ASK_ORDER_ID and the e-mail questions ("I can {goal}", "to {goal}")
GOALS = {
    "order_status": "check where your order is",
    "cancel_order": "cancel your order",
    "change_shipping_address": "change the delivery address",
    "request_refund": "start a return",
    "refund_status": "check on your refund",
}
DEFAULT_GOAL = "help with your order"

ASK_ORDER_ID = (
    "I can {goal}. What's the order number? It has 6 digits (like 100234) and is in your order confirmation e-mail. "
    "You can send the e-mail address or postcode you ordered with in the same message."
)
ASK_ORDER_ID_AGAIN = "What's the 6-digit order number? For example: 100234."
# an e-mail address given instead of the number asked for: noted as the proof, but no order is looked up by it
ASK_ORDER_ID_EMAIL_NOTED = (
    "Thanks, I've noted your e-mail address: it will show the order is yours. I can't look orders up by e-mail "
    "address here, though, so I still need the 6-digit order number (like 100234) from your order confirmation "
    "e-mail. If you can't find it, a person from our team can look your order up with you."
)
# the customer has no order number ("i dont have it", actions/no_order_number.py); a person is a button away
NO_ORDER_NUMBER = (
    "No problem. Your order number has 6 digits (like 100234): it's in the order confirmation e-mail we sent when you "
    "ordered, and under Account → Orders if you have an account. Send it to me when you have it; if you can't find "
    "it, a person from our team can look your order up with you."
)
# the same when the shop sends e-mail (the helpdesk says so in the message's metadata): the list of the customer's
# orders goes to the address they ordered with (actions/no_order_number.py; never shown in the chat)
NO_ORDER_NUMBER_BY_MAIL = (
    "No problem. Your order number has 6 digits (like 100234): it's in the order confirmation e-mail we sent when you "
    "ordered, and under Account → Orders if you have an account. Can't find it? Tell me the e-mail address you "
    "ordered with and I'll send the list of your orders to it, or a person from our team can look your order up with "
    "you."
)
# the address given after NO_ORDER_NUMBER_BY_MAIL: the same words whether or not it has orders with the shop
ORDER_LIST_SENT = (
    "Thanks! If {email} has orders with us, their list is on its way to that address: it can take a few minutes, "
    "so check your spam folder too. Send me the order number here when you have it."
)
ASK_ORDER_ID_RECENT_NAMED = "Which order is it about, {first_name}? Your most recent orders are {orders}."
ASK_ORDER_ID_RECENT = "Which order is it about? Your most recent orders are {orders}."
ORDER_BUTTON = "Order {order_id}"
ORDERS_JOINER = ", "  # between the order numbers of {orders}
# a new request right after one about an order whose check still holds ("where is 100212?", then "I'd like to send
# the carafe back"): that order is offered first
ASK_ORDER_ID_SAME = "Is it about order {order_id} again? If it's another one, send me its order number."
ASK_ORDER_ID_SAME_RECENT = "Is it about order {order_id} again? Your other recent orders are {orders}."

ASK_VERIFICATION = "To keep your details safe: what's the e-mail address or the delivery postcode for order {order_id}?"
ASK_VERIFICATION_AGAIN = (
    "Which e-mail address or delivery postcode did you use for order {order_id}? If that order number isn't "
    "right, just send me the correct one."
)
# the order is open to read (by its postcode, or as another order of a customer checked before): a change needs
# the e-mail address on the order (or a shop login, which the widget passes as a signed token)
ASK_EMAIL_FOR_CHANGE = (
    "A postcode lets me show an order's status, but to {goal} I need the e-mail address you ordered with. "
    "What's the e-mail address for order {order_id}?"
)
ASK_EMAIL_FOR_OTHER_ORDER = (
    "To {goal} I need proof for order {order_id} itself: what's the e-mail address you placed it with?"
)
ASK_EMAIL_FOR_CHANGE_AGAIN = (
    "To {goal} I need the e-mail address you used for order {order_id}. If you can't find it, a member of our "
    "support team can help."
)

MALFORMED_ORDER_NUMBER = (
    "“{number}” doesn't look like one of our order numbers: they have 6 digits, like 100234. You'll find yours in "
    "the order confirmation e-mail."
)
# after MALFORMED_ORDER_NUMBER when no request was named with it ("order 10016")
SEND_ORDER_NUMBER_AGAIN = "Could you check the number and send it to me again?"
MALFORMED_EMAIL = "“{email}” doesn't look like a complete e-mail address: it should look like name@example.com."
LATEST_ORDER_NEEDS_IDENTITY = "I can look up your latest order as soon as I know it's you."
NO_ORDERS_YET = "I can't find any orders on your account yet."

# a wrong e-mail or postcode and an order number that doesn't exist get the same answer
NOT_VERIFIED = (
    "I couldn't find an order matching that number and those details. Please check the order number and the "
    "e-mail address or postcode you ordered with. You have {remaining} more tries."
)
NOT_VERIFIED_LAST_TRY = (
    "I couldn't find an order matching that number and those details. Please check the order number and the "
    "e-mail address or postcode you ordered with. You have 1 more try."
)
# the conversation's wrong answers are used up: then a handoff
HANDED_OFF = (
    "I still couldn't match those details, so I can't show this order here. I'm passing your conversation to our "
    "support team, who can help you verify it."
)
# too many wrong answers from this client (or for this order) across conversations: a person is offered
TOO_MANY_ATTEMPTS = (
    "I can't check any more order details here right now: there have been too many attempts with details that "
    "didn't match. For your security, a member of our support team can check the order with you."
)
