"""Reading order numbers, e-mail addresses and postcodes out of customer messages (items: actions/items.py).

The NLU pipeline tags order numbers (``1xxxxx``) and e-mail addresses with regexes; these
functions add what a regex entity can't do safely: any 6-digit number the customer typed when the
bot asked for one, malformed numbers to explain, "my last order", and postcodes. A postcode is
only taken from a message when the bot has just asked for it, or when the customer names it
("postcode 2511 AB"): a bare number or code elsewhere (a new delivery address, say) is never
mistaken for proof of identity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from nlu_addons.language import simplified

# ASCII word characters only around them: Chinese writes "订单100234" and "邮箱ann@example.com" without spaces
EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])", re.ASCII
)
AT_TOKEN_RE = re.compile(r"\S*@\S*")
ORDER_NUMBER_RE = re.compile(r"(?<![\w@./-])#?(\d{6})(?![\w@/-]|[.,]\d)", re.ASCII)
DIGITS_RE = re.compile(r"\d")

# "order 12345", "order number: 10023", "order #1002345", "order no. A100234"
NAMED_NUMBER_RE = re.compile(
    r"\border(?:\s+(?:number|no\.?|nr\.?|id|ref(?:erence)?))?\s*(?:is\s+)?[:#]?\s*(?P<token>[A-Za-z]{0,3}[\d][\w-]*)",
    re.IGNORECASE,
)
# "订单10016在哪里", "订单号是 10016", "訂單：A10016": the same in Chinese (ASCII only after the number: Chinese goes on
# without a space)
ZH_NAMED_NUMBER_RE = re.compile(
    r"(?:订单|訂單)(?:号|號|编号|編號)?\s*(?:是|为|為)?\s*[:：#＃]?\s*(?P<token>[A-Za-z]{0,3}\d[A-Za-z0-9-]*)"
)
# what may stand around an order number given on its own ("订单100218", "订单号是 100218", "我的订单：100218", "order
# #100218", "it's 100218"): the words that name it as an order number, nothing asked or told
ORDER_NUMBER_ONLY_AROUND_RE = re.compile(
    r"^(?:[\s,，。.!！:：#＃、]|我的|是|这个|這個|就是|订单号|訂單號|订单|訂單|单号|單號|号码|號碼|编号|編號"
    r"|\b(?:my|it'?s|its|is|the|order|number|no|nr|id)\b)*$",
    re.IGNORECASE,
)


def only_order_number(text: str) -> str | None:
    """The order number of a message that gives nothing else ("订单100218", "order #100218"), else None."""
    numbers = ORDER_NUMBER_RE.findall(text)
    if len(numbers) != 1 or not ORDER_NUMBER_ONLY_AROUND_RE.match(ORDER_NUMBER_RE.sub(" ", text)):
        return None
    return str(numbers[0])


LAST_ORDER_RE = re.compile(
    r"\b(?:last|latest|most\s+recent|newest|recent|previous)\s+(?:order|purchase|parcel|package|delivery|return)\b",
    re.IGNORECASE,
)

# Postcode shapes of the countries the shop delivers to (loosely: the order system compares
# postcodes ignoring spaces, dashes and case, so these only decide what *looks like* one).
POSTCODE_SHAPES = (
    r"\d{4}\s?[A-Za-z]{2}",  # NL 2511 AB
    r"[A-Za-z]{1,2}\d[A-Za-z\d]?\s?\d[A-Za-z]{2}",  # GB BS8 1TH
    r"[A-Za-z]\d[\dWw]\s?[A-Za-z\d]{4}",  # IE D08 VF8H
    r"\d{2}-\d{3}",  # PL 31-042
    r"\d{4}-\d{3}",  # PT 1200-195
    r"\d{3}\s\d{2}",  # SE/CZ/SK/GR 118 20
    r"[A-Za-z]{2}-\d{4,5}",  # LV-1050, LT-01100
    r"\d{4,6}",  # most of Europe (4 or 5 digits; RO 6)
)
POSTCODE_RE = re.compile(r"(?<![\w-])(?:" + "|".join(POSTCODE_SHAPES) + r")(?![\w-])")
POSTCODE_ONLY_RE = re.compile(r"^(?:" + "|".join(POSTCODE_SHAPES) + r")$")
POSTCODE_KEYWORD_RE = re.compile(
    r"(?:\b(?:post\s?code|postal\s+code|zip(?:\s?code)?)|邮编|邮政编码)\s*(?:is\s+|was\s+|[:：=是为]\s*)?"
    r"(?P<code>" + "|".join(POSTCODE_SHAPES) + r")(?![\w-])",
    re.IGNORECASE,
)
# words around an answer to "what's your postcode?"
ANSWER_FILLER_RE = re.compile(
    r"\b(?:my|the|our|its|it's|it is|is|was|post\s?code|postal\s+code|zip(?:\s?code)?|code|e-?mail(?:\s+address)?|"
    r"address|ok|okay|sure|yes|hi|thanks|thank\s+you|please|sorry|here(?:\s+you\s+go)?|i\s+think|it'?s)\b|[:,.!?;\"']|"
    r"邮编|邮政编码|邮箱|地址|我的|是|为|好的|谢谢|请|[：，。！？；、]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Found:
    """What one customer message says that the order form can use."""

    order_number: str | None = None
    malformed_number: str | None = None  # something meant as an order number that isn't one
    last_order: bool = False
    email: str | None = None
    malformed_email: str | None = None
    postcode: str | None = None

    @property
    def evidence(self) -> dict[str, str] | None:
        if self.email:
            return {"email": self.email}
        if self.postcode:
            return {"postcode": self.postcode}
        return None


def _entity_values(entities: Iterable[dict[str, Any]], name: str) -> list[str]:
    return [str(e["value"]) for e in entities if e.get("entity") == name and e.get("value")]


def find_postcode(text: str, asked: bool) -> tuple[str | None, str]:
    """(postcode, text without it). Without ``asked``, only a postcode the customer names as one counts. Chinese words
    are read in simplified characters ("郵編" is "邮编": nlu_addons.language ``simplified`` keeps every position)."""
    named = POSTCODE_KEYWORD_RE.search(simplified(text))
    if named:
        return named["code"].upper(), text[: named.start()] + " " + text[named.end() :]
    if not asked:
        return None, text
    rest = EMAIL_RE.sub(" ", text)
    bare = " ".join(ANSWER_FILLER_RE.sub(" ", simplified(rest)).split())
    if bare and POSTCODE_ONLY_RE.match(bare) and not ORDER_NUMBER_RE.fullmatch(bare):
        return bare.upper(), ""
    # "we're at DN55 1PT": one postcode in a short answer (order numbers aside)
    candidates = list(POSTCODE_RE.finditer(ORDER_NUMBER_RE.sub(lambda m: " " * len(m.group(0)), rest)))
    if len(candidates) == 1 and len(rest.split()) <= 8:
        match = candidates[0]
        return " ".join(match.group(0).upper().split()), rest[: match.start()] + " " + rest[match.end() :]
    return None, text


def named_order_numbers(text: str) -> set[str]:
    """The numbers ``text`` names as an order's ("order 100234", "order no. 100234", "订单号100234")."""
    named = [*NAMED_NUMBER_RE.finditer(text), *ZH_NAMED_NUMBER_RE.finditer(text)]
    return {m["token"].lstrip("#") for m in named}


