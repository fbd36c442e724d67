"""Reading a new delivery address out of a chat message.

Customers write addresses the way they would on an envelope, in one line: "Keizersgracht 12, 1015 CJ
Amsterdam", "14 Elm Road, London SW1A 1AA, UK", "Via Roma 3, 20121 Milano, Italy". The reader finds
the postcode (by the country's format), the town next to it, the street before it and an optional
country at the end; the recipient's name stays the one on the order. What it can't find is
reported, so the bot can ask for exactly that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from actions.parsing import EMAIL_RE, ORDER_NUMBER_RE, POSTCODE_KEYWORD_RE, POSTCODE_RE
from actions.town_names_zh import latin_town
from helpdesk.orders import Address
from helpdesk.orders.policy import COUNTRY_NAMES, country_name
from helpdesk.orders.policy_texts_zh import COUNTRY_NAMES as CHINESE_COUNTRY_NAMES
from nlu_addons.language import CJK

_FIVE = r"\d{5}"
_FOUR = r"\d{4}"
COUNTRY_POSTCODES: dict[str, str] = {
    "NL": r"\d{4}\s?[A-Za-z]{2}",
    "GB": r"[A-Za-z]{1,2}\d[A-Za-z\d]?\s?\d[A-Za-z]{2}",
    "IE": r"[A-Za-z]\d[\dWw]\s?[A-Za-z\d]{4}",
    "PL": r"\d{2}-\d{3}",
    "PT": r"\d{4}-\d{3}",
    "RO": r"\d{6}",
    "LV": r"(?:LV-)?\d{4}",
    "MT": r"[A-Za-z]{3}\s?\d{4}",
    **{c: _FIVE for c in ("DE", "FR", "IT", "ES", "FI", "EE", "HR", "LT")},
    **{c: r"\d{3}\s?\d{2}" for c in ("SE", "CZ", "SK", "GR")},
    **{c: _FOUR for c in ("BE", "AT", "CH", "DK", "NO", "HU", "LU", "SI", "BG", "CY")},
}

COUNTRY_ALIASES: dict[str, str] = {
    "uk": "GB", "u.k.": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "holland": "NL", "nederland": "NL", "deutschland": "DE",
    "italia": "IT", "españa": "ES", "espana": "ES", "belgique": "BE", "belgië": "BE", "belgie": "BE",
    "österreich": "AT", "osterreich": "AT", "schweiz": "CH", "suisse": "CH", "svizzera": "CH",
    "sverige": "SE", "danmark": "DK", "norge": "NO", "suomi": "FI", "polska": "PL", "éire": "IE",
    "eire": "IE", "usa": "US", "united states of america": "US", "america": "US", "czech republic": "CZ",
}  # fmt: skip

EXAMPLES = {
    "GB": "14 Elm Road, Bristol BS8 1TH, United Kingdom",
    "IE": "12 Thomas Street, Dublin D08 VF8H, Ireland",
    "DE": "Kastanienallee 41, 10437 Berlin, Germany",
    "FR": "27 Rue Oberkampf, 75011 Paris, France",
    "IT": "Via Solferino 12, 20121 Milano, Italy",
}
DEFAULT_EXAMPLE = "Keizersgracht 12, 1015 CJ Amsterdam, Netherlands"
TOWN_FIRST = frozenset({"GB", "IE"})  # "Bristol BS8 1TH", not "BS8 1TH Bristol"

# the verbs after an infinitive's "to" ("i need to change where 100260 is going", "i want to update it"): no address
# follows that "to"
REQUEST_VERBS = (
    r"(?:change|update|fix|correct|edit|modify|amend|alter|switch|redirect|move|know|ask|check|see|find|get|have|make|"
    r"be|go|send|ship|deliver|cancel|return|track|give|tell|let|say|put)"
)
# "change the address of order 100247 to <address>", "new address: <address>", "send it to <address>"; in Chinese
# "地址改到 <address>", "寄到 <address>", "新地址是 <address>"
ADDRESS_START_RE = re.compile(
    # "new one is …", "the new adress: …" (the address misspelt, or named by "one", after the change asked for)
    r"\b(?:(?:ad+res+|new\s+one)\s*(?:is|should\s+be|will\s+be|:)|deliver(?:\s+it)?\s+to|send\s+(?:it|them|the\s+\w+)\s+to|"
    r"ship\s+(?:it|them)\s+to|to(?!\s+" + REQUEST_VERBS + r"\b))\s+|(?:改到|改成|改为|改為|寄到|送到|地址(?:是|为|為)"
    # "订单100262改地址到 Via Roma 1, …", "地址改成 …"
    r"|改(?:一下)?(?:收货|收貨)?地址(?:到|成|为|為)|地址改(?:到|成|为|為))[:：]?\s*",
    re.IGNORECASE,
)
LEADING_FILLER_RE = re.compile(
    r"^(?:(?:(?:ok|okay|sure|yes|yeah|yep|yup|oh|so|please|it's|it is|the|my|new|delivery|shipping|"
    r"address|is|should be|will be|sorry|oops|no|nope|wait|actually|i\s+mean|make\s+that|correction|"
    r"send\s+it\s+to|deliver\s+(?:it\s+)?to|ship\s+it\s+to|to)\b|"
    # in Chinese: "(新)(收货)地址(是/为/改为)", "改成", "寄到", "请", "是", a yes ("对", "好的", "嗯")
    # ("收件地址：", "收貨地址為" too)
    r"(?:新的?)?(?:收货|收貨|收件|配送|送货|送貨)?地址(?:是|为|為|改为|改為|改成)?|改(?:为|為|成|到)|寄到|送到|请|請|"
    r"是的|是|对的?|對的?|好的?|嗯|没错|沒錯|"
    r"[:,：，。-]|"
    # and the words leading into it: "那改成 …", "那就寄到 …", "还是改到 …", "麻烦帮我改成 …"
    r"那就|那么|那麼|那|还是|還是|麻烦|麻煩|帮我|幫我|就)\s*)+",
    re.IGNORECASE,
)
EMAIL_PHRASE_RE = re.compile(
    r"(?:,|\band\b|;|，|；)?\s*(?:(?:my|the)\s+)?(?:e-?mail(?:\s+address)?\s*(?:is|:)?\s*"
    r"|(?:我的)?(?:邮箱|郵箱|电子邮件|電子郵件)(?:地址)?\s*(?:是|为|為|:|：)?\s*)?"  # "…，邮箱marco.rossi@example.org"
    + EMAIL_RE.pattern,
    re.IGNORECASE | re.ASCII,  # as EMAIL_RE: "邮箱marco.rossi@…", no space after Chinese
)
ORDER_PHRASE_RE = re.compile(
    r"(?:,|\band\b)?\s*(?P<named>(?:(?:for|of|on)\s+)?(?:(?:my|the)\s+)?(?:order(?:\s+(?:number|no\.?))?\s*#?\s*)?)"
    + ORDER_NUMBER_RE.pattern,
    re.IGNORECASE,
)
# six digits right before the town's name are a postcode (Romania's have six: "Strada Victoriei 10, 010011 București")
TOWN_AFTER_RE = re.compile(r"\s+[^\W\d_]{2,}")


def _order_phrase_left_out(match: re.Match[str]) -> str:
    """An order number in an answer with the address (" for order 100234", ", 100234") is left out; six digits in a
    postcode's place, after the street and before the town, are kept."""
    after_street = bool(match.string[: match.start()].strip())
    if not match["named"].strip() and after_street and TOWN_AFTER_RE.match(match.string, match.end()):
        return match.group(0)
    return " "


