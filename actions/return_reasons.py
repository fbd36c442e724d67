"""Why a customer sends something back, said at the return's "which items?" question instead of the items ("不喜欢
颜色", "i dont like the colour", "too small for our table"): before, "好的！ 好，我们继续处理您的订单。…" (read as small
talk) or "Sorry, I couldn't tell which items from order 100218 you mean." Now the reason is acknowledged and the
question comes again with its buttons (lane cust3, 2026-12-07). Goods that came damaged or wrong are the shop's
fault, read elsewhere (actions/photos.py ``received_item_entry``), not here."""

from __future__ import annotations

import re

from actions.order_state import RETURN
from actions.photos import received_item_entry
from actions.requests import declines_flow
from actions.texts.catalog import returns as return_texts
from nlu_addons.language import simplified

# a reason for sending goods back: not liked, does not fit or suit, too big or small ("i dont like the colour", "too
# small for our table", "不喜欢颜色", "尺寸太小了"); not "i dont want it anymore", "不要了", "changed my mind",
# which may drop the return itself (the rules read those)
CHANGE_OF_MIND = re.compile(
    r"\b(?:don'?t|dont|do\s+not|didn'?t|didnt|did\s+not)\s+(?:really\s+|much\s+)?(?:like|love)\b"
    r"|\b(?:not\s+(?:keen\s+on|a\s+fan\s+of|happy\s+with)|dislike|hate)\b"
    r"|\btoo\s+(?:small|big|large|short|long|narrow|wide|tight|loose|dark|light|bright|heavy)\b"
    r"|\b(?:doesn'?t|doesnt|don'?t|dont|does\s+not|do\s+not|won'?t|wont)\s+(?:really\s+)?(?:fit|match|suit|go\s+with)\b"
    r"|不(?:太|怎么)?喜欢|不(?:太)?合适|不(?:太)?适合|不(?:太)?搭|不配|买多了|买重了"
    r"|太(?:小|大|短|长|窄|宽|紧|松|深|浅|亮|暗|重)|(?:小|大)了(?:点|一点|些)?",
    re.IGNORECASE,
)
COLOUR = re.compile(r"\b(?:colou?rs?|shades?)\b|颜色|色", re.IGNORECASE)
SIZE = re.compile(
    r"\b(?:size|sizes|small|big|large|short|long|narrow|wide|tight|loose|fit)\b|尺寸|尺码|大小|[小大短长窄宽紧松]",
    re.IGNORECASE,
)


def change_of_mind_said(text: str) -> str | None:
    """The acknowledgement of a change-of-mind reason ``text`` gives ("Got it, the colour isn't right."); None when
    it gives none, or says the goods came damaged or wrong."""
    text = simplified(text)
    if CHANGE_OF_MIND.search(text) is None or received_item_entry(text) is not None or declines_flow(text, RETURN):
        return None
    if COLOUR.search(text):
        return return_texts.REASON_COLOUR
    if SIZE.search(text):
        return return_texts.REASON_SIZE
    return return_texts.REASON_OTHER
