"""The language of a message, by script: one home for the rule (the NLU component and the helpdesk use it).

Any CJK ideograph makes a message Chinese, so a mixed "订单100234" or "where is my 订单" is Chinese; everything
else is English. Measured on public test sets (../shared/zh-encoders.md): 10,412 of 10,414 Chinese texts and
0 of 11,139 English texts go to the Chinese side.
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def language_of(text: str) -> Language:
    """ "zh" when ``text`` has any CJK ideograph, else "en"."""
    return "zh" if CJK.search(text) else "en"


# what says nothing about a language: e-mail addresses, links, anything with a digit in it (order numbers,
# postcodes, house numbers), punctuation, and words of one or two letters ("ok", the "AB" of "2511 AB")
NEUTRAL_PARTS = re.compile(r"\S+@\S+|https?://\S+|\S*\d\S*|\b[^\W\d_]{1,2}\b|[\W_]+")


def says_no_language(text: str) -> bool:
    """The message is only an e-mail address, an order number, a postcode and the like ("ann.lee@example.com"): it
    keeps the conversation's language (the action server's replies, the helpdesk's conversation language)."""
    return not CJK.search(text) and not NEUTRAL_PARTS.sub("", text).strip()


def language_after(text: str, conversation: str | None) -> Language:
    """The language of a customer's message in a conversation so far in ``conversation``: its script, unless it
    says no language (then the conversation's, when it has one)."""
    if conversation in LANGUAGES and says_no_language(text):
        return "zh" if conversation == "zh" else "en"
    return language_of(text)