TRAILING_FILLER_RE = re.compile(
    r"[\s,.;:!?，。；：！？-]*(?:(?:\b(?:please|thanks|thank\s+you|pls|instead)\b"
    # Chinese: "… 00184 Roma 吗", "…Roma吧", "… 谢谢" (they were kept as part of the town)
    r"|谢谢|謝謝|多谢|多謝|麻烦了|麻煩了|(?:可以|行|好)?[吗嗎]|吧|呢|啊|呀)[\s,.;:!?，。；：！？-]*)*$",
    re.IGNORECASE,
)


def country_code(text: str) -> str | None:
    """ISO code for a country name, alias or code written at the end of an address."""
    value = " ".join(text.strip().strip(".").split()).lower()
    if not value:
        return None
    if len(value) == 2 and value.isascii() and value.isalpha():
        code = value.upper()
        return "GB" if code == "UK" else code if code in COUNTRY_NAMES else None
    names = {name.lower().removeprefix("the "): code for code, name in COUNTRY_NAMES.items()}
    chinese = {name: code for code, name in CHINESE_COUNTRY_NAMES.items()}  # "德国"
    return names.get(value) or COUNTRY_ALIASES.get(value) or chinese.get(value)


def country_label(code: str) -> str:
    """The country's name in the customer's language."""
    return country_name(code)


