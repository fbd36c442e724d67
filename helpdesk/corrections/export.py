"""The accepted corrections (and the customers' 👎) as files the team reviews before anything is trained on them.

    python -m helpdesk corrections export [--out DIR]        (default var/corrections)

writes into DIR, never into data/:

- ``nlu_en.yml``, ``nlu_zh.yml``: Rasa NLU training examples, one block per intent (a handbook entry's
  questions go under ``faq``, one block per entry, its ``metadata: {entry: <id>}`` naming the entry, with which
  the NLU indexes them: nlu_addons/handbook_index.py). Copy what you agree with
  into data/nlu/ (or data/nlu/zh/) and retrain.
- ``handbook_questions.yml``: per handbook entry, the customers' (masked) wordings agents said it answers: the
  entry's ``questions:`` in knowledge/faq/ are what the router matches, so an editor adds the good ones there.
- ``routing.jsonl``: rows of a routing evaluation set in eval/routing/'s format (``text``, ``expect``,
  ``style``: "correction") plus ``language``, ``source`` and ``bot`` (what the bot did). A "new question" and
  "not about the shop" expect ``{"handoff": "low_confidence"}``: refusing is right, a confident answer wrong.
  ``bench/eval_corrections.py`` (make eval: "from agents' corrections") routes them.
- ``not_helpful.jsonl``: every 👎 customers gave a bot answer in the last year ({text, answer_faq_id, intent,
  verdict, at}), the same rows as ``python -m helpdesk feedback export``: answers that did not help these words.
- ``summary.json``: counts, and when and from which database state the export was made.

Only accepted corrections are exported; personal data is masked first (helpdesk.corrections.masking).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.corrections.masking import Masked, mask_for_export
from helpdesk.db.models import (
    CORRECTION_FAQ,
    CORRECTION_INTENT,
    CORRECTION_NEW_QUESTION,
    REVIEW_ACCEPTED,
    Conversation,
    Correction,
    Message,
    iso,
)
from helpdesk.reports.feedback import NOT_HELPFUL, feedback_rows
from helpdesk.reports.periods import DateRange

LANGUAGES = ("en", "zh")
OUT_OF_SCOPE = {"handoff": "low_confidence"}
# intents the routing sets label as the handoff they lead to (eval/routing/README.md)
HANDOFF_INTENTS = {"request_human": "requested", "complaint": "complaint", "out_of_scope": "low_confidence"}
FEEDBACK_DAYS = 366  # the 👎 rows: the last year (the longest range a report takes)


@dataclass(frozen=True)
class Example:
    """One accepted correction, masked."""

    correction_id: int
    language: str
    kind: str
    label: str | None
    masked: Masked
    bot_intent: str | None
    bot_faq_id: str | None
    reviewed_at: str | None

    @property
    def expect(self) -> dict[str, str]:
        if self.kind == CORRECTION_NEW_QUESTION:
            return dict(OUT_OF_SCOPE)
        if self.kind == CORRECTION_FAQ:
            return {"faq_id": str(self.label)}
        label = str(self.label)
        return {"handoff": HANDOFF_INTENTS[label]} if label in HANDOFF_INTENTS else {"intent": label}


def known_names(conversation: Conversation | None) -> list[str]:
    """Names the helpdesk holds for the conversation: the shop's customer name, the offline contact's name."""
    if conversation is None:
        return []
    names = []
    slots = conversation.slots if isinstance(conversation.slots, dict) else {}
    contact = conversation.offline_contact if isinstance(conversation.offline_contact, dict) else {}
    for value in (slots.get("customer_name"), contact.get("name")):
        if isinstance(value, str) and value.strip():
            names.append(value.strip())
    return names


async def accepted_examples(session: AsyncSession) -> list[Example]:
    rows = await session.execute(
        select(Correction, Message, Conversation)
        .join(Message, Message.id == Correction.message_id)
        .join(Conversation, Conversation.id == Correction.conversation_id)
        .where(Correction.status == REVIEW_ACCEPTED)
        .order_by(Correction.id)
    )
    found = []
    for correction, message, conversation in rows.all():
        nlu = message.nlu if isinstance(message.nlu, dict) else {}
        candidates = message.faq_candidates if isinstance(message.faq_candidates, dict) else {}
        top = candidates.get("candidates") or []
        found.append(
            Example(
                correction_id=correction.id,
                language=message.language if message.language in LANGUAGES else "en",
                kind=correction.kind,
                label=correction.label,
                masked=mask_for_export(message.text, known_names(conversation)),
                bot_intent=nlu.get("intent"),
                bot_faq_id=top[0].get("id") if top and isinstance(top[0], dict) else None,
                reviewed_at=iso(correction.reviewed_at),
            )
        )
    return found


class _Literal(str):
    """A YAML block scalar (Rasa's ``examples: |``)."""


def _literal(dumper: yaml.SafeDumper, value: _Literal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")


yaml.SafeDumper.add_representer(_Literal, _literal)


def nlu_yaml(examples: list[Example], language: str, made_at: str) -> str:
    """Rasa NLU training data (version 3.1) for one language: intents first, then one faq block per entry."""
    by_intent: dict[str, list[str]] = defaultdict(list)
    by_entry: dict[str, list[str]] = defaultdict(list)
    for example in examples:
        if example.language != language:
            continue
        line = example.masked.annotated().replace("\n", " ").strip()
        chosen = (
            by_intent if example.kind == CORRECTION_INTENT else by_entry if example.kind == CORRECTION_FAQ else None
        )
        if chosen is not None and example.label and line not in chosen[example.label]:
            chosen[example.label].append(line)
    head = (
        f"# Agents' corrections accepted by a reviewer ({language}), exported {made_at} by\n"
        "# `python -m helpdesk corrections export`. Personal data masked (order numbers and e-mail addresses\n"
        "# replaced by one placeholder each). Review, then copy what you agree with into data/nlu/ and retrain.\n"
    )
    blocks: list[str] = []
    for intent in sorted(by_intent):
        blocks.append(_block(intent, by_intent[intent]))
    for entry in sorted(by_entry):
        blocks.append(f"# {entry}\n" + _block("faq", by_entry[entry], entry))
    body = "nlu:\n" + "".join(blocks) if blocks else "nlu: []\n"
    return head + 'version: "3.1"\n\n' + body


def _block(intent: str, lines: list[str], entry: str | None = None) -> str:
    """One intent block; a faq block's ``entry`` goes into its metadata, as in data/nlu/faq_*.yml."""
    metadata = {"metadata": {"entry": entry}} if entry else {}
    dumped = yaml.safe_dump(
        [{"intent": intent, **metadata, "examples": _Literal("".join(f"- {line}\n" for line in lines))}],
        allow_unicode=True,
        sort_keys=False,
        width=10_000,
    )
    return str(dumped)


def routing_rows(examples: list[Example]) -> list[dict[str, Any]]:
    return [
        {
            "text": e.masked.text,
            "expect": e.expect,
            "style": "correction",
            "language": e.language,
            "source": f"correction:{e.correction_id}",
            "bot": {"intent": e.bot_intent, "faq_id": e.bot_faq_id},
        }
        for e in examples
    ]


def handbook_questions(examples: list[Example]) -> dict[str, dict[str, list[str]]]:
    found: dict[str, dict[str, list[str]]] = {}
    for e in examples:
        if e.kind == CORRECTION_FAQ and e.label:
            wordings = found.setdefault(e.label, {}).setdefault(e.language, [])
            if e.masked.text not in wordings:
                wordings.append(e.masked.text)
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class ExportSummary:
    out: Path
    files: dict[str, int]  # file name → rows
    accepted: int
    not_helpful: int

    def to_json(self) -> dict[str, Any]:
        return {"out": str(self.out), "files": self.files, "accepted": self.accepted, "not_helpful": self.not_helpful}


async def export(session: AsyncSession, out: Path) -> ExportSummary:
    """Write the export files into `out` (made if missing; the files in it are replaced)."""
    made_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    examples = await accepted_examples(session)
    period = DateRange.parse(None, None, "UTC", default_days=FEEDBACK_DAYS)
    verdicts = [row for row in await feedback_rows(session, period) if row["verdict"] == NOT_HELPFUL]
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, int] = {}
    for language in LANGUAGES:
        name = f"nlu_{language}.yml"
        (out / name).write_text(nlu_yaml(examples, language, made_at), encoding="utf-8")
        files[name] = sum(1 for e in examples if e.language == language and e.kind != CORRECTION_NEW_QUESTION)
    questions = handbook_questions(examples)
    (out / "handbook_questions.yml").write_text(
        "# Customers' wordings agents said these handbook entries answer (accepted, masked): add the good ones to\n"
        "# the entry's questions: in knowledge/faq/ (Chinese ones under zh:).\n"
        + (yaml.safe_dump(questions, allow_unicode=True, sort_keys=True, width=10_000) if questions else "{}\n"),
        encoding="utf-8",
    )
    files["handbook_questions.yml"] = sum(len(w) for by_language in questions.values() for w in by_language.values())
    rows = routing_rows(examples)
    _write_jsonl(out / "routing.jsonl", rows)
    files["routing.jsonl"] = len(rows)
    _write_jsonl(out / "not_helpful.jsonl", verdicts)
    files["not_helpful.jsonl"] = len(verdicts)
    summary = ExportSummary(out, files, len(examples), len(verdicts))
    (out / "summary.json").write_text(
        json.dumps({**summary.to_json(), "made_at": made_at}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return summary


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
