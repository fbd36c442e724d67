"""Personal data out of a customer's words before they leave the helpdesk as training or evaluation data.

Order numbers and e-mail addresses are entities the bot must keep learning to find, so they are replaced by one
placeholder value each, the same everywhere (`ORDER_PLACEHOLDER`, `EMAIL_PLACEHOLDER`), and their places kept
for the NLU annotation (``[123456](order_id)``). Everything else the unanswered-questions report masks goes as
it does there (helpdesk.reports.unanswered.mask: names after "my name is", street addresses, postcodes, phone
and card numbers); names the helpdesk knows for the conversation (the customer's name from the shop, the name
left with an offline message) are masked wherever they occur, and so is a name the customer opens with ("Kim here, …").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from helpdesk.reports.unanswered import EMAIL, mask

ORDER_NUMBER = re.compile(r"(?<![0-9A-Za-z])1\d{5}(?![0-9A-Za-z])")  # as data/nlu/regex.yml finds them
ORDER_PLACEHOLDER = "123456"
EMAIL_PLACEHOLDER = "customer@example.com"
NAME_MASK = "[name]"
# a chat opened with the writer's name: "Kim here, …", "Hi, Bruno Diaz here …" (names after "my name is" are mask's)
SIGNED = re.compile(r"^((?:(?i:hi|hello|hey)[,!]?\s+)?)([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)(\s+here\b)")
_ORDER, _EMAIL = "\ue000", "\ue001"  # private-use characters hold the entities' places while the rest is masked
PLACEHOLDERS = {_ORDER: (ORDER_PLACEHOLDER, "order_id"), _EMAIL: (EMAIL_PLACEHOLDER, "email")}


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    entity: str
    value: str


@dataclass(frozen=True)
class Masked:
    """A customer's words with personal data masked, and where the placeholder entities are."""

    text: str
    entities: tuple[Entity, ...]

    def annotated(self) -> str:
        """Rasa's training-data markup: ``where is [123456](order_id)``; brackets in the text are kept literal
        only where they cannot be read as an annotation."""
        out, at = [], 0
        for e in self.entities:
            out.append(self.text[at : e.start])
            out.append(f"[{self.text[e.start : e.end]}]({e.entity})")
            at = e.end
        out.append(self.text[at:])
        return "".join(out)


def _name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    words: set[str] = set()
    for name in names:
        name = " ".join(str(name).split())
        if len(name) < 2:
            continue
        words.add(name)
        words.update(part for part in name.split() if len(part) >= 3)  # "Ann Lee" also goes as "Lee"
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def mask_for_export(text: str, known_names: Iterable[str] = ()) -> Masked:
    text = _ORDER_OR_EMAIL_GUARD.sub("", text)  # the placeholders' own characters never come from outside
    text = EMAIL.sub(_EMAIL, text)
    text = ORDER_NUMBER.sub(_ORDER, text)
    names = _name_pattern(known_names)
    if names is not None:
        text = names.sub(NAME_MASK, text)
    text = SIGNED.sub(lambda m: m.group(1) + NAME_MASK + m.group(3), text.strip())
    text = mask(text)
    entities, out = [], []
    length = 0
    for char in text:
        if char in PLACEHOLDERS:
            value, entity = PLACEHOLDERS[char]
            entities.append(Entity(length, length + len(value), entity, value))
            out.append(value)
            length += len(value)
        else:
            out.append(char)
            length += 1
    return Masked("".join(out), tuple(entities))


_ORDER_OR_EMAIL_GUARD = re.compile(f"[{_ORDER}{_EMAIL}]")
