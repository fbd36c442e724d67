"""Out-of-scope held-out questions retired once an entry covers them.

The held-out sets (helpdesk/knowledge/held_out.py) hold questions the handbook did not answer when they were
written ("do you make custom furniture"). When the shop starts answering one, the entry that covers it makes the
set's out-of-scope-answered figure worse on every preview and the publish gate would ask for a supervisor forever.
An editor or supervisor retires such a question from its set's out-of-scope questions (who, when, for which
entry, in the database; the team's files stay as written): the impact preview and the gate leave it out from
then on, and it can be put back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.db.models import Agent, RetiredHeldOut, iso, utcnow
from helpdesk.errors import Conflict, Invalid, NotFound
from helpdesk.knowledge.held_out import held_out_folder, load_sets

MAX_QUERY = 500


def to_json(row: RetiredHeldOut) -> dict[str, Any]:
    return {
        "id": row.id,
        "set": row.set_name,
        "query": row.query,
        "entry_id": row.entry_id,
        "by": row.agent_name,
        "at": iso(row.created_at),
    }


async def retired(session: AsyncSession) -> list[RetiredHeldOut]:
    return list(await session.scalars(select(RetiredHeldOut).order_by(RetiredHeldOut.id)))


def pairs(rows: list[RetiredHeldOut]) -> list[list[str]]:
    """What the action server's preview leaves out: [[set, query], ...]."""
    return [[row.set_name, row.query] for row in rows]


def out_of_scope_question(set_name: str, query: str) -> bool:
    """``query`` is one of the out-of-scope questions of the held-out set ``set_name``."""
    for found in load_sets(held_out_folder()):
        if found.name == set_name:
            return any(q.text == query for q in found.out_of_scope)
    return False


async def retire(session: AsyncSession, agent: Agent, set_name: str, query: str, entry_id: str) -> RetiredHeldOut:
    """Retire an out-of-scope question of a held-out set, covered now by ``entry_id``."""
    if not out_of_scope_question(set_name, query):
        raise Invalid(f"'{query[:100]}' is not an out-of-scope question of the held-out set '{set_name[:32]}'")
    row = RetiredHeldOut(
        set_name=set_name,
        query=query,
        entry_id=entry_id,
        agent_id=agent.id,
        agent_name=agent.display_name,
        created_at=utcnow(),
    )
    session.add(row)
    try:
        await session.commit()
    except IntegrityError as error:
        await session.rollback()
        raise Conflict(f"'{query[:100]}' is already retired from the set '{set_name}'") from error
    return row


async def put_back(session: AsyncSession, retired_id: int) -> RetiredHeldOut:
    row = await session.get(RetiredHeldOut, retired_id)
    if row is None:
        raise NotFound(f"no retired held-out question {retired_id}")
    await session.delete(row)
    await session.commit()
    return row
