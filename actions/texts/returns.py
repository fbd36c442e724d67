"""Returning items (the return flow: actions/forms.py, actions/orders.py).

Placeholders: {order_id}; {items} one ITEM_LINE per item, one per line; {quantity}, {name}, {amount} of one item
({amount} its value, €28.00); {refund} and {fee} as policy.money writes them; {refund_days}; {country} a country's
name as policy.country_name gives it ("the United Kingdom"); {ship_by} policy.long_date ("Friday 24 January");
{final_sale} names joined with "and". The booked return's instructions come from the order system
(helpdesk/orders/policy.py return_instructions, or the shop's own).
"""

from __future__ import annotations

ASK_ITEMS = (
    "Which items from order {order_id} would you like to return? Pick one below, name them, or say “everything”."
)
ASK_ITEMS_AGAIN = "Which of these would you like to return? Pick one, name the items, or say “everything”."
# the same question when the goods came damaged or wrong (a damage report is no ordinary return: the walkthrough of
# 2026-12-06, walk1, read "would you like to return?" after "my carafe arrived broken")
ASK_ITEMS_DAMAGED = "Which items from order {order_id} arrived damaged? Pick one below, name them, or say “everything”."
ASK_ITEMS_WRONG = (
    "Which items from order {order_id} aren't what you ordered? Pick one below, name them, or say “everything”."
)
# asked again after an answer that named none of them (it was ASK_ITEMS_AGAIN's "would you like to return?")
ASK_ITEMS_DAMAGED_AGAIN = "Which of these arrived damaged? Pick one, name the items, or say “everything”."
ASK_ITEMS_WRONG_AGAIN = "Which of these aren't what you ordered? Pick one, name the items, or say “everything”."
# after ASK_ITEMS, when the order has final-sale items (they get no button)
FINAL_SALE_NOTE_ONE = "{final_sale} is final sale and can't be returned."
FINAL_SALE_NOTE_MANY = "{final_sale} are final sale and can't be returned."
EVERYTHING_BUTTON = "Everything"
ITEMS_UNCLEAR = "Sorry, I couldn't tell which items from order {order_id} you mean."
# a line of several pieces named in the singular ("just the towel" of 2 towels): how many go back (actions/items.py)
ASK_PIECES = "Order {order_id} has {count} × {item}. How many of them would you like to send back?"
PIECES_BUTTON = "{n} of them"
ALL_PIECES_BUTTON = "All {count}"
NOTHING_LEFT = "That leaves nothing to return from order {order_id}."
# some pieces of a set asked for ("just 2 of them", of "Ribbed tumblers, set of 6"); {item}: the set's name
SET_GOES_BACK_WHOLE = (
    '"{item}" is sold as one set, so it can only go back whole, not just some of its pieces. If you\'d rather keep '
    "the set, just say no."
)

ITEM_LINE = "- {quantity} × {name} ({amount})"
# the summary the customer confirms: nothing is booked (and no label bought) before the yes
SUMMARY_FREE_LABEL = (
    "Here's the return for order {order_id}:\n{items}\n"
    "You get {refund} back to your original payment method within {refund_days} business days after the parcel "
    "reaches us. The return label is free. Please send the parcel by {ship_by}.\n"
    "Shall I book this return? You can also tell me to add or leave out items."
)
SUMMARY_PAID_LABEL = (
    "Here's the return for order {order_id}:\n{items}\n"
    "The prepaid return label from {country} costs {fee}, which we deduct from your refund: you get {refund} back "
    "to your original payment method within {refund_days} business days after the parcel reaches us. Please send "
    "the parcel by {ship_by}.\n"
    "Shall I book this return, label included? You can also tell me to add or leave out items."
)
# damaged glass and ceramics (config/orders.yml policies.dispose_when_damaged): nothing goes back, the refund
# follows the booking (the handbook's damaged-item answer: "you usually don't need to send anything back")
SUMMARY_NOTHING_BACK = (
    "Here's the return for order {order_id}:\n{items}\n"
    "You don't need to send anything back: please dispose of the broken pieces safely. You get {refund} back to your "
    "original payment method within {refund_days} business days.\n"
    "Shall I book this return? You can also tell me to add or leave out items."
)
# under a summary whose parcel leaves some broken glass or ceramics out; {names} joined with "and"
DISPOSED_NOTE = "({names}: no need to send back the broken pieces, please dispose of them safely.)"
# under the summary, when "everything" left final-sale items out
LEFT_OUT_ONE = "({final_sale} is final sale, so it stays with you.)"
LEFT_OUT_MANY = "({final_sale} are final sale, so they stay with you.)"
YES_BUTTON = "Yes, book it"
NO_BUTTON = "No"
DECLINED = "OK, I haven't booked anything for order {order_id}. If you'd like to return other items, just tell me."

