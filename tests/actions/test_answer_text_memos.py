"""What the action server works out once instead of on every turn (issue 22): a handbook answer's chat text (its
Markdown parsed once, helpdesk/knowledge/chat_text.py) and the bot's own templates in every language (read once per
template, actions/texts/catalog.py `in_every_language`). The text each gives is the one a fresh reading gives."""

from __future__ import annotations

from typing import Any

import pytest

from actions.texts import catalog
from helpdesk import i18n
from helpdesk.knowledge import chat_text

ANSWER = (
    "## Delivery\n\nParcels reach the Netherlands in **3-5 working days**.\n\n"
    "- tracked with DHL\n- free from €60\n\nSee [our delivery page](https://larkspur.example/delivery)."
)


def test_an_answer_is_parsed_once_and_reads_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    chat_text.markdown_to_text.cache_clear()
    parsed: list[str] = []
    parse = chat_text._md.parse

    def counting(markdown: str, env: Any = None) -> Any:
        parsed.append(markdown)
        return parse(markdown, env)

    monkeypatch.setattr(chat_text._md, "parse", counting)
    first = chat_text.markdown_to_text(ANSWER, paragraph_break="\n")
    again = [chat_text.markdown_to_text(ANSWER, paragraph_break="\n") for _ in range(5)]
    assert parsed == [ANSWER], f"the same answer was parsed {len(parsed)} times for 6 turns"
    assert again == [first] * 5
    assert first == (
        "Delivery\nParcels reach the Netherlands in 3-5 working days.\n• tracked with DHL\n• free from €60\n"
        "See our delivery page (https://larkspur.example/delivery)."
    )
    edited = ANSWER.replace("3-5", "2-4")  # an edited entry is new Markdown: read anew
    assert "2-4 working days" in chat_text.markdown_to_text(edited, paragraph_break="\n")
    assert chat_text.markdown_to_text(ANSWER).count("\n\n") == 3  # the other paragraph break is its own text


def test_templates_in_every_language_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog.in_every_language.cache_clear()
    fresh = {
        name: frozenset(catalog.orders.in_language(language, name) for language in i18n.LANGUAGES)
        for name in ("NEXT_REQUEST", "NEXT_REQUEST_OTHER_ORDER")
    }
    spoken: list[object] = []
    speaking = i18n.speaking

    def counting(language: object) -> Any:
        spoken.append(language)
        return speaking(language)

    monkeypatch.setattr(i18n, "speaking", counting)
    for _ in range(10):  # as for ten events of a conversation the actions look back over
        found = {name: catalog.in_every_language(catalog.orders, name) for name in fresh}
    assert found == fresh
    assert len(fresh["NEXT_REQUEST"]) == len(i18n.LANGUAGES) > 1  # English and Chinese differ
    assert len(spoken) == 2 * len(i18n.LANGUAGES), f"{len(spoken)} language switches for 10 look-ups of 2 templates"
