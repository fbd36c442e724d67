"""Support KPIs and the process funnel, computed from the stored conversations, messages, handoffs,
assignments and ratings (no extra bookkeeping: nothing here writes to the database).

The unit is the **episode** (shown as "conversation" on the dashboard): docs/design.md says a new customer
message after a closed chat starts a new bot episode, and one conversation id can hold several.
A conversation's events, in time order, are cut into episodes like this:

- an episode starts with a customer message;
- from a handoff until an agent resolves the chat or hands it back, the conversation is *with people*:
  it stays in the same episode however long anyone is silent;
- otherwise (with the bot) the episode **ends** at its last message when the customer said goodbye
  (NLU intent ``goodbye``) or when nobody wrote for ``idle`` minutes (30 by default); an agent's
  resolve ends it at that moment. The next customer message then starts a new episode.

An episode belongs to the date range its first customer message falls in (the range is [start, end)
in UTC, usually whole days in the viewer's time zone: see ``DateRange``). Definitions:

- **in progress / finished**: an episode is in progress while the bot episode is going, the customer waits in
  the queue or an agent has it; every other episode is finished.
- **containment** needs a positive signal, never mere silence: a finished episode without a handoff is
  *bot-resolved* when the customer said it helped (👍 on an answer or "thanks" after one, and no 👎), or when it
  ended after an answer (a bot message that asked "Did this help?", or a handbook answer; after it the customer
  said nothing but thanks/bye/ok), the answer got no 👎, and the customer did not come back within the window
  (``REOPEN_HOURS``, 24 h: no next episode in the same conversation starting within 24 h of its end). Ended
  after an answer less than 24 h ago: *awaiting* (not counted yet). Anything else is *bot, not resolved*
  (ended without an answer, 👎, or came back). Rate = bot-resolved / (bot-resolved + bot not resolved +
  finished handed-off episodes); episodes in progress and awaiting ones are left out and shown apart.
- **handoff rate**: episodes with a handoff / episodes; by reason, the episode's first handoff reason.
- **bot first response**: first customer message → first bot message of the episode.
- **queue wait**: first handoff → first claim (assignment); for a customer still waiting, handoff → now (and
  for one never claimed who is no longer waiting, handoff → the episode's end): those still waiting count.
  Per customer tier against the SLA target; share within SLA = claimed within target / (claimed + still
  unclaimed after longer than the target).
- **agent first response**: first handoff → first agent message.
- **handling time**: each ended assignment (claim or transfer-in → resolve, hand-back or transfer-out).
- **resolution rate**: handed-off episodes an agent resolved / handed-off episodes.
- **CSAT**: the customers' 1-5 ratings of the episode's resolved chats; average and distribution.
- **messages per conversation**: customer, bot and agent messages (not system notices) per episode.
- **volume**: episodes by start hour (0-23) and by day, in the chosen time zone.

Filters: channel (the conversation's), intent (the episode's first customer turn's NLU intent), language (that
turn's: en or zh; by_language gives every figure per language),
agent (episodes with an assignment to that agent) and team (an assignment to an agent of that team);
with an agent or team filter, handling time and CSAT count only that agent's / team's assignments.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.db.models import Agent, Assignment, Conversation, FollowUp, Handoff, Message, Rating, aware
from helpdesk.reports.periods import DateRange
from helpdesk.vocabulary import (
    END_HANDED_BACK,
    END_RESOLVED,
    MODE_QUEUED,
    SENDER_AGENT,
    SENDER_BOT,
    SENDER_CUSTOMER,
    SENDER_SYSTEM,
)

IDLE_MINUTES = 30
REOPEN_HOURS = 24
GOODBYE_INTENT = "goodbye"
THANKS_INTENT = "thank"
# what a customer may say after an answer without asking anything new
CLOSING_INTENTS = frozenset({"thank", "goodbye", "affirm", "greet"})
# an episode's outcome (the funnel's OUTCOME rows; each episode has exactly one)
BOT_RESOLVED = "bot_resolved"
BOT_AWAITING = "bot_awaiting"
BOT_UNRESOLVED = "bot_unresolved"
BOT_IN_PROGRESS = "bot_in_progress"
AGENT_RESOLVED = "agent_resolved"
AGENT_NOT_RESOLVED = "agent_not_resolved"
WITH_AGENT = "with_agent"
WAITING = "waiting"
LEFT_UNCLAIMED = "left_unclaimed"
OUTCOMES = (
    BOT_RESOLVED,
    BOT_AWAITING,
    BOT_UNRESOLVED,
    BOT_IN_PROGRESS,
    AGENT_RESOLVED,
    AGENT_NOT_RESOLVED,
    WITH_AGENT,
    WAITING,
    LEFT_UNCLAIMED,
)
IN_PROGRESS_OUTCOMES = frozenset({BOT_IN_PROGRESS, WITH_AGENT, WAITING})
NO_INTENT = "(none)"
SCORES = (1, 2, 3, 4, 5)
LOW_SCORES = (1, 2)


@dataclass(frozen=True)
class Filters:
    channel: str | None = None
    intent: str | None = None
    team: str | None = None
    agent_id: int | None = None
    language: str | None = None  # the customer's (en | zh): the episode's first customer message's

    def to_json(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "intent": self.intent,
            "team": self.team,
            "agent_id": self.agent_id,
            "language": self.language,
        }


# ---- the stored rows, reduced to what the metrics need -------------------------------------------
@dataclass(frozen=True)
class Turn:
    sender: str
    at: datetime
    intent: str | None = None
    faq: bool = False
    answer: bool = False  # a bot answer: it asked "Did this help?" or came from the handbook
    helpful: bool | None = None  # the customer's 👍 / 👎 on it


@dataclass(frozen=True)
class Stint:
    """One assignment."""

    id: int
    agent_id: int
    start: datetime
    end: datetime | None
    end_reason: str | None


@dataclass(frozen=True)
class Score:
    assignment_id: int | None
    agent_id: int | None
    score: int
    at: datetime


@dataclass
class Episode:
    conversation_id: str
    channel: str
    tier: str
    start: datetime
    intent: str
    language: str = "en"  # the episode's first customer message's (en | zh)
    turns: list[Turn] = field(default_factory=list)
    handoffs: list[tuple[datetime, str]] = field(default_factory=list)
    stints: list[Stint] = field(default_factory=list)
    ratings: list[Score] = field(default_factory=list)
    follow_ups: list[datetime] = field(default_factory=list)
    follow_up_reasons: list[str] = field(default_factory=list)
    resolved_at: datetime | None = None
    goodbye: bool = False
    with_people: bool = False
    ended: bool = False
    end: datetime | None = None
    reopened: bool = False
    window_passed: bool = False  # the customer had REOPEN_HOURS after the end to come back, and did not
    still_queued: bool = False  # handed off, never claimed, and the conversation is still in the queue

    @property
    def last_at(self) -> datetime:
        return self.turns[-1].at if self.turns else self.start

    @property
    def handed_off(self) -> bool:
        return bool(self.handoffs)

    @property
    def handoff_at(self) -> datetime | None:
        return self.handoffs[0][0] if self.handoffs else None

    @property
    def reason(self) -> str | None:
        return self.handoffs[0][1] if self.handoffs else None

    @property
    def claimed_at(self) -> datetime | None:
        return self.stints[0].start if self.stints else None

    @property
    def said_it_helped(self) -> bool:
        """A 👍 on an answer, or thanks after one; and no 👎 in the episode."""
        bot = [t for t in self.turns if t.sender == SENDER_BOT]
        if any(t.helpful is False for t in bot):
            return False
        if any(t.helpful for t in bot):
            return True
        answered = False
        for turn in self.turns:
            answered = answered or (turn.sender == SENDER_BOT and turn.answer)
            if answered and turn.sender == SENDER_CUSTOMER and turn.intent == THANKS_INTENT:
                return True
        return False

    @property
    def ended_after_answer(self) -> bool:
        """The last answer got no 👎 and the customer asked nothing after it (thanks, bye, ok at most)."""
        last = max((i for i, t in enumerate(self.turns) if t.sender == SENDER_BOT and t.answer), default=None)
        if last is None or self.turns[last].helpful is False:
            return False
        return all(t.intent in CLOSING_INTENTS for t in self.turns[last + 1 :] if t.sender == SENDER_CUSTOMER)

    @property
    def outcome(self) -> str:
        """One of OUTCOMES (the module docstring)."""
        if self.handed_off:
            if not self.stints:
                return WAITING if self.still_queued and self.with_people else LEFT_UNCLAIMED
            if self.resolved_at is not None:
                return AGENT_RESOLVED
            return WITH_AGENT if self.with_people else AGENT_NOT_RESOLVED
        if not self.ended:
            return BOT_IN_PROGRESS
        if self.said_it_helped:
            return BOT_RESOLVED
        if self.reopened or not self.ended_after_answer:
            return BOT_UNRESOLVED
        return BOT_RESOLVED if self.window_passed else BOT_AWAITING

    @property
    def in_progress(self) -> bool:
        return self.outcome in IN_PROGRESS_OUTCOMES

    @property
    def contained(self) -> bool:
        return self.outcome == BOT_RESOLVED

    @property
    def decided(self) -> bool:
        """Counts for containment: finished, and its outcome known (not awaiting the window)."""
        return self.outcome not in IN_PROGRESS_OUTCOMES and self.outcome != BOT_AWAITING

    def waited(self, now: datetime) -> float | None:
        """Queue wait: to the first claim; still waiting: to now; never claimed: to the episode's end."""
        if self.handoff_at is None:
            return None
        if self.claimed_at is not None:
            return _seconds(self.claimed_at, self.handoff_at)
        if self.outcome == WAITING:
            return max(0.0, (now - self.handoff_at).total_seconds())
        return max(0.0, ((self.end or self.last_at) - self.handoff_at).total_seconds())

    @property
    def agents_done_at(self) -> datetime | None:
        ends = [s.end for s in self.stints if s.end is not None]
        return self.resolved_at or (max(ends) if ends else self.handoff_at)

    def first(self, sender: str) -> datetime | None:
        return next((t.at for t in self.turns if t.sender == sender), None)

    @property
    def answered_from_faq(self) -> bool:
        return any(t.faq for t in self.turns if t.sender == SENDER_BOT)

    @property
    def shown_messages(self) -> int:
        return sum(1 for t in self.turns if t.sender != SENDER_SYSTEM)


