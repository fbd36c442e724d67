"""Finding conversations again: by what was written (full text over every message, any mode — closed, handed back
and transferred chats included), the customer's e-mail, name or an order number, a label, a date range, the
language and the state. SQLite reads its FTS5 table, PostgreSQL its GIN tsvector index (helpdesk/db/search_index.py);
Chinese text (no spaces to split words on) is matched as a substring.

Who finds what: supervisors and admins everything; agents everything but the chats another agent is handling now
and the queue of other teams (the same rule as opening one: helpdesk/conversation/desk.py `may_view`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, exists, false, func, not_, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql import ColumnElement

from helpdesk.conversation import desk_cards
from helpdesk.conversation.desk import NOT_YOURS, may_view
from helpdesk.db.models import Agent, Conversation, ConversationLabel, Handoff, Message, iso
from helpdesk.db.search_index import (
    CONTACT_FTS,
    FTS_TABLE,
    PG_CONTACT,
    PG_CONTACT_VECTOR,
    PG_MESSAGE_VECTOR,
    TS_CONFIG,
)
from helpdesk.errors import Forbidden, Invalid, NotFound
from helpdesk.reports.spreadsheet import safe_cell
from helpdesk.staff.accounts import display_names
from helpdesk.vocabulary import MODE_AGENT, MODE_BOT, MODE_CLOSED, MODE_QUEUED

QUERY_CHARS = 200
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
EXPORT_LIMIT = 5000
SNIPPET_CHARS = 160
STATES = {
    "open": (MODE_QUEUED, MODE_AGENT),
    "queued": (MODE_QUEUED,),
    "agent": (MODE_AGENT,),
    "closed": (MODE_CLOSED,),
    "bot": (MODE_BOT,),
}
LANGUAGES = ("en", "zh")
WORD = re.compile(r"\w+", re.UNICODE)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_TERMS = 8
CANDIDATES = 2000  # the newest matching messages (and customers) looked at first


@dataclass(frozen=True)
class SearchQuery:
    text: str | None = None
    label: int | None = None
    language: str | None = None
    state: str | None = None
    since: date | None = None
    until: date | None = None
    limit: int = DEFAULT_LIMIT


def _day(raw: str | None, name: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid(f'"{name}" must be a date like 2026-12-02') from None


def parse_query(args: Mapping[str, str | None], limit_cap: int = MAX_LIMIT) -> SearchQuery:
    """A search from the request's query string: q, label (id), language, state, from, to, limit."""
    words = (args.get("q") or "").strip()
    if len(words) > QUERY_CHARS:
        raise Invalid(f'"q" must be at most {QUERY_CHARS} characters')
    label_raw = args.get("label") or None
    if label_raw is not None and not label_raw.isdigit():
        raise Invalid('"label" must be a label id')
    language = args.get("language") or None
    if language is not None and language not in LANGUAGES:
        raise Invalid(f'"language" must be one of {", ".join(LANGUAGES)}')
    state = args.get("state") or None
    if state is not None and state not in STATES:
        raise Invalid(f'"state" must be one of {", ".join(STATES)}')
    limit_raw = args.get("limit") or str(DEFAULT_LIMIT)
    if not limit_raw.isdigit() or not 1 <= int(limit_raw) <= limit_cap:
        raise Invalid(f'"limit" must be 1 to {limit_cap}')
    since, until = _day(args.get("from"), "from"), _day(args.get("to"), "to")
    if since and until and since > until:
        raise Invalid('"from" is after "to"')
    return SearchQuery(words or None, int(label_raw) if label_raw else None, language, state, since, until,
                       int(limit_raw))  # fmt: skip


def _like(words: str) -> str:
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts5_query(words: str) -> str | None:
    """An FTS5 MATCH expression from what was typed: every word must occur (each one quoted: no FTS syntax gets
    through), the last one as a prefix, as a search box behaves while one types."""
    terms = WORD.findall(words)[:MAX_TERMS]
    if not terms:
        return None
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def _pg_query(words: str) -> tuple[str, str]:
    """The tsquery parameters: the words as typed (websearch syntax, safe for any input) and every word with the
    last one as a prefix (word characters only: safe in to_tsquery's syntax)."""
    terms = WORD.findall(words)[:MAX_TERMS]
    return words, " & ".join(terms[:-1] + [terms[-1] + ":*"])


