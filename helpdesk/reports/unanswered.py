"""The unanswered-questions report for handbook editors, the handbook's coverage over time, and entry drafts.

Everything is read from the stored conversations (no extra bookkeeping):

- A **question to the bot** is a customer message the bot parsed (``messages.nlu`` is set) that the customer
  typed (no button ``payload``).
- Its **outcome** is read from what followed it, up to the customer's next message: ``answered`` when a bot
  reply carries ``messages.faq`` (answered from the handbook, confidently); ``suggested`` when a bot reply
  offered handbook entries as "Did you mean" buttons; ``low_confidence`` / ``failed_turns`` when the
  conversation was handed off for that reason at that turn, or a person was offered for it
  (``messages.offered_person``); ``other`` for the routine intents (orders,
  greetings, ...). The first four are the **FAQ path**.
- A question is **unanswered** when its outcome is ``low_confidence`` or ``failed_turns``; when the customer
  turned the suggestions down ("None of these: talk to a person" came next); when the customer said the bot's
  answer did not help (👎 in the widget, ``messages.helpful`` false: helpdesk/conversation/feedback.py), whatever
  the answer was, a handbook entry or a flow the bot started; or when, on the FAQ path and not answered, its
  stored FAQ candidates (``messages.faq_candidates``, gathered at handoff) scored under the suggest threshold
  (decision ``handoff``). The answers marked 👎 are listed with their group.
- An agent's correction of the bot's reading of a question (helpdesk/corrections/: "Bot got this wrong", not
  rejected by a reviewer) makes it unanswered too, with what the agent said was right.
- **Coverage** of a day: the share of that day's FAQ-path questions that were answered.

Questions that differ only by typos ("how long is shiping to germany" / "how long is shipping to germany": same
words but for one or two a letter or two apart) count as one, under the most asked spelling. Questions an editor
set aside (dismissed or "won't fix": helpdesk/reports/set_aside.py) are listed apart, not grouped.

Unanswered questions are grouped by meaning in the action server (POST /kb/cluster: the embedding model
lives there), ranked by volume; each group has up to 5 examples (every one under ``all_examples``), its closest
handbook entry, a clean question to title a draft with and tags from the group (cluster_groups.py). E-mail
addresses and long numbers in the customers' words are masked before anything leaves this module.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.clients.action_server import ActionServerClient, ActionServerUnavailable
from helpdesk.db.models import (
    CORRECTION_FAQ,
    CORRECTION_INTENT,
    REVIEW_REJECTED,
    Agent,
    Correction,
    Handoff,
    Message,
    aware,
)
from helpdesk.knowledge.clusters import MAX_TEXTS
from helpdesk.knowledge.entry_form import from_markdown
from helpdesk.knowledge.handbook import ID_PATTERN, assemble_handbook, load_handbook, normalize_question, parse_path
from helpdesk.reports.article_votes import article_votes
from helpdesk.reports.periods import DateRange
from helpdesk.reports.set_aside import aside_keys, key_of
from helpdesk.vocabulary import (
    HANDOFF_FAILED_TURNS,
    HANDOFF_LOW_CONFIDENCE,
    REQUEST_HUMAN,
    SENDER_AGENT,
    SENDER_BOT,
    SENDER_CUSTOMER,
)

ANSWERED, SUGGESTED, OTHER = "answered", "suggested", "other"
UNANSWERED_HANDOFFS = (HANDOFF_LOW_CONFIDENCE, HANDOFF_FAILED_TURNS)
FAQ_PATH = (ANSWERED, SUGGESTED, *UNANSWERED_HANDOFFS)
REJECTED = "suggestions_rejected"
NOT_HELPFUL = "not_helpful"  # the customer's 👎 on the bot's answer
CORRECTED = "corrected"  # an agent said the bot got it wrong (helpdesk/corrections/)
ANSWER_EXCERPT = 160
EXAMPLES = 5
DEFAULT_DAYS = 30
REPLY_WINDOW = timedelta(hours=1)  # a turn's replies and handoff are stored within this of the question
ID_CHUNK = 500
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LONG_NUMBER = re.compile(r"\+?\d[\d\s().-]{3,}\d")
_STOPWORD_TEXT = """
a an the i im me my we our you your yours it its is are was were be been do does did can could
would should will shall may might must to of in on at for from by with about as and or but if so
not no there here this that these those what which who whom how when where why please hi hello hey
thanks thank get got have has had any some just also theres dont cant
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())  # left out of drafted entry ids


