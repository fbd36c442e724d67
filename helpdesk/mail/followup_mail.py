"""Follow-up (回访) e-mails: from a follow-up task, the agent writes to the customer; the mail goes through the
outbox with the follow-up template, and the task gets a comment saying what was sent to whom."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.conversation import script
from helpdesk.conversation.followups import FollowUps, announce
from helpdesk.db.models import Agent, Conversation, FollowUp, FollowUpComment
from helpdesk.errors import Conflict, Invalid
from helpdesk.mail import outbox
from helpdesk.mail.settings import MailSettings
from helpdesk.mail.sweep import contact_email
from helpdesk.mail.templates import FOLLOW_UP, language_of

MAX_TEXT = 5000
# the text an agent starts from (they edit it before sending), in the conversation's language
DRAFT = {
    "en": "We're sorry your last conversation with us didn't go as it should have. Is everything sorted now? "
    "If not, just reply to this e-mail and we'll take care of it.",
    "zh": "很抱歉您上次的咨询体验不够理想。请问问题现在解决了吗？如果还没有，直接回复本邮件，我们会尽快为您处理。",
}


class FollowUpMail:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], settings: MailSettings, followups: FollowUps):
        self.sessions = sessions
        self.settings = settings
        self.followups = followups

    async def draft(self, agent: Agent, follow_up_id: int) -> dict[str, Any]:
        """Where the e-mail would go (None: no address on file), and a text in the customer's language to start from."""
        await self.followups.detail(agent, follow_up_id)  # NotFound / Forbidden as for reading the task
        async with self.sessions() as session:
            follow_up = await session.get(FollowUp, follow_up_id)
            conversation = await session.get(Conversation, follow_up.conversation_id) if follow_up else None
            email = contact_email(conversation) if conversation is not None else None
            language = language_of(conversation.language if conversation is not None else None)
            # the draft in the customer's script (traditional characters for one who writes them)
            text = DRAFT[language]
            if conversation is not None:
                text = await script.in_conversation_script(session, conversation, text)
        return {"to": email, "enabled": self.settings.enabled, "language": language, "text": text}

    async def send(self, agent: Agent, follow_up_id: int, text: str) -> dict[str, Any]:
        """Queue the follow-up e-mail (the same text twice is queued once). Who may see the task may send it."""
        text = text.strip()
        if not text:
            raise Invalid("text is missing: write the message to the customer")
        if len(text) > MAX_TEXT:
            raise Invalid(f"text is too long: {len(text)} characters, the limit is {MAX_TEXT}")
        if not self.settings.enabled:
            raise Conflict("e-mail is not set up on this helpdesk (SMTP_HOST)")
        await self.followups.detail(agent, follow_up_id)  # NotFound / Forbidden as for reading the task
        async with self.sessions() as session:
            follow_up = await session.get(FollowUp, follow_up_id)
            conversation = await session.get(Conversation, follow_up.conversation_id) if follow_up else None
            if follow_up is None or conversation is None:
                raise Invalid("the follow-up's conversation is gone")
            email = contact_email(conversation)
            if email is None:
                raise Conflict("no e-mail address on file for this customer")
            digest = hashlib.sha256(text.encode()).hexdigest()[:16]
            mail = await outbox.enqueue(
                session,
                kind=FOLLOW_UP,
                dedupe_key=f"followup:{follow_up_id}:{digest}",
                to_address=email,
                language=language_of(conversation.language),
                conversation_id=conversation.id,
                payload={"agent": agent.display_name, "text": text, "follow_up_id": follow_up_id},
            )
            if mail is not None:
                session.add(
                    FollowUpComment(follow_up_id=follow_up_id, agent_id=agent.id, text=f"E-mailed {email}:\n{text}")
                )
            await session.commit()
        await announce(self.followups.hub, follow_up)
        return {"follow_up_id": follow_up_id, "to": email, "queued": mail is not None}