def _candidate_sql(dialect: str, words: str, capped: bool) -> list[Any]:
    """Statements giving the ids of conversations whose messages or customer match `words`, newest messages first;
    with `capped`, at most CANDIDATES of each (the LIMIT binds :cap)."""
    limit = " LIMIT :cap" if capped else ""
    if CJK.search(words) or not WORD.search(words):  # Chinese (no spaces to split on) or no word at all: substrings
        like = "ILIKE" if dialect == "postgresql" else "LIKE"
        contact = (
            f"SELECT id FROM conversations WHERE ({PG_CONTACT}) ILIKE :pattern ESCAPE '\\'"
            if dialect == "postgresql"
            # the customer's words as the contact index keeps them (no JSON to take apart per row)
            else f"SELECT c.id FROM {CONTACT_FTS} f JOIN conversations c ON c.rowid = f.rowid "
            f"WHERE f.contact LIKE :pattern ESCAPE '\\'"
        )
        return [
            text(
                f"SELECT conversation_id FROM messages WHERE text {like} :pattern ESCAPE '\\' ORDER BY id DESC{limit}"
            ).bindparams(pattern=_like(words)),
            text(contact + limit).bindparams(pattern=_like(words)),
        ]
    if dialect == "sqlite":
        match = _fts5_query(words)
        return [
            text(
                f"SELECT m.conversation_id FROM (SELECT rowid AS r FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts "
                f"ORDER BY rowid DESC{limit}) f JOIN messages m ON m.id = f.r"
            ).bindparams(fts=match),
            text(
                f"SELECT c.id FROM {CONTACT_FTS} f JOIN conversations c ON c.rowid = f.rowid "
                f"WHERE {CONTACT_FTS} MATCH :fts{limit}"
            ).bindparams(fts=match),
        ]
    typed, prefix = _pg_query(words)
    query = f"(websearch_to_tsquery('{TS_CONFIG}', :typed) || to_tsquery('{TS_CONFIG}', :prefix))"
    matching = f"SELECT id, conversation_id FROM messages WHERE {PG_MESSAGE_VECTOR} @@ {query}"
    # OFFSET 0 keeps the planner on the text index (not walking every message newest first, testing each one)
    newest = f"SELECT conversation_id FROM ({matching} OFFSET 0) m ORDER BY id DESC{limit}" if capped else matching
    return [
        text(newest if capped else f"SELECT conversation_id FROM ({matching}) m").bindparams(
            typed=typed, prefix=prefix
        ),
        text(f"SELECT id FROM conversations WHERE {PG_CONTACT_VECTOR} @@ {query}{limit}").bindparams(
            typed=typed, prefix=prefix
        ),
    ]


async def _candidates(session: AsyncSession, dialect: str, words: str) -> tuple[list[str], bool]:
    """The conversations that match `words` among the newest CANDIDATES matching messages and customers, and
    whether that is all of them (False: there are more; the search looks at all if these give too few results)."""
    found: dict[str, None] = {}
    complete = True
    for statement in _candidate_sql(dialect, words, capped=True):
        rows = list(await session.scalars(statement, {"cap": CANDIDATES}))
        complete = complete and len(rows) < CANDIDATES
        found.update(dict.fromkeys(rows))
    return list(found), complete


def _all_matching(dialect: str, words: str) -> ColumnElement[bool]:
    """Every conversation that matches, as a condition (the slow path: only when the newest were not enough)."""
    messages, contact = _candidate_sql(dialect, words, capped=False)
    return or_(
        Conversation.id.in_(messages.columns(Conversation.id)), Conversation.id.in_(contact.columns(Conversation.id))
    )


