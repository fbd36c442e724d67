"""Which items of an order a customer means, in their own words.

"I'd like to send the candle back but keep the pillowcases and soap dish", "return only the brass candle holders",
"everything except the soap dish", "one of the two towels", "and the soap dish too", "not the mirror", a SKU, or
a button's payload. ``read_items`` finds what the message names (to return, to keep, how many); ``choose`` turns
that into the selection (SKU -> pieces) against the order's lines and the selection so far, so "no, only X"
replaces it, "X too" adds to it and "not X" takes from it.

An item is recognised by the words of its name; the last word before the comma is its head ("holders" in
"Brass candle holders, pair") and weighs more, so "the candle" is the scented candle and "the candle holders"
the holders. A word two items share counts for the one that fits the message best.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from actions.order_state import order_system
from helpdesk.orders import BackendError, OrderLine, OrderNotFound
from helpdesk.orders.model import set_pieces_key
from nlu_addons.goods_kinds import word_forms
from nlu_addons.language import simplified

SKU_RE = re.compile(r"\b[A-Za-z]{2}-[A-Za-z]{3}-\d{4}\b")
EVERYTHING_RE = re.compile(
    r"\b(?:all|everything|every\s*thing|whole\s+(?:order|lot|thing)|entire\s+order|all\s+of\s+(?:it|them)|the\s+lot|"
    r"full\s+order|complete\s+order|the\s+rest|everything\s+else|the\s+others?|all\s+the\s+rest)\b",
    re.IGNORECASE,
)
# "both", "both of them", "the two of them", "两个都退", "两件都要退": every item of an order of two (with items named,
# "both the cushion and the bowls", those items)
BOTH_RE = re.compile(r"\b(?:both|the\s+two\s+of\s+them|the\s+two\s+items)\b|两(?:个|件|样|款)(?:都|全)", re.IGNORECASE)
# what follows one of these is kept, not returned ("but keep the pillowcases", "everything except the soap dish")
KEEP_RE = re.compile(
    r"\b(?:but\s+)?(?:keep(?:ing)?|except(?:\s+for)?|apart\s+from|other\s+than|without|excluding|but\s+not|minus|"
    r"leave\s+out|leaving\s+out|not\s+(?:the|my|a|an|any|those|these))\b",
    re.IGNORECASE,
)
# ... until the customer goes back to what they do return ("keep the throw and send the rest back")
RETURN_AGAIN_RE = re.compile(r"\b(?:and|but)\s+(?:send|return|refund|take)\b", re.IGNORECASE)
# a clause saying an item arrived fine ("the tablecloth is fine though", "the tablecloth arrived fine but …"): what it
# names is kept, not reported or returned, unless another clause names it too
FINE_RE = re.compile(
    r"\b(?:(?:is|are|was|were|looks?|looked|seems?|seemed|came|arrived|survived)\s+"
    r"(?:totally\s+|completely\s+|perfectly\s+|all\s+|just\s+|absolutely\s+)?"
    r"(?:fine|ok|okay|alright|all\s+right|perfect|intact|undamaged|unharmed|in\s+one\s+piece|good)"
    r"|survived|no\s+problem\s+with|nothing\s+wrong\s+with)\b",
    re.IGNORECASE,
)
EN_CLAUSES = re.compile(r"[.;!?]+\s*|,\s*|\s+(?:but|though|although|while|whereas)\s+", re.IGNORECASE)
ONLY_RE = re.compile(r"\b(?:only|just|instead|rather)\b", re.IGNORECASE)
ALSO_RE = re.compile(r"\b(?:also|too|as\s+well|plus|add|another)\b", re.IGNORECASE)
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "both": 0,
    "all": 0,
}  # fmt: skip  (0: every piece)
# words between a number and the item ("one of the two bath towels", "2 of my candles")
BETWEEN = frozenset({"of", "the", "my", "those", "these", "them", "pair", "pairs", "set", "sets", "piece", "pieces"})
STOPWORDS = frozenset(
    {"set", "sets", "of", "pair", "pairs", "with", "and", "the", "for", "a", "an", "large", "small", "last", "season"}
    | {"sample", "showroom", "cm", "mm", "l", "ml", "m", "kg", "x"}
)


# Chinese: a product is named by its Chinese catalogue name (OrderLine.name_zh), read as pairs of characters ("只退蜡烛"
# names 无花果雪松香薰蜡烛 by 蜡烛, its head: the last two characters before the first comma); a message is read clause
# by clause ("只退蜡烛，花瓶留着"), a clause with a keep word keeps what it names
CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
ZH_CLAUSES = re.compile(r"[，,、；;。！!？?\s]+")
# (著: "留著" as Taiwan writes it, which nlu_addons.language.simplified keeps: 著 is simplified too, "著名")
ZH_KEEP = re.compile(r"除了|保留|留下|留[着著]|不退|不用退|不要退|不想退|别退")
# a clause saying the item is fine ("桌布没问题", "桌布是好的"): kept as a keep word keeps it
ZH_FINE = re.compile(r"没问题|沒問題|没事|沒事|是好的|好好的|完好|没坏|沒壞|没有坏|沒有壞")
ZH_EVERYTHING = re.compile(r"全部|全都|都退|所有|整单|整个订单|全退|一起退")
# "一起退" (back together): every item when the message names none, the named ones with the rest chosen otherwise
ZH_TOGETHER = re.compile(r"一起退")
ZH_ONLY = re.compile(r"只|仅|光")
ZH_ALSO = re.compile(r"也|还有|另外|再加|加上")
ZH_PACKS = frozenset({"一对", "只装", "支装", "条装", "厘米"})  # pack sizes and units: not what names a product
# how many pieces, just before the item's name: "退两个马克杯", "其中1条浴巾", "一只的蜡烛" (a digit run that is part of
# a longer number, an order number's tail, is no count)
ZH_COUNT = re.compile(
    r"(?:(?<!\d)(\d{1,2})|([一二两俩三四五六七八九十]{1,3}))\s*(?:个|只|件|条|套|对|支|把|张|盏|盒|包|块|瓶)?\s*的?$"
)
# or just after it, with a measure word: "浴巾退两条", "蜡烛要1个"
ZH_COUNT_AFTER = re.compile(
    r"^[退要换还只就]{0,3}\s*(?:(?<!\d)(\d{1,2})(?!\d)|([一二两俩三四五六七八九十]{1,3}))\s*"
    r"(?:个|只|件|条|套|对|支|把|张|盏|盒|包|块|瓶)"
)
ZH_DIGIT = {"一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


class Mode(StrEnum):
    REPLACE = "replace"  # "only the candle holders": the selection is what the message names
    ADD = "add"  # "and the soap dish too"
    REMOVE = "remove"  # "not the mirror": what the message names leaves the selection


@dataclass(frozen=True)
class ItemsSaid:
    """What one message says about the items of an order."""

    returned: dict[str, int | None] = field(default_factory=dict)  # SKU -> pieces (None: all of that line)
    kept: frozenset[str] = frozenset()
    everything: bool = False
    mode: Mode = Mode.REPLACE

    @property
    def anything(self) -> bool:
        return bool(self.returned or self.kept or self.everything)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿ]+|\d+", text.lower())


def _name_words(line: OrderLine) -> tuple[set[str], str | None]:
    """The words that identify a line, and its head (the last of them before the first comma)."""
    words = [w for w in _words(line.name) if w not in STOPWORDS and not w.isdigit() and len(w) > 1]
    before_comma = [w for w in _words(line.name.split(",")[0]) if w not in STOPWORDS and not w.isdigit() and len(w) > 1]
    return set(words), (before_comma[-1] if before_comma else None)


def _mentioned(text: str, lines: Sequence[OrderLine]) -> dict[str, int | None]:
    """The lines ``text`` names, each with the pieces it asks for (None: every piece)."""
    tokens = _words(text)
    said: list[set[str]] = [word_forms(t) for t in tokens]
    scores: dict[str, int] = {}
    matches: dict[str, list[int]] = {}  # sku -> positions of the words naming it
    for line in lines:
        words, head = _name_words(line)
        for position, forms in enumerate(said):
            hit = next((w for w in words if word_forms(w) & forms), None)
            if hit is None:
                continue
            scores[line.sku] = scores.get(line.sku, 0) + (2 if hit == head else 1)
            matches.setdefault(line.sku, []).append(position)
    # a word two lines share counts for the one the message fits best (ties: for both)
    owners: dict[int, set[str]] = {}
    for sku, positions in matches.items():
        for position in positions:
            owners.setdefault(position, set()).add(sku)
    named: dict[str, int | None] = {}
    for line in lines:
        positions = [p for p in matches.get(line.sku, []) if scores[line.sku] >= max(scores[s] for s in owners[p])]
        if positions:
            named[line.sku] = _pieces(tokens, min(positions), line.quantity)
    skus = {sku.lower() for sku in SKU_RE.findall(text)}
    for item in lines:
        if item.sku.lower() in skus:
            named.setdefault(item.sku, None)
    return _subject_counted(text, lines, _sets_counted(text, lines, named))


# a count of sets or pairs wherever it stands ("the tumblers too, one set came chipped", "2 of the pairs"): the pieces
# of the one line sold as sets the message names with no count of its own
SETS_COUNT_RE = re.compile(
    r"\b(\d{1,2}|" + "|".join(w for w in NUMBER_WORDS if w not in ("both", "all")) + r")\s+"
    r"(?:of\s+(?:the|my|those|these)\s+)?(set|pair)s?\b",
    re.IGNORECASE,
)


# Chinese (read as simplified): "其中一套有缺口", "一对枕套破了"
ZH_SETS_COUNT_RE = re.compile(r"(?<!\d)(\d{1,2}|[一两二三四五六七八九])\s*(套|对|双)")


def _sets_counted(text: str, lines: Sequence[OrderLine], named: dict[str, int | None]) -> dict[str, int | None]:
    """``named`` with the count of sets the message gives ("one set came chipped", "其中一套有缺口" of 2 sets of
    tumblers: 1; it was asked "how many?" again, in Chinese both sets went into the return) for the only line sold
    as sets that is named with no count."""
    found = [
        (int(c) if c.isdigit() else NUMBER_WORDS[c.lower()], kind.lower()) for c, kind in SETS_COUNT_RE.findall(text)
    ]
    found += [
        (int(c) if c.isdigit() else ZH_DIGIT[c], "set" if kind == "套" else "pair")
        for c, kind in ZH_SETS_COUNT_RE.findall(text)
    ]
    counts = [count for count, _ in found]
    kinds = {kind for _, kind in found}  # a "pair" counts pairs ("Percale pillowcases, pair"), a "set" sets
    sets = [
        line
        for line in lines
        if named.get(line.sku, 0) is None
        and line.quantity >= 2
        and line.set_size
        and ("pair" if line.name.lower().rstrip().endswith("pair") else "set") in kinds
    ]
    if len(counts) != 1 or len(sets) != 1 or not 1 <= counts[0] < sets[0].quantity:
        return named
    return {**named, sets[0].sku: counts[0]}


# the pieces of an item contrasted in one sentence, "one is chipped and the other is the wrong colour", "one arrived
# broken, the other one scratched": "the other" is the item's other piece, not the order's other items ("return the
# others", "the other stuff"). The words from "one" up to "the other" are kept (group 1).
ONE_AND_THE_OTHER_RE = re.compile(
    r"(\bone\b[^.;!?]*?)\bthe\s+other\b(?!s\b|\s+(?:items?|things?|stuff|products?|bits?|ones)\b)(?:\s+one\b)?",
    re.IGNORECASE,
)
# a count said as what happened to the pieces, after the item is named: "the candles arrived and one is chipped", "the
# towels came, two of them were torn" (before, every piece of the line went into the report)
SUBJECT_COUNT_RE = re.compile(
    r"\b(\d{1,2}|" + "|".join(w for w in NUMBER_WORDS if w not in ("a", "an", "single", "both", "all")) + r")\s+"
    r"(?:of\s+(?:them|those|these)\s+)?(?:is|are|was|were|arrived|came|has|have|had|got|looks?|looked)\b([^.;!?,]*)",
    re.IGNORECASE,
)
# a word just before the count that makes it no count of pieces ("which one is cheaper", "this one is fine")
NOT_A_COUNT = frozenset({"which", "this", "that", "the", "each", "every", "no", "any", "some", "another", "other"})


def without_piece_contrast(text: str) -> str:
    """``text`` without the "the other" of :data:`ONE_AND_THE_OTHER_RE` (the item's other piece)."""
    return ONE_AND_THE_OTHER_RE.sub(lambda match: match.group(1), text)


def _subject_counted(text: str, lines: Sequence[OrderLine], named: dict[str, int | None]) -> dict[str, int | None]:
    """``named`` with the count of pieces a clause gives as its subject ("… and one is chipped" of 2 candles: 1) for
    the only line of several pieces named with no count; none when the sentence contrasts one piece with the other
    (both are meant) or says the counted pieces are fine."""
    if ONE_AND_THE_OTHER_RE.search(text):
        return named
    counts: list[int] = []
    for match in SUBJECT_COUNT_RE.finditer(text):
        before = _words(text[: match.start()])
        if (before and before[-1] in NOT_A_COUNT) or FINE_RE.search(match.group(0)):
            continue
        word = match.group(1).lower()
        counts.append(int(word) if word.isdigit() else NUMBER_WORDS[word])
    return _counted_line(counts, lines, named)


# Chinese: a clause whose subject is a count of pieces, naming no item ("蜡烛到了，其中一个有缺口", "有两个碎了"); with
# 另一个 in the message one piece is contrasted with the other ("一个有缺口，另一个颜色不对": both)
ZH_SUBJECT_COUNT = re.compile(
    r"^(?:其中|有|里面|里头)?\s*(?:(?<!\d)(\d{1,2})(?!\d)|([一两二三四五六七八九]))\s*(?:个|只|件|条|支|把|张|盏|块|瓶)(?!装)"
)
ZH_OTHER_PIECE = re.compile(r"另(?:外)?(?:一|1)\s*(?:个|只|件|条|支|把|张|盏|块|瓶)")


def _subject_counted_zh(text: str, lines: Sequence[OrderLine], named: dict[str, int | None]) -> dict[str, int | None]:
    """:func:`_subject_counted` for a Chinese (simplified) ``text``, clause by clause."""
    if ZH_OTHER_PIECE.search(text):
        return named
    counts: list[int] = []
    for clause in ZH_CLAUSES.split(text):
        match = ZH_SUBJECT_COUNT.match(clause)
        if match is None or ZH_FINE.search(clause) or _mentioned_zh(clause, lines):
            continue
        count = int(match.group(1)) if match.group(1) else _chinese_number(match.group(2))
        if count is not None:
            counts.append(count)
    return _counted_line(counts, lines, named)


def _counted_line(
    counts: Sequence[int], lines: Sequence[OrderLine], named: dict[str, int | None]
) -> dict[str, int | None]:
    """``named`` with the one count a message gives for the pieces of the only line of several pieces it names with
    no count of its own; unchanged for no count or several, or several such lines."""
    several = [line for line in lines if named.get(line.sku, 0) is None and line.quantity >= 2]
    if len(counts) != 1 or len(several) != 1 or not 1 <= counts[0] < several[0].quantity:
        return named
    return {**named, several[0].sku: counts[0]}


def _pairs(text: str) -> list[tuple[int, str]]:
    """Each two-character run of Chinese in ``text`` with its position."""
    return [
        (run.start() + i, run.group()[i : i + 2]) for run in CJK_RUN.finditer(text) for i in range(len(run.group()) - 1)
    ]


# a thing named the everyday way, by the last character of its name's head and 子 or 儿 ("毯子" for 粗针织毯, "盘子" for
# 炻瓷餐盘, "杯子" for 马克杯): no pair of characters of the catalogue name is in it
ZH_EVERYDAY_SUFFIX = "子儿兒"
# or by that character alone, where a word ends: before a particle, a conjunction or what happened to it ("订单里的碗",
# "碗碎了", "碗有一个裂了", "一套碗里有一个碎了" for 炻瓷碗; not "碗柜"); measure words (一套, 两条) never name
# a thing
ZH_WORD_END = "(?=$|[^\u3400-\u9fff]|[也都和跟还吧了呢吗嗎啊呀坏壞碎裂破有被在里裡])"
ZH_MEASURE_WORDS = frozenset("个只件条套对支把张盏盒包块瓶")


def _head(name_zh: str) -> str | None:
    """A Chinese catalogue name's head: the last characters of its first part before any size ("蜡烛" of 无花果雪松香薰
    蜡烛，一对; "圆镜" of 圆镜 60 厘米, whose head was 厘米, so "镜子" named nothing in the order)."""
    first = CJK_RUN.findall(re.split(r"[，,（(\d]", name_zh)[0])
    return first[-1] if first else None


def _named_everyday(text: str, lines: Sequence[OrderLine]) -> dict[str, int | None]:
    """The lines a Chinese ``text`` names the everyday way (:data:`ZH_EVERYDAY_SUFFIX`), each by a character no other
    line's head ends in (two lines ending in 杯: "杯子" names neither)."""
    by_character: dict[str, list[tuple[str, int | None]]] = {}
    for line in lines:
        head = _head(line.name_zh) if line.name_zh else None
        if not head:
            continue
        for suffix in ZH_EVERYDAY_SUFFIX:
            at = text.find(head[-1] + suffix)
            if at >= 0:
                pieces = _pieces_zh(text[:at], text[at + 2 :], line.quantity)
                by_character.setdefault(head[-1], []).append((line.sku, pieces))
                break
        else:
            alone = None if head[-1] in ZH_MEASURE_WORDS else re.search(re.escape(head[-1]) + ZH_WORD_END, text)
            if alone is not None:
                pieces = _pieces_zh(text[: alone.start()], text[alone.end() :], line.quantity)
                by_character.setdefault(head[-1], []).append((line.sku, pieces))
    return {named[0][0]: named[0][1] for named in by_character.values() if len(named) == 1}


def _mentioned_zh(text: str, lines: Sequence[OrderLine]) -> dict[str, int | None]:
    """The lines a Chinese ``text`` names by their Chinese names (every piece of each: "只退蜡烛"). A pair of
    characters two lines share ("炻瓷") counts for the one the message fits best (its head counts double). Named by
    none of their pairs, a line may be named the everyday way ("毯子": :func:`_named_everyday`)."""
    said = _pairs(text)
    scores: dict[str, int] = {}
    matches: dict[str, list[int]] = {}
    for line in lines:
        if not line.name_zh:
            continue
        pairs = {pair for _, pair in _pairs(line.name_zh)} - ZH_PACKS
        whole = _head(line.name_zh)
        head = whole[-2:] if whole and len(whole) >= 2 else None
        for position, pair in said:
            if pair in pairs:
                scores[line.sku] = scores.get(line.sku, 0) + (2 if pair == head else 1)
                matches.setdefault(line.sku, []).append(position)
    owners: dict[int, set[str]] = {}
    for sku, positions in matches.items():
        for position in positions:
            owners.setdefault(position, set()).add(sku)
    ordered = {line.sku: line.quantity for line in lines}
    if not matches:
        return _named_everyday(text, lines)
    named = {
        sku: _pieces_zh(text[: min(positions)], text[max(positions) + 2 :], ordered[sku])
        for sku, positions in matches.items()
        if any(scores[sku] >= max(scores[other] for other in owners[p]) for p in positions)
    }
    # "碗和抱枕套都退": one line by its name, another the everyday way
    return {**_named_everyday(text, [line for line in lines if line.sku not in matches]), **named}


def _chinese_number(text: str) -> int | None:
    """一 … 九十九 as a number ("两" 2, "十二" 12, "二十" 20), None for anything else."""
    if len(text) == 1:
        return 10 if text == "十" else ZH_DIGIT.get(text)
    tens, ten, ones = text.partition("十")
    if not ten or len(tens) > 1 or len(ones) > 1:
        return None
    high = ZH_DIGIT.get(tens, 0) if tens else 1
    low = ZH_DIGIT.get(ones, 0) if ones else 0
    return high * 10 + low if (not tens or tens in ZH_DIGIT) and (not ones or ones in ZH_DIGIT) else None


def _pieces_zh(before: str, after: str, ordered: int) -> int | None:
    """The count just before a Chinese item name ("退两个…" -> 2) or just after it with a measure word ("…退两条"),
    None for every piece (no count, or as many as were ordered or more)."""
    found = ZH_COUNT.search(before) or ZH_COUNT_AFTER.match(after)
    if found is None:
        return None
    pieces = int(found.group(1)) if found.group(1) else _chinese_number(found.group(2))
    return None if not pieces or pieces >= ordered else pieces


def _read_zh(text: str, lines: Sequence[OrderLine]) -> ItemsSaid:
    """``read_items`` for a Chinese message, clause by clause."""
    returned: dict[str, int | None] = {}
    kept: set[str] = set()
    for clause in ZH_CLAUSES.split(text):
        named = {**_mentioned_zh(clause, lines), **_mentioned(clause, lines)}  # Chinese names, or English ones/SKUs
        if ZH_KEEP.search(clause) or ZH_FINE.search(clause):
            kept |= set(named)
        else:
            returned.update(named)
    returned = _sets_counted(text, lines, returned)  # "杯子也有问题，其中一套有缺口" of 2 sets: one
    returned = _subject_counted_zh(text, lines, returned)  # "蜡烛到了，其中一个有缺口" of 2 candles: one
    also = bool(ZH_ALSO.search(text)) and not ZH_ONLY.search(text)
    # "两个都退" says 都退 (all back) of two things: every item only of an order of two, naming none
    # "浴巾也能一起退吗" names the towel, to go back together with what is already chosen: not everything
    together = ZH_TOGETHER.sub("", text) if returned else text
    everything = both_of_two(text, returned, lines) if BOTH_RE.search(text) else bool(ZH_EVERYTHING.search(together))
    return _items_said(returned, kept, everything, also)


def _items_said(
    returned: dict[str, int | None], kept: set[str] | frozenset[str], everything: bool, also: bool
) -> ItemsSaid:
    """What a message said, with how it changes the selection: added to it ("also …", unless "only"), items taken
    out of it (only kept ones named), or a new selection."""
    if also and returned:
        mode = Mode.ADD
    elif kept and not returned and not everything:
        mode = Mode.REMOVE
    else:
        mode = Mode.REPLACE
    return ItemsSaid({k: v for k, v in returned.items() if k not in kept}, frozenset(kept), everything, mode)


def _pieces(tokens: list[str], first: int, ordered: int) -> int | None:
    """The number just before the item's first word ("one of the two towels" -> 1; "2 candles" -> 2), None for
    every piece (no number, "both", or as many as were ordered)."""
    numbers: list[int] = []
    crossed_of = False
    for token in reversed(tokens[max(0, first - 6) : first]):
        if token.isdigit() and len(token) <= 2:
            numbers.append(int(token))
        elif token in NUMBER_WORDS:
            numbers.append(NUMBER_WORDS[token])
        elif token == "of":
            crossed_of = True
        elif token not in BETWEEN:
            break
    if not numbers:
        return None
    pieces = numbers[-1] if crossed_of else numbers[0]  # "one of the two": the first said; else the nearest
    return None if pieces == 0 or pieces >= ordered else pieces


# a button's pieces of one line: "LH-TXT-0420*1" (1 of the 2 towels), from the question how many (pieces_buttons)
PIECES_PAYLOAD_RE = re.compile(r"^([A-Za-z]{2}-[A-Za-z]{3}-\d{4})\*(\d{1,2})$")


def _said_fine(text: str, lines: Sequence[OrderLine]) -> frozenset[str]:
    """The lines an English ``text`` says arrived fine (:data:`FINE_RE`) and names in no other clause."""
    fine: set[str] = set()
    other: set[str] = set()
    for clause in EN_CLAUSES.split(text):
        (fine if FINE_RE.search(clause) else other).update(_mentioned(clause, lines))
    return frozenset(fine - other)


def read_items(text: str, lines: Sequence[OrderLine], entities: Sequence[str] = ()) -> ItemsSaid:
    """What ``text`` (and a button's ``entities``: SKUs, "SKU*pieces" or "all") says to return and to keep."""
    buttons = [e for e in entities if e]
    if buttons:
        if "all" in buttons:
            return ItemsSaid(everything=True)
        ordered = {line.sku: line.quantity for line in lines}
        pieces: dict[str, int | None] = {
            m[1]: int(m[2])
            for b in buttons
            if (m := PIECES_PAYLOAD_RE.match(b)) is not None and 1 <= int(m[2]) < ordered.get(m[1], 0)
        }
        whole = " ".join(b for b in buttons if PIECES_PAYLOAD_RE.match(b) is None)
        return ItemsSaid(returned={**_mentioned(whole, lines), **pieces})
    if CJK_RUN.search(text):
        return _read_zh(simplified(text), lines)  # "桌布留著，杯子退掉", "退2隻": traditional read as simplified
    returned_part, kept_part = text, ""
    keep = KEEP_RE.search(text)
    if keep is not None:
        returned_part, kept_part = text[: keep.start()], text[keep.end() :]
        again = RETURN_AGAIN_RE.search(kept_part)
        if again is not None:
            returned_part, kept_part = returned_part + " " + kept_part[again.start() :], kept_part[: again.start()]
    fine = _said_fine(text, lines)
    returned = {sku: pieces for sku, pieces in _mentioned(returned_part, lines).items() if sku not in fine}
    kept = frozenset(_mentioned(kept_part, lines)) | fine
    also = bool(ALSO_RE.search(text)) and not ONLY_RE.search(text)
    # "everything else is fine", "the rest is ok": no return of everything
    asked = " , ".join(clause for clause in EN_CLAUSES.split(returned_part) if not FINE_RE.search(clause))
    # "one is chipped and the other is the wrong colour": the item's two pieces, not the order's other items
    asked = without_piece_contrast(asked)
    everything = bool(EVERYTHING_RE.search(asked)) or both_of_two(returned_part, returned, lines)
    return _items_said(returned, kept, everything, also)


# some pieces asked for in Chinese: a count with its measure word ("两个", "3只") after 只/就/仅/其中 or 退 ("只退两个",
# "其中两个", "退3只就行"); "我有一个问题" counts nothing
ZH_SOME_PIECES = re.compile(
    r"(?:只|就|仅|其中|退)\s*(?:退|要退)?\s*(?:(?<!\d)(\d{1,2})(?!\d)|([一二两俩三四五六七八九]))\s*(?:个|只|件|条|支)"
)
# the count of broken pieces said after the damage ("杯子碎了两个", "盘子裂了1只", "坏了一个"): before, the whole set
# went into the report (English "two of them" gave the 2 pieces; lane cust's note of 2026-12-07)
ZH_DAMAGED_PIECES = re.compile(
    r"(?:碎|坏|破|裂|断|磕)(?:掉|开|损)?了\s*(?:(?<!\d)(\d{1,2})(?!\d)|([一二两俩三四五六七八九]))\s*(?:个|只|件|条|支)"
)


def part_of_a_set(text: str, lines: Sequence[OrderLine], selected: Collection[str] = ()) -> OrderLine | None:
    """The set ``text`` asks to send back only some pieces of ("just 2 of them, i want to keep the rest" at a return
    of one set of 6 tumblers, "只退两个杯子"): named, or else the only line ``selected`` for the return (SKUs) or the
    order's only line. A set goes back whole, which the customer is told (before, the same summary came again and
    the yes booked the whole set, unsaid)."""
    found = pieces_of_a_set(text, lines, selected)
    return found[0] if found is not None else None


def pieces_of_a_set(
    text: str, lines: Sequence[OrderLine], selected: Collection[str] = ()
) -> tuple[OrderLine, int] | None:
    """The set ``text`` names only some pieces of (:func:`part_of_a_set`), and how many: "one plate out of the set
    of 4 is cracked" -> (the plates, 1)."""
    text = simplified(text)  # "只退2隻" as "只退2只"
    sets = {line.sku: size for line in lines if line.quantity == 1 and (size := line.set_size)}
    if not sets or not re.search(r"[^\W\d_]", text):  # "1" alone is no request for pieces
        return None
    if CJK_RUN.search(text):
        named: Mapping[str, int | None] = {**_mentioned_zh(text, lines), **_mentioned(text, lines)}
        said = ZH_SOME_PIECES.findall(text) + ZH_DAMAGED_PIECES.findall(text)
        counts = [int(d) if d else ZH_DIGIT[c] for d, c in said]
    else:
        named = _mentioned(text, lines)
        tokens = _words(text)
        counts = [int(t) for t in tokens if t.isdigit() and len(t) <= 2]
        counts += [NUMBER_WORDS[t] for t in tokens if t in NUMBER_WORDS and t not in ("a", "an")]
        counts += [1] if one_piece_named(tokens, [line for line in lines if line.sku in sets]) else []
    candidates = [line for line in lines if line.sku in sets and line.sku in named]
    if not named:
        only = set(selected) if len(selected) == 1 else {lines[0].sku} if len(lines) == 1 else set()
        candidates = [line for line in lines if line.sku in only and line.sku in sets]
    return next(((line, n) for line in candidates for n in counts if 1 <= n < sets[line.sku]), None)


# the words after a piece's name that make it the set's ("a plate set"), not one piece of it
SET_WORDS = frozenset({"set", "sets", "pair", "pairs", "pack", "packs"})


def _singular(head: str) -> str:
    """One of what a set's name counts ("plates" -> "plate", "glasses" -> "glass")."""
    if re.search(r"(?:ss|sh|ch|x)es$", head):
        return head[:-2]
    return head[:-1] if head.endswith("s") and not head.endswith("ss") else head


def one_piece_named(tokens: Sequence[str], sets: Sequence[OrderLine]) -> bool:
    """ "a plate arrived broken", "an oval dish is chipped": "a"/"an" (an adjective between allowed) before the one
    piece a set's name counts, not "a plate set" (the walk of 2026-12-07, lane cen5: the whole set of 4 was offered
    for "a plate", the single piece only for "one plate")."""
    singular = {_singular(head) for line in sets if (head := _name_words(line)[1]) is not None}
    for position, token in enumerate(tokens):
        if token not in ("a", "an"):
            continue
        for gap in (1, 2):
            after = tokens[position + gap + 1] if position + gap + 1 < len(tokens) else ""
            if position + gap < len(tokens) and tokens[position + gap] in singular and after not in SET_WORDS:
                return True
    return False


def single_pieces(text: str, lines: Sequence[OrderLine], selection: dict[str, int]) -> dict[str, int]:
    """``selection`` with the set ``text`` names only some pieces of (:func:`pieces_of_a_set`) as those single
    pieces: damaged or wrong goods, "one plate out of the set of 4 is cracked" -> the one plate, at its share of the
    set's price (the whole set was offered for a replacement or a full refund: the walk of 2026-12-07, lane cen5)."""
    found = pieces_of_a_set(text, lines, selection)
    if found is None or found[0].sku not in selection:
        return selection
    line, pieces = found
    return {**{sku: n for sku, n in selection.items() if sku != line.sku}, set_pieces_key(line.sku): pieces}


def both_of_two(text: str, named: Mapping[str, int | None], lines: Sequence[OrderLine]) -> bool:
    """ "actually both items", "两个都退" for an order of two lines, naming neither: both of them."""
    return not named and len(lines) == 2 and BOTH_RE.search(text) is not None


def choose(
    said: ItemsSaid, lines: Sequence[OrderLine], current: Mapping[str, int] | None, final_sale: bool = False
) -> dict[str, int] | None:
    """The selection (SKU -> pieces) after this message; None when it names nothing to return.

    Final-sale lines only join when named (the policy then explains why they can't go back), or with ``final_sale``
    (damaged or wrong goods, which go back whatever they are).
    """
    ordered = {line.sku: line.quantity for line in lines}
    returnable = everything_returnable(lines, final_sale)
    named = {sku: pieces or ordered[sku] for sku, pieces in said.returned.items()}
    if said.everything:
        selection = {**returnable, **named}
    elif said.mode is Mode.ADD:
        selection = {**(current or {}), **named}
    elif said.mode is Mode.REMOVE:
        selection = dict(current or returnable)
    else:
        selection = named
    for sku in said.kept:
        selection.pop(sku, None)
    return selection or None


def everything_returnable(lines: Sequence[OrderLine], final_sale: bool = False) -> dict[str, int]:
    """Every line that may go back (final-sale ones too, with ``final_sale``: damaged or wrong goods)."""
    return {line.sku: line.quantity for line in lines if final_sale or not line.final_sale}


async def names_items_of(order_id: str, text: str) -> bool:
    """The message names items of order `order_id` ("send the carafe back", "把蜡烛退了"): it is about that order."""
    try:
        lines = (await order_system().get_order(order_id)).lines
    except (BackendError, OrderNotFound):
        return False
    said = read_items(text, lines)
    return bool(said.returned or said.kept)


# a Chinese count of pieces anywhere in the message ("两条桌布都退", "退1个"), or 都 / 全 (every piece: "桌布都退")
ZH_ANY_COUNT = re.compile(
    r"(?:(?<!\d)\d{1,2}(?!\d)|[一二两俩三四五六七八九十]{1,3})\s*(?:个|只|件|条|套|对|支|把|张|盏|盒|包|块|瓶)|都|全"
)


# the answer to "您想退回其中几件？": a count ("一件", "1条", "两个") or 都 / 全部 (every piece: "都退", "全部")
ZH_PIECES = re.compile(
    r"(?:(?<!\d)(\d{1,2})(?!\d)|([一二两俩三四五六七八九十]{1,3}))\s*(?:个|只|件|条|套|对|支|把|张|盏|盒|包|块|瓶)?"
)
ZH_ALL_PIECES = re.compile(r"都|全")


def pieces_unclear(text: str, said: ItemsSaid, lines: Sequence[OrderLine]) -> OrderLine | None:
    """A line of several pieces that ``text`` names in the singular with no count ("just the towel" of an order with
    2 bath towels): which one or how many is unclear, so it is asked (lane fixes: both went into the summary); "both",
    "all", a plural or a count say it. A Chinese noun says no number: "只退桌布" of 2 tablecloths is asked about too,
    unless the message gives a count or says 都 / 全 ("两条桌布都退")."""
    text = simplified(text)  # "兩條桌布都退" as "两条桌布都退"
    if said.everything or BOTH_RE.search(text) or EVERYTHING_RE.search(text):
        return None
    if CJK_RUN.search(text):
        # a damage report too ("床笠也破了个洞" of 2 fitted sheets: how many, as in English; the other items named
        # stay, actions/forms.py _named_beside)
        if ZH_EVERYTHING.search(text) or ZH_ANY_COUNT.search(text):
            return None
        several = [
            line
            for line in lines
            if line.quantity >= 2 and line.sku in said.returned and said.returned[line.sku] is None
        ]
        return several[0] if len(several) == 1 else None
    tokens = _words(text)
    for line in lines:
        if line.quantity < 2 or line.sku not in said.returned or said.returned[line.sku] is not None:
            continue
        words, _ = _name_words(line)
        naming = [t for t in tokens if any(word_forms(w) & word_forms(t) for w in words)]
        if naming and all(t in words for t in naming):  # each word naming it as the catalogue writes it: singular
            return line
    return None


def pieces_answer(text: str, line: OrderLine) -> int | None:
    """The pieces of ``line`` a typed answer to "how many?" gives: "1", "just one", "2 please" (a count up to the
    pieces ordered), "both" or "all of them" (every piece); None when it gives none."""
    text = simplified(text)  # "兩個", "1隻" as "两个", "1只"
    if BOTH_RE.search(text) or EVERYTHING_RE.search(text) or ZH_EVERYTHING.search(text) or ZH_ALL_PIECES.search(text):
        return line.quantity
    if CJK_RUN.search(text):
        # "一件", "就1条", "两个吧", "一": a Chinese count, with or without its measure word
        zh = [m for m in ZH_PIECES.finditer(text)]
        counts_zh = [int(m.group(1)) if m.group(1) else _chinese_number(m.group(2)) for m in zh]
        found = [n for n in counts_zh if n is not None]
        return found[0] if len(found) == 1 and 1 <= found[0] <= line.quantity else None
    counts = [int(t) for t in _words(text) if t.isdigit() and len(t) <= 2]
    counts += [NUMBER_WORDS[t] for t in _words(text) if t in NUMBER_WORDS and t not in ("a", "an")]
    return counts[0] if len(counts) == 1 and 1 <= counts[0] <= line.quantity else None
