"""Waiting without waiting: a customer in the queue (a long wait, or whenever they like) may leave an e-mail
address for the answer, or stop waiting. Either choice is a message in the conversation the agent sees, and is
kept on the handoff (`handoffs.customer_choice`: email | cancel) for the queue and the dashboard to count.

- `email_me`: the message "Please answer me by e-mail: …" is left for the team (ChatService.leave_message: the
  conversation stays queued, marked as a message left, with the address), and its confirmation e-mail goes out
  (helpdesk/mail/sweep.py); the agent's reply follows by e-mail if the customer has left the page.
- `stop_waiting`: the customer's "I'll stop waiting" closes the queued chat without an agent (nothing to rate);
  their next message starts with the bot again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.conversation import lifecycle, script
from helpdesk.conversation.chat import ChatService, ConversationNotFound, LeftMessage
from helpdesk.db.models import Conversation, Handoff, Message, utcnow
from helpdesk.errors import Conflict
from helpdesk.mail.templates import language_of
from helpdesk.vocabulary import MODE_QUEUED, SENDER_CUSTOMER, SENDER_SYSTEM

CHOICE_EMAIL = "email"
CHOICE_CANCEL = "cancel"
EMAIL_ME = {"en": "Please answer me by e-mail: {email}", "zh": "请通过邮件回复我：{email}"}
STOP = {"en": "I'll stop waiting.", "zh": "我不等了。"}
STOPPED = {
    "en": "You've left the queue. Write here any time: the assistant answers, and a person if you ask.",
    "zh": "您已退出排队。随时可以在这里留言：智能助手会回答您，如需人工客服也可随时提出。",
}
NOT_WAITING = "you are not waiting for a person in this chat"


async def _mark(session: AsyncSession, conversation_id: str, choice: str) -> None:
    handoff = await session.scalar(
        select(Handoff).where(Handoff.conversation_id == conversation_id).order_by(Handoff.id.desc()).limit(1)
    )
    if handoff is not None:
        handoff.customer_choice = choice
        handoff.customer_choice_at = utcnow()


class Waiting:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], chat: ChatService) -> None:
        self.sessions = sessions
        self.chat = chat

    async def _language(self, conversation_id: str, language: str | None) -> str:
        async with self.sessions() as session:
            conversation = await session.get(Conversation, conversation_id)
            if conversation is None:
                raise ConversationNotFound()
            return language_of(language or conversation.language)

    async def _in_script(self, conversation_id: str, text: str) -> str:
        """What the widget says for the customer, in the script they write (helpdesk/conversation/script.py): their
        next messages and the bot's replies keep it."""
        async with self.sessions() as session:
            conversation = await session.get(Conversation, conversation_id)
            return text if conversation is None else await script.in_conversation_script(session, conversation, text)

    async def email_me(
        self, conversation_id: str, email: str, language: str | None
    ) -> tuple[str, list[dict[str, Any]]]:
        lang = await self._language(conversation_id, language)
        text = await self._in_script(conversation_id, EMAIL_ME[lang].format(email=email))
        mode, stored = await self.chat.leave_message(conversation_id, LeftMessage(text=text, email=email))
        async with self.sessions() as session:
            await _mark(session, conversation_id, CHOICE_EMAIL)
            await session.commit()
        return mode, stored

    async def stop_waiting(self, conversation_id: str, language: str | None) -> tuple[str, list[dict[str, Any]]]:
        lang = await self._language(conversation_id, language)
        chat = self.chat
        async with self.sessions() as session, chat.locks(conversation_id):
            conversation = await session.get(Conversation, conversation_id)
            if conversation is None:
                raise ConversationNotFound()
            if conversation.mode != MODE_QUEUED:
                raise Conflict(NOT_WAITING)
            change = lifecycle.discard(conversation)
            traditional = await script.conversation_traditional(session, conversation)
            said = Message(
                conversation_id=conversation_id,
                sender=SENDER_CUSTOMER,
                text=script.in_script(STOP[lang], traditional),
                language=lang,
            )
            session.add(said)
            await session.flush()
            notice = Message(
                conversation_id=conversation_id, sender=SENDER_SYSTEM, text=script.in_script(STOPPED[lang], traditional)
            )
            session.add(notice)
            await _mark(session, conversation_id, CHOICE_CANCEL)
            await session.commit()
            for message in (said, notice):
                await chat.events.message(conversation, message)
            await change.announce(chat.events)
        await chat.queue.changed()
        return conversation.mode, [said.to_public(), notice.to_public()]


async def choice_counts(session: AsyncSession, start: datetime, end: datetime) -> dict[str, int]:
    """How many waiting customers chose the answer by e-mail, and how many stopped waiting, in [start, end)."""
    rows = await session.execute(
        select(Handoff.customer_choice, func.count())
        .where(
            Handoff.customer_choice.is_not(None),
            Handoff.customer_choice_at >= start,
            Handoff.customer_choice_at < end,
        )
        .group_by(Handoff.customer_choice)
    )
    counts = {CHOICE_EMAIL: 0, CHOICE_CANCEL: 0}
    counts.update({str(choice): int(n) for choice, n in rows.all()})
    return counts


async def waiting_by_email(session: AsyncSession) -> int:
    """Queued conversations whose customer left an address (a message left, or the answer by e-mail chosen)."""
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Conversation)
            .where(Conversation.mode == MODE_QUEUED, Conversation.left_message_at.is_not(None))
        )
        or 0
    )
