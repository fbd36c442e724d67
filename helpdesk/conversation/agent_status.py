"""An agent's own status, chosen in the console's header: online (new chats may be assigned to them), away (no
new chats; the ones they are talking in stay theirs, the ones they have not answered yet go back to the queue:
helpdesk/conversation/desk.py `release_unanswered`) or offline. It is kept on their account, so it survives a reload and
a second console; logging in makes an offline agent online (an away agent stays away), logging out offline.
Supervisors see everyone's status beside whether a console is open (presence: helpdesk/realtime/presence.py)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.db.models import STATUS_AWAY, STATUS_OFFLINE, STATUS_ONLINE, STATUSES, Agent, utcnow
from helpdesk.errors import Invalid
from helpdesk.realtime.events import Events
from helpdesk.realtime.hub import CONSOLE


def parse_status(raw: object) -> str:
    if raw not in STATUSES:
        raise Invalid(f'"status" must be one of {", ".join(STATUSES)}')
    assert isinstance(raw, str)
    return raw


async def set_status(session: AsyncSession, agent: Agent, status: str) -> bool:
    """Store the agent's status (committed); True when it changed."""
    if agent.status == status:
        return False
    await session.execute(
        update(Agent)
        .where(Agent.id == agent.id)
        .values(status=status, status_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    agent.status = status
    return True


async def logged_in(session: AsyncSession, agent: Agent) -> bool:
    """A login: offline becomes online; away stays away."""
    return await set_status(session, agent, STATUS_ONLINE) if agent.status == STATUS_OFFLINE else False


async def logged_out(session: AsyncSession, agent: Agent) -> bool:
    return await set_status(session, agent, STATUS_OFFLINE)


async def announce(events: Events, agent: Agent) -> None:
    """The consoles hear of it (supervisors' team list, the transfer list)."""
    await events.hub.publish(
        CONSOLE, {"type": "agent_status", "agent_id": agent.id, "assignee": agent.id, "status": agent.status}
    )


__all__ = ["STATUS_AWAY", "STATUS_OFFLINE", "STATUS_ONLINE", "announce", "logged_in", "logged_out", "parse_status"]