@dataclass(frozen=True)
class Said:
    """A message, reduced to what the metrics need."""

    sender: str
    intent: str | None
    faq: bool
    language: str | None = None
    answer: bool = False
    helpful: bool | None = None


@dataclass(frozen=True)
class HandedOff:
    id: int
    reason: str


# event kinds, in the order they apply when two share a timestamp
_MESSAGE, _HANDOFF, _CLAIM, _END, _RATING, _FOLLOW_UP = range(6)
Event = tuple[datetime, int, int, Any]


@dataclass
class ConversationRows:
    """One conversation's stored history as time-stamped events."""

    id: str
    channel: str
    tier: str
    events: list[Event] = field(default_factory=list)
    queued: bool = False  # the conversation is in the agents' queue now

    def said(
        self,
        message_id: int,
        at: datetime,
        sender: str,
        intent: str | None,
        faq: bool,
        answer: bool = False,
        helpful: bool | None = None,
        language: str | None = None,
    ) -> None:
        said = Said(sender, intent, faq, language, answer or faq, helpful)
        self.events.append((aware(at), _MESSAGE, message_id, said))

    def handed_off(self, handoff_id: int, at: datetime, reason: str) -> None:
        self.events.append((aware(at), _HANDOFF, handoff_id, HandedOff(handoff_id, reason)))

    def stint(self, stint: Stint) -> None:
        self.events.append((stint.start, _CLAIM, stint.id, stint))
        if stint.end is not None:
            self.events.append((stint.end, _END, stint.id, stint))

    def rated(self, rating_id: int, score: Score) -> None:
        self.events.append((score.at, _RATING, rating_id, score))

    def followed_up(self, follow_up_id: int, at: datetime, handoff_id: int | None, reason: str = "") -> None:
        self.events.append((aware(at), _FOLLOW_UP, follow_up_id, (handoff_id, reason)))


