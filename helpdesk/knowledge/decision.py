"""What the engine says about a question: the ranked entries and the answer / suggest / handoff decision."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from helpdesk.knowledge.settings import Settings

Action = Literal["answer", "suggest", "handoff"]


@dataclass(frozen=True)
class Candidate:
    id: str
    title: str
    score: float
    answer: str
    path: Path


@dataclass(frozen=True)
class Decision:
    """What to do with a query.

    ``action`` is "answer" (reply with ``best``), "suggest" (offer ``candidates``) or "handoff".
    ``best`` is the top-ranked entry whatever the action (None only for an empty handbook);
    ``candidates`` are the entries to offer: ``[best]`` for answer, up to ``max_suggestions``
    over ``suggest_threshold`` for suggest, none for handoff. ``ranked`` is the full top-k with
    scores, for the agent's context and for evaluation.
    """

    query: str
    action: Action
    best: Candidate | None
    candidates: list[Candidate]
    ranked: list[Candidate]


def decide_from_ranking(query: str, ranked: list[Candidate], settings: Settings) -> Decision:
    """The answer / suggest / handoff rule on an already ranked list.

    answer: best ≥ answer_threshold and (best − second ≥ margin or second < suggest_threshold);
    suggest: best ≥ suggest_threshold → up to max_suggestions entries over suggest_threshold;
    handoff otherwise.
    """
    if not ranked:
        return Decision(query, "handoff", None, [], [])
    best = ranked[0]
    second = ranked[1].score if len(ranked) > 1 else -1.0
    clear = best.score - second >= settings.margin - 1e-9 or second < settings.suggest_threshold
    if best.score >= settings.answer_threshold - 1e-9 and clear:
        return Decision(query, "answer", best, [best], ranked)
    if best.score >= settings.suggest_threshold:
        offered = [c for c in ranked if c.score >= settings.suggest_threshold][: settings.max_suggestions]
        return Decision(query, "suggest", best, offered, ranked)
    return Decision(query, "handoff", best, [], ranked)


@dataclass(frozen=True)
class Decided:
    """One question's first-ranked entry and the entry it would be answered with (None: not answered): what the
    impact preview compares before and after a handbook change."""

    top: str | None
    answered: str | None

    @classmethod
    def of(cls, decision: Decision) -> Decided:
        answered = decision.best.id if decision.action == "answer" and decision.best else None
        return cls(decision.ranked[0].id if decision.ranked else None, answered)
