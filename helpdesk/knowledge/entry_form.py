"""One handbook entry as the editor's form holds it, and the Markdown file it is written as.

The form's fields (id, English and Chinese title, questions and answer, tags) become the file format of
helpdesk/knowledge/handbook.py: YAML front matter (``zh:`` for the Chinese title and questions), the English
answer, a ``<!-- zh -->`` line and the Chinese answer. :func:`to_markdown` also says which form field each line
of the file came from, so a problem ``kb validate`` reports at a line is shown at its field.
:func:`from_markdown` reads a file back into the form, leniently (a broken file still opens in the editor).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import yaml

from helpdesk.errors import Invalid
from helpdesk.knowledge.handbook import FRONT_MATTER_MARK, ID_PATTERN, ZH_MARK

MAX_TITLE = 300
MAX_QUESTIONS = 100
MAX_TAGS = 20
MAX_TAG = 50
MAX_ANSWER = 20_000
TEXT_FIELDS = ("id", "title", "answer", "zh_title", "zh_answer")
LIST_FIELDS = ("questions", "tags", "zh_questions")


@dataclass(frozen=True)
class EntryForm:
    """An entry's editable fields; questions and tags one per item, answers in Markdown."""

    id: str
    title: str = ""
    questions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    answer: str = ""
    zh_title: str = ""
    zh_questions: tuple[str, ...] = ()
    zh_answer: str = ""

    def to_json(self) -> dict[str, Any]:
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}

    @classmethod
    def from_json(cls, value: object, entry_id: str) -> EntryForm:
        """The form from a request body's ``entry`` object; Invalid (400) when a field has the wrong shape."""
        if not isinstance(value, dict):
            raise Invalid(
                "entry must be an object with title, questions, tags, answer, zh_title, zh_questions, zh_answer"
            )
        unknown = sorted(set(value) - set(TEXT_FIELDS) - set(LIST_FIELDS))
        if unknown:
            raise Invalid(f"unknown entry fields: {', '.join(unknown)}")
        if value.get("id", entry_id) != entry_id:
            raise Invalid("the entry's id must be the id in the address (to rename, create a new entry)")
        texts: dict[str, str] = {}
        for key in TEXT_FIELDS[1:]:
            item = value.get(key, "")
            if not isinstance(item, str):
                raise Invalid(f"{key} must be text")
            limit = MAX_ANSWER if key.endswith("answer") else MAX_TITLE
            if len(item) > limit:
                raise Invalid(f"{key} is too long (at most {limit} characters)")
            texts[key] = item.replace("\r\n", "\n").strip() if key.endswith("answer") else one_line(item)
        lists: dict[str, tuple[str, ...]] = {}
        for key in LIST_FIELDS:
            items = value.get(key, [])
            limit, size = (MAX_TAGS, MAX_TAG) if key == "tags" else (MAX_QUESTIONS, MAX_TITLE)
            if not isinstance(items, list) or not all(isinstance(item, str) for item in items) or len(items) > limit:
                raise Invalid(f"{key} must be a list of at most {limit} texts")
            if any(len(item) > size for item in items):
                raise Invalid(f"each of {key} is at most {size} characters")
            lists[key] = tuple(text for text in (one_line(item) for item in items) if text)
        return cls(
            id=entry_id,
            title=texts["title"],
            questions=lists["questions"],
            tags=lists["tags"],
            answer=texts["answer"],
            zh_title=texts["zh_title"],
            zh_questions=lists["zh_questions"],
            zh_answer=texts["zh_answer"],
        )


def one_line(text: str) -> str:
    """Titles, questions and tags are one line: runs of whitespace (line breaks too) become one space."""
    return " ".join(text.split())


def valid_id(entry_id: str) -> bool:
    return len(entry_id) <= 100 and ID_PATTERN.match(entry_id) is not None


def _scalar(text: str) -> str:
    """``text`` as one YAML scalar on one line (quoted when YAML needs it: ': ', '#', a leading '-', 'yes'...)."""
    dumped = yaml.safe_dump(text, allow_unicode=True, width=1_000_000, default_flow_style=True)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def to_markdown(form: EntryForm) -> tuple[str, dict[int, str]]:
    """The entry's file text, and file line (1-based) → the form field it shows (``questions.2``: the third)."""
    lines: list[tuple[str, str]] = [(FRONT_MATTER_MARK, "id"), (f"id: {form.id}", "id")]
    lines.append((f"title: {_scalar(form.title)}", "title"))
    if form.questions:
        lines.append(("questions:", "questions"))
        lines += [(f"  - {_scalar(text)}", f"questions.{n}") for n, text in enumerate(form.questions)]
    if form.tags:
        lines.append((f"tags: [{', '.join(_scalar(tag) for tag in form.tags)}]", "tags"))
    if form.zh_title or form.zh_questions:
        lines.append(("zh:", "zh_title"))
        lines.append((f"  title: {_scalar(form.zh_title)}", "zh_title"))
        if form.zh_questions:
            lines.append(("  questions:", "zh_questions"))
            lines += [(f"    - {_scalar(text)}", f"zh_questions.{n}") for n, text in enumerate(form.zh_questions)]
    lines.append((FRONT_MATTER_MARK, "answer"))
    lines += [(line, "answer") for line in form.answer.split("\n")] if form.answer else [("", "answer")]
    if form.zh_answer:
        lines += [("", "answer"), (ZH_MARK, "zh_answer")]
        lines += [(line, "zh_answer") for line in form.zh_answer.split("\n")]
    text = "\n".join(line for line, _ in lines) + "\n"
    return text, {number: field for number, (_, field) in enumerate(lines, start=1)}


def from_markdown(entry_id: str, text: str) -> EntryForm:
    """A file read back into the form, as far as it can be read (YAML that does not parse leaves the fields
    empty; the answer is still there)."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    front: dict[str, Any] = {}
    body = lines
    if lines and lines[0].rstrip() == FRONT_MATTER_MARK:
        closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() == FRONT_MATTER_MARK), None)
        if closing is not None:
            body = lines[closing + 1 :]
            try:
                loaded = yaml.safe_load("\n".join(lines[1:closing]))
            except yaml.YAMLError:
                loaded = None
            front = loaded if isinstance(loaded, dict) else {}
    marks = [i for i, line in enumerate(body) if line.strip() == ZH_MARK]
    answer = "\n".join(body[: marks[0]] if marks else body).strip()
    zh_answer = "\n".join(body[marks[0] + 1 :]).strip() if marks else ""
    zh_front = front.get("zh")
    zh: dict[str, Any] = zh_front if isinstance(zh_front, dict) else {}
    return EntryForm(
        id=entry_id,
        title=_text(front.get("title")),
        questions=_texts(front.get("questions")),
        tags=_texts(front.get("tags")),
        answer=answer,
        zh_title=_text(zh.get("title")),
        zh_questions=_texts(zh.get("questions")),
        zh_answer=zh_answer,
    )


def _text(value: object) -> str:
    return one_line(value) if isinstance(value, str) else "" if value is None else one_line(str(value))


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(text for text in (_text(item) for item in value) if text)
