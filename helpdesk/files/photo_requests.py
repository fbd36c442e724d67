"""The bot's request for a photo (issue 21): the returns flow (after a return is booked) and the handbook's answers
about a damaged or a wrong item offer the customer to add a photo for the team; optional, and "Skip" closes it.

The offer is a button on the bot's message whose payload is ``photo:<purpose>:<order number or nothing>`` ("Skip":
``photo:skip``). The widget never sends these payloads to the bot: "Add a photo" opens the file picker and the upload
names the offer's message (``X-Photo-For``); the helpdesk then files the photo under that purpose and order
(helpdesk/files/service.py), and the agent console shows it on the order's card (helpdesk/conversation/desk_orders.py).
Only a bot message of the same conversation that carries such a button counts: a customer cannot tag a photo with an
order the bot did not ask about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PREFIX = "photo:"
SKIP = "photo:skip"
RETURN = "return"
DAMAGED = "damaged"
WRONG_ITEM = "wrong_item"
PURPOSES = (RETURN, DAMAGED, WRONG_ITEM)
# how the console names each (English: the console's words go through static/console/i18n.js)
PURPOSE_WORDS = {RETURN: "for the return", DAMAGED: "of a damaged item", WRONG_ITEM: "of a wrong item"}
# the handbook entries whose answer asks for a photo (knowledge/faq/returns/)
ENTRY_PURPOSES = {"damaged-item": DAMAGED, "wrong-item": WRONG_ITEM}
PAYLOAD = re.compile(r"^photo:(return|damaged|wrong_item):(\d{0,12})$")


@dataclass(frozen=True)
class PhotoRequest:
    purpose: str
    order_number: str | None


def request_payload(purpose: str, order_number: str | None = None) -> str:
    if purpose not in PURPOSES:
        raise ValueError(f"not a photo purpose: {purpose!r}")
    number = order_number or ""
    if not re.fullmatch(r"\d{0,12}", number):
        raise ValueError(f"not an order number: {number!r}")
    return f"{PREFIX}{purpose}:{number}"


def parse_payload(payload: str) -> PhotoRequest | None:
    found = PAYLOAD.match(payload or "")
    if found is None:
        return None
    return PhotoRequest(found.group(1), found.group(2) or None)


def request_in(buttons: Iterable[Mapping[str, str]] | None) -> PhotoRequest | None:
    """The photo request among a stored bot message's buttons, if it has one."""
    for button in buttons or []:
        request = parse_payload(str(button.get("payload") or ""))
        if request is not None:
            return request
    return None
