"""An item the customer received, asked to be swapped for another size or colour ("the tablecloth i got is lovely but
too small for our table, can i swap it for the bigger one? order 100218"). The NLU reads a change to the order's items,
whose answer said items can't be changed once an order is placed and offered to cancel it "as long as it hasn't
shipped" (lane cen's walk, 2026-12-07: the order was delivered). The handbook's exchanges entry answers it (no direct
exchanges: return it and order the other size), and with an order number the return of that order starts, for the
item named. Only for a thing of the shop's kinds, said to be received (no dev row routed to an order change has such
words)."""

from __future__ import annotations

import re

from actions.product_kinds import kinds_in

EXCHANGES_ENTRY = "exchanges"

RECEIVED_RE = re.compile(
    r"\b(?:i|we)\s+(?:just\s+)?(?:got|received|have|bought)\b|\b(?:arrived|came|delivered)\b", re.IGNORECASE
)
SWAP_FOR_OTHER_RE = re.compile(
    r"\b(?:swap|exchange|switch|change|trade)\b.{0,40}?\b(?:bigger|smaller|larger|different|another|other)\b"
    r"|\b(?:exchange|swap)\b.{0,20}?\b(?:size|colou?r)\b",
    re.IGNORECASE,
)


def exchange_of_received(text: str) -> bool:
    """The message asks to swap a thing of the shop's kinds that the customer received for another size or colour."""
    return bool(kinds_in(text)) and RECEIVED_RE.search(text) is not None and SWAP_FOR_OTHER_RE.search(text) is not None