@dataclass(frozen=True)
class AddressReading:
    """The address read from a message, or which parts were missing from it."""

    address: Address | None
    missing: list[str] = field(default_factory=list)  # "postcode", "street", "town" (actions/texts/address.py)
    postcode_mismatch: str | None = None  # a postcode that doesn't fit the country's format
    country: str | None = None  # the country the message names, when it names one (an incomplete address too)
    in_chinese: bool = False  # written in Chinese characters for a country that writes its addresses in Latin letters

    @property
    def complete(self) -> bool:
        return self.address is not None


def address_in_request(text: str) -> str | None:
    """The address part of a whole request, with e-mail, order number and postcode proof left out.

    None when the message names no address (just "I want to change my delivery address").
    """
    markers = list(ADDRESS_START_RE.finditer(text))
    if not markers:
        return None
    match = markers[-1]  # the last one: "I want to change the address of order 100247 to <address>"
    candidate = clean_answer(text[match.end() :])
    return candidate if candidate and re.search(r"\d", candidate) and re.search(r"[A-Za-z]", candidate) else None


# a street with its house number, either way round: "7 Mill Lane", "Kastanienallee 41", "Via Roma 3b"
STREET_RE = re.compile(r"^\s*\d{1,5}[A-Za-z]?\s+[^\W\d_]{2,}|[^\W\d_]{3,}\.?\s+\d{1,5}[A-Za-z]?\s*$", re.IGNORECASE)


def looks_like_address(text: str) -> bool:
    """The message is an address even without a postcode ("7 Mill Lane, Leeds"): a street with a house number in
    one of its comma-separated parts, once e-mail, order number and fillers are left out. A request with a number
    in it ("return 2 cushions", "cancel order 100234") is not one."""
    parts = [p for p in re.split(r"[,，;；\n]+", clean_answer(text)) if p.strip()]
    return any(STREET_RE.search(part) for part in parts)


# a Chinese address: a road, street or lane with a house number ("漕溪北路 88 号"), or a city and its district
# ("上海市徐汇区"); STREET_RE reads the Latin-script ones
CHINESE_ADDRESS_RE = re.compile(
    r"(?:路|街|大道|巷|弄|里)\s*\d+\s*号"  # a street and its number
    r"|[\u4e00-\u9fff]{1,6}[省市][\u4e00-\u9fff]{1,6}[区县]"  # a city and its district
)


def looks_like_address_in_any_script(text: str) -> bool:
    """looks_like_address, or a Chinese address ("上海市徐汇区漕溪北路 88 号 5 楼")."""
    return looks_like_address(text) or bool(CHINESE_ADDRESS_RE.search(text))


def clean_answer(text: str) -> str:
    """An answer to "what's the new address?" without what isn't part of the address."""
    text = EMAIL_PHRASE_RE.sub(" ", text)
    text = POSTCODE_KEYWORD_RE.sub(" ", text) if re.search(r"(?i)post\s?code|zip", text) else text
    text = ORDER_PHRASE_RE.sub(_order_phrase_left_out, text)
    text = LEADING_FILLER_RE.sub("", text.strip())
    text = TRAILING_FILLER_RE.sub("", text)
    return " ".join(text.split()).strip(" ,;")


def _format_postcode(code: str, country: str) -> str:
    code = " ".join(code.upper().split())
    if country == "NL" and re.fullmatch(r"\d{4}[A-Z]{2}", code):
        return f"{code[:4]} {code[4:]}"
    if country == "GB" and " " not in code and len(code) >= 5:
        return f"{code[:-3]} {code[-3:]}"
    return code