def episodes_of(
    rows: ConversationRows, now: datetime, idle: timedelta = timedelta(minutes=IDLE_MINUTES)
) -> list[Episode]:
    """Cut one conversation's history into episodes (the rules are in the module docstring)."""
    events = sorted(rows.events, key=lambda e: (e[0], e[1], e[2]))
    episodes: list[Episode] = []
    by_stint: dict[int, Episode] = {}
    by_handoff: dict[int, Episode] = {}
    current: Episode | None = None
    for at, kind, _, item in events:
        if kind == _MESSAGE:
            message: Said = item
            intent = message.intent if message.sender == SENDER_CUSTOMER else None
            over = (
                current is not None
                and not current.with_people
                and (current.resolved_at is not None or current.goodbye or at - current.last_at >= idle)
            )
            if message.sender == SENDER_CUSTOMER and (current is None or over):
                current = Episode(rows.id, rows.channel, rows.tier, at, intent or NO_INTENT, message.language or "en")
                episodes.append(current)
            if current is None:
                continue  # nothing before the customer's first message counts
            current.turns.append(Turn(message.sender, at, intent, message.faq, message.answer, message.helpful))
            if message.sender == SENDER_CUSTOMER:
                current.goodbye = intent == GOODBYE_INTENT and not current.with_people
        elif current is None:
            continue
        elif kind == _HANDOFF:
            current.handoffs.append((at, item.reason))
            by_handoff[item.id] = current
            current.with_people = True
            current.goodbye = False
        elif kind == _CLAIM:
            current.stints.append(item)
            by_stint[item.id] = current
        elif kind == _END:
            owner = by_stint.get(item.id, current)
            if item.end_reason in (END_RESOLVED, END_HANDED_BACK):
                owner.with_people = False
            if item.end_reason == END_RESOLVED:
                owner.resolved_at = at
        elif kind == _RATING:
            score: Score = item
            owner = by_stint.get(score.assignment_id or 0, current)
            owner.ratings.append(score)
        elif kind == _FOLLOW_UP:
            handoff_id, reason = item
            owner = by_handoff.get(handoff_id or 0, current)
            owner.follow_ups.append(at)
            owner.follow_up_reasons.append(reason)

    for index, episode in enumerate(episodes):
        if episode.resolved_at is not None:
            episode.ended, episode.end = True, episode.resolved_at
        elif not episode.with_people and (episode.goodbye or now - episode.last_at >= idle):
            episode.ended, episode.end = True, episode.last_at
        following = episodes[index + 1] if index + 1 < len(episodes) else None
        if following is not None:
            if not episode.ended:  # cut by the next customer message after a quiet spell
                episode.ended, episode.end = True, episode.last_at
            assert episode.end is not None
            episode.reopened = following.start - episode.end < timedelta(hours=REOPEN_HOURS)
            episode.window_passed = not episode.reopened
        elif episode.ended and episode.end is not None:
            episode.window_passed = now - episode.end >= timedelta(hours=REOPEN_HOURS)
        if following is None:
            episode.still_queued = rows.queued
    return episodes


