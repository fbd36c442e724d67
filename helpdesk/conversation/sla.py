"""SLA alerts: first-response and queue-wait targets per customer tier (config/sla.yml, or SLA_FILE), watched live.

Every few seconds each helpdesk process looks at the conversations waiting for people:
- **queue wait**: a queued conversation, from its latest handoff until an agent takes it;
- **first response**: a conversation with a handoff and no agent message since, from the handoff until an agent's
  first message (queued, or claimed and not answered yet).
When `warn_at` of a target has passed, supervisors are warned on the consoles' live channel (event ``sla`` with
``level: "warning"``), once per handoff and kind: the processes sharing a Redis (and so the consoles' channel) take
the warning with one claim (helpdesk/limits/once.py), a process alone warns its own consoles; when the target is
missed, a breach row is written (at most one per handoff and kind: the
unique index settles it between processes) and they are alerted (``level: "breach"``), the assigned agent too.
Breaches are counted per tier, team and agent on the dashboard (`breach_counts`).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.config import PROJECT_ROOT
from helpdesk.conversation.business_hours import BusinessHours
from helpdesk.db.models import (
    SLA_FIRST_RESPONSE,
    SLA_QUEUE_WAIT,
    TIER_STANDARD,
    Agent,
    Conversation,
    Handoff,
    Message,
    SlaBreach,
    aware,
    utcnow,
)
from helpdesk.limits.once import MemoryOnce, Once
from helpdesk.realtime.hub import CONSOLE, Hub
from helpdesk.vocabulary import MODE_AGENT, MODE_QUEUED, SENDER_AGENT

KINDS = (SLA_QUEUE_WAIT, SLA_FIRST_RESPONSE)
CHECK_SECONDS = float(os.environ.get("SLA_CHECK_SECONDS") or 5.0)  # how often each process looks
log = logging.getLogger(__name__)


class SlaConfigError(ValueError):
    """The SLA file is malformed: the message names the file and the key."""


@dataclass(frozen=True)
class Targets:
    by_tier: dict[str, dict[str, int]]
    warn_at: float = 0.75

    def target(self, tier: str, kind: str) -> int | None:
        tier_targets = self.by_tier.get(tier) or self.by_tier.get(TIER_STANDARD) or {}
        return tier_targets.get(kind)

    def to_json(self) -> dict[str, Any]:
        return {"warn_at": self.warn_at, "tiers": self.by_tier}


def default_sla_file() -> Path:
    configured = os.environ.get("SLA_FILE")
    if configured:
        path = Path(configured)
        return path if path.is_absolute() else PROJECT_ROOT / path
    return PROJECT_ROOT / "config" / "sla.yml"


def parse_targets(raw: object, source: str = "sla") -> Targets:
    if not isinstance(raw, dict) or not isinstance(raw.get("tiers"), dict):
        raise SlaConfigError(f"{source}: must be a mapping with tiers (and warn_at)")
    warn_at = raw.get("warn_at", 0.75)
    if not isinstance(warn_at, int | float) or not 0 < warn_at < 1:
        raise SlaConfigError(f"{source}: warn_at must be a share of the target between 0 and 1, like 0.75")
    tiers: dict[str, dict[str, int]] = {}
    for tier, targets in raw["tiers"].items():
        if not isinstance(targets, dict) or set(targets) - set(KINDS):
            raise SlaConfigError(f"{source}: tiers.{tier} must map {' and '.join(KINDS)} to seconds")
        for kind, seconds in targets.items():
            if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds <= 0:
                raise SlaConfigError(f"{source}: tiers.{tier}.{kind} must be a whole number of seconds above 0")
        tiers[str(tier)] = {str(k): int(v) for k, v in targets.items()}
    return Targets(tiers, float(warn_at))


def load_targets(path: Path | None = None) -> Targets:
    path = path or default_sla_file()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SlaConfigError(f"{path}: cannot read the SLA file: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise SlaConfigError(f"{path}: not valid YAML: {exc}") from exc
    return parse_targets(raw, str(path))


@dataclass(frozen=True)
class Clock:
    """One running target on one conversation."""

    conversation_id: str
    handoff_id: int
    kind: str
    tier: str
    team: str | None
    agent_id: int | None
    started: datetime
    target: int

    def elapsed(self, now: datetime) -> float:
        return (now - self.started).total_seconds()


async def running_clocks(session: AsyncSession, targets: Targets) -> list[Clock]:
    """The targets running now: queued conversations (both kinds) and claimed ones no agent answered yet."""
    latest = (
        select(Handoff.conversation_id, func.max(Handoff.id).label("handoff_id"))
        .group_by(Handoff.conversation_id)
        .subquery()
    )
    rows = (
        await session.execute(
            select(Conversation, Handoff, Agent.team)
            .join(latest, latest.c.conversation_id == Conversation.id)
            .join(Handoff, Handoff.id == latest.c.handoff_id)
            .outerjoin(Agent, Agent.id == Conversation.assigned_agent_id)
            .where(Conversation.mode.in_((MODE_QUEUED, MODE_AGENT)))
        )
    ).all()
    clocks: list[Clock] = []
    for conversation, handoff, agent_team in rows:
        started = aware(handoff.created_at)
        answered = await session.scalar(
            select(Message.id)
            .where(
                Message.conversation_id == conversation.id,
                Message.sender == SENDER_AGENT,
                Message.created_at >= handoff.created_at,
            )
            .limit(1)
        )
        team = conversation.team or agent_team
        kinds = [SLA_QUEUE_WAIT] if conversation.mode == MODE_QUEUED else []
        if answered is None:
            kinds.append(SLA_FIRST_RESPONSE)
        for kind in kinds:
            target = targets.target(conversation.customer_tier, kind)
            if target is not None:
                clocks.append(
                    Clock(
                        conversation.id,
                        handoff.id,
                        kind,
                        conversation.customer_tier,
                        team,
                        conversation.assigned_agent_id,
                        started,
                        target,
                    )
                )
    return clocks


class SlaWatch:
    """Warns and alerts supervisors as targets near and pass (one instance per helpdesk process)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        hub: Hub,
        targets: Targets,
        hours: BusinessHours | None = None,
        once: Once | None = None,
    ) -> None:
        self.sessions, self.hub, self.targets = sessions, hub, targets
        self.hours = hours or BusinessHours.always()
        self.once = once or MemoryOnce()  # the processes sharing the hub share this (helpdesk/scaleout.py)

    async def check(self, now: datetime | None = None) -> list[dict[str, Any]]:
        """One look: the alerts published (for tests and logs). Out of business hours nobody is alerted: the
        team is away and the customer was told when it is back."""
        now = now or utcnow()
        if not self.hours.is_open(now):
            return []
        async with self.sessions() as session:
            clocks = await running_clocks(session, self.targets)
        published = []
        for clock in clocks:
            elapsed = clock.elapsed(now)
            if elapsed >= clock.target:
                if await self._record(clock, now):
                    published.append(await self._publish(clock, "breach", elapsed))
            elif elapsed >= clock.target * self.targets.warn_at and await self._first_warning(clock):
                published.append(await self._publish(clock, "warning", elapsed))
        return published

    async def _first_warning(self, clock: Clock) -> bool:
        """Whether this process is the one to warn of `clock` (the claim outlives the clock's target)."""
        return await self.once.first(f"sla-warning:{clock.handoff_id}:{clock.kind}", max(60.0, 2.0 * clock.target))

    async def _record(self, clock: Clock, now: datetime) -> bool:
        """Store the breach; False when it was stored before (by this or another process)."""
        async with self.sessions() as session:
            session.add(
                SlaBreach(
                    conversation_id=clock.conversation_id,
                    handoff_id=clock.handoff_id,
                    kind=clock.kind,
                    tier=clock.tier,
                    team=clock.team,
                    agent_id=clock.agent_id,
                    target_seconds=clock.target,
                    at=now,
                )
            )
            try:
                await session.commit()
            except IntegrityError:
                await session.rollback()
                return False
        return True

    async def _publish(self, clock: Clock, level: str, elapsed: float) -> dict[str, Any]:
        event = {
            "type": "sla",
            "level": level,
            "kind": clock.kind,
            "conversation_id": clock.conversation_id,
            "tier": clock.tier,
            "team": clock.team,
            "assignee": clock.agent_id,
            "elapsed_seconds": round(elapsed),
            "target_seconds": clock.target,
        }
        await self.hub.publish(CONSOLE, event)
        return event

    async def forever(self) -> None:
        while True:
            try:
                await self.check()
            except Exception:  # a database hiccup: look again next time
                log.exception("the SLA check failed")
            await asyncio.sleep(CHECK_SECONDS)


async def breach_counts(session: AsyncSession, start: datetime, end: datetime) -> dict[str, Any]:
    """Breaches in [start, end) per kind, tier, team and agent (by display name)."""
    rows = (
        await session.execute(
            select(SlaBreach.kind, SlaBreach.tier, SlaBreach.team, Agent.display_name)
            .outerjoin(Agent, Agent.id == SlaBreach.agent_id)
            .where(SlaBreach.at >= start, SlaBreach.at < end)
        )
    ).all()

    def count(values: list[str]) -> list[dict[str, Any]]:
        return [{"group": k, "breaches": n} for k, n in sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0]))]

    return {
        "total": len(rows),
        "by_kind": count([kind for kind, _, _, _ in rows]),
        "by_tier": count([tier for _, tier, _, _ in rows]),
        "by_team": count([team or "(no team)" for _, _, team, _ in rows]),
        "by_agent": count([agent or "(nobody yet)" for _, _, _, agent in rows]),
    }
