"""The language of a message, by script: one home for the rule (the NLU component and the helpdesk use it).

Any CJK ideograph makes a message Chinese, so a mixed "订单100234" or "where is my 订单" is Chinese; everything
else is English. Measured on public test sets (../shared/zh-encoders.md): 10,412 of 10,414 Chinese texts and
0 of 11,139 English texts go to the Chinese side.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def language_of(text: str) -> Language:
    """ "zh" when ``text`` has any CJK ideograph, else "en"."""
    return "zh" if CJK.search(text) else "en"


# a training block's metadata key naming the language its examples are written in (data/nlu/zh/*.yml: ``metadata:
# {language: zh}`` on the blocks of Chinese customers' messages that have no ideograph, "886", "2333", "ok")
LANGUAGE_KEY = "language"


def written_in(text: str, block_metadata: Mapping[str, Any] | None = None) -> Language:
    """The language a training example was written in: its block's ``language`` when the block names one, else its
    script (:func:`language_of`). A Chinese customer's "886" (拜拜) or "2333" (a laugh) has no ideograph but is no
    English: the English side must not learn it."""
    named = (block_metadata or {}).get(LANGUAGE_KEY)
    if named in LANGUAGES:
        return "zh" if named == "zh" else "en"
    return language_of(text)


# what says nothing about a language: e-mail addresses, links, anything with a digit in it (order numbers,
# postcodes, house numbers), punctuation, and words of one or two letters ("ok", the "AB" of "2511 AB")
NEUTRAL_PARTS = re.compile(r"\S+@\S+|https?://\S+|\S*\d\S*|\b[^\W\d_]{1,2}\b|[\W_]+")
LATIN_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")

# English words a customer writing English can hardly avoid: function words, question words and the everyday words
# of a chat with a shop. A Latin-script message with none of them ("Rue Sainte-Catherine 12", "33000 Bordeaux",
# "Keizersgracht 123, Amsterdam", a name, pinyin) is written in Latin letters but not in English: a Chinese
# customer's address or name keeps the conversation Chinese
_ENGLISH = """
    the and but not for with from about this that these those there here what where when why how who which whose
    you your yours mine our ours their they them she her his him its was were are been being have has had does did
    will would can could shall should may might must want need like know tell help get got give send sent take make
    please pls plz thanks thank thx hello hey bye goodbye sorry yes yeah yep nope okay fine sure great good bad
    just still yet now already again too also very much many more less some any all none only then than
    order orders cancel return returns refund refunds change track tracking delivery deliver delivered arrive
    arrived money payment pay paid item items package parcel address email account password person human agent
"""
ENGLISH_WORDS = frozenset(_ENGLISH.split())


def says_no_language(text: str) -> bool:
    """The message says nothing about the customer's language: only an e-mail address, an order number, a postcode
    and the like ("ann.lee@example.com"), or Latin-script words none of which is English (an address, a name): it
    keeps the conversation's language (the action server's replies, the helpdesk's conversation language)."""
    if CJK.search(text):
        return False
    rest = NEUTRAL_PARTS.sub(" ", text)
    return not any(word.lower() in ENGLISH_WORDS for word in LATIN_WORD.findall(rest))


def language_after(text: str, conversation: str | None) -> Language:
    """The language of a customer's message in a conversation so far in ``conversation``: its script, unless it
    says no language (then the conversation's, when it has one)."""
    if conversation in LANGUAGES and says_no_language(text):
        return "zh" if conversation == "zh" else "en"
    return language_of(text)