def _visible(agent: Agent) -> ColumnElement[bool]:
    if agent.can_supervise:
        return Conversation.id.is_not(None)
    team_ok = (
        Conversation.team.is_(None)
        if not agent.team
        else or_(Conversation.team.is_(None), Conversation.team == agent.team)
    )
    return or_(
        Conversation.assigned_agent_id == agent.id,
        Conversation.mode.in_((MODE_CLOSED, MODE_BOT)),
        and_(Conversation.mode == MODE_QUEUED, team_ok),
    )


def _conditions(agent: Agent, query: SearchQuery, matching: ColumnElement[bool] | None) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = [_visible(agent)]
    if matching is not None:
        found.append(matching)
    if query.label is not None:
        found.append(
            exists().where(
                ConversationLabel.conversation_id == Conversation.id, ConversationLabel.label_id == query.label
            )
        )
    if query.language:
        found.append(Conversation.language == query.language)
    if query.state:
        found.append(Conversation.mode.in_(STATES[query.state]))
    if query.since:
        found.append(Conversation.updated_at >= datetime.combine(query.since, time.min, UTC))
    if query.until:
        found.append(Conversation.created_at < datetime.combine(query.until + timedelta(days=1), time.min, UTC))
    return found


@dataclass
class ConversationSearch:
    sessions: async_sessionmaker[AsyncSession]

    async def search(self, agent: Agent, query: SearchQuery) -> dict[str, Any]:
        async with self.sessions() as session:
            dialect = session.get_bind().dialect.name
            matching: ColumnElement[bool] | None = None
            complete = True
            if query.text:
                candidates, complete = await _candidates(session, dialect, query.text)
                matching = Conversation.id.in_(candidates) if candidates else false()
            ids = await self._ids(session, agent, query, matching)
            if not complete and len(ids) <= query.limit:  # the newest matches were not enough: look at them all
                assert query.text is not None
                ids = await self._ids(session, agent, query, _all_matching(dialect, query.text))
            more = len(ids) > query.limit
            ids = ids[: query.limit]
            results = await self.cards(session, ids, query.text)
        return {"conversations": results, "more": more}

    @staticmethod
    async def _ids(
        session: AsyncSession, agent: Agent, query: SearchQuery, matching: ColumnElement[bool] | None
    ) -> list[str]:
        return list(
            await session.scalars(
                select(Conversation.id)
                .where(*_conditions(agent, query, matching))
                .order_by(Conversation.updated_at.desc(), Conversation.id)
                .limit(query.limit + 1)
            )
        )

    async def cards(self, session: AsyncSession, ids: list[str], words: str | None = None) -> list[dict[str, Any]]:
        """What a result shows: the customer, state, who had it, labels, the first question, a matching line."""
        if not ids:
            return []
        conversations = {c.id: c for c in await session.scalars(select(Conversation).where(Conversation.id.in_(ids)))}
        labels = await desk_cards.labels_of(session, ids)
        questions = await desk_cards.first_questions(session, ids)
        names = await display_names(session, [c.assigned_agent_id for c in conversations.values()])
        reasons = dict(
            (
                await session.execute(
                    select(Handoff.conversation_id, Handoff.reason)
                    .where(Handoff.conversation_id.in_(ids))
                    .order_by(Handoff.id)
                )
            ).all()
        )  # the latest per conversation wins
        snippets = await self._snippets(session, ids, words)
        cards = []
        for conversation_id in ids:
            c = conversations[conversation_id]
            cards.append(
                {
                    "conversation_id": c.id,
                    "mode": c.mode,
                    "created_at": iso(c.created_at),
                    "updated_at": iso(c.updated_at),
                    "customer_name": desk_cards.customer_name(c),
                    "customer_email": desk_cards.customer_email(c),
                    "customer_tier": c.customer_tier,
                    "language": c.language,
                    "assignee": c.assigned_agent_id,
                    "assignee_name": names.get(c.assigned_agent_id or 0),
                    "handoff_reason": reasons.get(c.id),
                    "labels": labels.get(c.id, []),
                    "first_question": questions.get(c.id),
                    "snippet": snippets.get(c.id),
                }
            )
        return cards

    @staticmethod
    async def _snippets(session: AsyncSession, ids: list[str], words: str | None) -> dict[str, str]:
        """Per conversation, the first line that contains the first searched word (case-insensitive)."""
        terms = WORD.findall(words or "")
        needle = words if words and CJK.search(words) else (terms[0] if terms else None)
        if not needle:
            return {}
        rows = await session.execute(
            select(Message.conversation_id, Message.text)
            .where(Message.conversation_id.in_(ids), Message.text.ilike(_like(needle), escape="\\"))
            .order_by(Message.id)
        )
        found: dict[str, str] = {}
        for conversation_id, line in rows.all():
            if conversation_id not in found:
                at = max(0, line.lower().find(needle.lower()) - 40)
                found[conversation_id] = ("…" if at else "") + line[at : at + SNIPPET_CHARS]
        return found

    async def history(self, agent: Agent, conversation_id: str, limit: int = 20) -> dict[str, Any]:
        """The customer's other conversations (the same customer id, or the same e-mail), latest first, as cards
        (`conversations`), and those of them going on with a colleague, which the agent may not open
        (`with_colleagues`: who and since when only). An agent read "No earlier conversations" while the same
        customer was in a chat with a colleague about the same order (the staff walkthrough of 2026-12-07)."""
        async with self.sessions() as session:
            conversation = await session.get(Conversation, conversation_id)
            if conversation is None:
                raise NotFound("no such conversation")
            if not may_view(agent, conversation):
                raise Forbidden(NOT_YOURS)
        slots = conversation.slots or {}
        customer = slots.get("customer_id")
        email = desk_cards.customer_email(conversation)
        same: list[ColumnElement[bool]] = []
        if isinstance(customer, str | int) and str(customer):
            same.append(Conversation.slots["customer_id"].as_string() == str(customer))
        if email:
            same.append(func.lower(Conversation.offline_contact["email"].as_string()) == email.lower())
            same.append(func.lower(Conversation.slots["customer_email"].as_string()) == email.lower())
        if not same:
            return {"conversations": [], "with_colleagues": []}
        async with self.sessions() as session:
            ids = list(
                await session.scalars(
                    select(Conversation.id)
                    .where(or_(*same), Conversation.id != conversation.id, _visible(agent))
                    .order_by(Conversation.updated_at.desc())
                    .limit(limit)
                )
            )
            elsewhere = await session.execute(
                select(Conversation.created_at, Agent.display_name)
                .join(Agent, Agent.id == Conversation.assigned_agent_id)
                .where(
                    or_(*same),
                    Conversation.id != conversation.id,
                    Conversation.mode == MODE_AGENT,
                    not_(_visible(agent)),
                )
                .order_by(Conversation.created_at.desc())
                .limit(limit)
            )
            with_colleagues = [{"assignee_name": name, "created_at": iso(at)} for at, name in elsewhere.all()]
            return {"conversations": await self.cards(session, ids), "with_colleagues": with_colleagues}


def export_rows(cards: list[dict[str, Any]]) -> list[list[str]]:
    """The CSV of a search: one row per conversation, labels joined with "; "."""
    head = ["conversation_id", "state", "created_at", "updated_at", "customer_name", "customer_email", "tier",
            "language", "agent", "handoff_reason", "labels", "first_question"]  # fmt: skip
    rows = [head]
    for c in cards:
        rows.append(
            [
                c["conversation_id"],
                c["mode"],
                c["created_at"] or "",
                c["updated_at"] or "",
                c["customer_name"] or "",
                c["customer_email"] or "",
                c["customer_tier"] or "",
                c["language"] or "",
                c["assignee_name"] or "",
                c["handoff_reason"] or "",
                "; ".join(label["name"] for label in c["labels"]),
                c["first_question"] or "",
            ]
        )
    # the id exactly as the system knows it (ids may start with "-"; their alphabet [A-Za-z0-9_-] holds no
    # formula); every other cell is data a person or the bot wrote
    return [row[:1] + [safe_cell(v) for v in row[1:]] for row in rows]