# damaged or wrong goods (the handbook's answers offer both): the right item sent again, or the money back; {items}
# the names joined with "and" (policy.join_names), {refund} the full refund as policy.money writes it, {sent_again}
# what is sent, for one piece or several (2 tumblers: "new ones", not "a new one")
NEW_ONE = "a new one"
NEW_ONES = "new ones"
RIGHT_ITEM = "the right item"
RIGHT_ITEMS = "the right items"
ASK_REMEDY_WRONG_ITEM = (
    "What would you like for {items} from order {order_id}: {sent_again} sent to you at no cost, or a full refund "
    "of {refund}? Either way, sending back what you received is free."
)
ASK_REMEDY_DAMAGED = (
    "What would you like for {items} from order {order_id}: {sent_again} sent to you at no cost, or a full refund of "
    "{refund}? Either way, sending back the damaged goods is free."
)
ASK_REMEDY_DAMAGED_DISPOSE = (
    "What would you like for {items} from order {order_id}: {sent_again} sent to you at no cost, or a full refund of "
    "{refund}? Either way, you don't need to send back the broken pieces: please dispose of them safely."
)
# damage or a wrong item told in the middle of an ordinary return ("two of them arrived chipped" at its summary): the
# return becomes the shop's fault, free of the label's cost (it was booked as an ordinary return, the label deducted)
NOW_DAMAGED = (
    "I'm sorry it arrived damaged. Then this is a damage report, not an ordinary return: it costs you nothing."
)
# an item asked back beside a damage report ("one plate arrived broken, and I'd also like to send back the throw"):
# not the shop's fault, so not in the report (actions/beside_damage.py); {item} its name
ORDINARY_BESIDE_DAMAGE = (
    "“{item}” didn't arrive damaged, so it isn't part of this report: it goes back as an ordinary return, on your "
    "usual return terms. Once we're done here, just tell me you'd like to return it."
)
# a change-of-mind reason given at "which items?" instead of the items (actions/return_reasons.py); the question
# comes again after it
REASON_COLOUR = "Got it, the colour isn't right."
REASON_SIZE = "Got it, the size isn't right."
REASON_OTHER = "Got it, thanks for telling me."
NOW_WRONG_ITEM = "I'm sorry we sent you the wrong item. Then this return is on us: it costs you nothing."
ASK_REMEDY_AGAIN = "Shall we send you a replacement at no cost, or refund you {refund}? Pick one below or tell me."
REPLACEMENT_BUTTON = "Send a replacement"
REFUND_BUTTON = "Refund me {refund}"
# the summary of a replacement the customer confirms: nothing is booked before the yes
SUMMARY_REPLACEMENT = (
    "Here's the replacement for order {order_id}:\n{items}\n"
    "We'll send you these again at no cost, and e-mail you a free return label for what you received: please send "
    "it by {ship_by}. There's no refund, since we send you the items again.\n"
    "Shall I book this replacement? You can also tell me to add or leave out items, or ask for a refund instead."
)
SUMMARY_REPLACEMENT_NOTHING_BACK = (
    "Here's the replacement for order {order_id}:\n{items}\n"
    "We'll send you these again at no cost. You don't need to send back the broken pieces: please dispose of them "
    "safely.\n"
    "Shall I book this replacement? You can also tell me to add or leave out items, or ask for a refund instead."
)
YES_REPLACEMENT_BUTTON = "Yes, send it"
# the item the customer named is of a kind none of the order's lines is ("the mug is cracked", 100171 being a candle)
ITEM_NOT_IN_ORDER = (
    "I can't see the item you mentioned in order {order_id}. If it came in another order, just send me that order "
    "number."
)

# a return of some items of an order not shipped yet ("a refund for the pillowcases in order 100262"): after "Order
# 100262 hasn't shipped yet, so there is nothing to return.", what can be done (the handbook's change-order-items
# entry); the cancellation is offered as a button (actions/orders.py cancellation_instead)
PART_BEFORE_SHIPPING = (
    "I can't take just {items} out of it: once an order is placed, its items can't be changed. You can cancel the "
    "whole order free of charge and order again what you'd like to keep, or keep the order and return what you don't "
    "want within {days} days of delivery."
)
QUOTED_ITEM = '"{item}"'
