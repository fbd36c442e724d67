"""What every order flow says around the flows themselves: stopping, a yes or no with nothing to answer, an
order number on its own, a change that can't be made here (actions/orders.py).

Placeholders: {order_id}; {days} the return window in days; {goal} and {new_goal} identity.GOALS (what a flow does).
"""

from __future__ import annotations

# the order system is down or too slow: then a handoff
BACKEND_ERROR = (
    "I'm sorry, I can't reach our order system right now, so I can't look up or change your order at the moment. "
    "I'm passing you to a member of our support team, who will pick this up with you."
)
PERSON_BUTTON = "Talk to a person"
# a person asked for while a change waited for its yes (actions/handoff.py): the customer knows where the order stands
CHANGE_NOT_MADE = (
    "Nothing has been changed on order {order_id}: I stopped before doing it, and the team will see what you asked for."
)
# after the status of an order the customer says never reached them (actions/missing_parcel.py)
MISSING_PARCEL = (
    "I'm sorry it hasn't reached you. Please check with your neighbours, your mailbox or safe place and the nearby "
    "pick-up point, and look for a carrier card: parcels are sometimes scanned as delivered a little early. If it "
    "still isn't there by the end of the next business day, our team opens an investigation with the carrier and "
    "sends you a replacement or a full refund if it's lost. Tap \"Talk to a person\" and they'll take it from here."
)
# "what now?" right after MISSING_PARCEL
MISSING_PARCEL_NEXT = (
    "First check with your neighbours, your mailbox or safe place and the nearby pick-up point. If it still isn't "
    "there by the end of the next business day, our team opens an investigation with the carrier; you can talk to a "
    "person now if you'd rather not wait."
)
# "tracking hasnt moved in 5 days" right after the status of order {order_id} (actions/status_again.py): not the same
# status again, a person offered
STATUS_UNCHANGED = (
    "I'm sorry it's taking so long. Order {order_id} shows nothing newer than what I told you above, so repeating it "
    "won't help. A member of our team can check with the carrier and open an investigation if the parcel is stuck. "
    "Shall I get someone for you?"
)
# the order asked to go faster right after its status (actions/status_again.py hurry_after_status)
CANNOT_HURRY = (
    "I can't make order {order_id} go any faster from here: orders are handled in turn, and it should arrive by the "
    "date above. A member of our team can check with the warehouse or the carrier. Shall I get someone for you?"
)
# under "There's no refund on order …": what to do when the customer expected one
REFUND_NONE_NEXT = (
    "If you've already sent something back or were told a refund was on its way, a member of our team can look into "
    'it: tap "Talk to a person". To send something from this order back, just tell me and I\'ll start a return.'
)
NOT_WANTED_BUTTON = "That's not what I wanted"  # under every change carried out: a person puts it right

STOPPED = "No problem, I've stopped there. Is there anything else I can do?"
STOPPED_NOTHING_CHANGED = (
    "No problem, I've stopped there, and nothing about your order has been changed. Is there anything else I can do?"
)
DETAILS_WITHOUT_REQUEST = (
    "Thanks! What would you like me to do with that: check an order's status, cancel it, or start a return?"
)
# after a request about one order, the other order the same message asked about ("cancel 100259 and where is
# 100234?")
NEXT_REQUEST = "Now, your other question: order {order_id}."
NEXT_REQUEST_SAME_ORDER = "Now, your other request about order {order_id}."
# the other request of the message was about an order it did not name ("… but also my other order never came")
NEXT_REQUEST_OTHER_ORDER = "Now, your other order."
# "there's a problem with my order 100234", "订单100219有点问题": which problem, the order's topics as buttons
PROBLEM_WITH_ORDER = (
    "Sorry to hear that. What's wrong with order {order_id}? Pick a topic below or tell me in a few words."
)
DETAILS_WITHOUT_REQUEST_FOR_ORDER = (
    "Thanks! What would you like me to do with order {order_id}: check where it is, cancel it, or start a return?"
)
# the e-mail address or postcode sent right after that question: noted for the proof, the question asked once more
DETAILS_NOTED_FOR_ORDER = (
    "Got it, thanks: that's how I'll check it's your order. What would you like me to do with order {order_id}?"
)
WHERE_IS_MY_ORDER_BUTTON = "Where is my order?"
CANCEL_MY_ORDER_BUTTON = "Cancel my order"
RETURN_AN_ITEM_BUTTON = "Return an item"
CHANGE_ADDRESS_BUTTON = "Change the delivery address"
CHANGE_ORDER_EXPLAINED = (
    "I'm afraid the items in an order can't be swapped, added or removed once it's placed: our warehouse starts "
    "picking it straight away. What I can do here: cancel the order free of charge as long as it hasn't shipped, so "
    "you can place a new one with exactly what you want, or change its delivery address until it's packed. If it has "
    "already shipped, you can return what you don't want within {days} days of delivery. For anything else, a member "
    "of our team can check what's possible."
)