# names as customers give them ("my name is Ann Lee", "I'm Bruno", "我叫王小明"): the introduction stays, the name goes
NAME = re.compile(
    r"\b((?i:my name is|my name's|name is|i am|i'm|i’m|this is|call me|name:)\s+)"
    r"[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|van|de|der|von|da|di|le|la))*(?:\s+[A-Z][\w'’-]+)?"
    r"|((?:我叫|我的名字是|名字叫|名字是|姓名[:：]?)\s*)[\u4e00-\u9fff]{2,4}"
)
# street addresses: a house number, up to four words and a street word; Chinese: …路/街/道/巷/弄 + 号
STREET = re.compile(
    r"\b\d{1,5}[a-z]?,?\s+(?:[\w'’.-]+\s+){0,3}?(?i:street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|close|"
    r"court|ct|place|pl|boulevard|blvd|crescent|cres|terrace|gardens|square|sq|row|parade|straat|strasse|straße|"
    r"weg|laan|gracht|plein|rue|via|calle)\b\.?"
    r"|[\u4e00-\u9fff]{1,12}(?:路|街|道|巷|弄)\s*\d+\s*号(?:[\u4e00-\u9fff\d\s]{0,12}(?:室|楼|栋|单元))?",
    re.IGNORECASE,
)
# postcodes: UK, Canadian, Dutch-style; any after the word postcode / zip (longer ones go as numbers)
POSTCODE = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b|\b\d{4}\s?[A-Z]{2}\b"
    r"|((?i:post\s?code|postal code|zip(?:\s?code)?|邮编|邮政编码)[\s:：]*)"
    r"[A-Za-z0-9-]*\d[A-Za-z0-9-]*(?:\s[A-Za-z0-9]{2,3}\b)?"
)


def mask(text: str) -> str:
    """The customer's words without e-mail addresses, names, street addresses, postcodes or long numbers (order,
    phone, card numbers)."""
    text = EMAIL.sub("[e-mail]", " ".join(text.split()))
    text = NAME.sub(lambda m: (m.group(1) or m.group(2) or "") + "[name]", text)
    text = STREET.sub("[address]", text)
    text = POSTCODE.sub(lambda m: (m.group(1) or "") + "[postcode]", text)
    return LONG_NUMBER.sub(lambda m: "[number]" if sum(c.isdigit() for c in m.group()) >= 5 else m.group(), text)


# ---- turns and their outcomes -------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A bot answer as the report shows it: the handbook entry it came from, or the start of its text (masked)."""

    faq_id: str | None
    text: str
    title: str | None = None  # the entry's title as the customer was shown it (the editors' pages name entries by it)

    @classmethod
    def of(cls, message: Message) -> Answer:
        faq = message.faq if isinstance(message.faq, dict) else {}
        faq_id, title = faq.get("id"), faq.get("title")
        text = mask(message.text)
        if len(text) > ANSWER_EXCERPT:
            text = text[: ANSWER_EXCERPT - 1].rstrip() + "…"
        return cls(str(faq_id) if faq_id else None, text, title if faq_id and isinstance(title, str) else None)

    def to_json(self) -> dict[str, str | None]:
        return {"faq_id": self.faq_id, "title": self.title, "text": self.text}


@dataclass
class Turn:
    message_id: int
    conversation_id: str
    text: str
    created_at: datetime
    faq_decision: str | None
    outcome: str = OTHER
    rejected: bool = False  # the customer answered the suggestions with "talk to a person"
    not_helpful: Answer | None = None  # the answer the customer marked 👎
    language: str = "en"  # the question's (en | zh, by script)
    corrected: str | None = None  # what an agent said was right instead, in words

    @property
    def on_faq_path(self) -> bool:
        return self.outcome in FAQ_PATH

    @property
    def unanswered(self) -> bool:
        if self.outcome in UNANSWERED_HANDOFFS or self.rejected or self.not_helpful is not None:
            return True
        if self.corrected is not None:
            return True
        return self.outcome == SUGGESTED and self.faq_decision == "handoff"


def _offers_entries(message: Message) -> bool:
    return any(str(b.get("payload", "")).startswith("/faq") for b in message.buttons or [])