# an address the line says is not the one ("… not ann.li@…", "不是ann.li@…"), and words that correct what came before
# ("ann.li@… sorry i mean ann.lee@…", "写错了，应该是…", "…错了 是…")
NOT_THIS_EMAIL_RE = re.compile(
    r"(?:\bnot|\binstead\s+of|\brather\s+than|\bisn'?t|不是|而不是|并非|並非)\s*(?:(?:my|the|it'?s)\s+)?"
    r"(?:e-?mail\s*|order\s*(?:number\s*|no\.?\s*)?|订单号?|訂單號?)?[:：]?\s*$",
    re.IGNORECASE,
)
CORRECTION_RE = re.compile(
    r"\b(?:sorry|i\s+mean|i\s+meant|actually|correction|oops|typo|wrong|make\s+that|should\s+be|rather)\b"
    # "…错了", "搞错了", "弄錯": any 错 between two addresses says the first was wrong; "改成", "换成": use this one
    r"|我是说|我是說|应该是|應該是|更正|[错錯]|不对|不對|抱歉|不好意思|改成|改为|改為|换成|換成",
    re.IGNORECASE,
)


def meant_email(text: str, emails: Sequence[str]) -> str | None:
    """The e-mail address a line gives, lower-cased: of several, not one the line says is not it ("it's x@… not
    y@…", "不是y@…，是x@…"), and the last after words that correct the one before ("y@… sorry i mean x@…"); else the
    first, as ever."""
    return meant_one(text, [e.strip().lower() for e in emails])


