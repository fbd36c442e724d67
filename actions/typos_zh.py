"""Chinese typing slips in the order flows' words, read as the words meant.

A pinyin keyboard offers the homophones first: "定单100259可以改地只吗" is 订单 (order) and 地址 (address); the
order requests are read with them fixed, as the English flows' words are read through their speller
(actions/requests.py FLOW_SPELLER: "i whant to retrun"). Only slips that mean nothing else in a shop's chat.
"""

from __future__ import annotations

import re

# the slip → the word meant (the same sound on a pinyin keyboard)
SLIPS: dict[str, str] = {
    "定单": "订单",
    "地只": "地址",
    "地止": "地址",
    "地趾": "地址",
    "地扯": "地址",
    "取销": "取消",
    "退贷": "退货",
}
SLIPS_RE = re.compile("|".join(map(re.escape, SLIPS)))


def fix_slips_zh(text: str) -> str:
    """``text`` with the flows' Chinese typing slips (:data:`SLIPS`) read as the words meant (same length)."""
    return SLIPS_RE.sub(lambda match: SLIPS[match.group(0)], text)
