"""The helpdesk web service (`python -m helpdesk`): the app's wiring. Each room's routes are in their own module:

- `widget` the customer's chat API (/api/chat), `sockets` the live channels (widget and console),
- `sessions` staff login and the session guard in front of the console's API (/api/agent),
- `console` the agents' desk, `corrections` agents' corrections of the bot and their review,
  `dashboard` the supervisors' KPIs, `editor` the editors' unanswered questions,
  `handbook` the handbook editor,
  `followups` the follow-up tasks, `admin` the admins' screens (users, teams, hours, canned replies),
- `pages` the shop, the help centre and the console's pages, `health` the operator's /healthz,
- `errors` the one place where domain errors become HTTP statuses.

The services behind them are built at start (`services.Services`).
"""

from __future__ import annotations

import logging

from sanic import DefaultSanic, Sanic

from helpdesk.admin import hours as stored_hours
from helpdesk.config import Settings
from helpdesk.conversation.business_hours import load_schedule
from helpdesk.conversation.closed_consoles import ClosedConsoles
from helpdesk.conversation.followups import sweep_forever
from helpdesk.conversation.sla import SlaWatch, load_targets
from helpdesk.scaleout import create_once
from helpdesk.web.admin import admin_blueprint, canned_fill_blueprint
from helpdesk.web.attachments import staff_files_blueprint, widget_files_blueprint
from helpdesk.web.console import console_blueprint
from helpdesk.web.corrections import corrections_blueprint
from helpdesk.web.dashboard import dashboard_blueprint
from helpdesk.web.editor import editor_blueprint
from helpdesk.web.errors import install_error_edge
from helpdesk.web.followups import followups_blueprint
from helpdesk.web.handbook import handbook_blueprint, rank_new_questions_forever
from helpdesk.web.handbook_review import handbook_requests_blueprint, held_out_blueprint
from helpdesk.web.health import health_blueprint
from helpdesk.web.help_centre import help_blueprint
from helpdesk.web.inputs import check_request_inputs
from helpdesk.web.mail import mail_inbound_blueprint, mail_staff_blueprint
from helpdesk.web.pages import pages_blueprint
from helpdesk.web.services import Services, services_of
from helpdesk.web.sessions import login_blueprint, staff_group
from helpdesk.web.widget import widget_blueprint
from nlu_addons.heap import freeze_start_up_heap

log = logging.getLogger(__name__)

SWEEP_TASK = "followups-sweep"
PENDING_TASK = "pending-bot-turns"
ASSIGN_TASK = "auto-assign"
CLOSED_CONSOLES_TASK = "closed-consoles"
HOURS_TASK = "business-hours"
SLA_TASK = "sla-alerts"
MAIL_TASK = "mail-worker"
IMAP_TASK = "imap-poller"
PREVIEW_TASK = "preview-questions"


