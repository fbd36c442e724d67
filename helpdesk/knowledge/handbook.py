"""Parse and validate the FAQ handbook.

One entry per Markdown file anywhere under the handbook folder (``*.md``, recursive; files and
folders whose name starts with a dot are skipped). Each file starts with YAML front matter
between two ``---`` lines, followed by the answer in Markdown::

    ---
    id: refund-policy            # required; lower-case letters, digits and dashes
    title: What is your refund policy?
    questions:                   # optional: other ways customers ask
      - Can I get my money back?
    tags: [refunds]              # optional
    zh:                          # the Chinese version (same id)
      title: 你们的退款政策是什么？
      questions: [能退钱吗？]      # optional
    ---
    Answer in Markdown.

    <!-- zh -->
    中文答案（Markdown）。

Every problem is reported with its file and 1-based line number. When two files claim the same
id, both places are reported and the file that comes first in path order keeps the id (it is the
one that serves); the other is left out. Entries whose questions collide with another entry's
are reported but still serve.

The Chinese version is optional for a file to be valid: an entry without it (or with only half of
it: the ``zh`` key without a ``<!-- zh -->`` answer, or the reverse) is reported as a *warning*
(``Handbook.warnings``), keeps serving, and ``kb validate --strict`` fails on it. A Chinese version
that is there but broken (not a mapping, no title, an empty Chinese answer) is a problem like any
other. Everything after the ``<!-- zh -->`` line is Chinese; the English answer is the body before
it, exactly as it was before Chinese versions existed.

This module does not import torch or the embedding stack: it is cheap to import.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_FILE_BYTES = 1_000_000
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ALLOWED_KEYS = ("id", "title", "questions", "tags", "zh")
ZH_KEYS = ("title", "questions")
FRONT_MATTER_MARK = "---"
ZH_MARK = "<!-- zh -->"
LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class Translation:
    """An entry's text in one language: title, alternative questions and answer (Markdown)."""

    title: str
    questions: tuple[str, ...]
    answer: str

    @property
    def all_questions(self) -> tuple[str, ...]:
        """The title followed by the alternative questions."""
        return (self.title, *self.questions)


@dataclass(frozen=True)
class Entry:
    """One valid handbook entry: English fields, plus ``zh`` when the file has a complete Chinese version."""

    id: str
    title: str
    questions: tuple[str, ...]
    tags: tuple[str, ...]
    answer: str
    path: Path
    content_hash: str
    zh: Translation | None = None

    @property
    def all_questions(self) -> tuple[str, ...]:
        """The title followed by the alternative questions."""
        return (self.title, *self.questions)

    @property
    def en(self) -> Translation:
        return Translation(self.title, self.questions, self.answer)

    def version(self, language: str) -> Translation | None:
        """The entry in ``language`` ("en" or "zh"); None when that version is missing."""
        if language == "en":
            return self.en
        if language == "zh":
            return self.zh
        raise ValueError(f"unknown language {language!r} (known: {', '.join(LANGUAGES)})")

    def missing_languages(self) -> tuple[str, ...]:
        return tuple(language for language in LANGUAGES if self.version(language) is None)


@dataclass(frozen=True)
class Problem:
    """A validation problem at ``path:line`` (1-based)."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class ParsedFile:
    """The result of parsing one file, with the line numbers the cross-file checks need.

    ``entry`` is None when the file has problems of its own. ``entry_id``/``id_line`` are set
    whenever the id itself was valid, even if something else in the file is not, so that
    duplicate ids are reported for broken files too.
    """

    path: Path
    entry: Entry | None
    problems: tuple[Problem, ...]
    content_hash: str = ""
    entry_id: str | None = None
    id_line: int = 1
    question_lines: tuple[tuple[str, int], ...] = ()
    warnings: tuple[Problem, ...] = ()
    source: str | None = None  # the text parsed, when it is not (yet) the file on disk (parse_source)


@dataclass
class Handbook:
    """All entries found under ``root``: the valid ones and every problem."""

    root: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[ParsedFile] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # missing translations: the entry still serves

    @property
    def ok(self) -> bool:
        return not self.problems

    def broken_paths(self) -> set[Path]:
        """Files that could not be read as an entry at all (problems of their own)."""
        return {parsed.path for parsed in self.files if parsed.entry is None}


@functools.lru_cache(maxsize=1 << 17)  # the watcher re-checks every question on each change
def normalize_question(text: str) -> str:
    """Case-, whitespace- and punctuation-insensitive form of a question."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def find_files(root: Path) -> list[Path]:
    """Every ``*.md`` file under ``root`` in path order, skipping hidden files and folders."""
    found = []
    for path in root.rglob("*.md"):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file():
            found.append(path)
    return sorted(found)