# where a Chinese-script address is: its place names (mainland China otherwise)
CHINESE_REGIONS = (("HK", re.compile("香港")), ("MO", re.compile("澳[门門]")), ("TW", re.compile("[台臺][湾灣北中南]")))
CHINESE_POSTCODE_RE = re.compile(r"(?<!\d)\d{6}(?!\d)")
LATIN_RE = re.compile(r"[A-Za-z]")


def chinese_script_address(text: str, name: str) -> AddressReading | None:
    """A delivery address written in Chinese ("上海市浦东新区世纪大道100号 200120"), read as one in China (or Hong Kong,
    Macao, Taiwan by their names): the shop's delivery countries are then what the customer is told, not that the
    address lacks a street and a town (which it has). None for any other text."""
    if not CHINESE_ADDRESS_RE.search(text):
        return None
    named = next((code for code, place in CHINESE_COUNTRY_NAMES.items() if code != "CN" and place in text), None)
    if named is not None and not LATIN_RE.search(text) and named not in dict(CHINESE_REGIONS):
        # "意大利米兰市但丁路12号，邮编20121": all of it in Chinese, for a country whose couriers read Latin letters
        # (it was "this address lacks the postcode, the street and the town", the postcode given)
        return AddressReading(None, country=named, in_chinese=True)
    if named is not None:
        return None  # "荷兰阿姆斯特丹…": another country named in Chinese, read as addresses are
    country = next((code for code, place in CHINESE_REGIONS if place.search(text)), "CN")
    postcode = CHINESE_POSTCODE_RE.search(text)
    street = " ".join(CHINESE_POSTCODE_RE.sub(" ", clean_answer(text)).split())
    return AddressReading(Address(name, street, "", postcode.group(0) if postcode else "", country))


# a Chinese customer writes the town first, as at home, before a Latin-script street: "巴黎 75001 12 rue de Rivoli",
# "法国巴黎，12 rue de Rivoli" (a country's Chinese name may lead the town)
TOWN_FIRST_RE = re.compile(
    r"^(?P<town>[\u4e00-\u9fff]{2,12})[\s,，、]*(?P<rest>[^\u4e00-\u9fff]*[A-Za-z][^\u4e00-\u9fff]*)$"
)


def town_first_address(text: str, name: str, default_country: str) -> AddressReading | None:
    """A Latin-script address after its town written in Chinese (:data:`TOWN_FIRST_RE`): the town is that name, the
    street what is left once the postcode (and a country at the end) are taken out; only the postcode or the street is
    reported missing. None for any other text."""
    found = TOWN_FIRST_RE.match(clean_answer(text))
    if found is None:
        return None
    town, named = found["town"], None
    for place_code, place in CHINESE_COUNTRY_NAMES.items():
        if town.startswith(place) and len(town) > len(place):
            named, town = place_code, town[len(place) :]
    known = latin_town(town)
    if known is None:
        return AddressReading(None, country=named or default_country, in_chinese=True)  # a town we can't write
    town_country, town = known
    parts = [p.strip() for p in re.split(r"[,，、;；\n]+", found["rest"]) if p.strip()]
    if parts and (at_end := country_code(parts[-1])) is not None:
        named = named or at_end
        parts.pop()
    named = named or town_country  # "米兰 Via Roma 5, 20121": the town says the country when nothing else does
    country = named
    pattern = re.compile(
        r"(?<![\w-])(?:" + COUNTRY_POSTCODES.get(country, POSTCODE_RE.pattern) + r")(?![\w-])", re.IGNORECASE
    )
    latin = ", ".join(parts)
    postcode = pattern.search(latin)
    street = latin if postcode is None else f"{latin[: postcode.start()]} {latin[postcode.end() :]}"
    street = " ".join(street.split()).strip(" ,")
    missing = ([] if postcode else ["postcode"]) + ([] if re.search(r"[A-Za-z]{2}", street) else ["street"])
    if postcode is None or missing:
        return AddressReading(None, missing, country=named)
    code = _format_postcode(postcode.group(0), country)
    return AddressReading(Address(name=name, street=street, city=town, postcode=code, country=country))


def read_address(text: str, name: str, default_country: str) -> AddressReading:
    """The delivery address in ``text`` for recipient ``name``; the country defaults to the order's. A town written
    in Chinese is written as its country writes it ("Via Roma 5, 20121 米兰" -> "20121 Milano"), or, for a town
    :mod:`actions.town_names_zh` doesn't know, the address is asked for in Latin letters: its courier can't read it."""
    return in_latin_letters(_read_address(text, name, default_country))


