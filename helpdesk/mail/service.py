"""The mail side's running parts, built once per helpdesk process (helpdesk/web/services.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.conversation.business_hours import BusinessHours
from helpdesk.conversation.chat import ChatService
from helpdesk.conversation.followups import FollowUps
from helpdesk.files.service import Attachments
from helpdesk.limits.window import Limiter
from helpdesk.mail.followup_mail import FollowUpMail
from helpdesk.mail.imap import ImapPoller, ImapSettings
from helpdesk.mail.inbound import Inbound
from helpdesk.mail.order_list import OrderListRequests
from helpdesk.mail.presence import CustomerPresence
from helpdesk.mail.sender import SmtpMailer
from helpdesk.mail.settings import MailSettings
from helpdesk.mail.waiting import Waiting
from helpdesk.mail.worker import MailWorker
from helpdesk.orders.system import OrderSystem

MAX_HEARTBEAT_SECONDS = 20.0


@dataclass
class Mail:
    settings: MailSettings
    presence: CustomerPresence
    worker: MailWorker | None  # None: mail is off (no SMTP_HOST)
    followup: FollowUpMail
    inbound: Inbound
    imap: ImapPoller | None  # None: no IMAP_HOST (replies come through the webhook, if at all)
    waiting: Waiting  # the queued customer's choices: the answer by e-mail, or stop waiting

    @classmethod
    def create(
        cls,
        sessions: async_sessionmaker[AsyncSession],
        settings: MailSettings,
        hours: BusinessHours,
        followups: FollowUps,
        chat: ChatService,
        files: Attachments,
        orders: Callable[[], OrderSystem] | None = None,
        order_lists_per_address: Limiter | None = None,
    ) -> Mail:
        # the open widget refreshes "on the page" well within the grace period
        heartbeat = max(1.0, min(MAX_HEARTBEAT_SECONDS, settings.reply_grace_seconds / 3))
        worker = MailWorker(sessions, settings, SmtpMailer(settings), hours, orders) if settings.enabled else None
        if settings.enabled and orders is not None:
            # the bot may offer a customer the list of their orders
            chat.order_lists = OrderListRequests(sessions, order_lists_per_address)
        inbound = Inbound(sessions, settings, chat.events, chat.queue, files)
        imap = ImapSettings.from_env()
        return cls(
            settings,
            CustomerPresence(sessions, heartbeat),
            worker,
            FollowUpMail(sessions, settings, followups),
            inbound,
            ImapPoller(imap, inbound) if imap is not None else None,
            Waiting(sessions, chat),
        )
