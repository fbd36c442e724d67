"""An ordinary return asked for beside a damage report ("订单100207的盘子坏了一个，毯子也想退", "one of the plates
from 100207 arrived broken, and I'd also like to send back the throw"): the damaged goods are the shop's fault, the
other item is not. Before, the throw joined the damage report (a free replacement or a full refund of both, return
shipping free); now it stays out of it, and the customer is told it goes back as an ordinary return, on their
return terms, once the report is done (lane cust3, 2026-12-07)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from actions.items import read_items
from actions.photos import received_item_entry
from helpdesk.orders import OrderLine

# a message's clauses: "，" / "," / "." / ";" and English "and" / "but" between them
CLAUSES = re.compile(r"[，,。.;；!！?？]+\s*|\s+(?:and|but|plus)\s+", re.IGNORECASE)
# a clause that asks to send something back ("也想退", "还要退掉", "I'd also like to send back the throw")
RETURN_WISH = re.compile(
    r"\b(?:return(?:ing)?|send(?:ing)?\s+(?:\w+\s+){0,2}back|give\s+(?:\w+\s+)?back)\b|退(?!款)",
    re.IGNORECASE,
)


def returned_undamaged(text: str, lines: Sequence[OrderLine]) -> frozenset[str]:
    """The lines (SKUs) ``text`` asks to send back in a clause that reports no damage or wrong goods, while another
    clause reports named items damaged or wrong: those go back as an ordinary return, not in the report. Nothing
    when no clause names a damaged item ("the plates and the throw, both arrived damaged") or a line is named in
    both kinds of clause ("the plate is broken, can I return the plate")."""
    damaged: set[str] = set()
    ordinary: set[str] = set()
    for clause in CLAUSES.split(text):
        named = set(read_items(clause, lines).returned)
        if received_item_entry(clause) is not None:
            damaged |= named
        elif RETURN_WISH.search(clause):
            ordinary |= named
    return frozenset(ordinary - damaged) if damaged else frozenset()