def parse_file(path: Path, root: Path) -> tuple[Entry | None, list[Problem]]:
    """Parse one handbook file; ``path`` may be relative to ``root``.

    Returns the entry (None if the file has problems) and the file's own problems. Checks that
    need the whole handbook (duplicate ids and questions) are done by :func:`load_handbook`.
    """
    parsed = parse_path(path if path.is_absolute() else root / path)
    return parsed.entry, list(parsed.problems)


def load_handbook(root: Path) -> Handbook:
    """Parse and validate every entry under ``root``."""
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: handbook folder does not exist")
    return assemble_handbook(root, [parse_path(path) for path in find_files(root)])


def assemble_handbook(
    root: Path, parsed_files: Iterable[ParsedFile], fact_checked: Iterable[ParsedFile] = ()
) -> Handbook:
    """Run the cross-file checks over already parsed files and collect the valid entries.

    Fact references (``{{fact:name}}``) in the answers are rendered with the shop's current facts here, and a file
    citing an unknown fact or contradicting one is left out with its problems (helpdesk/knowledge/fact_refs.py).
    ``fact_checked``: files that went through that already (the editor checks one edit against the rest).
    """
    from helpdesk.knowledge.fact_refs import apply_facts  # it imports this module

    files, fact_problems = apply_facts(parsed_files)
    files = sorted([*files, *fact_checked], key=lambda parsed: parsed.path)
    problems = [problem for parsed in files for problem in parsed.problems] + fact_problems
    problems += _duplicate_id_problems(files)
    problems += _duplicate_question_problems(files)
    entries: dict[str, Entry] = {}
    for parsed in files:
        if parsed.entry is not None and parsed.entry.id not in entries:
            entries[parsed.entry.id] = parsed.entry
    problems.sort(key=lambda problem: (str(problem.path), problem.line, problem.message))
    warnings = [warning for parsed in files for warning in parsed.warnings]
    return Handbook(root=root, entries=entries, problems=problems, files=files, warnings=warnings)


def parse_path(path: Path) -> ParsedFile:
    """Read, hash and parse one file, collecting its own problems."""
    raw, problem = _read_bytes(path)
    if raw is None:
        return ParsedFile(path=path, entry=None, problems=(problem,) if problem else ())
    content_hash = hashlib.sha256(raw).hexdigest()
    text, problem = _decode(path, raw)
    if text is None:
        return ParsedFile(path, None, (problem,) if problem else (), content_hash)
    return _parse_text(path, text, content_hash)


def parse_source(path: Path, text: str) -> ParsedFile:
    """Parse ``text`` as if it were the file at ``path`` (the handbook editor checks an edit before writing it)."""
    content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    source = text.removeprefix("\ufeff").replace("\r\n", "\n")
    return dataclasses.replace(_parse_text(path, source, content_hash), source=source)


# --------------------------------------------------------------------------- reading


def _read_bytes(path: Path) -> tuple[bytes | None, Problem | None]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, Problem(path, 1, f"file is too large: {size} bytes (the limit is {MAX_FILE_BYTES} bytes)")
        return path.read_bytes(), None
    except OSError as error:
        return None, Problem(path, 1, f"cannot read file: {error.strerror or error}")


