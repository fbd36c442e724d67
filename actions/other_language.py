"""A message in a language the bot does not speak: the product serves English and Chinese, and a German, French,
Spanish, Italian, Dutch or Portuguese first message ("hallo, ich habe eine frage zu meiner bestellung") got the English
"I'm not sure I have a good answer" as if the question were odd. It is told, in English and Chinese, which languages
the bot speaks, with the offer of a person.

Read by function words, the words every message of a language is made of (articles, pronouns, auxiliaries,
prepositions): a message is in another language when at least two of one language's are in it and more of them than
English ones. Names and product words ("the Bon Appétit plate") do not count. Only asked of a message the bot had no
answer for, so an English one is never affected.
"""

from __future__ import annotations

import re

from nlu_addons.language import CJK


def words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "de": words(
        "ich du sie wir ihr mein meine meiner meinen ist sind habe hat haben eine einen einem der die das den dem "
        "nicht und oder mit für von zu bei wo wann warum wie kann können bitte danke hallo guten tag noch schon "
        "bestellung lieferung rücksendung paket"
    ),
    "fr": words(
        "je tu il elle nous vous ils mon ma mes est sont ai avez une un le la les des du de et ou avec pour dans "
        "pas où quand pourquoi comment puis pouvez merci bonjour salut commande livraison colis"
    ),
    "es": words(
        "yo tú él ella nosotros mi mis es son tengo tiene una un el la los las del y o con para por en no dónde "
        "cuándo por qué cómo puedo puede gracias hola pedido entrega paquete"
    ),
    "it": words(
        "io tu lui lei noi mio mia miei è sono ho ha una un il lo la gli le del della e o con per in non dove "
        "quando perché come posso può grazie ciao buongiorno ordine consegna pacco"
    ),
    "nl": words(
        "ik jij je hij zij wij mijn is zijn heb heeft een de het en of met voor van naar bij niet waar wanneer "
        "waarom hoe kan kunnen bedankt dank hallo hoi bestelling levering pakket"
    ),
    "pt": words(
        "eu você ele ela nós meu minha é são tenho tem uma um o a os as do da e ou com para por em não onde "
        "quando porquê como posso pode obrigado obrigada olá oi pedido entrega encomenda"
    ),
}
ENGLISH = words(
    "i you he she we they my your our is are am was have has had a an the of and or with for to in on at not no "
    "where when why how can could would will please thanks thank hi hello hey order delivery parcel it this that "
    "what do does did me"
)
WORD_RE = re.compile(r"[^\W\d_]+")
MIN_WORDS = 2


def other_language(text: str) -> str | None:
    """The language of ``text`` when it is one of FUNCTION_WORDS' and not English (its code), else None."""
    words = [w.lower() for w in WORD_RE.findall(text)]
    if not words or CJK.search(text):
        return None
    english = sum(w in ENGLISH for w in words)
    counts = {
        code: sum(w in vocabulary and w not in ENGLISH for w in words) for code, vocabulary in FUNCTION_WORDS.items()
    }
    code, found = max(counts.items(), key=lambda item: item[1])
    return code if found >= MIN_WORDS and found > english else None