def turns_of(messages: Sequence[Message], handoffs: Sequence[Handoff]) -> list[Turn]:
    """One conversation's questions to the bot with their outcomes (messages and handoffs in id order)."""
    turns: list[Turn] = []
    by_message: dict[int, Turn] = {}
    current: Turn | None = None
    bot_parsed: list[Message] = []  # customer messages the bot saw, typed or pressed, for the handoffs
    for message in messages:
        if message.sender == SENDER_CUSTOMER:
            if current is not None and current.outcome == SUGGESTED and message.payload == REQUEST_HUMAN:
                current.rejected = True
            current = None
            if message.nlu is None:
                continue  # during a handoff: for the agent, not a question to the bot
            bot_parsed.append(message)
            if message.payload is None:
                candidates = message.faq_candidates if isinstance(message.faq_candidates, dict) else {}
                current = Turn(
                    message.id,
                    message.conversation_id,
                    message.text,
                    aware(message.created_at),
                    candidates.get("decision"),
                    language=message.language or "en",
                )
                turns.append(current)
                by_message[message.id] = current
        elif message.sender == SENDER_BOT and current is not None:
            if message.faq:
                current.outcome = ANSWERED
            elif _offers_entries(message) and current.outcome == OTHER:
                current.outcome = SUGGESTED
            elif message.offered_person in UNANSWERED_HANDOFFS and current.outcome in (OTHER, SUGGESTED):
                current.outcome = str(message.offered_person)  # no good answer: a person was offered instead
            if message.helpful is False:
                current.not_helpful = Answer.of(message)
    for handoff in handoffs:
        if handoff.reason not in UNANSWERED_HANDOFFS:
            continue
        at = aware(handoff.created_at)
        before = [m for m in bot_parsed if aware(m.created_at) <= at]
        turn = by_message.get(before[-1].id) if before else None
        if turn is not None and turn.outcome != ANSWERED:
            turn.outcome = handoff.reason
    return turns


