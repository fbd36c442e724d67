"""What the bot did with a first message, and whether that was right: right / clarify / handoff / wrong.

The outcome is read from the POST /api/chat response (docs/design.md, contract 3): `handoff.reason`, `faq.id`,
"Did you mean" buttons (`/faq{"faq_id": ...}` payloads) and `nlu.intent`.

In scope (the row names an intent, a handbook entry or a handoff):
- **right**: the bot ended in the expected route or one of the row's `accept` routes. An intent is matched
  when the bot acted on it without handing off (a payment_issue that answers from the handbook is still
  payment_issue); an entry when the bot answered from it; an expected handoff by any handoff (the customer
  reaches a person; whether the reason matched is counted apart).
- **clarify**: the bot asked back: "Did you mean" buttons, or it said it could not help without handing off.
- **handoff**: the bot handed the customer to a person although it should have answered.
- **wrong**: a confident answer from another entry, or another intent's reply or flow.

Out of scope (`{"handoff": "low_confidence"}`): **right** when refused (a handoff, "Did you mean" buttons, a
reply that says it cannot help) or when the bot ended in one of the row's `accept` routes; **wrong** when it
answered from the handbook or started a flow. How it refused is kept in `how`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from eval_sets import Case, Route

CATEGORIES = ("right", "clarify", "handoff", "wrong")
REFUSALS = ("handoff", "offered", "clarify", "declined", "accepted")
# no answer and no handoff: the bot said it cannot help, or answered small talk / invited the question (issue 16.3)
DECLINING_INTENTS = {"out_of_scope", "nlu_fallback", "chitchat", "vague_opener"}


@dataclass(frozen=True)
class Outcome:
    intent: str | None
    faq_id: str | None
    handoff: str | None
    suggested: tuple[str, ...] = ()
    language: str | None = None
    confidence: float | None = None
    offered_person: bool = False  # "Shall I get a person?" instead of a low-confidence handoff (the customer chooses)

    @classmethod
    def from_response(cls, body: dict[str, Any]) -> Outcome:
        nlu = body.get("nlu") or {}
        suggested = []
        for reply in body.get("replies") or []:
            for button in reply.get("buttons") or []:
                payload = str(button.get("payload", ""))
                if payload.startswith("/faq{"):
                    try:
                        faq_id = json.loads(payload[4:]).get("faq_id")
                    except (json.JSONDecodeError, AttributeError):
                        continue
                    if faq_id:
                        suggested.append(str(faq_id))
        confidence = nlu.get("confidence")
        return cls(
            intent=nlu.get("intent"),
            faq_id=(body.get("faq") or {}).get("id"),
            handoff=(body.get("handoff") or {}).get("reason"),
            suggested=tuple(suggested),
            language=body.get("language"),
            confidence=round(float(confidence), 3) if isinstance(confidence, int | float) else None,
            offered_person=bool(body.get("offer_person")),
        )

    @property
    def declined(self) -> bool:
        """No handoff, no answer, no suggestion, and an intent that means "I cannot help with that"."""
        return not (self.handoff or self.faq_id or self.suggested) and (self.intent or "") in DECLINING_INTENTS

    def describe(self) -> str:
        if self.handoff:
            return f"handoff: {self.handoff}"
        if self.offered_person:
            return f"offered a person (intent {self.intent})"
        if self.faq_id:
            return f"answered: {self.faq_id} (intent {self.intent})"
        if self.suggested:
            return f"did you mean: {', '.join(self.suggested)} (intent {self.intent})"
        return f"intent: {self.intent}"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "suggested": list(self.suggested)}


def matches(route: Route, outcome: Outcome) -> bool:
    kind, name = route
    if kind == "handoff":
        return outcome.handoff is not None
    if outcome.handoff:
        return False
    if kind == "faq_id":
        return outcome.faq_id == name
    return outcome.intent == name


@dataclass(frozen=True)
class Verdict:
    category: str  # one of CATEGORIES
    how: str = ""  # out of scope and right: one of REFUSALS; in scope and right: "expected" or "accepted"
    reason_matched: bool | None = None  # an expected handoff: whether its reason was the one named
    offered_right: bool = False  # clarify: the right entry was among the "Did you mean" buttons


def classify(case: Case, outcome: Outcome) -> Verdict:
    if case.out_of_scope:
        if any(matches(route, outcome) for route in case.accept):
            return Verdict("right", "accepted")
        if outcome.handoff:
            return Verdict("right", "handoff")
        if outcome.offered_person:
            return Verdict("right", "offered")
        if outcome.suggested:
            return Verdict("right", "clarify")
        if outcome.declined:
            return Verdict("right", "declined")
        return Verdict("wrong")
    reason = (outcome.handoff == case.expect[1]) if case.expect[0] == "handoff" else None
    if matches(case.expect, outcome):
        return Verdict("right", "expected", reason)
    if any(matches(route, outcome) for route in case.accept):
        return Verdict("right", "accepted", reason)
    if outcome.handoff or outcome.offered_person:
        return Verdict("handoff")
    wanted = {name for kind, name in (case.expect, *case.accept) if kind == "faq_id"}
    if outcome.suggested:
        return Verdict("clarify", offered_right=bool(wanted & set(outcome.suggested)))
    if outcome.declined:
        return Verdict("clarify")
    return Verdict("wrong")


def rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def summarise(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Counts and shares of each category over `rows` (each with "category", "out_of_scope", "how"), and how
    the out-of-scope rows among them were refused."""
    n = len(rows)
    counts = {category: sum(1 for row in rows if row["category"] == category) for category in CATEGORIES}
    oos = [row for row in rows if row["out_of_scope"]]
    refused = [row for row in oos if row["category"] == "right"]
    in_scope = [row for row in rows if not row["out_of_scope"]]
    return {
        "n": n,
        "counts": counts,
        "rates": {category: rate(count, n) for category, count in counts.items()},
        "in_scope": {
            "n": len(in_scope),
            "right": rate(sum(1 for row in in_scope if row["category"] == "right"), len(in_scope)),
            "wrong": rate(sum(1 for row in in_scope if row["category"] == "wrong"), len(in_scope)),
        },
        "out_of_scope": {
            "n": len(oos),
            "refused": len(refused),
            "refused_rate": rate(len(refused), len(oos)),
            "answered_wrongly": len(oos) - len(refused),
            "by": {how: sum(1 for row in refused if row["how"] == how) for how in REFUSALS},
        },
        "offered_right": sum(1 for row in rows if row.get("offered_right")),
    }