def in_latin_letters(reading: AddressReading) -> AddressReading:
    """``reading`` with its town written in Latin letters (see :func:`read_address`)."""
    address = reading.address
    if address is None or address.country in dict(CHINESE_REGIONS) or address.country == "CN":
        return reading
    if not CJK.search(address.city):
        return reading
    if LATIN_RE.search(address.city):  # "Milano 米兰": the name the courier reads is there
        return replace(reading, address=replace(address, city=" ".join(CJK.sub(" ", address.city).split())))
    known = latin_town(address.city)
    if known is None:
        return AddressReading(None, country=address.country, in_chinese=True)
    return replace(reading, address=replace(address, city=known[1]))


def _read_address(text: str, name: str, default_country: str) -> AddressReading:
    if (in_chinese := chinese_script_address(text, name)) is not None:
        return in_chinese
    if (town_first := town_first_address(text, name, default_country)) is not None:
        return town_first
    # "Via Dante 12，20121 Milano，意大利": a Chinese keyboard's commas part an address too
    parts = [p.strip() for p in re.split(r"[,，;；\n]+", clean_answer(text)) if p.strip()]
    country: str | None = None
    if parts:
        country = country_code(parts[-1])
        if country is not None:
            parts.pop()
        else:
            last_words = parts[-1].rsplit(" ", 1)
            if len(last_words) == 2 and (code := country_code(last_words[1])) and re.search(r"\d", last_words[0]):
                country, parts[-1] = code, last_words[0]
    named = country
    country = country or default_country
    pattern = re.compile(
        r"(?<![\w-])(?:" + COUNTRY_POSTCODES.get(country, POSTCODE_RE.pattern) + r")(?![\w-])", re.IGNORECASE
    )

    found = None
    for index in range(len(parts) - 1, -1, -1):
        matches = list(pattern.finditer(parts[index]))
        if matches:
            found = index, matches[-1]
            break
    mismatch = None
    if found is None:
        other = next((m for p in parts for m in POSTCODE_RE.finditer(p) if not m.group(0).isalpha()), None)
        mismatch = other.group(0).upper() if other and re.search(r"\d{4}|\d\s?[A-Za-z]{2}", other.group(0)) else None
        street = next((p for p in parts if re.search(r"\d", p) and re.search(r"[A-Za-z]{2}", p)), "")
        city = next((p for p in parts if p != street and not re.search(r"\d", p)), "")
        missing = ["postcode"] + ([] if street else ["street"]) + ([] if city else ["town"])
        return AddressReading(None, missing, postcode_mismatch=mismatch, country=named)

    index, match = found
    part = parts[index]
    before, after = part[: match.start()].strip(" ,"), part[match.end() :].strip(" ,")
    pre, post = parts[:index], parts[index + 1 :]
    city = after
    if not city and post and not re.search(r"\d", post[0]):
        city = post[0]
    if not city and before and pre:
        city, before = before, ""
    if not city and not before and pre and not re.search(r"\d", pre[-1]):
        city = pre.pop()
    street = ", ".join([*pre, before] if before else pre)
    missing = ([] if street else ["street"]) + ([] if city else ["town"])
    if missing:
        return AddressReading(None, missing, country=named)
    postcode = _format_postcode(match.group(0), country)
    return AddressReading(Address(name=name, street=street, city=city, postcode=postcode, country=country))


def format_address(address: dict[str, str] | Address) -> str:
    """One line, in the country's order: "Keizersgracht 12, 1015 CJ Amsterdam" / "7 Mill Lane, Leeds LS1 4AP"."""
    a = address if isinstance(address, Address) else Address(**address)
    town = f"{a.city} {a.postcode}" if a.country in TOWN_FIRST else f"{a.postcode} {a.city}"
    return f"{a.name}, {a.street}, {town}, {country_label(a.country)}"


def example_address(country: str) -> str:
    return EXAMPLES.get(country, DEFAULT_EXAMPLE)