async def customer_questions(session: AsyncSession, period: DateRange, limit: int) -> list[str]:
    """The distinct questions customers asked the bot in the period (case, spacing and punctuation aside),
    masked, most asked first: what a handbook change's impact preview is tried on."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for turn in await load_turns(session, period):
        text = mask(turn.text)
        key = normalize_question(text)
        if key:
            counts[key] += 1
            shown.setdefault(key, text)
    return [shown[key] for key, _ in counts.most_common(limit)]


async def load_turns(session: AsyncSession, period: DateRange) -> list[Turn]:
    """Every question to the bot asked in the period, with its outcome."""
    conversation_ids = list(
        await session.scalars(
            select(Message.conversation_id)
            .where(
                Message.sender == SENDER_CUSTOMER,
                Message.nlu.is_not(None),
                Message.created_at >= period.start,
                Message.created_at < period.end,
            )
            .distinct()
        )
    )
    turns: list[Turn] = []
    for offset in range(0, len(conversation_ids), ID_CHUNK):
        chunk = conversation_ids[offset : offset + ID_CHUNK]
        messages = await session.scalars(
            select(Message)
            .where(
                Message.conversation_id.in_(chunk),
                Message.created_at >= period.start,
                Message.created_at < period.end + REPLY_WINDOW,
            )
            .order_by(Message.id)
        )
        handoffs = await session.scalars(
            select(Handoff)
            .where(
                Handoff.conversation_id.in_(chunk),
                Handoff.created_at >= period.start,
                Handoff.created_at < period.end + REPLY_WINDOW,
            )
            .order_by(Handoff.id)
        )
        grouped: dict[str, tuple[list[Message], list[Handoff]]] = {cid: ([], []) for cid in chunk}
        for message in messages:
            grouped[message.conversation_id][0].append(message)
        for handoff in handoffs:
            grouped[handoff.conversation_id][1].append(handoff)
        for conversation_messages, conversation_handoffs in grouped.values():
            turns += [t for t in turns_of(conversation_messages, conversation_handoffs) if t.created_at < period.end]
    await _mark_corrections(session, turns)
    return turns


def correction_words(correction: Correction, by: str | None) -> str:
    """What the agent said was right, in words ("handbook entry refund-policy", "request cancel_order")."""
    if correction.kind == CORRECTION_FAQ:
        right = f"handbook entry {correction.label}"
    elif correction.kind == CORRECTION_INTENT:
        right = f"request {correction.label}"
    else:
        right = "a question the handbook does not answer yet"
    return f"{right} (said by {by})" if by else right


async def _mark_corrections(session: AsyncSession, turns: list[Turn]) -> None:
    """Mark the turns an agent corrected (corrections not rejected by a reviewer)."""
    by_message = {turn.message_id: turn for turn in turns}
    ids = list(by_message)
    for offset in range(0, len(ids), ID_CHUNK):
        rows = await session.execute(
            select(Correction, Agent.display_name)
            .outerjoin(Agent, Agent.id == Correction.agent_id)
            .where(Correction.message_id.in_(ids[offset : offset + ID_CHUNK]), Correction.status != REVIEW_REJECTED)
        )
        for correction, by in rows:
            by_message[correction.message_id].corrected = correction_words(correction, by)


def coverage(turns: Iterable[Turn], period: DateRange) -> list[dict[str, Any]]:
    """Per day: FAQ-path questions, how many were answered from the handbook, and the share."""
    asked: Counter[date] = Counter()
    answered: Counter[date] = Counter()
    for turn in turns:
        if turn.on_faq_path:
            day = period.day_of(turn.created_at)
            asked[day] += 1
            answered[day] += turn.outcome == ANSWERED
    return [
        {
            "date": day.isoformat(),
            "questions": asked[day],
            "answered": answered[day],
            "share": round(answered[day] / asked[day], 4) if asked[day] else None,
        }
        for day in period.days()
    ]


# ---- the report -----------------------------------------------------------------------------------


@dataclass
class Question:
    """One distinct unanswered question (case, spacing and punctuation aside), how often it was asked."""

    text: str
    count: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    not_helpful: Counter[Answer] = field(default_factory=Counter)  # the answers marked 👎
    asked_in: list[tuple[str, int]] = field(default_factory=list)  # (conversation, message id), the first few
    corrected: Counter[str] = field(default_factory=Counter)  # what agents said was right instead
    spellings: Counter[str] = field(default_factory=Counter)  # the typo variants merged into it

    def absorb(self, other: Question) -> None:
        self.count += other.count
        self.reasons.update(other.reasons)
        self.not_helpful.update(other.not_helpful)
        self.corrected.update(other.corrected)
        self.asked_in += other.asked_in[: max(0, REPLY_PLACES - len(self.asked_in))]
        self.spellings[other.text] += other.count


def distinct_questions(turns: Iterable[Turn]) -> list[Question]:
    """The unanswered questions, masked and merged by their normalised text and then by typos, most asked
    first."""
    found: dict[str, Question] = {}
    for turn in turns:
        if not turn.unanswered:
            continue
        text = mask(turn.text)
        key = normalize_question(text) or text
        question = found.setdefault(key, Question(text))
        question.count += 1
        if len(question.asked_in) < REPLY_PLACES:
            question.asked_in.append((turn.conversation_id, turn.message_id))
        if turn.corrected is not None:
            question.reasons[CORRECTED] += 1
            question.corrected[turn.corrected] += 1
        elif turn.not_helpful is not None:
            question.reasons[NOT_HELPFUL] += 1
            question.not_helpful[turn.not_helpful] += 1
        else:
            question.reasons[REJECTED if turn.rejected else turn.outcome] += 1
    return merge_typos(sorted(found.values(), key=lambda q: (-q.count, q.text)))


TYPO_WORDS = 2  # at most this many words may differ...
TYPO_WORD_RATIO = 0.75  # ...each close to the other spelling (difflib ratio), same first letter, 4+ letters
TYPO_MIN_WORDS = 3


def is_typo_of(words: Sequence[str], other: Sequence[str]) -> bool:
    """The same question but for a typo or two: same number of words, at most TYPO_WORDS differ, each pair a
    few letters apart ("shiping" / "shipping", "retrun" / "return"), never "shoes" / "shorts"."""
    if len(words) != len(other) or len(words) < TYPO_MIN_WORDS:
        return False
    differ = [(a, b) for a, b in zip(words, other, strict=True) if a != b]
    return 0 < len(differ) <= TYPO_WORDS and all(
        a[0] == b[0] and min(len(a), len(b)) >= 4 and SequenceMatcher(None, a, b).ratio() >= TYPO_WORD_RATIO
        for a, b in differ
    )


def merge_typos(questions: list[Question]) -> list[Question]:
    """Questions (most asked first) with typo variants merged into the most asked spelling."""
    kept: list[Question] = []
    by_shape: dict[tuple[str, ...], list[tuple[list[str], Question]]] = {}  # by each word's first letter
    for question in questions:
        words = normalize_question(question.text).split()
        shape = tuple(word[0] for word in words)
        home = next((q for other, q in by_shape.get(shape, []) if is_typo_of(words, other)), None)
        if home is None:
            kept.append(question)
            by_shape.setdefault(shape, []).append((words, question))
        else:
            home.absorb(question)
    return sorted(kept, key=lambda q: (-q.count, q.text))


REPLY_PLACES = 5  # conversations of a group searched for an agent's reply (drafts start from it)


async def agent_reply(session: AsyncSession, places: Sequence[tuple[str, int]]) -> str | None:
    """The first thing an agent wrote after one of these questions, masked (a draft's answer starts from it)."""
    for conversation_id, message_id in places[:REPLY_PLACES]:
        text = await session.scalar(
            select(Message.text)
            .where(
                Message.conversation_id == conversation_id,
                Message.id > message_id,
                Message.sender == SENDER_AGENT,
            )
            .order_by(Message.id)
            .limit(1)
        )
        if text and mask(text).strip():
            return mask_reply(text)
    return None


def mask_reply(text: str) -> str:
    """An agent's reply without the customer's personal data, line breaks kept (Markdown)."""
    return "\n".join(mask(line) for line in text.strip().split("\n"))


async def build_report(
    session: AsyncSession, actions: ActionServerClient, period: DateRange, language: str | None = None
) -> dict[str, Any]:
    """The report for ``period``; with ``language`` (en | zh), the questions asked in that language only."""
    turns = [t for t in await load_turns(session, period) if language is None or t.language == language]
    aside = await aside_keys(session)
    every = distinct_questions(turns)
    questions = [q for q in every if key_of(q.text) not in aside]
    clustered = questions[:MAX_TEXTS]
    groups: list[dict[str, Any]] | None = []
    if clustered:
        try:
            groups = await actions.cluster([q.text for q in clustered])
        except ActionServerUnavailable:
            groups = None  # the report still lists the coverage; "clustered": false tells the page why
    clusters: list[dict[str, Any]] = []
    for group in groups or []:
        members = [clustered[i] for i in group.get("members", []) if isinstance(i, int) and 0 <= i < len(clustered)]
        if not members:
            continue
        reasons: Counter[str] = Counter()
        not_helpful: Counter[Answer] = Counter()
        corrected: Counter[str] = Counter()
        for member in members:
            reasons.update(member.reasons)
            not_helpful.update(member.not_helpful)
            corrected.update(member.corrected)
        clusters.append(
            {
                "count": sum(m.count for m in members),
                "distinct": len(members),
                "examples": [m.text for m in members[:EXAMPLES]],
                "all_examples": [  # every one, most asked first, with the typo spellings merged into it
                    {"text": m.text, "count": m.count, "spellings": sorted(m.spellings)} for m in members
                ],
                "reasons": dict(reasons),
                "not_helpful": [{**answer.to_json(), "count": n} for answer, n in not_helpful.most_common(EXAMPLES)],
                "corrected": [{"said": said, "count": n} for said, n in corrected.most_common(EXAMPLES)],
                "closest": group.get("closest"),
                "title": group.get("title") or as_title(members[0].text),
                "tags": [t for t in group.get("tags") or [] if isinstance(t, str)],
                "agent_reply": await agent_reply(session, [place for m in members for place in m.asked_in]),
            }
        )
    clusters.sort(key=lambda c: (-c["count"], c["examples"][0]))
    faq_path = [t for t in turns if t.on_faq_path]
    return {
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "tz": period.tz.key,
        "language": language,
        "questions": len(turns),
        "faq_questions": len(faq_path),
        "answered": sum(t.outcome == ANSWERED for t in faq_path),
        "unanswered": sum(q.count for q in questions),
        "distinct_unanswered": len(questions),
        # questions editors set aside (dismissed / won't fix): not grouped, listed with who and when
        "set_aside": [
            {
                "text": q.text,
                "count": q.count,
                "kind": aside[key_of(q.text)].kind,
                "by": aside[key_of(q.text)].by,
                "at": aside[key_of(q.text)].at.isoformat(),
            }
            for q in every
            if key_of(q.text) in aside
        ],
        "clustered": groups is not None,
        "clusters": clusters,
        "coverage": coverage(turns, period),
        # the help centre's "Was this helpful?" per article (helpdesk/reports/article_votes.py), most 👎 first
        "article_votes": await _article_votes(session, actions, period),
    }


async def _article_votes(session: AsyncSession, actions: ActionServerClient, period: DateRange) -> list[dict[str, Any]]:
    tallies = await article_votes(session, period)
    titles: dict[str, str] = {}
    if tallies:
        with contextlib.suppress(ActionServerUnavailable):  # without titles the ids still show
            titles = {str(e.get("id")): str(e.get("title")) for e in await actions.entries()}
    return [{**tally.to_json(), "title": titles.get(tally.faq_id)} for tally in tallies]


# ---- drafting a handbook entry -------------------------------------------------------------------


def entry_id_from(text: str, taken: set[str]) -> str:
    """A new, valid id from a question's content words ("Do you sell gift cards?" → "sell-gift-cards")."""
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower().replace("'", "")) if w not in STOPWORDS]
    base = "-".join(words[:5])[:60].strip("-") or "new-question"
    if not ID_PATTERN.match(base):
        base = "new-question"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def as_title(text: str) -> str:
    text = " ".join(text.split())
    text = text[:1].upper() + text[1:]
    return text if text[-1:] in "?.!" else text + "?"


