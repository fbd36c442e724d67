"""Turn a handbook answer (Markdown) into plain chat text.

The widget renders every message as text, so Markdown markers would show as-is: links become
"title (url)", emphasis markers go, list items keep a bullet, paragraphs keep a blank line.
"""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt
from markdown_it.token import Token

_md = MarkdownIt("commonmark", {"html": False})
# answers whose chat text a process remembers: a handbook has hundreds of entries, and every answer of one is parsed
# again otherwise (the action server parsed each answer's Markdown on every turn that sends it: issue 22)
REMEMBERED_ANSWERS = 1024


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    href: str | None = None
    link_text: list[str] = []
    for child in token.children or []:
        if child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            link_text = []
        elif child.type == "link_close":
            label = "".join(link_text)
            parts.append(f"{label} ({href})" if href and href != label else label)
            href = None
        elif child.type in ("text", "code_inline", "html_inline"):
            (link_text if href is not None else parts).append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            (link_text if href is not None else parts).append("\n" if child.type == "hardbreak" else " ")
    return "".join(parts)


@functools.lru_cache(maxsize=REMEMBERED_ANSWERS)
def markdown_to_text(markdown: str, paragraph_break: str = "\n\n") -> str:
    """Plain text keeping paragraphs, list bullets and link targets.

    Chat replies pass ``paragraph_break="\n"``: Rasa's REST channel splits a text at blank lines
    into separate messages. The text of the latest REMEMBERED_ANSWERS Markdown texts is remembered: the same Markdown
    always gives the same text (an edited entry is new Markdown, parsed once).
    """
    lines: list[str] = []
    list_stack: list[list[int]] = []  # per open list: [is_ordered, counter]
    prefix = ""
    for token in _md.parse(markdown):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_stack.append([token.type == "ordered_list_open", 0])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
            if not list_stack:
                lines.append("")
        elif token.type == "list_item_open":
            ordered, _count = list_stack[-1]
            list_stack[-1][1] += 1
            indent = "  " * (len(list_stack) - 1)
            prefix = f"{indent}{list_stack[-1][1]}. " if ordered else f"{indent}• "
        elif token.type == "inline":
            text = _inline_text(token).strip()
            if prefix:
                lines.append(prefix + text)
                prefix = ""
            elif list_stack:
                lines.append("  " * len(list_stack) + text)
            else:
                lines.append(text)
        elif token.type in ("paragraph_close", "heading_close") and not list_stack:
            lines.append("")
        elif token.type in ("fence", "code_block"):
            lines.append(token.content.rstrip("\n"))
            lines.append("")
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    return paragraph_break.join(paragraphs)
