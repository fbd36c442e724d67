"""What an entry is embedded as: its title and questions, then its answer (plain text) in passages."""

from __future__ import annotations

import re

from helpdesk.knowledge.handbook import Entry, normalize_question
from helpdesk.knowledge.settings import Settings

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_BLOCK = re.compile(r"^[ \t]{0,3}(#{1,6}|>|[-*+]|\d+[.)])[ \t]+", re.MULTILINE)
_MD_INLINE = re.compile(r"[*_`~]+")
_MD_SEPARATORS = re.compile(r"\||<[^>]+>")


def markdown_to_text(markdown: str) -> str:
    """Plain text of a Markdown answer, paragraphs separated by blank lines."""
    text = _MD_LINK.sub(r"\1", markdown)
    text = _MD_SEPARATORS.sub(" ", _MD_INLINE.sub("", _MD_BLOCK.sub("", text)))
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text)]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _split_long(paragraph: str, limit: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            pieces.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return pieces


def answer_passages(answer: str, limit: int, max_passages: int) -> list[str]:
    """The answer as up to ``max_passages`` passages of at most ``limit`` characters."""
    passages: list[str] = []
    current = ""
    for paragraph in markdown_to_text(answer).split("\n\n"):
        for piece in _split_long(paragraph, limit):
            if current and len(current) + 1 + len(piece) > limit:
                passages.append(current)
                current = piece
            else:
                current = f"{current} {piece}".strip()
    if current:
        passages.append(current)
    return [passage for passage in passages if passage][:max_passages]


def entry_texts(entry: Entry, settings: Settings) -> tuple[list[str], int]:
    """Texts to embed for ``entry``: the questions (title first, deduplicated), then the passages.

    Returns the texts and how many of them are questions.
    """
    questions: list[str] = []
    seen: set[str] = set()
    for question in entry.all_questions:
        key = normalize_question(question)
        if key not in seen:
            seen.add(key)
            questions.append(question)
    passages = answer_passages(entry.answer, settings.answer_chunk_chars, settings.answer_max_chunks)
    return questions + passages, len(questions)
