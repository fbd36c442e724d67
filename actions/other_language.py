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
    if not words or re.search(r"[\u3400-\u9fff]", text):
        return None
    english = sum(w in ENGLISH for w in words)
    counts = {
        code: sum(w in vocabulary and w not in ENGLISH for w in words) for code, vocabulary in FUNCTION_WORDS.items()
    }
    code, found = max(counts.items(), key=lambda item: item[1])
    return code if found >= MIN_WORDS and found > english else None
