"""The order rules' sentences: why a change is refused and what the customer can do instead, and a booked return's
instructions (``policy._Sentences``, ``OrderPolicy.return_instructions``).

English is the reference; helpdesk/orders/policy_texts_zh.py has the same names with the same placeholders
(tests/actions/test_text_catalogs.py checks), and ``policy.say`` picks the conversation's language
(helpdesk/i18n.py). Each template is one whole sentence (or an inserted phrase named as such); the code joins
sentences with ``i18n.join_sentences``. Placeholders: {order} the order number; {days} a number of days;
{date} as ``i18n.long_date`` writes it; {carrier}; {url}; {return_offer} the RETURN_OFFER phrase; {talk_to_team}
TALK_TO_TEAM; {items} / {names} names joined by ``i18n.join_names``; {sku}; {item} one line's name; {ordered}
its quantity; {missing} the missing address parts; {country} as COUNTRY_NAMES names it; {rma}; {email}; {fee}
and {amount} as ``i18n.money`` writes them; {quantity} and {name} of one line.
"""

from __future__ import annotations

TALK_TO_TEAM = "A member of our support team can look into it with you; just ask me to connect you."
GUARANTEE = "If an item is faulty or damaged, you're still covered by the legal guarantee. {talk_to_team}"
RETURN_OFFER = "return it within {days} days of delivery for a refund"  # a phrase inside other sentences
REFUSE_OR_RETURN = "You can refuse the parcel on delivery or {return_offer}."
THE_CARRIER = "the carrier"
# the carrier's tracking page as a Markdown link with a short label (the widget and the console show the label, as
# for the order status's "Track with DHL": the address itself ran over four lines on a phone); without one, the words
TRACKING_LINK = "[the tracking link]({url})"
NO_TRACKING_LINK = "the tracking link"

PACKED_NO_ADDRESS_CHANGE = (
    "Order {order} is already packed for dispatch, so its delivery address can no longer be changed."
)
PACKED_ADDRESS_INSTEAD = (
    "You can cancel it free of charge and place a new order with the right address, or redirect the parcel with the "
    "carrier once it has shipped, using the tracking link we'll e-mail you."
)
PACKED_NO_CANCEL = "Order {order} is already packed, so it can no longer be cancelled."

SHIPPED_NO_ADDRESS_CHANGE = "Order {order} has already shipped, so its delivery address can no longer be changed."
SHIPPED_REDIRECT = (
    "You may be able to redirect the parcel with {carrier} using {tracking_link}, or refuse it on delivery "
    "and we'll refund you once it's back with us."
)
SHIPPED_NO_CANCEL = "Order {order} has already shipped, so it can no longer be cancelled."

DELIVERED_NO_ADDRESS_CHANGE = (
    "Order {order} has already been delivered, so its delivery address can't be changed any more."
)
DELIVERED_WRONG_PLACE = (
    "If it went to the wrong place, a member of our support team can look into it with you; just ask me to connect you."
)
DELIVERED_NO_CANCEL = "Order {order} has already been delivered, so it can no longer be cancelled."
DELIVERED_RETURN_OFFER = "You can {return_offer}; just ask me to start a return."
DELIVERED_WINDOW_ENDED = (
    "Its {days}-day return window ended on {date}. If an item is faulty or damaged, you're still covered by the legal "
    "guarantee. {talk_to_team}"
)
DELIVERED_RETURN_UNTIL = "You can return it until {date} for a refund; just ask me to start a return."

CANCELLED_NO_CANCEL = "Order {order} is already cancelled."
CANCELLED_NO_ADDRESS_CHANGE = "Order {order} is cancelled, so there is no delivery to change."
CANCELLED_NO_RETURN = "Order {order} was cancelled before it shipped, so there is nothing to return."
CANCELLED_REFUND = (
    "If you had already paid, the refund is on its way; ask me for the refund status to see when to expect it."
)
CANCELLED_NEW_ORDER = "You can place a new order with the right address. {refund}"

