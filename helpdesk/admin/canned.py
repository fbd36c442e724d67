"""Canned replies' placeholders and `/` shortcuts, and the starter set shipped with the demo
(config/canned_replies.yml).

Placeholders, filled from what the conversation knows (the bot's slots at handoff, a message left out of hours,
the agent): {{customer.first_name}} {{customer.name}} {{customer.email}} {{order.number}} {{agent.first_name}}
{{agent.name}}. An unknown value is left as the placeholder (the agent sees it and fills it in); an unknown name
is refused when the reply is saved, and a reply to a customer with a placeholder left in it when it is sent
(`check_filled`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.admin import audit
from helpdesk.config import PROJECT_ROOT
from helpdesk.db.models import Agent, CannedReply, Conversation
from helpdesk.errors import Conflict, Invalid, NotFound

STARTER_FILE = PROJECT_ROOT / "config" / "canned_replies.yml"
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+\.[a-z_]+)\s*\}\}")
PLACEHOLDERS = (
    "customer.first_name",
    "customer.name",
    "customer.email",
    "order.number",
    "agent.first_name",
    "agent.name",
)
SHORTCUT = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")


def check_placeholders(text: str) -> None:
    unknown = sorted({name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        raise Invalid(f"unknown placeholder(s) {', '.join(unknown)}: use {', '.join(PLACEHOLDERS)}")


def check_filled(text: str) -> None:
    """A reply on its way to a customer has no placeholder left: the customer would read "{{customer.first_name}}"."""
    left = list(dict.fromkeys(match[0] for match in PLACEHOLDER.finditer(text)))
    if left:
        raise Invalid(f"fill in {', '.join(left)} before sending: the customer would read it as it stands")


def check_shortcut(value: object) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not SHORTCUT.match(value.strip().lower()):
        raise Invalid("a shortcut is 1-32 lower-case letters, digits or dashes (typed after / in the composer)")
    return value.strip().lower()


def values_for(conversation: Conversation, agent: Agent) -> dict[str, str]:
    """What the placeholders stand for in this conversation (only what is known)."""
    slots = conversation.slots or {}
    contact = conversation.offline_contact or {}
    found: dict[str, str] = {"agent.name": agent.display_name, "agent.first_name": agent.display_name.split()[0]}
    name = slots.get("customer_name") or contact.get("name")
    if isinstance(name, str) and name.strip():
        found["customer.name"] = name.strip()
        found["customer.first_name"] = name.strip().split()[0]
    email = slots.get("email") or contact.get("email")
    if isinstance(email, str) and email.strip():
        found["customer.email"] = email.strip()
    order = slots.get("verified_order") or slots.get("order_id")
    if isinstance(order, str | int) and str(order).strip():
        found["order.number"] = str(order).strip()
    return found


# the customer's name, when nobody told it (a customer the bot did not verify, who left no name): the greeting takes
# its neutral form, the placeholder dropped with the comma or space that set it off ("Hi {{customer.first_name}}, this
# is Anna" -> "Hi, this is Anna"; "anything else, {{customer.first_name}}?" -> "anything else?";
# "{{customer.first_name}}您好" -> "您好"), instead of the braces (or a guess) in the agent's box
NAME_PLACEHOLDERS = ("customer.first_name", "customer.name")
_NAME = r"\{\{\s*customer\.(?:first_)?name\s*\}\}"
NAME_AT_START = re.compile(r"^" + _NAME + r"[ \t]*,?[ \t]*")
NAME_AFTER_WORDS = re.compile(r"[ \t]*,?[ \t]*" + _NAME)


def neutral_without_name(text: str) -> str:
    """``text`` in its neutral form: the customer's name placeholders dropped with what set them off."""
    return NAME_AFTER_WORDS.sub("", NAME_AT_START.sub("", text))


def fill(text: str, values: dict[str, str]) -> dict[str, Any]:
    """The text with the known placeholders filled, the customer's name in its neutral form when it is unknown;
    `missing`: those left for the agent."""
    if not any(name in values for name in NAME_PLACEHOLDERS):
        text = neutral_without_name(text)
    missing: list[str] = []

    def one(match: re.Match[str]) -> str:
        name = match[1]
        if name in values:
            return values[name]
        if name not in missing:
            missing.append(name)
        return match[0]

    filled = PLACEHOLDER.sub(one, text)
    return {"text": filled, "missing": missing}


@dataclass(frozen=True)
class StarterReply:
    shortcut: str
    title: str
    text: str
    language: str | None  # the customers' language it is written for (en | zh); None: any


def starter_set(path: Path = STARTER_FILE) -> list[StarterReply]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    replies: list[StarterReply] = []
    for r in raw:
        language = r.get("language")
        if language not in (None, "en", "zh"):
            raise ValueError(f"{path}: canned reply {r.get('shortcut')!r}: language must be en or zh, not {language!r}")
        replies.append(StarterReply(str(r["shortcut"]), str(r["title"]), str(r["text"]), language))
    return replies


async def add_starter_set(session: AsyncSession, actor: Agent | None) -> int:
    """Add the starter replies whose shortcut is not taken yet; how many were added."""
    taken = set(await session.scalars(select(CannedReply.shortcut).where(CannedReply.shortcut.is_not(None))))
    added = 0
    for reply in starter_set():
        if reply.shortcut in taken:
            continue
        check_placeholders(reply.text)
        session.add(
            CannedReply(
                title=reply.title,
                text=reply.text,
                shortcut=reply.shortcut,
                language=reply.language,
                created_by=actor.id if actor else None,
                updated_by=actor.id if actor else None,
            )
        )
        added += 1
    if actor is not None and added:
        audit.record(session, actor, "canned.starter_set", "canned_replies", added=added)
    await session.commit()
    return added


async def list_canned(session: AsyncSession) -> list[dict[str, Any]]:
    replies = await session.scalars(select(CannedReply).order_by(CannedReply.title, CannedReply.id))
    return [r.to_json() for r in replies]


async def save_canned(
    session: AsyncSession, actor: Agent, canned_id: int | None, title: str, text: str, shortcut: object
) -> dict[str, Any]:
    check_placeholders(text)
    short = check_shortcut(shortcut)
    if short is not None:
        clash = await session.scalar(
            select(CannedReply.id).where(CannedReply.shortcut == short, CannedReply.id != (canned_id or 0))
        )
        if clash is not None:
            raise Conflict(f"the shortcut /{short} is taken by another reply")
    if canned_id is None:
        reply = CannedReply(title=title, text=text, shortcut=short, created_by=actor.id, updated_by=actor.id)
        session.add(reply)
        action = "canned.add"
    else:
        found = await session.get(CannedReply, canned_id)
        if found is None:
            raise NotFound("no such canned reply")
        reply = found
        reply.title, reply.text, reply.shortcut, reply.updated_by = title, text, short, actor.id
        action = "canned.edit"
    await session.flush()
    audit.record(session, actor, action, f"canned:{reply.id}", title=title, shortcut=short)
    await session.commit()
    return reply.to_json()


async def delete_canned(session: AsyncSession, actor: Agent, canned_id: int) -> None:
    reply = await session.get(CannedReply, canned_id)
    if reply is None:
        raise NotFound("no such canned reply")
    audit.record(session, actor, "canned.delete", f"canned:{canned_id}", title=reply.title)
    await session.delete(reply)
    await session.commit()
