"""Query preparation: what is embedded for a customer's message.

Chat typos are corrected towards the handbook's own words (:class:`Speller`), a leading greeting and filler
are stripped (:func:`clean_query`), and for a message of several sentences its question sentence is embedded
too (:func:`query_sentences`); :func:`query_texts` puts these together. Why, and what each step measured:
docs/knowledge-engine-experiments.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

_GREETING = re.compile(
    r"^\s*(?:(?:hi|hello|hey|hiya|howdy|good\s+(?:morning|afternoon|evening)|greetings|dear\s+\w+)"
    r"(?:\s+(?:there|team|all|folks|guys))?[\s,.!:;-]*)+",
    re.IGNORECASE,
)
_FILLER = re.compile(
    r"\b(?:"
    r"thanks?(?:\s+you)?(?:\s+(?:so\s+much|very\s+much|a\s+lot|in\s+advance))?|thank\s+u|thx|cheers|many\s+thanks"
    r"|i\s+was\s+(?:just\s+)?wondering(?:\s+(?:if|whether))?|i(?:'m|\s+am)\s+wondering(?:\s+(?:if|whether))?"
    r"|quick\s+question|sorry\s+to\s+bother(?:\s+you)?|just\s+wanted\s+to\s+ask"
    r"|(?:could|can)\s+you\s+(?:please\s+)?tell\s+me|i(?:'d|\s+would)\s+like\s+to\s+know"
    r")\b[\s,.!:;]*",
    re.IGNORECASE,
)
_SPELLING_WORD = re.compile(r"[a-z]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_CHAT_WORDS = {
    "u": "you",
    "ur": "your",
    "pls": "please",
    "plz": "please",
    "im": "I'm",
    "ive": "I've",
    "dont": "don't",
    "cant": "can't",
    "wont": "won't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "havent": "haven't",
    "whats": "what's",
    "wheres": "where's",
}
MAX_QUERY_SENTENCES = 1


def _strip_filler(text: str) -> str:
    cleaned = _FILLER.sub(" ", _GREETING.sub("", text))
    cleaned = re.sub(r"\s+([,.!?])", r"\1", " ".join(cleaned.split())).lstrip(" ,.;:!-")
    return cleaned if any(char.isalnum() for char in cleaned) else ""


def clean_query(text: str) -> str:
    """``text`` without a leading greeting and chat filler ("thanks", "I was wondering if", ...).

    Returns the text (whitespace normalised) if nothing would be left.
    """
    return _strip_filler(text) or " ".join(text.split())


def query_sentences(text: str, min_words: int = 3) -> list[str]:
    """The most question-like sentences of a message of several sentences (cleaned, ≥ ``min_words`` words).

    Returns [] for a single sentence. Otherwise the last ``MAX_QUERY_SENTENCES`` sentences that
    end in "?" (the question usually comes after the context), or the last ones if none does.
    Filler-only sentences ("Thanks so much!") don't count.
    """
    sentences = [_strip_filler(part) for part in _SENTENCE_END.split(text)]
    sentences = [sentence for sentence in sentences if len(_WORD.findall(sentence)) >= min_words]
    if len(sentences) < 2:
        return []
    questions = [sentence for sentence in sentences if sentence.endswith("?")]
    return (questions or sentences)[-MAX_QUERY_SENTENCES:]


def _edits(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away from ``word``."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:cut], word[cut:]) for cut in range(len(word) + 1)]
    edits = {left + right[1:] for left, right in splits if right}
    edits |= {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    edits |= {left + char + right[1:] for left, right in splits if right for char in letters}
    edits |= {left + char + right for left, right in splits for char in letters}
    return edits


class Speller:
    """Cheap correction of chat typos towards the handbook's own words ("traking" → "tracking").

    A word is left alone if the model's tokenizer knows it as a whole word, or if it is shorter
    than 4 letters. Otherwise it becomes a handbook word one edit away that the tokenizer knows
    as a whole word and that the handbook uses more than 3 times as often as the word itself (so
    the handbook's own typo questions, kept on purpose, don't block the fix). Words the tokenizer
    splits into pieces are never targets: "installments" → "instalments" measured worse, since
    the model reads the split British spelling less well. The fix keeps the first and last
    letter (typos in those are rare, and changing the ending would turn inflections like
    "couriers" into "courier"), except for two swapped neighbouring letters ("cancle" → "cancel"),
    which are preferred to any other edit; then the most frequent wins. Four-letter words are only corrected by
    an insertion ("ordr" → "order"). A few chat spellings ("im", "dont", "u") are expanded. No
    dictionary beyond the handbook and the tokenizer vocabulary is needed.
    """

    def __init__(
        self, texts: Sequence[str], vocabulary: frozenset[str], frequency: Mapping[str, int] | None = None
    ) -> None:
        """Word frequencies from ``texts``, or ``frequency`` as given (kept up to date by the engine)."""
        self.vocabulary = vocabulary
        self.frequency: Mapping[str, int] = frequency if frequency is not None else word_counts(texts)
        self._memo: dict[str, str | None] = {}

    def word(self, word: str) -> str:
        lower = word.lower()
        if lower in _CHAT_WORDS:
            return _CHAT_WORDS[lower]
        if lower in self.vocabulary or len(lower) < 4 or not lower.isalpha():
            return word
        if lower not in self._memo:
            if len(self._memo) >= 10_000:
                self._memo.clear()
            self._memo[lower] = self._correct(lower)
        return self._memo[lower] or word

    def _correct(self, word: str) -> str | None:
        own = self.frequency.get(word, 0)
        # two neighbouring letters swapped, the commonest slip, even the last two ("cancle" is "cancel", not
        # "candle"): such a fix is preferred to any other edit
        swaps = {word[:cut] + word[cut + 1] + word[cut] + word[cut + 2 :] for cut in range(1, len(word) - 1)}
        candidates = [
            candidate
            for candidate in _edits(word)
            if candidate in self.vocabulary
            and self.frequency.get(candidate, 0) > 3 * own
            and candidate[0] == word[0]
            and (candidate[-1] == word[-1] or candidate in swaps)
            and (len(word) > 4 or len(candidate) > len(word))
        ]
        return (
            max(candidates, key=lambda candidate: (candidate in swaps, self.frequency[candidate], candidate))
            if candidates
            else None
        )

    def __call__(self, text: str) -> str:
        return _WORD.sub(lambda match: self.word(match.group(0)), text)


def query_texts(query: str, speller: Speller | None, with_sentences: bool) -> list[str]:
    """What to embed for ``query``: the whole (spell-checked, cleaned) message, then its question sentence."""
    text = speller(query) if speller is not None else query
    return [clean_query(text), *(query_sentences(text) if with_sentences else [])]


def word_counts(texts: Iterable[str], counts: dict[str, int] | None = None, sign: int = 1) -> dict[str, int]:
    """Add (or with ``sign`` −1 subtract) the words of ``texts`` to ``counts``: the speller's frequencies."""
    counts = {} if counts is None else counts
    for text in texts:
        for word in _SPELLING_WORD.findall(text.lower()):
            value = counts.get(word, 0) + sign
            if value > 0:
                counts[word] = value
            else:
                counts.pop(word, None)
    return counts