# a part of the new address put right at its summary: "oh wait, its via roma 15 not 5", "it's 00185, not 00184",
# "no, not 5 but 15" (the old part and the new one, each a single word or number)
PART_CORRECTED_RE = re.compile(
    r"(?P<new>[\w-]+)\s*,?\s+not\s+(?P<old>[\w-]+)\s*[.!]*\s*$|\bnot\s+(?P<old2>[\w-]+)\s*,?\s+(?:but\s+)?(?P<new2>[\w-]+)"
    r"\s*[.!]*\s*$"
    # in Chinese (lane czh): "是15号 不是5号", "门牌号是15不是5", "不是5号，是15号", "邮编不是00184 是00185"; the parts
    # in Latin letters or digits, with 号 after a house number
    r"|(?<![A-Za-z0-9-])(?P<new3>[A-Za-z0-9-]+)\s*[号號]?\s*[，,]?\s*(?:而)?不是\s*(?P<old3>[A-Za-z0-9-]+)\s*[号號]?"
    r"\s*[。.!！]*\s*$"
    r"|不是\s*(?P<old4>[A-Za-z0-9-]+)\s*[号號]?\s*[，,]?\s*(?:而)?是\s*(?P<new4>[A-Za-z0-9-]+)\s*[号號]?\s*[。.!！]*\s*$",
    re.IGNORECASE,
)


# a part of the new address named with its right value, the wrong one left out: "门牌号写错了，是15号", "邮编错了，应该
# 是20122", "sorry the house number is wrong, it's 15", "the postcode should be 20122" (lane czh2's walk, 2026-12-07:
# the Chinese one got the same summary with number 5; the English one was read as the yes and CHANGED the address
# to number 5)
PART_NAMED_RE = re.compile(
    r"(?:(?P<house>门牌号?码?|門牌號?碼?|house\s*(?:number|no\.?)|street\s*number|building\s*number)"
    r"|(?P<postcode>邮编|郵編|邮政编码|郵政編碼|post\s*code|postal\s*code|zip(?:\s*code)?))"
    r"[^0-9]{0,24}?(?:是|为|為|改成|改为|改為|写|寫|should\s+be|is|it'?s|its|to)\s*(?P<new>[A-Za-z0-9-]*[0-9][A-Za-z0-9-]*)"
    r"\s*[号號]?\s*[。.!！]*\s*$",
    re.IGNORECASE,
)
HOUSE_NUMBER_RE = re.compile(r"(?<![\w-])\d+[A-Za-z]?(?![\w-])")


def part_named(text: str, address: dict[str, str]) -> tuple[str, str] | None:
    """(the right value, the wrong one) of the part :data:`PART_NAMED_RE` names: the postcode, or the street's one
    number; None when the message names none or the street has no single number."""
    match = PART_NAMED_RE.search(text)
    if match is None:
        return None
    if match["postcode"]:
        old = address.get("postcode") or ""
    else:
        numbers = HOUSE_NUMBER_RE.findall(address.get("street") or "")
        old = numbers[0] if len(numbers) == 1 else ""
    return (match["new"], old) if old else None


def address_part_corrected(text: str, address: dict[str, str]) -> str | None:
    """The address (as text to read again: street, postcode and town) with the one part the message puts right
    ("its via roma 15 not 5" of "via roma 5, 00184 roma"; "门牌号写错了，是15号": :func:`part_named`), when the old
    part is a word of it exactly once; else None. The summary before it kept the old address, and a yes would have
    booked it."""
    match = PART_CORRECTED_RE.search(text)
    if match is not None:
        new, old = next((match[f"new{n}"], match[f"old{n}"]) for n in ("", "2", "3", "4") if match[f"new{n}"])
    elif (named := part_named(text, address)) is not None:
        new, old = named
    else:
        return None
    if new.lower() == old.lower() or any(c.isdigit() for c in new) != any(c.isdigit() for c in old):
        return None  # "via roma not 5": a number put right by a number, a word by a word
    word = re.compile(rf"(?<![\w-]){re.escape(old)}(?![\w-])", re.IGNORECASE)
    parts = {key: address.get(key) or "" for key in ("street", "postcode", "city")}
    if sum(len(word.findall(value)) for value in parts.values()) != 1:
        return None
    fixed = {key: word.sub(new, value) for key, value in parts.items()}
    return f"{fixed['street']}, {fixed['postcode']} {fixed['city']}"