def create_app(settings: Settings | None = None, name: str = "helpdesk") -> DefaultSanic:
    settings = settings or Settings.from_env()
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = settings.max_body_bytes  # one limit for bodies and WebSocket frames
    app.config.WEBSOCKET_MAX_SIZE = settings.max_body_bytes
    # the real client address behind a trusted reverse proxy (request.remote_addr; helpdesk/web/inputs.py)
    app.config.PROXIES_COUNT = settings.proxies_count
    app.config.REAL_IP_HEADER = settings.real_ip_header
    app.config.FORWARDED_SECRET = settings.forwarded_secret
    app.config.FALLBACK_ERROR_FORMAT = "json"
    hours = load_schedule(settings.business_hours_file)  # a malformed schedule stops the start, with the reason
    targets = load_targets()  # so does a malformed SLA file (config/sla.yml or SLA_FILE)
    app.ctx.sla_targets = targets

    @app.before_server_start
    async def _start(app: DefaultSanic) -> None:
        app.ctx.services = await Services.start(settings, hours)
        await stored_hours.apply_stored(app.ctx.services.sessions, hours)  # hours saved in the admin screen win

    @app.after_server_start
    async def _sweep(app: DefaultSanic) -> None:
        """Every process sweeps for abandoned conversations (helpdesk/conversation/followups.py), and answers the
        messages that waited in it for the bot once the bot is back (helpdesk/conversation/pending.py)."""
        running = services_of(app)
        app.add_task(running.chat.answer_pending_forever(), name=PENDING_TASK)
        app.add_task(stored_hours.follow_forever(running.sessions, running.hours), name=HOURS_TASK)
        once = create_once(running.commands, settings.redis_channel)  # one SLA warning across the processes
        app.add_task(SlaWatch(running.sessions, running.hub, targets, running.hours, once).forever(), name=SLA_TASK)
        if settings.followup_abandoned_minutes > 0:
            app.add_task(
                sweep_forever(running.sessions, running.hub, settings.followup_abandoned_minutes), name=SWEEP_TASK
            )
        if settings.preview_warm_seconds > 0:
            app.add_task(rank_new_questions_forever(running, settings.preview_warm_seconds), name=PREVIEW_TASK)

    @app.after_server_start
    async def _freeze(app: DefaultSanic) -> None:
        """The services are started: what they built is kept out of the garbage collector's work
        (nlu_addons/heap.py)."""
        freeze_start_up_heap()

    @app.after_server_start
    async def _assign(app: DefaultSanic) -> None:
        """Every process assigns queued chats to online agents (helpdesk/conversation/assignment.py)."""
        if settings.auto_assign:
            app.add_task(services_of(app).assigner.forever(), name=ASSIGN_TASK)

    @app.after_server_start
    async def _closed_consoles(app: DefaultSanic) -> None:
        """Every process returns to the queue the chats of agents whose console stayed closed
        (helpdesk/conversation/closed_consoles.py)."""
        if settings.closed_console_grace_seconds > 0:
            running = services_of(app)
            watch = ClosedConsoles(
                running.sessions, running.presence, running.desk, settings.closed_console_grace_seconds
            )
            app.add_task(watch.forever(), name=CLOSED_CONSOLES_TASK)

    @app.after_server_start
    async def _mail(app: DefaultSanic) -> None:
        """Every process queues and sends customers' e-mails (helpdesk/mail/worker.py), when SMTP_HOST is set."""
        mail = services_of(app).mail
        if mail.worker is not None:
            app.add_task(mail.worker.forever(), name=MAIL_TASK)
        if mail.imap is not None:
            app.add_task(mail.imap.forever(), name=IMAP_TASK)

    @app.after_server_start
    async def _file_store(app: DefaultSanic) -> None:
        """A file store that cannot work is said in the log at start (uploads answer 503 until it does)."""
        problem = await services_of(app).files.storage.problem()
        if problem is not None:
            log.error("file store (FILES_STORE) not usable: %s", problem)

    @app.before_server_stop
    async def _stop_mail(app: DefaultSanic) -> None:
        mail = services_of(app).mail
        if mail.worker is not None:
            await app.cancel_task(MAIL_TASK, raise_exception=False)
        if mail.imap is not None:
            await app.cancel_task(IMAP_TASK, raise_exception=False)

    @app.before_server_stop
    async def _stop_sweep(app: DefaultSanic) -> None:
        await app.cancel_task(PENDING_TASK, raise_exception=False)
        await app.cancel_task(HOURS_TASK, raise_exception=False)
        await app.cancel_task(SLA_TASK, raise_exception=False)
        if settings.followup_abandoned_minutes > 0:
            await app.cancel_task(SWEEP_TASK, raise_exception=False)
        if settings.preview_warm_seconds > 0:
            await app.cancel_task(PREVIEW_TASK, raise_exception=False)
        if settings.auto_assign:
            await app.cancel_task(ASSIGN_TASK, raise_exception=False)
        if settings.closed_console_grace_seconds > 0:
            await app.cancel_task(CLOSED_CONSOLES_TASK, raise_exception=False)

    @app.after_server_stop
    async def _stop(app: DefaultSanic) -> None:
        await services_of(app).close()

    install_error_edge(app)
    app.register_middleware(check_request_inputs, "request")
    app.blueprint(widget_blueprint(settings))
    app.blueprint(login_blueprint(settings))
    app.blueprint(
        staff_group(
            editors=[
                editor_blueprint(),
                handbook_blueprint(),
                handbook_requests_blueprint(),
                held_out_blueprint(),
                corrections_blueprint(),
            ],
            others=[
                console_blueprint(),
                dashboard_blueprint(settings),
                followups_blueprint(),
                admin_blueprint(),
                canned_fill_blueprint(),
                mail_staff_blueprint(),
                staff_files_blueprint(),
            ],
        )
    )
    app.blueprint(mail_inbound_blueprint())
    app.blueprint(widget_files_blueprint(settings))
    app.blueprint(pages_blueprint())
    app.blueprint(help_blueprint(settings))
    app.blueprint(health_blueprint())
    return app
