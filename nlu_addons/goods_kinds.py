"""The kinds of homeware the shop sells, as customers name them ("the mug is cracked", "杯子碎了"), and the English
message with its goods named generally (issue 17).

A kind is a family of words a customer may use for the same sort of thing (a tumbler may be called a glass or a
cup), broad on purpose (actions/product_kinds.py tells with them when a thing named is in none of an order's lines).
Words that are often something else ("throw it away", "light blue", "the box was crushed") are left out. English
words are matched whole (with plural forms), Chinese ones as a part of the text.

:func:`named_generally`: the handbook is written about goods in general ("can I return an item I don't like?"), and a
message naming one of the shop's things ("can i return candles if i dont like the scent") ranks the entry about that
thing (candle care) over the entry about what is asked (returns); the same message with its goods named generally
("can i return items if …") says which of the two it asks about (nlu_addons/onepass_nlu.py, ``Side.route``).
"""

from __future__ import annotations

import re

# kind -> (English words, Chinese words: regular expressions, matched anywhere)
KINDS: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "drinkware": (
        frozenset({"mug", "cup", "teacup", "tumbler", "glass", "carafe", "jug", "pitcher", "decanter"}),
        ("杯", "水瓶", "水壶", "玻璃瓶"),
    ),
    "tableware": (
        frozenset({"plate", "bowl", "dish", "platter", "saucer", "board", "stoneware", "dinnerware"}),
        ("盘", "碗", "碟", "餐板", "砧板"),
    ),
    "cookware": (frozenset({"casserole", "saucepan", "frying", "skillet", "wok"}), ("锅", "壶")),
    "candles": (frozenset({"candle", "candleholder", "holder", "wax"}), ("蜡烛", "烛台", "香薰")),
    "bedding": (
        frozenset({"sheet", "duvet", "pillowcase", "pillow", "blanket", "bedding", "quilt", "comforter"}),
        ("床单", "床笠", "被套", "(?<!抱)枕套", "(?<!抱)枕头", "(?<!地)毯", "被子"),  # not 抱枕套 (a cushion cover)
    ),
    "cushions": (frozenset({"cushion", "pillow"}), ("抱枕", "靠垫", "靠枕")),
    "bath": (frozenset({"towel", "mat", "bathmat", "soap"}), ("毛巾", "浴巾", "地垫", "皂")),
    "table_linen": (frozenset({"tablecloth", "napkin", "apron", "linen"}), ("桌布", "餐巾", "围裙")),
    "rugs": (frozenset({"rug", "carpet", "mat"}), ("地毯",)),
    "lights": (frozenset({"lamp", "lampshade", "pendant", "lantern", "bulb"}), ("灯",)),
    "vases": (frozenset({"vase"}), ("花瓶",)),
    "furniture": (frozenset({"shelf", "chair", "stool", "desk", "sofa", "mirror"}), ("搁板", "架", "椅", "镜")),
    "storage": (frozenset({"basket", "laundry", "hamper"}), ("篮", "洗衣袋", "收纳")),
    "coffee": (frozenset({"coffee", "dripper", "kettle"}), ("咖啡",)),
}
# English words of the kinds that name a material, a use or another business's thing as often as a thing of the shop
# ("linen" sheets, "laundry" instructions, a card "holder", "coffee" with a friend): never named generally
NOT_A_THING_ALONE = frozenset({"board", "frying", "holder", "wax", "mat", "soap", "linen", "desk", "laundry", "coffee"})
THINGS = frozenset().union(*(english for english, _ in KINDS.values())) - NOT_A_THING_ALONE
GENERAL_WORD, GENERAL_WORDS = "item", "items"
_WORD = re.compile(r"[a-z]+")


def word_forms(word: str) -> set[str]:
    """The word and its singular guesses: "pillowcases" -> pillowcase, "dishes" -> dish, "batteries" -> battery."""
    forms = {word}
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        forms.add(word[:-1])
        if word.endswith("es"):
            forms.add(word[:-2])
        if word.endswith("ies"):
            forms.add(word[:-3] + "y")
    return forms


def named_generally(text: str) -> str | None:
    """An English ``text`` (lower-cased) with each of the shop's things it names by its kind's word said "item" (or
    "items" for a plural): "can i return candles if i dont like the scent" -> "can i return items if i dont like the
    scent"; None when it names none."""
    named = False

    def general(match: re.Match[str]) -> str:
        nonlocal named
        word = match.group(0)
        if word in THINGS:
            named = True
            return GENERAL_WORD
        if word_forms(word) & THINGS:
            named = True
            return GENERAL_WORDS
        return word

    said = _WORD.sub(general, text.lower())
    return said if named else None