# a question about the language of the chat: "do you speak chinese?", "can we talk in english please", "english pls",
# "你会说中文吗", "可以说英文吗", "sprechen sie deutsch?". Before, the English ones were offered a person ("I'm not sure
# I have a good answer"), "你会说中文吗" got "好的！" and "可以说英文吗" the offer of a person in Chinese.
LANGUAGE_NAMES: dict[str, str] = {
    "english": "en", "englisch": "en", "anglais": "en", "inglés": "en", "ingles": "en", "inglese": "en",
    "engels": "en", "inglês": "en", "chinese": "zh", "mandarin": "zh", "putonghua": "zh", "chinesisch": "zh",
    "chinois": "zh", "chino": "zh", "cinese": "zh", "chinees": "zh", "chinês": "zh", "cantonese": "yue",
    "german": "de", "deutsch": "de", "french": "fr", "français": "fr", "francais": "fr", "spanish": "es",
    "español": "es", "espanol": "es", "italian": "it", "italiano": "it", "dutch": "nl", "nederlands": "nl",
    "portuguese": "pt", "português": "pt", "portugues": "pt", "japanese": "ja", "korean": "ko", "russian": "ru",
    "polish": "pl", "arabic": "ar", "turkish": "tr", "swedish": "sv", "danish": "da", "norwegian": "no",
    "finnish": "fi", "greek": "el", "hindi": "hi", "vietnamese": "vi", "thai": "th", "tagalog": "tl",
    "filipino": "tl", "hebrew": "he", "indonesian": "id", "malay": "ms", "czech": "cs", "hungarian": "hu",
    "romanian": "ro", "ukrainian": "uk", "persian": "fa", "farsi": "fa", "urdu": "ur", "bengali": "bn",
    "中文": "zh", "汉语": "zh", "普通话": "zh", "国语": "zh", "华语": "zh", "英文": "en", "英语": "en",
    "粤语": "yue", "广东话": "yue", "日语": "ja", "日文": "ja", "韩语": "ko", "韩文": "ko", "德语": "de", "德文": "de",
    "法语": "fr", "法文": "fr", "西班牙语": "es", "意大利语": "it", "俄语": "ru",
}  # fmt: skip
_LATIN_NAMES = "|".join(sorted((n for n in LANGUAGE_NAMES if not CJK.search(n)), key=len, reverse=True))
_CHINESE_NAMES = "|".join(sorted((n for n in LANGUAGE_NAMES if CJK.search(n)), key=len, reverse=True))
LANGUAGE_QUESTION_RE = re.compile(
    # "speak chinese", "talk to me in english", "reply in mandarin", "switch to english", "do you understand german"
    rf"\b(?:speak|talk|write|chat|reply|answer|respond|communicate|understand|continue|switch)\w*\s+"
    rf"(?:(?:to|with)\s+(?:me|us)\s+|back\s+|to\s+)?(?:in\s+)?(?P<name>{_LATIN_NAMES})\b"
    # "english please", "in english pls", "chinese?"
    rf"|^\W*(?:in\s+)?(?P<alone>{_LATIN_NAMES})\s*(?:please|pls|plz)?\W*$"
    # in the language itself: "sprechen sie deutsch?", "parlez-vous français", "¿hablas español?", "spreekt u engels"
    rf"|\b(?:sprech|parl|habl|spreek|fal)\w*[\s-]+(?:(?:sie|du|vous|tu|usted|u|je|jij|você|lei)\s+)?"
    rf"(?P<native>{_LATIN_NAMES})\b"
    # "你会说中文吗", "可以说英文吗", "请用中文回复", "能讲普通话吗", "用英文跟我聊"
    rf"|(?:会|能|可以|请|麻烦|说|讲|用)\s*(?:说|讲|用)?\s*(?P<zh>{_CHINESE_NAMES})"
    rf"(?=\s*(?:$|[吗么吧呢？?！!。，,]|可以|行|回复|回答|交流|沟通|聊|服务|说话|和我|跟我|对话))"
    # "中文可以吗", "英文行吗"
    rf"|^\W*(?P<zh_alone>{_CHINESE_NAMES})\s*(?:可以|行)?\s*(?:吗|么|吧)?\W*$",
    re.IGNORECASE,
)
SPOKEN = ("en", "zh")


def language_asked_about(text: str) -> str | None:
    """The language a message asks the chat to be in, or asks whether the bot speaks (its code: "zh" for "do you speak
    chinese?", "de" for "sprechen sie deutsch?"); None when it asks no such thing."""
    match = LANGUAGE_QUESTION_RE.search(text)
    if match is None:
        return None
    name = next(value for value in match.groupdict().values() if value)
    return LANGUAGE_NAMES.get(name.lower())


CLAUSE_END = "，,。.？?！!；;"
# what may stand beside a language question and asks nothing: "please", "sorry", "thanks", "谢谢"
NOTHING_ASKED_RE = re.compile(
    r"^\W*(?:(?:please|pls|plz|sorry|thanks|thank\s+you|thx|ok|okay|hi|hello|hey)\W*)*$"
    r"|^[\W请谢谢您你好麻烦了吧呢啊哦]*$",
    re.IGNORECASE,
)


def beside_language_question(text: str) -> str | None:
    """What a message asks beside its question about the chat's language ("sorry can you answer in english? when will
    i get the money" -> "when will i get the money"; "请用中文回复，退款什么时候到账" -> "退款什么时候到账"): the
    message without the clause of that question; None when it asks nothing else ("english please", "can we talk in
    english")."""
    match = LANGUAGE_QUESTION_RE.search(text)
    if match is None:
        return None
    start = max(text.rfind(mark, 0, match.start()) for mark in CLAUSE_END) + 1
    ends = [i for mark in CLAUSE_END if (i := text.find(mark, match.end())) != -1]
    end = min(ends) + 1 if ends else len(text)
    rest = f"{text[:start]} {text[end:]}".strip(f" {CLAUSE_END}")
    return None if NOTHING_ASKED_RE.match(rest) else rest