@dataclass(frozen=True)
class Draft:
    entry_id: str
    filename: str
    text: str
    problems: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        form = from_markdown(self.entry_id, self.text)
        entry = {**form.to_json(), "answer": ""}  # the note on where to write it is for the file, not the form
        return {
            "id": self.entry_id,
            "filename": self.filename,
            "text": self.text,
            "problems": self.problems,
            "entry": entry,
        }


ANSWER_NOTE = "# Write the answer below the closing '---' line: kb validate refuses this file until you do."


def draft_text(
    examples: Sequence[str], handbook: Path, tags: Sequence[str], title: str | None = None
) -> tuple[str, str]:
    """(new entry id, Markdown file) for a group of questions: the title (the group's clean question when given,
    else the first example as a question), the other examples as questions, the group's tags (none when it has
    none: tags are optional), the answer left for the editor."""
    existing = load_handbook(handbook)
    taken = set(existing.entries) | {p.entry_id for p in existing.files if p.entry_id}
    asked = {normalize_question(text) for parsed in existing.files for text, _ in parsed.question_lines}
    cleaned = [mask(e) for e in examples if mask(e)]
    fresh = [e for e in cleaned if normalize_question(e) not in asked] or cleaned
    title = as_title(mask(title)) if title and mask(title).strip() else as_title(fresh[0])
    questions, seen = [], {normalize_question(title)}
    for example in fresh:
        key = normalize_question(example)
        if key and key not in seen and key not in asked:
            seen.add(key)
            questions.append(" ".join(example.split()))
    entry_id = entry_id_from(title, taken)
    front: dict[str, Any] = {"id": entry_id, "title": title}
    if questions:
        front["questions"] = questions
    chosen = [t.strip() for t in tags if isinstance(t, str) and t.strip()]
    if chosen:
        front["tags"] = chosen
    dumped = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)
    return entry_id, f"---\n{dumped}{ANSWER_NOTE}\n---\n"


def draft_problems(text: str, filename: str, handbook: Path) -> list[dict[str, Any]]:
    """The handbook's own validation of the draft as if it were added to the handbook (file and cross-file)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / filename
        path.write_text(text, encoding="utf-8")
        parsed = parse_path(path)
        existing = load_handbook(handbook)
        together = assemble_handbook(handbook, [*existing.files, parsed])
        return [{"line": p.line, "message": p.message} for p in together.problems if p.path == path]


def make_draft(examples: Sequence[str], handbook: Path, tags: Sequence[str], title: str | None = None) -> Draft:
    entry_id, text = draft_text(examples, handbook, tags, title)
    filename = f"{entry_id}.md"
    return Draft(entry_id, filename, text, draft_problems(text, filename, handbook))


async def draft_for(handbook: Path, examples: Sequence[str], title: str | None, tags: Sequence[str]) -> Draft:
    """A draft for a group: its clean title and its tags as the report gave them (cluster_groups.py)."""
    return await asyncio.to_thread(make_draft, examples, handbook, tags, title)
