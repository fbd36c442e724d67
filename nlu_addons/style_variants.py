"""Training examples in the styles customers write and the team's examples lack (issues 17 and 18): deterministic
variants of each example, added where the intent head is fitted (nlu_addons.onepass_nlu ``Side.train``; the setting
``style_variants`` in nlu_addons/onepass_settings.py: per language side, how many variants per example, 0 = off).

English: keyboard-neighbour typos, dropped and doubled letters, swapped neighbours; lower case without punctuation;
terse (articles, pronouns, auxiliaries dropped, as a hurried or non-native writer does); openers and fillers ("hi, quick
question", "pls", "thx"); request frames ("help me to …", "I want assistance to …", "I have got to …", "how could I …",
"I need to know …"). Chinese: openers and particles added or dropped (请问, 亲, 你好，我想问下, 呀, 呢, 啊), punctuation
dropped, colloquial fillers (那个, 就是, 查一下). No traditional-script variants: the Chinese side reads traditional
characters as simplified (nlu_addons.language ``simplified``), so a traditional variant is the example itself.

Openers, fillers and frames go only to requests and questions (an order, a refund, a handbook question, out of
scope...): "hi, quick question: yes" is no customer's "yes". A variant is drawn with a random generator seeded by the
example's text, label and the variant's number: the same examples give the same variants on every machine and in
every order, and one example added changes no other example's variants.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# the labels whose examples are short replies or small talk, kept free of openers, fillers and frames
SHORT_REPLIES = frozenset(
    {"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "inform", "chitchat", "vague_opener"}
)


@dataclass(frozen=True)
class Augmented:
    """The examples and their variants: the originals first, in their order (``origin[i] == i``), then the variants,
    each with the index of the example it was made from."""

    texts: list[str]
    labels: list[str]
    origin: list[int]


# --- English ------------------------------------------------------------------------------------------------------
KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_PLACE = {c: (r, i) for r, row in enumerate(KEYBOARD) for i, c in enumerate(row)}


def keyboard_neighbours(letter: str) -> str:
    """The letters next to ``letter`` on a QWERTY keyboard (the same row, and the rows above and below)."""
    if letter not in _PLACE:
        return ""
    row, at = _PLACE[letter]
    out = [KEYBOARD[row][j] for j in (at - 1, at + 1) if 0 <= j < len(KEYBOARD[row])]
    # the rows are staggered: the row above sits half a key to the left, the row below half a key to the right
    for other, places in ((row - 1, (at, at + 1)), (row + 1, (at - 1, at))):
        if 0 <= other < len(KEYBOARD):
            out += [KEYBOARD[other][j] for j in places if 0 <= j < len(KEYBOARD[other])]
    return "".join(out)


def typo(word: str, rng: random.Random) -> str:
    """One slip in ``word`` (a lower-case word of four letters or more): a letter replaced by a keyboard neighbour,
    dropped or doubled, or two neighbours swapped; the first letter stays."""
    at = rng.randrange(1, len(word))
    kind = rng.choice(("neighbour", "drop", "double", "swap"))
    if kind == "neighbour" and keyboard_neighbours(word[at]):
        return word[:at] + rng.choice(keyboard_neighbours(word[at])) + word[at + 1 :]
    if kind == "drop":
        return word[:at] + word[at + 1 :]
    if kind == "swap" and at + 1 < len(word) and word[at] != word[at + 1]:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word[:at] + word[at] + word[at:]


TYPO_WORD = re.compile(r"[a-z]{4,}")


def with_typos(text: str, rng: random.Random) -> str:
    """One slip (two in a message of six words or more) in words of four letters or more."""
    spans = [m.span() for m in TYPO_WORD.finditer(text)]
    if not spans:
        return text
    count = 2 if len(text.split()) >= 6 and len(spans) >= 2 else 1
    for start, end in sorted(rng.sample(spans, count), reverse=True):
        text = text[:start] + typo(text[start:end], rng) + text[end:]
    return text


PUNCTUATION = re.compile(r"[?!.,;:\"()]+|'(?=[a-z])")


def casual(text: str) -> str:
    """Lower case without punctuation: "What's your refund policy?" → "whats your refund policy"."""
    return " ".join(PUNCTUATION.sub(lambda m: "" if m.group(0) == "'" else " ", text.lower()).split())


# what a terse writer leaves out: articles, subject and possessive pronouns, auxiliaries, politeness
_DROPPABLE = """
    a an the i my me it is are am was do does did have has can could would will you your please to
"""
DROPPABLE = frozenset(_DROPPABLE.split())


def terse(text: str, rng: random.Random) -> str:
    """Function words dropped (each with probability 0.7), keeping at least two words: "can you tell me where my
    order is" → "tell where order"."""
    words = text.split()
    kept = [w for w in words if w.lower().strip(",.?!") not in DROPPABLE or rng.random() >= 0.7]
    return " ".join(kept) if len(kept) >= 2 and len(kept) < len(words) else text


