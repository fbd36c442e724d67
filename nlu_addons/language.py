"""The language of a message, by script: one home for the rule (the NLU component and the helpdesk use it).

Any CJK ideograph makes a message Chinese, so a mixed "订单100234" or "where is my 订单" is Chinese; everything
else is English. Measured on public test sets (../shared/zh-encoders.md): 10,412 of 10,414 Chinese texts and
0 of 11,139 English texts go to the Chinese side.

Chinese is understood in simplified characters (:func:`simplified`): a Taiwan or Hong Kong customer's traditional
"付款頁面一直轉圈圈" is read as "付款页面一直转圈圈", the script the bot's Chinese side is written in.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
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


# --- traditional Chinese read as simplified (issue 18) --------------------------------------------------------------
# Customers in Taiwan and Hong Kong write traditional characters ("付款頁面一直轉圈圈"); the bot's Chinese side (its
# training examples, the handbook's Chinese text, the actions' Chinese cues) is written in simplified ones. What is
# understood (encoded, scored, matched against cues) is the text in simplified characters; what is stored and shown
# stays as the customer wrote it. OpenCC's "t2s" (opencc-python-reimplemented, Apache-2.0, its dictionaries in the
# wheel) maps character for character: the simplified text has the same length as the original, so a position in one
# is the same position in the other. (Not "tw2s" or "hk2s": their variant tables turn simplified 么 into 幺 and 抬
# into 擡, which a simplified message must not suffer.)
SIMPLIFIED_CACHE = 4096  # distinct traditional texts whose simplified form is remembered, per process


@functools.cache
def _t2s() -> tuple[Callable[[str], str], frozenset[str]]:
    """The converter, and the characters at least one of which a text must have for the converter to change it."""
    from opencc import OpenCC

    converter = OpenCC("t2s")
    # the conversion's dictionaries: (longest key, shortest key, key → "value [alternatives]"), in groups
    tables = [table for group in converter._dict_chain_data for table in group]
    changing = {key: value.split(" ")[0] for _, _, mapping in tables for key, value in mapping.items()}
    changing = {key: value for key, value in changing.items() if key != value}
    single = {key for key in changing if len(key) == 1}
    # a key that changes is found only where all its characters are: the mark of a phrase is a character of it that
    # changes alone, else the first one it changes ("瞭" of 一目瞭然)
    marks = {
        next((c for c in key if c in single), next((a for a, b in zip(key, value, strict=False) if a != b), key[0]))
        for key, value in changing.items()
    }
    return converter.convert, frozenset(marks)


@functools.lru_cache(maxsize=SIMPLIFIED_CACHE)
def _converted(text: str) -> str:
    convert, _ = _t2s()
    return str(convert(text))


def simplified(text: str) -> str:
    """``text`` as the bot understands Chinese: traditional characters as simplified ("付款頁面一直轉圈圈" →
    "付款页面一直转圈圈"), same length, everything else as it is. A text without a CJK ideograph, or with no character
    the conversion changes, is returned as it is without converting (a set look-up per character)."""
    if not CJK.search(text):
        return text
    _, marks = _t2s()
    if marks.isdisjoint(text):
        return text
    return _converted(text)