def meant_one(text: str, found: Sequence[str]) -> str | None:
    """Of the values (e-mail addresses lower-cased, order numbers) ``text`` gives, the one meant: see
    :func:`meant_email` ("100262错了，应该是100259", "100262 sorry i mean 100259": the order number corrected in the
    same line was checked as the first one, lane czh 2026-12-07)."""
    if len(found) < 2:
        return found[0] if found else None
    lowered = text.lower()
    at = {e: lowered.find(e) for e in found}
    kept = [e for e in found if at[e] < 0 or not NOT_THIS_EMAIL_RE.search(lowered[: at[e]])]
    if kept and len(kept) < len(found):
        return kept[-1] if len(kept) > 1 and CORRECTION_RE.search(text) else kept[0]
    last = max(found, key=lambda e: at[e])
    between = lowered[min(at.values()) : at[last]]
    return last if CORRECTION_RE.search(between) else found[0]


def corrected_away(text: str, found: Sequence[str]) -> list[str]:
    """The values of ``found`` that ``text`` corrects away for the one meant (:func:`meant_one`): "100262" in
    "100262错了，应该是100259" and in "100259, not 100262"; none when the line corrects nothing."""
    meant = meant_one(text, found)
    lowered = text.lower()
    denied = any(NOT_THIS_EMAIL_RE.search(lowered[: lowered.find(e)]) for e in found if lowered.find(e) >= 0)
    if meant is None or len(found) < 2 or not (denied or meant != found[0]):
        return []
    return [e for e in found if e != meant]


def read_message(text: str, entities: Sequence[dict[str, Any]], asked: str | None) -> Found:
    """Order number, e-mail and postcode in ``text``; ``asked`` is the slot the bot asked for, if any."""
    emails = _entity_values(entities, "email") or EMAIL_RE.findall(text)
    rest = EMAIL_RE.sub(" ", text)
    malformed_email = None
    if not emails:
        at = AT_TOKEN_RE.search(rest)
        malformed_email = at.group(0).strip(".,;:!?") if at else None
    postcode, rest = find_postcode(rest, asked=asked == "verification")
    numbers = _entity_values(entities, "order_id")
    numbers = [n for n in numbers if n in rest] or ORDER_NUMBER_RE.findall(rest)
    malformed = None
    if not numbers:
        named = NAMED_NUMBER_RE.search(rest) or ZH_NAMED_NUMBER_RE.search(rest)
        if named and _looks_numbered(named["token"]):
            malformed = named["token"]
        elif asked == "order_id":
            malformed = next((t.strip(".,;:!?") for t in rest.split() if _looks_numbered(t)), None)
    return Found(
        # an answer to the bot's question may correct the number in the same line ("100262错了，应该是100259"); a
        # request naming two orders is about the first, as ever ("100262 arrived wrong, and 100259 is late")
        order_number=(meant_one(text, list(dict.fromkeys(numbers))) if asked else numbers[0]) if numbers else None,
        malformed_number=malformed,
        last_order=bool(LAST_ORDER_RE.search(text)) and not numbers,
        email=meant_email(text, emails),
        malformed_email=malformed_email,
        postcode=postcode,
    )


# words that make a message a request of its own rather than an answer ("cancel it, my email is ...")
REQUEST_WORDS = frozenset(
    {"cancel", "return", "refund", "change", "address", "track", "status", "where", "deliver", "money", "send"}
)


def plain_answer(text: str, found: Found) -> bool:
    """``text`` is the order number, e-mail or postcode and hardly anything else."""
    rest = leftover_words(text, found)
    return len(rest) <= 3 and not {w.lower() for w in rest} & REQUEST_WORDS


def leftover_words(text: str, found: Found) -> list[str]:
    """The words of ``text`` besides the order number, e-mail, postcode and filler ("it's", "my email is")."""
    rest = EMAIL_RE.sub(" ", text)
    if found.postcode:
        rest = re.sub(r"[\s-]*".join(map(re.escape, found.postcode.replace(" ", ""))), " ", rest, flags=re.IGNORECASE)
    rest = ORDER_NUMBER_RE.sub(" ", rest)
    return ANSWER_FILLER_RE.sub(" ", rest).split()


def _looks_numbered(token: str) -> bool:
    """Three or more digits: meant as a number (not "2 candles" or "12 March")."""
    return len(DIGITS_RE.findall(token)) >= 3