OPENERS = (
    "hi, quick question:",
    "hello there, so",
    "hey",
    "hi there,",
    "good morning,",
    "hello,",
    "excuse me,",
    "hi team,",
    "ok so",
    "um hi,",
)
CLOSERS = ("pls", "thx", "thanks", "please", "thank you", "plz help", "asap", "cheers")


def with_opener(text: str, rng: random.Random) -> str:
    """An opener before, a filler after, or both."""
    kind = rng.choice(("opener", "closer", "both"))
    if kind in ("opener", "both"):
        text = f"{rng.choice(OPENERS)} {text[:1].lower()}{text[1:]}"
    if kind in ("closer", "both"):
        text = f"{text.rstrip(' ?.!')} {rng.choice(CLOSERS)}"
    return text


# a request's lead words and what follows them: "I'd like to cancel my order" → "cancel my order"
REQUEST_LEAD = re.compile(
    r"^(?:(?:hi|hello|hey)[,!]?\s+)?(?:please\s+|pls\s+)?"
    r"(?:i(?:'d| would) like to|i want to|i wanna|i need to|i have to|i must|can you(?: please)?|could you(?: please)?"
    r"|can i|could i|how (?:do|can) i|help me(?: to)?|let me|i'm trying to|i am trying to|is it possible to)"
    r"\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_IMPERATIVES = """
    cancel change track return refund update check get stop send delete reset remove close edit modify switch
    swap exchange replace find show give tell fix sort book pay unsubscribe recover redirect reroute
"""
IMPERATIVES = frozenset(_IMPERATIVES.split())
# what follows an imperative's verb ("cancel my order", "track the parcel"): "return policy" is no request
_OBJECT_WORDS = """
    my the a an this that these it its all our me your both one order
"""
OBJECT_WORDS = frozenset(_OBJECT_WORDS.split())
_QUESTION_WORDS = """
    what where when why how who which is are can could do does did will would should was were has have
"""
QUESTION_WORDS = frozenset(_QUESTION_WORDS.split())
REQUEST_FRAMES = (
    "help me to {}",
    "i want assistance to {}",
    "i have got to {}",
    "how could i {}",
    "i need to {}",
    "is it possible to {}",
    "i would need to {}",
    "i want to {}",
)
QUESTION_FRAMES = ("i need to know {}", "can you tell me {}", "i want to know {}", "quick question, {}", "i wonder {}")
STATEMENT_FRAMES = ("so basically {}", "{}, can you help", "{}, what can i do", "i need help, {}")


def framed(text: str, rng: random.Random) -> str:
    """The example in another request frame: a request's action after "help me to", "how could I" ...; a question
    after "I need to know" ...; a statement before "can you help" ..."""
    match = REQUEST_LEAD.match(text.strip())
    rest = match.group("rest") if match else None
    first = text.split()[0].lower().strip(",.?!") if text.split() else ""
    words = [w.lower() for w in text.split()]
    if rest is None and first in IMPERATIVES and len(words) >= 3 and words[1] in OBJECT_WORDS:
        rest = text
    if rest is not None:
        rest = rest.strip().rstrip("?.!")
        return rng.choice(REQUEST_FRAMES).format(rest[:1].lower() + rest[1:])
    body = text.strip().rstrip(".!")
    body = body[:1].lower() + body[1:]
    if first in QUESTION_WORDS or body.endswith("?"):
        return rng.choice(QUESTION_FRAMES).format(body)
    return rng.choice(STATEMENT_FRAMES).format(body.rstrip("?"))


def english_variant(text: str, label: str, rng: random.Random) -> str:
    styles: list[Callable[[str, random.Random], str]] = [with_typos, lambda t, _: casual(t)]
    if len(text.split()) >= 4:
        styles.append(terse)
    if label not in SHORT_REPLIES:
        styles += [with_opener, framed, framed]
    out = rng.choice(styles)(text, rng)
    if rng.random() < 0.5:
        out = casual(out)
    if rng.random() < 0.3:
        out = with_typos(out, rng)
    return out


# --- Chinese ------------------------------------------------------------------------------------------------------
ZH_OPENER = re.compile(
    r"^(?:请问|亲[，,]?|你好[，,！!]?|您好[，,！!]?|在吗[？?]?|麻烦问?一?下[，,]?|客服[，,]?|hello[，,]?)+"
)
ZH_PARTICLES = re.compile(r"[呀呢啊吧哈嘛啦]+(?=[？?。！!~…]*$)")
ZH_PUNCTUATION = re.compile(r"[，,。.？?！!~…、；;：:]+")
ZH_OPENERS = (
    "请问",
    "亲，",
    "你好，我想问下",
    "您好，",
    "在吗？",
    "麻烦问一下，",
    "客服你好，",
    "那个，",
    "嗯，",
    "就是",
)
ZH_CLOSERS = ("，谢谢", "，谢啦", "，麻烦了", "，急", "，在线等", "")
ZH_ENDINGS = ("呀", "呢", "啊", "哈", "")
# a message ending in a question or modal particle takes no other after it ("可以吗" is no "可以吗呢")
ZH_ENDS_SPOKEN = re.compile(r"[吗呢吧啊呀哈嘛啦了么]$")
# 查/看/问 + something other than 一下: the colloquial 查一下
ZH_VERB = re.compile(r"([查看问])(?![一下])")


def zh_without_particles(text: str) -> str:
    """The openers and particles dropped, and the punctuation: "请问我的订单到哪了呢？" → "我的订单到哪了"."""
    bare = ZH_PUNCTUATION.sub(" ", ZH_PARTICLES.sub("", ZH_OPENER.sub("", text.strip())))
    return " ".join(bare.split()) or text


def zh_with_particles(text: str, rng: random.Random) -> str:
    """An opener before and a particle or closer after: "我的订单到哪了" → "亲，我的订单到哪了呀"."""
    core = text.strip().rstrip("？?。！!~…")
    particle = "" if ZH_ENDS_SPOKEN.search(core) else rng.choice(ZH_ENDINGS)
    closer = rng.choice(ZH_CLOSERS)
    ending = particle + (closer or rng.choice(("", "？", "~", "。")))
    return f"{rng.choice(ZH_OPENERS)}{core}{ending}"


def zh_colloquial(text: str, rng: random.Random) -> str:
    """查/看/问 as 查一下, a filler in front: "帮我查订单" → "那个，帮我查一下订单"."""
    out = ZH_VERB.sub(r"\1一下", text, count=1)
    return out if out != text and rng.random() < 0.5 else f"{rng.choice(('那个，', '就是', '嗯', '额，'))}{out}"


def zh_short_reply(text: str, rng: random.Random) -> str:
    """A short reply with a particle or a tilde after it: "好的" → "好的呀" (one ending in a particle: "行啊~")."""
    core = text.strip().rstrip("？?。！!~…")
    return core + ("~" if ZH_ENDS_SPOKEN.search(core) else rng.choice(("呀", "啊", "哈", "~")))


def chinese_variant(text: str, label: str, rng: random.Random) -> str:
    styles: list[Callable[[str, random.Random], str]] = [lambda t, _: zh_without_particles(t)]
    if label not in SHORT_REPLIES:
        styles += [zh_with_particles, zh_with_particles, zh_colloquial]
    else:
        styles.append(zh_short_reply)
    out = rng.choice(styles)(text, rng)
    if rng.random() < 0.3:
        out = ZH_PUNCTUATION.sub("", out) or out
    return out


# --- both -----------------------------------------------------------------------------------------------------------
def variants(text: str, label: str, language: str, count: int) -> list[str]:
    """Up to ``count`` distinct variants of one example (none equal to it), in ``language``'s styles. English
    variants only for an example without ideographs, Chinese only for one with."""
    from nlu_addons.language import language_of

    if count <= 0 or language_of(text) != language:
        return []
    make = chinese_variant if language == "zh" else english_variant
    seen = {text.strip().lower()}
    out: list[str] = []
    for number in range(count * 3):  # a draw can give the example back: a few more tries
        if len(out) == count:
            break
        rng = random.Random(zlib.crc32(f"{label}\t{text}\t{number}".encode()))
        variant = " ".join(make(text, label, rng).split())
        if variant and variant.lower() not in seen:
            seen.add(variant.lower())
            out.append(variant)
    return out


def augmented(texts: Sequence[str], labels: Sequence[str], language: str, count: int) -> Augmented:
    """The examples, then ``count`` variants of each in ``language``'s styles (0: the examples alone)."""
    out_texts, out_labels, origin = list(texts), list(labels), list(range(len(texts)))
    known = {t.strip().lower() for t in texts}
    for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
        for variant in variants(text, label, language, count):
            if variant.lower() in known:  # another example already says it (perhaps under another label)
                continue
            known.add(variant.lower())
            out_texts.append(variant)
            out_labels.append(label)
            origin.append(i)
    return Augmented(out_texts, out_labels, origin)


def source_stamp() -> str:
    """A stamp of this module's code (nlu_addons.onepass_nlu ``fingerprint_addon``: Rasa's training cache keys on the
    configuration and the data, and would restore a side trained with the variants this code made before)."""
    from pathlib import Path

    return f"{zlib.crc32(Path(__file__).read_bytes()):08x}"