# ---- loading ---------------------------------------------------------------------------------------
async def load_history(session: AsyncSession, start: datetime, end: datetime) -> list[ConversationRows]:
    """The whole stored history of every conversation with a customer message in [start, end) (an
    episode's limits and its reopening depend on what came before and after). Only the columns the
    metrics need are read: no message texts, and of the NLU block only the intent."""
    ids = list(
        await session.scalars(
            select(Message.conversation_id)
            .where(Message.sender == SENDER_CUSTOMER, Message.created_at >= start, Message.created_at < end)
            .distinct()
        )
    )
    rows: dict[str, ConversationRows] = {}
    intent = case((Message.sender == SENDER_CUSTOMER, Message.nlu["intent"].as_string()), else_=None)
    faq_id = Message.faq["id"].as_string()
    for chunk in _chunks(ids, 500):
        found = await session.execute(
            select(Conversation.id, Conversation.channel, Conversation.customer_tier, Conversation.mode).where(
                Conversation.id.in_(chunk)
            )
        )
        for conversation_id, channel, tier, mode in found.all():
            rows[conversation_id] = ConversationRows(conversation_id, channel, tier, queued=mode == MODE_QUEUED)
        messages = await session.execute(
            select(
                Message.conversation_id,
                Message.id,
                Message.created_at,
                Message.sender,
                intent,
                faq_id,
                Message.asks_feedback,
                Message.helpful,
                Message.language,
            ).where(Message.conversation_id.in_(chunk))
        )
        for conversation_id, message_id, at, sender, said_intent, said_faq, asks, helpful, language in messages.all():
            rows[conversation_id].said(
                message_id, at, sender, said_intent, said_faq is not None, bool(asks), helpful, language
            )
        handoffs = await session.execute(
            select(Handoff.conversation_id, Handoff.id, Handoff.created_at, Handoff.reason).where(
                Handoff.conversation_id.in_(chunk)
            )
        )
        for conversation_id, handoff_id, at, reason in handoffs.all():
            rows[conversation_id].handed_off(handoff_id, at, reason)
        stints = await session.execute(
            select(
                Assignment.conversation_id,
                Assignment.id,
                Assignment.agent_id,
                Assignment.assigned_at,
                Assignment.ended_at,
                Assignment.end_reason,
            ).where(Assignment.conversation_id.in_(chunk))
        )
        for conversation_id, stint_id, agent_id, began, ended, end_reason in stints.all():
            rows[conversation_id].stint(
                Stint(stint_id, agent_id, aware(began), aware(ended) if ended else None, end_reason)
            )
        ratings = await session.execute(
            select(
                Rating.conversation_id,
                Rating.id,
                Rating.assignment_id,
                Rating.agent_id,
                Rating.score,
                Rating.created_at,
            ).where(Rating.conversation_id.in_(chunk))
        )
        for conversation_id, rating_id, assignment_id, rated_agent, score, at in ratings.all():
            rows[conversation_id].rated(rating_id, Score(assignment_id, rated_agent, score, aware(at)))
        follow_ups = await session.execute(
            select(
                FollowUp.conversation_id, FollowUp.id, FollowUp.created_at, FollowUp.handoff_id, FollowUp.reason
            ).where(FollowUp.conversation_id.in_(chunk))
        )
        for conversation_id, follow_up_id, at, its_handoff, reason in follow_ups.all():
            rows[conversation_id].followed_up(follow_up_id, at, its_handoff, reason)
    return list(rows.values())


def episodes_in(history: Iterable[ConversationRows], start: datetime, end: datetime, now: datetime) -> list[Episode]:
    """The episodes that started in [start, end), in start order (CPU only: may run in a thread)."""
    episodes = [e for rows in history for e in episodes_of(rows, now) if start <= e.start < end]
    episodes.sort(key=lambda e: (e.start, e.conversation_id))
    return episodes