def _decode(path: Path, raw: bytes) -> tuple[str | None, Problem | None]:
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        return None, Problem(path, line, "binary file: contains a NUL byte (handbook files must be text)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        byte = raw[error.start : error.start + 1].hex()
        return None, Problem(path, line, f"not valid UTF-8: byte 0x{byte} at offset {error.start}")
    return text.removeprefix("\ufeff").replace("\r\n", "\n"), None


# --------------------------------------------------------------------------- front matter


@dataclass(frozen=True)
class _FrontMatter:
    text: str
    first_line: int  # file line number of the first YAML line
    closing_line: int  # file line number of the closing '---'
    body: str


def _split_front_matter(path: Path, text: str) -> tuple[_FrontMatter | None, Problem | None]:
    lines = text.split("\n")
    if lines[0].rstrip() != FRONT_MATTER_MARK:
        return None, Problem(
            path,
            1,
            "missing front matter: the file must start with a '---' line, then 'id:' and "
            "'title:', then a closing '---' line and the answer",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() == FRONT_MATTER_MARK:
            front = _FrontMatter(
                text="\n".join(lines[1:index]),
                first_line=2,
                closing_line=index + 1,
                body="\n".join(lines[index + 1 :]),
            )
            return front, None
    return None, Problem(path, 1, "front matter is not closed: no second '---' line after line 1")


def _compose(path: Path, front: _FrontMatter) -> tuple[Node | None, Any, Problem | None]:
    loader = yaml.SafeLoader(front.text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        return node, data, None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = front.first_line + (mark.line if mark else 0)
        detail = error.problem or error.context or "invalid YAML"
        if error.context and error.problem:
            detail = f"{error.problem} ({error.context})"
        return None, None, Problem(path, line, f"YAML syntax error in front matter: {detail}")
    except yaml.reader.ReaderError as error:
        line = front.first_line + front.text.count("\n", 0, error.position)
        return None, None, Problem(path, line, f"YAML error in front matter: {error.reason}")
    except yaml.YAMLError as error:
        return None, None, Problem(path, front.first_line, f"YAML error in front matter: {error}")
    finally:
        loader.dispose()


# --------------------------------------------------------------------------- fields


def _type_name(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false (quote the text)"
    if isinstance(value, int | float):
        return "a number (quote it)"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (an unquoted ': ' inside the text? quote it)"
    return type(value).__name__


class _FieldChecker:
    """Checks the front-matter mapping of one file, collecting problems with their lines."""

    def __init__(self, path: Path, first_line: int) -> None:
        self.path = path
        self.first_line = first_line
        self.problems: list[Problem] = []

    def line_of(self, node: Node) -> int:
        return self.first_line + node.start_mark.line

    def add(self, node: Node | None, message: str) -> None:
        line = self.line_of(node) if node is not None else 1
        self.problems.append(Problem(self.path, line, message))

    def keys(self, mapping: MappingNode) -> dict[str, tuple[Node, Node]]:
        """The key → (key node, value node) table; reports unknown and repeated keys."""
        seen: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in mapping.value:
            if not isinstance(key_node, ScalarNode):
                self.add(key_node, "front-matter keys must be plain names")
                continue
            key = key_node.value
            if key in seen:
                first = self.line_of(seen[key][0])
                self.add(key_node, f"duplicate key '{key}' (first at line {first})")
            elif key not in ALLOWED_KEYS:
                self.add(key_node, f"unknown key '{key}' (allowed: {', '.join(ALLOWED_KEYS)})")
            seen[key] = (key_node, value_node)
        return seen

    def required_text(self, key: str, table: dict[str, tuple[Node, Node]], data: dict[str, object]) -> str | None:
        if key not in table:
            self.problems.append(Problem(self.path, 1, f"missing required key '{key}'"))
            return None
        return self.text(table[key][1], data.get(key), f"'{key}'")

    def text(self, node: Node, value: object, what: str) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(node, f"{what} is empty")
            return None
        if not isinstance(value, str):
            self.add(node, f"{what} must be text, got {_type_name(value)}")
            return None
        return value.strip()

    def text_list(
        self, key: str, table: dict[str, tuple[Node, Node]], data: dict[Any, Any], label: str | None = None
    ) -> list[tuple[str, int]]:
        """The (text, line) items of an optional list of strings (``label`` names the key in messages)."""
        if key not in table:
            return []
        name = label or key
        node, value = table[key][1], data.get(key)
        if value is None:
            self.add(node, f"'{name}' is empty: give a list or remove the key")
            return []
        if not isinstance(value, list) or not isinstance(node, SequenceNode):
            self.add(node, f"'{name}' must be a list of text, got {_type_name(value)}")
            return []
        items = []
        for position, (item_node, item) in enumerate(zip(node.value, value, strict=True), start=1):
            text = self.text(item_node, item, f"{name} item {position}")
            if text is not None:
                items.append((text, self.line_of(item_node)))
        return items


def _parse_text(path: Path, text: str, content_hash: str) -> ParsedFile:
    front, problem = _split_front_matter(path, text)
    if front is None:
        return ParsedFile(path, None, (problem,) if problem else (), content_hash)
    node, data, problem = _compose(path, front)
    if problem is not None:
        return ParsedFile(path, None, (problem,), content_hash)
    if node is None:
        message = "front matter is empty: 'id' and 'title' are required"
        return ParsedFile(path, None, (Problem(path, 1, message),), content_hash)
    checker = _FieldChecker(path, front.first_line)
    if not isinstance(node, MappingNode) or not isinstance(data, dict):
        checker.add(node, f"front matter must be a mapping of keys, got {_type_name(data)}")
        return ParsedFile(path, None, tuple(checker.problems), content_hash)
    return _check_fields(path, front, checker, node, data, content_hash)


def _check_fields(
    path: Path,
    front: _FrontMatter,
    checker: _FieldChecker,
    node: MappingNode,
    data: dict[str, object],
    content_hash: str,
) -> ParsedFile:
    table = checker.keys(node)
    entry_id = checker.required_text("id", table, data)
    id_line = checker.line_of(table["id"][1]) if "id" in table else 1
    if entry_id is not None and not ID_PATTERN.match(entry_id):
        checker.add(
            table["id"][1],
            f"bad id '{entry_id}': use lower-case letters, digits and single dashes (like 'refund-policy')",
        )
        entry_id = None
    title = checker.required_text("title", table, data)
    questions = checker.text_list("questions", table, data)
    tags = checker.text_list("tags", table, data)
    body = _split_body(path, front)
    answer = body.answer
    if not answer:
        checker.problems.append(
            Problem(path, front.closing_line, "answer is empty: write the answer after the closing '---'")
        )
    checker.problems.extend(body.problems)
    zh_front = _check_zh_front(checker, table, data)
    question_lines: tuple[tuple[str, int], ...] = ()
    if title is not None:
        title_line = checker.line_of(table["title"][1])
        question_lines = ((title, title_line), *questions)
    if zh_front is not None and zh_front.title is not None:
        question_lines = (*question_lines, (zh_front.title, zh_front.title_line), *zh_front.questions)
    entry = None
    warnings: tuple[Problem, ...] = ()
    if not checker.problems and entry_id is not None and title is not None:
        zh = None
        if zh_front is not None and zh_front.title is not None and body.zh_answer:
            zh = Translation(zh_front.title, tuple(text for text, _ in zh_front.questions), body.zh_answer)
        entry = Entry(
            id=entry_id,
            title=title,
            questions=tuple(text for text, _ in questions),
            tags=tuple(text for text, _ in tags),
            answer=answer,
            path=path,
            content_hash=content_hash,
            zh=zh,
        )
        warnings = _translation_warnings(path, id_line, zh_front, body)
    return ParsedFile(path, entry, tuple(checker.problems), content_hash, entry_id, id_line, question_lines, warnings)


# --------------------------------------------------------------------------- the Chinese version


@dataclass(frozen=True)
class _Body:
    answer: str  # the English answer: everything before the '<!-- zh -->' line
    zh_answer: str | None  # None without a '<!-- zh -->' line
    zh_mark_line: int
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class _ZhFront:
    key_line: int
    title: str | None
    title_line: int
    questions: tuple[tuple[str, int], ...]


def _split_body(path: Path, front: _FrontMatter) -> _Body:
    lines = front.body.split("\n")
    marks = [index for index, line in enumerate(lines) if line.strip() == ZH_MARK]
    if not marks:
        return _Body(front.body.strip(), None, 0, ())
    first_line = front.closing_line + 1  # file line of the body's first line
    mark_line = first_line + marks[0]
    problems = [
        Problem(path, first_line + index, f"second '{ZH_MARK}' line (the first is at line {mark_line})")
        for index in marks[1:]
    ]
    zh_answer = "\n".join(line for line in lines[marks[0] + 1 :] if line.strip() != ZH_MARK).strip()
    if not zh_answer:
        message = f"Chinese answer is empty: write it after the '{ZH_MARK}' line, or remove the line"
        problems.append(Problem(path, mark_line, message))
    answer = "\n".join(lines[: marks[0]]).strip()
    return _Body(answer, zh_answer, mark_line, tuple(problems))


def _check_zh_front(
    checker: _FieldChecker, table: dict[str, tuple[Node, Node]], data: dict[str, object]
) -> _ZhFront | None:
    """The ``zh:`` mapping (title, questions), its problems reported with their lines; None without the key."""
    if "zh" not in table:
        return None
    key_node, node = table["zh"]
    value = data.get("zh")
    key_line = checker.line_of(key_node)
    if not isinstance(node, MappingNode) or not isinstance(value, dict):
        checker.add(
            node,
            f"'zh' must be a mapping with 'title' and optional 'questions', got {_type_name(value)}",
        )
        return _ZhFront(key_line, None, key_line, ())
    inner: dict[str, tuple[Node, Node]] = {}
    for item_key, item_value in node.value:
        name = item_key.value if isinstance(item_key, ScalarNode) else None
        if name is None or name not in ZH_KEYS:
            checker.add(item_key, f"unknown key 'zh.{name}' (allowed: {', '.join(ZH_KEYS)})")
        elif name in inner:
            checker.add(item_key, f"duplicate key 'zh.{name}' (first at line {checker.line_of(inner[name][0])})")
        else:
            inner[name] = (item_key, item_value)
    title = None
    title_line = key_line
    if "title" not in inner:
        checker.add(key_node, "'zh' has no 'title': give the Chinese title")
    else:
        title = checker.text(inner["title"][1], value.get("title"), "'zh.title'")
        title_line = checker.line_of(inner["title"][1])
    questions = checker.text_list("questions", inner, value, label="zh.questions")
    return _ZhFront(key_line, title, title_line, tuple(questions))


def _translation_warnings(path: Path, id_line: int, zh: _ZhFront | None, body: _Body) -> tuple[Problem, ...]:
    if zh is None and body.zh_answer is None:
        message = (
            f"no Chinese version: add 'zh: {{title: ..., questions: [...]}}' to the front matter and the "
            f"Chinese answer after a '{ZH_MARK}' line at the end"
        )
        return (Problem(path, id_line, message),)
    if zh is None:
        message = "Chinese answer without a Chinese title: add 'zh: {title: ...}' to the front matter"
        return (Problem(path, body.zh_mark_line, message),)
    if body.zh_answer is None:
        message = f"Chinese title without a Chinese answer: write it after a '{ZH_MARK}' line at the end"
        return (Problem(path, zh.key_line, message),)
    return ()


# --------------------------------------------------------------------------- cross-file checks


def _duplicate_id_problems(files: list[ParsedFile]) -> list[Problem]:
    claims: dict[str, list[ParsedFile]] = {}
    for parsed in files:
        if parsed.entry_id is not None:
            claims.setdefault(parsed.entry_id, []).append(parsed)
    problems = []
    for entry_id, claimants in claims.items():
        if len(claimants) < 2:
            continue
        for parsed in claimants:
            others = ", ".join(f"{other.path}:{other.id_line}" for other in claimants if other is not parsed)
            problems.append(Problem(parsed.path, parsed.id_line, f"duplicate id '{entry_id}': also in {others}"))
    return problems


def _duplicate_question_problems(files: list[ParsedFile]) -> list[Problem]:
    """The same question (titles included) twice, in one entry or across entries."""
    places: dict[str, list[tuple[ParsedFile, str, int]]] = {}
    for parsed in files:
        for text, line in parsed.question_lines:
            key = normalize_question(text)
            if key:
                places.setdefault(key, []).append((parsed, text, line))
    problems = []
    for occurrences in places.values():
        if len(occurrences) < 2:
            continue
        for parsed, text, line in occurrences:
            others = ", ".join(
                f"{_label(other)} ({other.path}:{other_line})"
                for other, _, other_line in occurrences
                if other is not parsed or other_line != line
            )
            problems.append(Problem(parsed.path, line, f"question '{text}' is also asked in {others}"))
    return problems


def _label(parsed: ParsedFile) -> str:
    return f"'{parsed.entry_id}'" if parsed.entry_id else "another entry"
