"""An order asked to go by express after it was placed ("can i change my order 100262 to express shipping", "can i
upgrade to express delivery? order 100262"). The NLU read an address change (0.75, 0.64), and the bot asked for the
order's proof, then for a new delivery address nobody wanted. The handbook's express-delivery entry answers it:
express can't be added to a placed order; one not shipped yet can be cancelled free and ordered again with express."""

from __future__ import annotations

import re

from rasa_sdk.executor import CollectingDispatcher

from actions.handbook_answer import answer_entry_by_id
from actions.parsing import ORDER_NUMBER_RE

EXPRESS_ENTRY = "express-delivery"
FASTER = r"(?:express|next[\s-]?day|faster|quicker|priority|expedited)"
EXPRESS_UPGRADE_RE = re.compile(
    r"\b(?:change|upgrade|switch|move|put|make|swap|turn)\b[\w\s'#]{0,30}?\b(?:to|into|for|with|on)\s+(?:an?\s+|the\s+)?"
    + FASTER
    + r"\b|\b(?:upgrade|add)\s+(?:it\s+|my\s+order\s+|the\s+order\s+)?(?:to\s+)?(?:an?\s+)?"
    + FASTER
    + r"\s+(?:shipping|delivery)\b|\b"
    + FASTER
    + r"\s+(?:shipping|delivery)\s+instead\b"
    r"|(?:改|换|換|升级|升級)(?:成|为|為|到)?加急",
    re.IGNORECASE,
)


def asks_express_upgrade(text: str) -> bool:
    return EXPRESS_UPGRADE_RE.search(text) is not None


def express_upgrade_answered(dispatcher: CollectingDispatcher, text: str) -> bool:
    """The express-delivery answer for an order asked to go by express after it was placed (without asking for the
    order number the message gave); False (and nothing said) for any other message."""
    if not asks_express_upgrade(text):
        return False
    number = ORDER_NUMBER_RE.search(text)
    return answer_entry_by_id(dispatcher, EXPRESS_ENTRY, text, order_number=number.group(1) if number else None)