async def load_episodes(session: AsyncSession, start: datetime, end: datetime, now: datetime) -> list[Episode]:
    return episodes_in(await load_history(session, start, end), start, end, now)


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def agent_order(agent: Agent) -> tuple[str, int]:
    return agent.display_name, agent.id


async def agent_directory(session: AsyncSession) -> dict[int, Agent]:
    return {agent.id: agent for agent in await session.scalars(select(Agent))}


# ---- the figures -----------------------------------------------------------------------------------
def _seconds(later: datetime | None, earlier: datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return (later - earlier).total_seconds()


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def durations(values: Iterable[float | None]) -> dict[str, Any]:
    """Count, mean, median and 90th percentile (nearest rank) of some seconds."""
    known = sorted(v for v in values if v is not None)
    if not known:
        return {"count": 0, "mean": None, "median": None, "p90": None}
    p90 = known[max(0, -(-len(known) * 9 // 10) - 1)]
    return {
        "count": len(known),
        "mean": round(statistics.fmean(known), 1),
        "median": round(statistics.median(known), 1),
        "p90": round(p90, 1),
    }


def _median(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(statistics.median(known), 1) if known else None


@dataclass(frozen=True)
class Scope:
    """Whose assignments count for handling time and CSAT (all, or the filtered agent's / team's)."""

    agents: frozenset[int] | None = None

    def counts(self, agent_id: int | None) -> bool:
        return self.agents is None or agent_id in self.agents


def select_episodes(
    episodes: Iterable[Episode], filters: Filters, directory: dict[int, Agent]
) -> tuple[list[Episode], Scope]:
    scope_agents: set[int] | None = None
    if filters.agent_id is not None:
        scope_agents = {filters.agent_id}
    if filters.team is not None:
        team = {a.id for a in directory.values() if a.team == filters.team}
        scope_agents = team if scope_agents is None else scope_agents & team
    chosen = []
    for episode in episodes:
        if filters.channel is not None and episode.channel != filters.channel:
            continue
        if filters.intent is not None and episode.intent != filters.intent:
            continue
        if filters.language is not None and episode.language != filters.language:
            continue
        if scope_agents is not None and not any(s.agent_id in scope_agents for s in episode.stints):
            continue
        chosen.append(episode)
    return chosen, Scope(frozenset(scope_agents) if scope_agents is not None else None)


def summary(episodes: Sequence[Episode], now: datetime, scope: Scope = Scope()) -> dict[str, Any]:
    """The headline figures for a set of episodes."""
    decided = [e for e in episodes if e.decided]
    handed = [e for e in episodes if e.handed_off]
    contained = sum(1 for e in decided if e.contained)
    resolved = sum(1 for e in handed if e.resolved_at is not None)
    outcomes = Counter(e.outcome for e in episodes)
    in_progress = sum(outcomes[o] for o in IN_PROGRESS_OUTCOMES)
    scores = [r.score for e in episodes for r in e.ratings if scope.counts(r.agent_id)]
    handling = [_seconds(s.end, s.start) for e in episodes for s in e.stints if scope.counts(s.agent_id)]
    messages = [e.shown_messages for e in episodes]
    return {
        "conversations": len(episodes),
        "finished": len(episodes) - in_progress,
        "in_progress": in_progress,
        "decided": len(decided),
        "contained": contained,
        "containment_rate": _rate(contained, len(decided)),
        "awaiting": outcomes[BOT_AWAITING],
        "handed_off": len(handed),
        "handoff_rate": _rate(len(handed), len(episodes)),
        "resolved_by_agent": resolved,
        "resolution_rate": _rate(resolved, len(handed)),
        "bot_first_response": durations(_seconds(e.first(SENDER_BOT), e.start) for e in episodes),
        "agent_first_response": durations(_seconds(e.first(SENDER_AGENT), e.handoff_at) for e in handed),
        "queue_wait": durations(e.waited(now) for e in handed),
        "waiting_now": outcomes[WAITING],
        "handling_time": durations(handling),
        "csat": {
            "count": len(scores),
            "average": round(statistics.fmean(scores), 2) if scores else None,
            "distribution": {str(s): scores.count(s) for s in SCORES},
        },
        "messages_per_conversation": round(statistics.fmean(messages), 2) if messages else None,
    }


def handoff_reasons(episodes: Sequence[Episode]) -> list[dict[str, Any]]:
    counts = Counter(e.reason for e in episodes if e.reason is not None)
    return [
        {"reason": reason, "count": count, "rate": _rate(count, len(episodes))}
        for reason, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


QueueTargets = int | Mapping[str, int]  # one target for every tier, or one per tier (config/sla.yml's queue_wait)


def target_for(targets: QueueTargets, tier: str) -> int:
    """The queue-wait target of a tier: its own, else the standard tier's, else the first one given."""
    if isinstance(targets, int):
        return targets
    return targets.get(tier) or targets.get("standard") or next(iter(targets.values()))


def queue_sla(episodes: Sequence[Episode], targets: QueueTargets, now: datetime) -> dict[str, Any]:
    """Queue wait per customer tier against its target: a conversation still unclaimed after longer than the
    target is a miss; one still waiting under it is not judged yet."""
    tiers: dict[str, list[Episode]] = defaultdict(list)
    for episode in episodes:
        if episode.handed_off:
            tiers[episode.tier].append(episode)
    by_tier = []
    for tier in sorted(tiers):
        target_seconds = target_for(targets, tier)
        waits, within, missed_unclaimed = [], 0, 0
        for episode in tiers[tier]:
            wait = _seconds(episode.claimed_at, episode.handoff_at)
            if wait is not None:
                waits.append(wait)
                within += wait <= target_seconds
            elif (episode.waited(now) or 0) > target_seconds:
                missed_unclaimed += 1
        judged = len(waits) + missed_unclaimed
        by_tier.append(
            {
                "tier": tier,
                "target_seconds": target_seconds,
                "handed_off": len(tiers[tier]),
                "claimed": len(waits),
                "unclaimed_over_target": missed_unclaimed,
                "within_target": within,
                "within_target_share": _rate(within, judged),
                "wait": durations(waits),
                "wait_with_waiting": durations(e.waited(now) for e in tiers[tier]),
            }
        )
    return {"target_seconds": target_for(targets, "standard"), "by_tier": by_tier}


def volume(episodes: Sequence[Episode], span: DateRange) -> dict[str, list[dict[str, Any]]]:
    hours = Counter(e.start.astimezone(span.tz).hour for e in episodes)
    days = Counter(e.start.astimezone(span.tz).date() for e in episodes)
    return {
        "by_hour": [{"hour": h, "conversations": hours.get(h, 0)} for h in range(24)],
        "by_day": [{"day": d.isoformat(), "conversations": days.get(d, 0)} for d in span.days()],
    }


def _lowest_score(episode: Episode) -> int:
    return min(r.score for r in episode.ratings)


def funnel(episodes: Sequence[Episode]) -> dict[str, Any]:
    """intake → triage (bot understood / FAQ / handoff) → outcome → feedback → follow-up: each stage's rows
    split its box (a box is the sum of its rows), and the median seconds along each arrow."""
    handed = [e for e in episodes if e.handed_off]
    bot_side = [e for e in episodes if not e.handed_off]
    faq = [e for e in bot_side if e.answered_from_faq]
    contained = [e for e in bot_side if e.contained]
    claimed = [e for e in handed if e.stints]
    rated = [e for e in episodes if e.ratings]
    followed = [e for e in episodes if e.follow_ups]
    first_reply = {id(e): e.first(SENDER_BOT) for e in episodes}
    outcomes = Counter(e.outcome for e in episodes)
    in_progress = sum(1 for e in episodes if e.in_progress)
    reasons = Counter(e.follow_up_reasons[0] if e.follow_up_reasons else "" for e in followed)
    return {
        "stages": {
            "intake": {"count": len(episodes), "finished": len(episodes) - in_progress, "in_progress": in_progress},
            "triage": {
                "count": len(episodes),
                "bot_understood": len(bot_side) - len(faq),
                "faq": len(faq),
                "handoff": len(handed),
            },
            "outcome": {"count": len(episodes), **{o: outcomes.get(o, 0) for o in OUTCOMES}},
            "feedback": {
                "count": len(rated),
                "rated_high": sum(1 for e in rated if _lowest_score(e) >= 4),
                "rated_3": sum(1 for e in rated if _lowest_score(e) == 3),
                "rated_low": sum(1 for e in rated if _lowest_score(e) in LOW_SCORES),
            },
            "follow_up": {"count": len(followed), "by_reason": dict(sorted(reasons.items()))},
        },
        "median_seconds": {
            "intake_to_triage": _median(
                _seconds(min(filter(None, (first_reply[id(e)], e.handoff_at)), default=None), e.start) for e in episodes
            ),
            "triage_to_bot_resolved": _median(_seconds(e.end, first_reply[id(e)]) for e in contained),
            "triage_to_agent": _median(_seconds(e.claimed_at, e.handoff_at) for e in claimed),
            "outcome_to_feedback": _median(_seconds(e.ratings[0].at, e.resolved_at) for e in rated),
            # from the rating, or for an unrated episode from the end of the agents' part
            "feedback_to_follow_up": _median(
                _seconds(min(e.follow_ups), e.ratings[0].at if e.ratings else e.agents_done_at) for e in followed
            ),
        },
    }


def breakdown(
    episodes: Sequence[Episode],
    key: Callable[[Episode], Iterable[str]],
    now: datetime,
    scope_of: Callable[[str], Scope] | None = None,
) -> list[dict[str, Any]]:
    """The headline figures per group (an episode may be in several groups: an agent breakdown lists it
    under every agent who had it)."""
    groups: dict[str, list[Episode]] = defaultdict(list)
    for episode in episodes:
        for name in set(key(episode)):
            groups[name].append(episode)
    rows = []
    for name in sorted(groups, key=lambda n: (-len(groups[n]), n)):
        figures = summary(groups[name], now, scope_of(name) if scope_of else Scope())
        rows.append(
            {
                "group": name,
                "conversations": figures["conversations"],
                "in_progress": figures["in_progress"],
                "containment_rate": figures["containment_rate"],
                "handoff_rate": figures["handoff_rate"],
                "resolution_rate": figures["resolution_rate"],
                "csat_average": figures["csat"]["average"],
                "csat_count": figures["csat"]["count"],
                "handling_time_mean": figures["handling_time"]["mean"],
            }
        )
    return rows


def report(
    episodes: Sequence[Episode],
    directory: dict[int, Agent],
    span: DateRange,
    filters: Filters,
    sla_seconds: QueueTargets,
    now: datetime,
) -> dict[str, Any]:
    """Everything the dashboard shows for a range and filters."""
    chosen, scope = select_episodes(episodes, filters, directory)

    def agent_name(agent_id: int) -> str:
        agent = directory.get(agent_id)
        return agent.display_name if agent is not None else f"agent {agent_id}"

    names = {agent_name(a): a for a in directory}
    teams = {a.id: a.team for a in directory.values()}
    return {
        "range": span.to_json(),
        "filters": filters.to_json(),
        "definitions": {"idle_minutes": IDLE_MINUTES, "reopen_hours": REOPEN_HOURS},
        "summary": summary(chosen, now, scope),
        "handoff_reasons": handoff_reasons(chosen),
        "queue_sla": queue_sla(chosen, sla_seconds, now),
        "volume": volume(chosen, span),
        "funnel": funnel(chosen),
        "by_channel": breakdown(chosen, lambda e: [e.channel], now),
        "by_intent": breakdown(chosen, lambda e: [e.intent], now),
        "by_language": breakdown(chosen, lambda e: [e.language], now),  # KPIs per customer language
        "by_team": breakdown(
            chosen,
            lambda e: [teams.get(s.agent_id) or "(no team)" for s in e.stints],
            now,
            lambda team: Scope(frozenset(a for a, t in teams.items() if (t or "(no team)") == team)),
        ),
        "by_agent": breakdown(
            chosen,
            lambda e: [agent_name(s.agent_id) for s in e.stints],
            now,
            lambda name: Scope(frozenset({names[name]}) if name in names else None),
        ),
        "choices": {
            "channels": sorted({e.channel for e in episodes}),
            "intents": sorted({e.intent for e in episodes}),
            "languages": sorted({e.language for e in episodes}),
            "teams": sorted({a.team for a in directory.values() if a.team}),
            "agents": [{"id": a.id, "name": a.display_name} for a in sorted(directory.values(), key=agent_order)],
        },
    }


# ---- click-through: which episodes make a figure --------------------------------------------------
MAX_LISTED = 500


def figure_keys(
    episode: Episode,
    agent_name: Callable[[int], str],
    teams: dict[int, str | None],
    sla_seconds: QueueTargets,
    now: datetime,
) -> set[str]:
    """The figures an episode counts in, by the keys the dashboard clicks through with: a funnel row's or KPI's
    name (``contained``, ``in_progress``, an outcome such as ``bot_unresolved``, ``faq``, ``rated_low`` …), and
    ``reason:``/``tier:``/``sla_missed:``/``follow_up:``/``by_intent:``/``by_channel:``/``by_team:``/``by_agent:``
    with the group's name."""
    keys = {"all", episode.outcome, "in_progress" if episode.in_progress else "finished"}
    keys |= {f"by_intent:{episode.intent}", f"by_channel:{episode.channel}", f"tier:{episode.tier}"}
    if episode.decided:
        keys.add("decided")
    if episode.contained:
        keys.add("contained")
    if episode.handed_off:
        keys |= {"handed_off", "handoff", f"reason:{episode.reason}"}
        if episode.resolved_at is not None:
            keys.add("resolved_by_agent")
        if episode.stints:
            keys.add("claimed")
        if (episode.waited(now) or 0) > target_for(sla_seconds, episode.tier):
            keys |= {"sla_missed", f"sla_missed:{episode.tier}"}
        if episode.first(SENDER_AGENT) is not None:
            keys.add("agent_replied")
    else:
        keys.add("faq" if episode.answered_from_faq else "bot_understood")
    if episode.ratings:
        lowest = _lowest_score(episode)
        keys.add("rated")
        keys.add("rated_high" if lowest >= 4 else "rated_3" if lowest == 3 else "rated_low")
        keys |= {f"rating:{r.score}" for r in episode.ratings}
    if episode.follow_ups:
        keys.add("follow_up")
        keys |= {f"follow_up:{reason}" for reason in episode.follow_up_reasons[:1]}
    for stint in episode.stints:
        keys.add(f"by_agent:{agent_name(stint.agent_id)}")
        keys.add(f"by_team:{teams.get(stint.agent_id) or '(no team)'}")
    return keys


def conversations_behind(
    episodes: Sequence[Episode],
    directory: dict[int, Agent],
    filters: Filters,
    figure: str,
    sla_seconds: QueueTargets,
    now: datetime,
) -> dict[str, Any]:
    """The episodes behind one figure (``figure_keys``), newest first, at most MAX_LISTED."""
    chosen, _ = select_episodes(episodes, filters, directory)

    def agent_name(agent_id: int) -> str:
        agent = directory.get(agent_id)
        return agent.display_name if agent is not None else f"agent {agent_id}"

    teams = {a.id: a.team for a in directory.values()}
    behind = [e for e in chosen if figure in figure_keys(e, agent_name, teams, sla_seconds, now)]
    behind.sort(key=lambda e: (e.start, e.conversation_id), reverse=True)
    return {
        "figure": figure,
        "count": len(behind),
        "conversations": [
            {
                "conversation_id": e.conversation_id,
                "start": e.start.isoformat(),
                "end": e.end.isoformat() if e.end else None,
                "intent": e.intent,
                "channel": e.channel,
                "tier": e.tier,
                "outcome": e.outcome,
                "reason": e.reason,
                "agents": sorted({agent_name(s.agent_id) for s in e.stints}),
                "queue_wait": round(w, 1) if (w := e.waited(now)) is not None else None,
                "messages": e.shown_messages,
            }
            for e in behind[:MAX_LISTED]
        ],
    }


async def live_queue(session: AsyncSession, now: datetime) -> dict[str, Any]:
    """Who is waiting right now: per tier, and the longest wait."""
    rows = (
        await session.execute(
            select(Conversation.customer_tier, Conversation.queued_at).where(Conversation.mode == MODE_QUEUED)
        )
    ).all()
    waits = [max(0.0, (now - aware(queued_at)).total_seconds()) for _, queued_at in rows if queued_at is not None]
    tiers = Counter(tier for tier, _ in rows)
    return {
        "waiting": len(rows),
        "waiting_by_tier": dict(sorted(tiers.items())),
        "longest_wait_seconds": round(max(waits), 1) if waits else 0,
    }


# ---- CSV -------------------------------------------------------------------------------------------
CSV_HEADER = ("section", "group", "metric", "value")


def csv_rows(figures: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    """The report as long-form rows (section, group, metric, value) for a spreadsheet."""
    rows: list[tuple[str, str, str, Any]] = []
    span = figures["range"]
    for key in ("from", "to", "tz"):
        rows.append(("range", "", key, span[key]))
    for key, value in figures["filters"].items():
        rows.append(("filter", "", key, "" if value is None else value))

    def flat(section: str, group: str, values: dict[str, Any], prefix: str = "") -> None:
        for key, value in values.items():
            if isinstance(value, dict):
                flat(section, group, value, f"{prefix}{key}.")
            else:
                rows.append((section, group, prefix + key, "" if value is None else value))

    flat("summary", "", figures["summary"])
    for row in figures["handoff_reasons"]:
        flat("handoff_reason", row["reason"], {"count": row["count"], "rate": row["rate"]})
    rows.append(("queue_sla", "", "target_seconds", figures["queue_sla"]["target_seconds"]))
    for row in figures["queue_sla"]["by_tier"]:
        flat("queue_sla", row["tier"], {k: v for k, v in row.items() if k != "tier"})
    for row in figures["volume"]["by_hour"]:
        rows.append(("volume_by_hour", str(row["hour"]), "conversations", row["conversations"]))
    for row in figures["volume"]["by_day"]:
        rows.append(("volume_by_day", row["day"], "conversations", row["conversations"]))
    for stage, values in figures["funnel"]["stages"].items():
        flat("funnel", stage, values)
    flat("funnel", "median_seconds", figures["funnel"]["median_seconds"])
    for section in ("by_channel", "by_intent", "by_language", "by_team", "by_agent"):
        for row in figures[section]:
            flat(section, row["group"], {k: v for k, v in row.items() if k != "group"})
    return rows