REFUNDED_NO_CANCEL = "Order {order} has already been refunded, so there is nothing left to cancel."
REFUNDED = "Order {order} has already been returned and refunded."
REFUND_LOOKS_WRONG = "If something about that refund looks wrong, tell me. {talk_to_team}"

RETURN_IN_PROGRESS = "Order {order} has a return in progress, so it can't be cancelled."
RETURN_IN_PROGRESS_REFUND = (
    "Your refund follows within {days} business days after the parcel reaches our warehouse; ask me for the refund "
    "status at any time."
)
RETURN_ALREADY_BOOKED = "A return for order {order} has already been booked."
RETURN_ALREADY_BOOKED_NEXT = (
    "Send the parcel back with the RMA number and label from the return e-mail; your refund follows within {days} "
    "business days after it reaches our warehouse. Ask me for the refund status at any time."
)

# a further return of the same order asking for items the return booked before took (OrderPolicy.plan_return)
ITEMS_ALREADY_IN_RETURN = "{items} from order {order} is already in the return you booked."
OTHER_ITEMS_MAY_GO_BACK = "The order's other items can still go back in a return of their own."
RETURN_ALREADY_REFUNDING = (
    "Nothing needs to be sent back: your refund is under way and reaches your original payment method within {days} "
    "business days. Ask me for the refund status at any time."
)

ON_ITS_WAY = "Order {order} is still on its way, so it can't be returned yet."
ON_ITS_WAY_NEXT = (
    "Once it arrives you have {days} days to return it, or you can refuse the parcel on delivery and we'll refund "
    "you once it's back with us."
)
ARRIVED_IN_TRANSIT = "The carrier's tracking still shows order {order} on its way, so I can't book its return here yet."
ARRIVED_IN_TRANSIT_NEXT = (
    "As it has reached you damaged or wrong, a member of our support team can sort it out with you right away; just "
    "ask me to connect you."
)
NOT_DELIVERED = "Order {order} hasn't been delivered yet, so there is nothing to return yet."
NOT_DELIVERED_CANCEL = (
    "If it hasn't shipped, you can cancel it free of charge instead; just ask me to cancel the order."
)
NOT_SHIPPED = "Order {order} hasn't shipped yet, so there is nothing to return."
NO_TRACKING = "Order {order} has no tracking number yet: it has not shipped."  # why the console cannot send one
NOT_SHIPPED_CANCEL = "You can still cancel it free of charge instead, and nothing is sent."
NOT_SHIPPED_PACKED = (
    "It's packed and ships soon. Once it arrives you have {days} days to return it, or you can refuse the parcel on "
    "delivery and we'll refund you once it's back with us."
)

WINDOW_EXPIRED_ON = "Order {order} was delivered on {date}, more than {days} days ago, so it can no longer be returned."
WINDOW_EXPIRED = "Order {order} was delivered more than {days} days ago, so it can no longer be returned."

FINAL_SALE_ONE = "{items} in order {order} is a final-sale item, so it can't be returned."
FINAL_SALE_MANY = "{items} in order {order} are final-sale items, so they can't be returned."
FINAL_SALE_CHOSEN = "The items you chose from order {order} are final-sale items, so they can't be returned."
FINAL_SALE_OTHERS = "You can still return the other items in the order."
FINAL_SALE_FAULTY = (
    "If a final-sale item is faulty or damaged, we'll replace or refund it: a member of our support team can sort "
    "that out with you, just ask me to connect you."
)

ITEM_NOT_IN_ORDER = "Order {order} has no item {sku}."
ITEMS_NOT_SAID = "You didn't tell me which items of order {order}."
ITEM_WITH_SKU = "{name} ({sku})"
ORDER_CONTAINS = "The order contains {names}. Which of them would you like to return?"
WHICH_ITEMS = "Which items would you like to return?"
TOO_MANY_PIECES = "Order {order} has {ordered} × {item}, so I can't return more than that."
HOW_MANY = "How many of them would you like to return?"