# a yes with no change waiting for it: a question dropped for another request, or a conversation the bot lost
NOTHING_TO_CONFIRM = (
    "There's nothing waiting for your yes right now, so I haven't changed anything. If you'd like to cancel, change "
    "or return an order, just tell me which one."
)
# the form reached the end without a yes to exactly this change (the order changed in the meantime, say)
UNCONFIRMED = (
    "I haven't changed anything on order {order_id}: it changed while we were talking, so what you said yes to no "
    "longer fits. Please tell me again what you'd like to do."
)
NOT_CHANGED = "I haven't changed anything on order {order_id}. Please tell me again what you'd like to do."
# the customer says a change just made was wrong: no undo here, a person puts it right
CHANGE_WAS_WRONG = (
    "I'm sorry about that. I can't undo it from here, but a member of our support team can put it right straight "
    "away: they'll see exactly what was changed. Shall I connect you?"
)

# another order request in the middle of a change: ask before dropping what was collected (the form, actions/forms.py)
SWITCH_QUESTION = "Right now I'm helping you {goal} (order {order_id}). Shall I {new_goal} instead?"
SWITCH_YES_BUTTON = "Yes, switch"
SWITCH_NO_BUTTON = "No, carry on"
SWITCH_DECLINED = "OK, let's carry on."

# after the handbook's answer about goods of that order that arrived wrong or damaged, when the message also asked
# for a person (actions/faq.py received_goods_answered); the helpdesk adds the wait
PERSON_FOR_ORDER = "You asked for a person: shall I get one for order {order_id}? They'll see this whole conversation."
# part of an order missing from the parcel (actions/missing_item.py): the team checks the packing record
PERSON_FOR_MISSING_ITEM = (
    "Shall I get a person to check the packing record of order {order_id} and send what's missing? They'll see this "
    "whole conversation."
)
# something in the parcel that wasn't ordered (actions/missing_item.py): the team sends the free return label
PERSON_FOR_EXTRA_ITEM = (
    "Shall I get a person to send you a free return label for the extra item in order {order_id}? They'll see this "
    "whole conversation."
)
# the order number sent right after a handbook answer that asked for it so the team can check something the bot
# cannot (actions/team_checks.py): a person offered for that check
# the status of an order waiting for payment, to a customer who says they paid (actions/paid_not_seen.py)
PAID_NOT_SEEN = (
    "You've told me you paid, but the payment hasn't reached us yet. I can't see payments from here: shall I get a "
    "person to check the payment for order {order_id}? They'll see this whole conversation."
)
PERSON_FOR_PAYMENT_CHECK = (
    "Thanks. I can't see payments from here: shall I get a person to check the payment for order {order_id}? "
    "They'll see this whole conversation."
)
PERSON_FOR_INVOICE_COPY = (
    "Thanks. Shall I get a person to send you a copy of the invoice for order {order_id}? They'll see this whole "
    "conversation."
)
PERSON_FOR_WARRANTY_CLAIM = (
    "Thanks. Shall I get a person to look at the defect in order {order_id}? They'll see this whole conversation, "
    "and you can send photos here too."
)
