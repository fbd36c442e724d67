"""What agents do with conversations: claim, read with the bot's full context, reply, note, resolve, hand
back, transfer; canned and suggested replies. Permission and state checks live here (they raise domain errors);
the HTTP routes are in helpdesk/web/console.py."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.admin.canned import check_filled
from helpdesk.clients.action_server import ActionServerClient
from helpdesk.conversation import agent_status, desk_cards, followups, lifecycle, reads, script
from helpdesk.conversation.context import ContextService
from helpdesk.conversation.notices import system_notice
from helpdesk.conversation.queue import QueueNotifier, active_chats, queue_for, waited_seconds
from helpdesk.db.models import (
    ROLE_EDITOR,
    Agent,
    Assignment,
    CannedReply,
    Conversation,
    Handoff,
    Message,
    Note,
    aware,
    iso,
    utcnow,
)
from helpdesk.errors import Conflict, Forbidden, Invalid, NotFound
from helpdesk.limits.locks import ConversationLocks
from helpdesk.realtime.events import Events
from helpdesk.realtime.presence import Presence
from helpdesk.staff.accounts import display_names
from helpdesk.vocabulary import (
    MODE_AGENT,
    MODE_BOT,
    MODE_CLOSED,
    MODE_QUEUED,
    SENDER_AGENT,
    SENDER_CUSTOMER,
    SENDER_SYSTEM,
)

TEAM = re.compile(r"^[\w][\w .-]{0,63}$")
SUGGESTIONS = 3
READ_MORE = {"en": "Read more: {title}", "zh": "阅读全文：{title}"}  # under a suggested reply, in the chat's language


def read_more(language: str, title: str) -> str:
    return READ_MORE.get(language, READ_MORE["en"]).format(title=title)


NOT_YOURS = "this conversation is not assigned to you"
# one literal on one line: tests/web/test_error_language.py finds each refusal's words in the source as written
OFFLINE_TARGET = "{name} is offline: the customer would wait with nobody there. Transfer to a colleague who is online or away, or to a team (back to the queue)."  # noqa: E501
NO_CONSOLE_TARGET = "{name} has no console open: the customer would wait with nobody there. Transfer to a colleague whose console is open, or to a team (back to the queue)."  # noqa: E501


def may_view(agent: Agent, conversation: Conversation) -> bool:
    """Supervisors everything; an agent their own chats, the queue they may claim, and (read only, to find them
    again: search and the customer's history) the conversations no agent is handling now."""
    if agent.can_supervise or conversation.assigned_agent_id == agent.id:
        return True
    if conversation.mode in (MODE_CLOSED, MODE_BOT):
        return not agent.is_editor
    return conversation.mode == MODE_QUEUED and (conversation.team is None or conversation.team == agent.team)


def may_act(agent: Agent, conversation: Conversation) -> bool:
    return agent.can_supervise or conversation.assigned_agent_id == agent.id


def entities_of(messages: Iterable[Message]) -> list[dict[str, Any]]:
    """Every entity the NLU found in the customer's turns, latest value last."""
    found = []
    for message in messages:
        for entity in (message.nlu or {}).get("entities") or []:
            found.append({"entity": entity.get("entity"), "value": entity.get("value"), "message_id": message.id})
    return found


@dataclass
class Desk:
    sessions: async_sessionmaker[AsyncSession]
    events: Events
    queue: QueueNotifier
    context: ContextService
    actions: ActionServerClient
    locks: ConversationLocks
    presence: Presence
    public_url: str

    # ---- reading ------------------------------------------------------------------------------
    async def queue_for(self, agent: Agent) -> list[dict[str, Any]]:
        async with self.sessions() as session:
            entries = await queue_for(session, agent)
            await self._cards(session, entries)
            return entries

    @staticmethod
    async def _cards(session: AsyncSession, entries: list[dict[str, Any]]) -> None:
        """Add what a card shows at a glance: the customer's name and e-mail, their first real question and latest real
        line, language."""
        ids = [e["conversation_id"] for e in entries]
        if not ids:
            return
        lines = await desk_cards.typed_lines(session, ids)
        labels = await desk_cards.labels_of(session, ids)
        conversations = {c.id: c for c in await session.scalars(select(Conversation).where(Conversation.id.in_(ids)))}
        for entry in entries:
            conversation = conversations.get(entry["conversation_id"])
            typed = lines.get(entry["conversation_id"])
            entry["first_question"] = typed.first if typed else None
            entry["latest_line"] = typed.latest if typed else None
            entry["customer_name"] = desk_cards.customer_name(conversation) if conversation else None
            entry["customer_email"] = desk_cards.customer_email(conversation) if conversation else None
            entry["language"] = conversation.language if conversation else None
            entry["labels"] = labels.get(entry["conversation_id"], [])

    async def chats(self, agent: Agent, everyone: bool = False) -> list[dict[str, Any]]:
        """Conversations being handled: the agent's own, or (supervisors) everyone's."""
        query = select(Conversation).where(Conversation.mode == MODE_AGENT)
        if not (everyone and agent.can_supervise):
            query = query.where(Conversation.assigned_agent_id == agent.id)
        async with self.sessions() as session:
            conversations = list(await session.scalars(query.order_by(Conversation.updated_at.desc())))
            lasts = {
                c.id: await session.scalar(
                    select(Message).where(Message.conversation_id == c.id).order_by(Message.id.desc()).limit(1)
                )
                for c in conversations
            }
            # the card's preview names who wrote the last line ("You:" for the console's own agent, else the name)
            writers = [c.assigned_agent_id for c in conversations] + [m.agent_id for m in lasts.values() if m]
            names = await display_names(session, writers)
            chats = []
            for conversation in conversations:
                last = lasts[conversation.id]
                chats.append(
                    {
                        "conversation_id": conversation.id,
                        "customer_tier": conversation.customer_tier,
                        "assignee": conversation.assigned_agent_id,
                        "assignee_name": names.get(conversation.assigned_agent_id or 0),
                        "handoff_reason": await self._reason(session, conversation.id),
                        "last_message": last.to_agent(names.get(last.agent_id or 0)) if last is not None else None,
                    }
                )
            await self._cards(session, chats)
            unread = await reads.unread_counts(session, agent.id, [c.id for c in conversations])
            for chat in chats:  # the customer's lines this agent has not seen (reads.py): as Chatwoot's cards count
                chat["unread"] = unread.get(str(chat["conversation_id"]), 0)
            return chats

    @staticmethod
    async def _reason(session: AsyncSession, conversation_id: str) -> str | None:
        return await session.scalar(
            select(Handoff.reason)
            .where(Handoff.conversation_id == conversation_id)
            .order_by(Handoff.id.desc())
            .limit(1)
        )

    @staticmethod
    async def _load(session: AsyncSession, conversation_id: str) -> Conversation:
        conversation = await session.get(Conversation, conversation_id)
        if conversation is None:
            raise NotFound("no such conversation")
        return conversation

    async def view(self, agent: Agent, conversation_id: str) -> dict[str, Any]:
        """The conversation with everything the bot knew: per customer turn the intent ranking and the FAQ
        candidates, the slots and entities, the handoff reason, the wait; plus the agents' notes."""
        async with self.sessions() as session:
            if not may_view(agent, await self._load(session, conversation_id)):
                raise Forbidden(NOT_YOURS)
        await self.context.ensure(conversation_id)  # candidates and slots gathered at handoff, or now
        async with self.sessions() as session:
            conversation = await self._load(session, conversation_id)
            messages = list(
                await session.scalars(
                    select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
                )
            )
            notes = list(
                await session.scalars(select(Note).where(Note.conversation_id == conversation_id).order_by(Note.id))
            )
            handoffs = list(
                await session.scalars(
                    select(Handoff).where(Handoff.conversation_id == conversation_id).order_by(Handoff.id)
                )
            )
            assignment = await lifecycle.open_stint(session, conversation_id)
            names = await display_names(
                session, [m.agent_id for m in messages] + [n.agent_id for n in notes] + [conversation.assigned_agent_id]
            )
        if messages:  # opened: read to the end (the chat card's unread count goes, in every console of the agent)
            await self.seen(agent, conversation_id, messages[-1].id)
        waited_until = assignment.assigned_at if assignment is not None else None
        return {
            "conversation": {
                "id": conversation.id,
                "mode": conversation.mode,
                "customer_tier": conversation.customer_tier,
                "customer_name": desk_cards.customer_name(conversation),
                "language": conversation.language,
                "team": conversation.team,
                "assignee": conversation.assigned_agent_id,
                "assignee_name": names.get(conversation.assigned_agent_id or 0),
                "created_at": iso(conversation.created_at),
                "queued_at": iso(conversation.queued_at),
                "waiting_seconds": waited_seconds(
                    conversation.queued_at, aware(waited_until) if waited_until is not None else None
                ),
                "handoff_reason": handoffs[-1].reason if handoffs else None,
                "handoffs": [{"reason": h.reason, "created_at": iso(h.created_at)} for h in handoffs],
                "slots": conversation.slots or {},
            },
            "messages": [m.to_agent(names.get(m.agent_id or 0)) for m in messages],
            "entities": entities_of(m for m in messages if m.sender == SENDER_CUSTOMER),
            "notes": [self._note_json(n, names.get(n.agent_id)) for n in notes],
            "can_act": may_act(agent, conversation) and conversation.mode == MODE_AGENT,
            "last_message_id": messages[-1].id if messages else 0,
        }

    async def seen(self, agent: Agent, conversation_id: str, message_id: int) -> dict[str, Any]:
        """The agent's console showed the conversation up to `message_id` (helpdesk/conversation/reads.py); their
        other consoles hear of it."""
        async with self.sessions() as session:
            if not may_view(agent, await self._load(session, conversation_id)):
                raise Forbidden(NOT_YOURS)
            last = await session.scalar(select(func.max(Message.id)).where(Message.conversation_id == conversation_id))
            upto = min(message_id, int(last or 0))  # never past the conversation's own messages
            moved = upto > 0 and await reads.mark_seen(session, agent.id, conversation_id, upto)
        if moved:
            await self.events.seen(agent.id, conversation_id, upto)
        return {"conversation_id": conversation_id, "seen_message_id": upto}

    @staticmethod
    def _note_json(note: Note, author: str | None) -> dict[str, Any]:
        return {
            "id": note.id,
            "agent_id": note.agent_id,
            "author": author,
            "text": note.text,
            "created_at": iso(note.created_at),
        }

    # ---- taking and handing over ------------------------------------------------------------
    async def _system(self, session: AsyncSession, conversation: Conversation, text: str) -> Message:
        """A notice to the customer (helpdesk/conversation/notices.py), in their script (traditional characters for a
        customer who writes them: helpdesk/conversation/script.py)."""
        text = await script.in_conversation_script(session, conversation, text)
        message = Message(conversation_id=conversation.id, sender=SENDER_SYSTEM, text=text)
        session.add(message)
        return message

    async def _check_capacity(self, session: AsyncSession, agent: Agent) -> None:
        if await active_chats(session, agent.id) >= agent.max_concurrent:
            raise Conflict(f"{agent.display_name} already has {agent.max_concurrent} chats open (their limit)")

    async def claim(self, agent: Agent, conversation_id: str) -> dict[str, Any]:
        async with self.sessions() as session, self.locks(f"agent:{agent.id}"), self.locks(conversation_id):
            conversation = await self._load(session, conversation_id)
            if conversation.mode != MODE_QUEUED:
                raise Conflict(lifecycle.NOT_WAITING)
            if not agent.can_supervise and conversation.team not in (None, agent.team):
                raise Forbidden(f"this conversation was passed to the {conversation.team} team")
            await self._check_capacity(session, agent)
            change = await lifecycle.claim(session, conversation, agent)
            message = await self._system(
                session, conversation, system_notice("joined", conversation.language, name=agent.display_name)
            )
            await session.commit()
            await self.events.message(conversation, message)
            await change.announce(self.events)
        await self.queue.changed()
        return await self.view(agent, conversation_id)

    async def _acting(self, session: AsyncSession, agent: Agent, conversation_id: str) -> Conversation:
        conversation = await self._load(session, conversation_id)
        if not may_act(agent, conversation):
            raise Forbidden(NOT_YOURS)
        if conversation.mode != MODE_AGENT:
            raise Conflict(f"this conversation is {conversation.mode}, not with an agent: claim it first")
        return conversation

    async def resolve(self, agent: Agent, conversation_id: str) -> dict[str, Any]:
        async with self.sessions() as session, self.locks(conversation_id):
            conversation = await self._acting(session, agent, conversation_id)
            change = await lifecycle.resolve(session, conversation)
            message = await self._system(
                session, conversation, system_notice("closed", conversation.language, name=agent.display_name)
            )
            await session.commit()
            await self.events.message(conversation, message)
            await change.announce(self.events)
        self.queue.kick()  # a chat freed: automatic assignment may give them the next one
        return {"conversation_id": conversation_id, "mode": MODE_CLOSED}

    async def hand_back(self, agent: Agent, conversation_id: str) -> dict[str, Any]:
        async with self.sessions() as session, self.locks(conversation_id):
            conversation = await self._acting(session, agent, conversation_id)
            change = await lifecycle.hand_back(session, conversation)
            message = await self._system(session, conversation, system_notice("handed_back", conversation.language))
            follow_up = await followups.after_hand_back(session, conversation_id, agent)
            await session.commit()
            await self.events.message(conversation, message)
            await change.announce(self.events)
            await followups.announce(self.events.hub, follow_up)
        self.queue.kick()
        return {"conversation_id": conversation_id, "mode": MODE_BOT}

    async def transfer(
        self, agent: Agent, conversation_id: str, to_agent: int | None, to_team: str | None
    ) -> dict[str, Any]:
        if (to_agent is None) == (to_team is None):
            raise Invalid('give either "agent_id" (a number) or "team" (a name)')
        if to_team is not None:
            return await self._transfer_to_team(agent, conversation_id, to_team)
        assert to_agent is not None
        async with self.sessions() as session, self.locks(f"agent:{to_agent}"), self.locks(conversation_id):
            conversation = await self._acting(session, agent, conversation_id)
            target = await session.get(Agent, to_agent)
            if target is None or not target.active or target.is_editor:
                raise Invalid("no active agent with that id")
            if target.id == conversation.assigned_agent_id:
                raise Conflict(f"the conversation is with {target.display_name} already")
            if target.status == agent_status.STATUS_OFFLINE:
                # the customer would read "<name> has joined the chat" and wait with nobody there (walkthrough
                # 2026-12-07: a chat transferred to the logged-out admin); an away colleague may still be asked
                raise Conflict(OFFLINE_TARGET.format(name=target.display_name))
            if not self.presence.is_online(target.id):
                # online or away by their status, but nobody at a console to read the chat (walkthrough 2026-12-07: a
                # chat transferred to a colleague who had closed the console's tab without logging out)
                raise Conflict(NO_CONSOLE_TARGET.format(name=target.display_name))
            await self._check_capacity(session, target)
            change = await lifecycle.transfer_to_agent(session, conversation, target)
            message = await self._system(
                session, conversation, system_notice("joined", conversation.language, name=target.display_name)
            )
            await session.commit()
            await self.events.message(conversation, message)
            await change.announce(self.events)
        return {"conversation_id": conversation_id, "mode": MODE_AGENT, "assignee": target.id}

    async def _transfer_to_team(self, agent: Agent, conversation_id: str, team: str) -> dict[str, Any]:
        team = team.strip()
        if not TEAM.match(team):
            raise Invalid("team must be a team name")
        async with self.sessions() as session, self.locks(conversation_id):
            conversation = await self._acting(session, agent, conversation_id)
            members = await session.scalar(
                select(func.count())
                .select_from(Agent)
                .where(Agent.team == team, Agent.active.is_(True), Agent.role != ROLE_EDITOR)
            )
            if not members:
                raise Invalid(f"no active agent is in a team called {team!r}")
            change = await lifecycle.transfer_to_team(session, conversation, team)
            message = await self._system(session, conversation, system_notice("to_colleague", conversation.language))
            await session.commit()
            await self.events.message(conversation, message)
            await change.announce(self.events)
        await self.queue.changed()
        return {"conversation_id": conversation_id, "mode": MODE_QUEUED, "team": team}

    # ---- writing ------------------------------------------------------------------------------
    async def reply(self, agent: Agent, conversation_id: str, text: str, client_id: str | None) -> dict[str, Any]:
        check_filled(text)  # a canned reply's placeholder nobody filled in never reaches the customer
        async with self.sessions() as session, self.locks(conversation_id):
            conversation = await self._acting(session, agent, conversation_id)
            if client_id is not None:
                existing: Message | None = await session.scalar(
                    select(Message).where(Message.conversation_id == conversation_id, Message.client_id == client_id)
                )
                if existing is not None:  # a retried send
                    return existing.to_agent(agent.display_name)
            message = Message(
                conversation_id=conversation_id, sender=SENDER_AGENT, text=text, agent_id=agent.id, client_id=client_id
            )
            session.add(message)
            conversation.updated_at = utcnow()
            await session.commit()
            await self.events.message(conversation, message, agent.display_name, agent.avatar_url)
            await self.events.agent_typing(conversation_id, agent.display_name, False)
            return message.to_agent(agent.display_name)

    async def note(self, agent: Agent, conversation_id: str, text: str) -> dict[str, Any]:
        async with self.sessions() as session:
            conversation = await self._load(session, conversation_id)
            if not may_act(agent, conversation):
                raise Forbidden(NOT_YOURS)
            note = Note(conversation_id=conversation_id, agent_id=agent.id, text=text)
            session.add(note)
            await session.commit()
            body = self._note_json(note, agent.display_name)
        await self.events.note(conversation_id, conversation.assigned_agent_id, body)
        return body

    async def typing(self, agent: Agent, conversation_id: str, typing: bool) -> None:
        async with self.sessions() as session:
            await self._acting(session, agent, conversation_id)
        await self.events.agent_typing(conversation_id, agent.display_name, typing)

    # ---- help for the reply ---------------------------------------------------------------
    async def suggestions(self, agent: Agent, conversation_id: str) -> dict[str, Any]:
        """Handbook answers for the customer's latest real line (desk_cards), ready to edit and send."""
        async with self.sessions() as session:
            conversation = await self._load(session, conversation_id)
            if not may_view(agent, conversation):
                raise Forbidden(NOT_YOURS)
            language = conversation.language or "en"  # suggestions in the customer's language
            # and script: what the agent sends a customer who writes traditional characters is in them
            traditional = await script.conversation_traditional(session, conversation)
            # what the customer asked, not the "a person please" (or the e-mail address) they sent after it: the
            # handbook's contact-us entry was the first suggestion for every chat handed off on request
            latest = await desk_cards.latest_real_message(session, conversation_id)
            answered = await desk_cards.bot_answered_from(session, latest) if latest is not None else None
        if latest is None:
            return {"message_id": None, "query": None, "decision": None, "suggestions": []}
        found = await self.actions.search(latest.text)
        # the entry the bot answered that line from comes first (it may have read it better than a bare search:
        # "two of the tumblers are chipped" was answered from damaged-item, searched as "my order hasn't arrived")
        candidates = list(found["candidates"])
        if answered is not None:
            candidates = [answered] + [c for c in candidates if c.get("id") != answered["id"]]
        suggestions = []
        for candidate in candidates[:SUGGESTIONS]:
            entry = await self.actions.entry(str(candidate.get("id")), language)
            if entry is None:
                continue
            link = f"{self.public_url.rstrip('/')}/help/{entry['id']}" + ("?lang=zh" if language == "zh" else "")
            suggestions.append(
                {
                    "id": entry["id"],
                    "title": entry["title"],
                    "score": candidate.get("score"),
                    # a titled link: the widget shows "Read more: <title>", never the raw URL
                    "text": script.in_script(
                        f"{entry['answer'].strip()}\n\n[{read_more(language, entry['title'])}]({link})", traditional
                    ),
                }
            )
        decision = found["decision"]
        return {"message_id": latest.id, "query": latest.text, "decision": decision, "suggestions": suggestions}

    async def agents(self) -> list[dict[str, Any]]:
        """Active agents (not editors) with their load, for transfers and follow-up assignment."""
        async with self.sessions() as session:
            agents = list(
                await session.scalars(
                    select(Agent).where(Agent.active.is_(True), Agent.role != ROLE_EDITOR).order_by(Agent.username)
                )
            )
            listed = []
            for agent in agents:
                listed.append(
                    {
                        "id": agent.id,
                        "username": agent.username,
                        "display_name": agent.display_name,
                        "role": agent.role,
                        "team": agent.team,
                        "max_concurrent": agent.max_concurrent,
                        "active_chats": await active_chats(session, agent.id),
                        "online": self.presence.is_online(agent.id),
                        "status": agent.status,
                    }
                )
            return listed

    async def set_status(self, agent: Agent, status: object) -> dict[str, Any]:
        """The agent's own status (helpdesk/conversation/agent_status.py): online gets new chats, away and offline
        none."""
        chosen = agent_status.parse_status(status)
        async with self.sessions() as session:
            changed = await agent_status.set_status(session, agent, chosen)
        released: list[str] = []
        if changed:
            await agent_status.announce(self.events, agent)
            # waiting customers are told the wait again: it is shared by the agents online, and this one just came or
            # went (before, an agent going Away left every waiting customer with the shorter wait they were told)
            await self.queue.refresh_staffing()  # now, even when a broadcast under way folds this one into its next run
            await self.queue.broadcast_positions()
            if chosen == agent_status.STATUS_ONLINE:
                self.queue.kick()
            else:
                released = await self.release_unanswered(agent)
        return {"status": agent.status, "returned_to_queue": released}

    async def release_unanswered(self, agent: Agent) -> list[str]:
        """An agent who goes away or offline keeps the chats they are talking in; the ones they have not answered
        yet (no reply from them since they got it) go back to the queue, in their old place, for someone online."""
        return await self.return_to_queue(agent, answered_too=False)

    async def return_to_queue(self, agent: Agent, answered_too: bool, note: str | None = None) -> list[str]:
        """The agent's chats back to the queue, each in its old place (and team), the customer told a colleague
        takes over (in their language): only the ones the agent has not answered yet, or with ``answered_too`` every
        one they hold (their console was closed: helpdesk/conversation/closed_consoles.py), each with ``note`` for
        the colleague who takes it. The ones returned."""
        async with self.sessions() as session:
            stints = (
                await session.execute(
                    select(Conversation.id, Assignment.assigned_at)
                    .join(Assignment, Assignment.conversation_id == Conversation.id)
                    .where(
                        Conversation.mode == MODE_AGENT,
                        Conversation.assigned_agent_id == agent.id,
                        Assignment.agent_id == agent.id,
                        Assignment.ended_at.is_(None),
                    )
                )
            ).all()
        released = []
        for conversation_id, since in stints:
            async with self.sessions() as session, self.locks(conversation_id):
                conversation = await self._load(session, conversation_id)
                if conversation.mode != MODE_AGENT or conversation.assigned_agent_id != agent.id:
                    continue
                if not answered_too:
                    answered = await session.scalar(
                        select(Message.id)
                        .where(
                            Message.conversation_id == conversation_id,
                            Message.sender == SENDER_AGENT,
                            Message.agent_id == agent.id,
                            Message.created_at >= since,
                        )
                        .limit(1)
                    )
                    if answered is not None:
                        continue
                change = await lifecycle.requeue(session, conversation)
                message = await self._system(
                    session, conversation, system_notice("to_colleague", conversation.language)
                )
                written = None
                if note is not None:
                    written = Note(conversation_id=conversation_id, agent_id=agent.id, text=note)
                    session.add(written)
                await session.commit()
                await self.events.message(conversation, message)
                if written is not None:
                    await self.events.note(conversation_id, None, self._note_json(written, agent.display_name))
                await change.announce(self.events)
                released.append(conversation_id)
        if released:
            await self.queue.changed()
        return released

    # ---- canned replies ---------------------------------------------------------------------
    async def canned(self, language: str | None = None) -> list[dict[str, Any]]:
        """The canned replies; with ``language``, those written for it and those for any language."""
        query = select(CannedReply).order_by(CannedReply.title)
        if language is not None:
            query = query.where(or_(CannedReply.language == language, CannedReply.language.is_(None)))
        async with self.sessions() as session:
            return [c.to_json() for c in await session.scalars(query)]

    async def save_canned(
        self, agent: Agent, canned_id: int | None, title: str, text: str, language: tuple[str | None] | None = None
    ) -> dict[str, Any]:
        """Add or change a canned reply; ``language`` as ``(code,)`` sets its language (``(None,)``: any), None
        keeps it."""
        async with self.sessions() as session:
            if canned_id is None:
                reply = CannedReply(title=title, text=text, updated_by=agent.id, created_by=agent.id)
                session.add(reply)
            else:
                reply = await self._own_canned(session, agent, canned_id)
                reply.title, reply.text, reply.updated_by = title, text, agent.id
            if language is not None:
                reply.language = language[0]
            await session.commit()
            return reply.to_json()

    @staticmethod
    async def _own_canned(session: AsyncSession, agent: Agent, canned_id: int) -> CannedReply:
        """A shared canned reply this agent may change: its author, supervisors and admins (else Forbidden)."""
        reply = await session.get(CannedReply, canned_id)
        if reply is None:
            raise NotFound("no such canned reply")
        if not (agent.can_supervise or reply.created_by == agent.id):
            raise Forbidden("only its author, a supervisor or an admin may change this canned reply")
        return reply

    async def delete_canned(self, agent: Agent, canned_id: int) -> None:
        async with self.sessions() as session:
            reply = await self._own_canned(session, agent, canned_id)
            await session.delete(reply)
            await session.commit()