ADDRESS_MISSING = "The new address is missing the {missing}, so I can't change order {order} to it yet."
FULL_ADDRESS = "Please give me the full address: name, street and house number, postcode, city and country."
COUNTRY_NOT_SERVED = "We don't deliver to {country}, so I can't send order {order} there."
WHERE_WE_DELIVER = (
    "We deliver to all EU countries, the United Kingdom, Switzerland and Norway: give me an address there, or ask me "
    "to connect you with our team."
)
RETURN_COUNTRY_NOT_SUPPORTED = (
    "Returns from {country} can't be booked in the chat, so I can't start one for order {order}."
)
SHOP_REFUSED_CANCEL = "Our shop system wouldn't let me cancel order {order}."
SHOP_REFUSED_CHANGE_ADDRESS = "Our shop system wouldn't let me change the delivery address of order {order}."
SHOP_REFUSED_RETURN = "Our shop system wouldn't let me book a return for order {order}."
REPLACEMENT_NOT_OFFERED = "I can't book a replacement for order {order} here in the chat."
REPLACEMENT_ALREADY_BOOKED = "A replacement for order {order} has already been booked."
REPLACEMENT_ALREADY_BOOKED_NEXT = "Its tracking link comes by e-mail once it ships. {talk_to_team}"
ITEMS_BEING_REPLACED = (
    "A replacement for these items from order {order} is already booked. If you'd rather have your money back than "
    "the replacement, our team can change that."
)

# a booked replacement (OrderPolicy.replacement_instructions), with LABEL_FREE and PACK_AND_SEND for what arrived
REPLACEMENT_BOOKED = "Your replacement for order {order} is booked: {rma}. We'll send you {items} again at no cost."
REPLACEMENT_SHIPS = "It leaves our warehouse with the next dispatch, and its tracking link comes by e-mail."
REPLACEMENT_SEND_BACK = "Please send back what you received: there's no refund, since we send you the items again."

# a booked return (OrderPolicy.return_instructions)
RETURN_BOOKED = "Your return for order {order} is booked: {rma} ({items})."
ITEMS_SEPARATOR = "; "
PIECES_OF = "{quantity} × {name}"
LABEL_PAID = (
    "You'll get a prepaid return label by e-mail at {email}; from {country} it costs {fee}, which we deduct from "
    "your refund."
)
LABEL_FREE = "You'll get a free prepaid return label by e-mail at {email}."
PACK_AND_SEND = (
    "Pack the items in their original packaging, write {rma} on the box, stick on the label and drop it off at a "
    "parcel point of the carrier on the label within {days} days."
)
REFUND_TIMING = (
    "Your refund of {amount} goes back to your original payment method within {days} business days after the "
    "parcel reaches our warehouse."
)
# damaged glass and ceramics (policies.dispose_when_damaged): nothing to send back, as the damaged-item answer says
DISPOSE_ALL = "You don't need to send back {names}: please dispose of the broken pieces safely."
DISPOSE_THESE = "{names} can stay out of the parcel: please dispose of the broken pieces safely."
REFUND_TIMING_NO_PARCEL = (
    "Your refund of {amount} goes back to your original payment method within {days} business days."
)
EXCLUDED_ONE = "{names} is a final-sale item and can't be returned, so keep it out of the parcel."
EXCLUDED_MANY = "{names} are final-sale items and can't be returned, so keep them out of the parcel."

COUNTRY_NAMES = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CH": "Switzerland", "CY": "Cyprus",
    "CZ": "Czechia", "DE": "Germany", "DK": "Denmark", "EE": "Estonia", "ES": "Spain", "FI": "Finland",
    "FR": "France", "GB": "the United Kingdom", "GR": "Greece", "HR": "Croatia", "HU": "Hungary",
    "IE": "Ireland", "IT": "Italy", "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "MT": "Malta",
    "NL": "the Netherlands", "NO": "Norway", "PL": "Poland", "PT": "Portugal", "RO": "Romania",
    "SE": "Sweden", "SI": "Slovenia", "SK": "Slovakia", "US": "the United States", "CN": "China",
    "HK": "Hong Kong", "MO": "Macao", "TW": "Taiwan",
}  # fmt: skip
