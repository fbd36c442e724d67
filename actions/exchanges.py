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
    r"\b(?:i|we)\s+(?:just\s+)?(?:got|received|have|bought)\b|\b(?:arrived|came|delivered)\b"
    # in Chinese (lane czh): "收到的桌布太小了", "买的杯子", "到货的…", "寄来的…"
    r"|收到|到货|到貨|拿到|[买買]的|[寄送][来來]的",
    re.IGNORECASE,
)
SWAP_FOR_OTHER_RE = re.compile(
    r"\b(?:swap|exchange|switch|change|trade)\b.{0,40}?\b(?:bigger|smaller|larger|different|another|other)\b"
    r"|\b(?:exchange|swap)\b.{0,20}?\b(?:size|colou?r)\b"
    # "能换大一号的吗", "想换个颜色", "換成別的尺寸"
    r"|[换換].{0,6}?(?:[大小]一?[号號码碼]|[大小]一?点|[大小]一?點|颜色|顏色|尺寸|尺码|尺碼|别的|別的|其他|另一)",
    re.IGNORECASE,
)


def exchange_of_received(text: str) -> bool:
    """The message asks to swap a thing of the shop's kinds that the customer received for another size or colour."""
    return bool(kinds_in(text)) and RECEIVED_RE.search(text) is not None and SWAP_FOR_OTHER_RE.search(text) is not None
