"""Changing the delivery address (the address flow: actions/forms.py, actions/orders.py).

The current address is never shown: only the new one, for the customer to confirm.
Placeholders: {order_id}; {address} the new address in one line (actions/address.py format_address);
{example} an address written the way the order's country writes them; {postcode}; {country} a country's name;
{missing} the parts of an address not found (MISSING_PARTS, joined with MISSING_JOINERS).
"""

from __future__ import annotations

ASK_NEW_ADDRESS = (
    "What's the new delivery address for order {order_id}? Please send street and house number, postcode, town and "
    "country in one message, like this: {example}."
)
ASK_NEW_ADDRESS_AGAIN = "Please send the whole new address in one message, like this: {example}."
POSTCODE_NOT_IN_COUNTRY = (
    "{postcode} isn't a postcode in {country}. If the new address is in another country, please add the country at "
    "the end."
)
PARTS_MISSING = "I couldn't find the {missing} in that address."
# an address in {country} written in Chinese characters: its courier reads the address as the country writes it (the
# question for the whole address, with its example, follows)
IN_LATIN_LETTERS = "The courier in {country} needs the address written as it is there, in Latin letters."
MISSING_PARTS = {"postcode": "postcode", "street": "street and house number", "town": "town or city"}
# how the missing parts are listed: the postcode, the street … and the town
MISSING_JOINERS = {"between": ", the ", "last": " and the "}
# the new address, for the customer to confirm: nothing changes before the yes
CONFIRM = "Shall I change the delivery address of order {order_id} to {address}? (yes/no)"
YES_BUTTON = "Yes, change it"
NO_BUTTON = "No"
DONE = "Done: order {order_id} will now be delivered to {address}."
DECLINED = (
    "OK, I've left the delivery address of order {order_id} as it was. If you'd like to give me a different "
    "address, just say “change my delivery address”."
)
# an address typed anyway after the change was refused (actions/refused_change.py): said instead of the refusal's
# first sentence, which the customer has just read; what they can do follows (the refusal's alternative)
REFUSED_AGAIN = (
    "I'm sorry, I can't send order {order_id} to that address: where it goes can't be changed from here any more."
)
# after REFUSED_AGAIN for a shipped order: what they can still do, in other words than the refusal's (which gave the
# tracking link); {carrier} the order's carrier, or THE_CARRIER
SHIPPED_STILL_POSSIBLE = (
    "What you can still do: ask {carrier} to redirect the parcel with the tracking link from your shipping e-mail, "
    "or refuse it at the door and we'll refund you once it's back with us."
)
THE_CARRIER = "the carrier"
