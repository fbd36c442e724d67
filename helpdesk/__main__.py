"""`python -m helpdesk`: run the helpdesk web service, migrate its database, manage agent accounts.

    python -m helpdesk                    serve (the default)
    python -m helpdesk migrate            bring the database schema up to date
    python -m helpdesk users add NAME [--name "Display Name"] [--role agent|supervisor|admin|editor] [--team T]
                                          [--max-concurrent N]
    python -m helpdesk users list
    python -m helpdesk users disable NAME | enable NAME | password NAME
    python -m helpdesk users avatar NAME [URL]  the picture customers see beside the name (no URL: initials)
    python -m helpdesk users demo         on an empty database (or with HELPDESK_DEMO=1): the demo accounts, with fresh
                                          passwords printed; disabled ones stay disabled
    python -m helpdesk feedback export [--from DATE] [--to DATE] [--tz ZONE] [--out FILE]
                                          customers' 👍/👎 on bot answers as JSON Lines, personal data masked
    python -m helpdesk corrections export [--out DIR]
                                          agents' accepted corrections as Rasa NLU examples (per language) and
                                          routing evaluation rows, plus the customers' 👎, masked, into DIR
                                          (default var/corrections; never into data/: the team reviews them)

Passwords never come from the command line: they are read from the environment variable named by
--password-env (default HELPDESK_PASSWORD), or prompted for.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.config import Settings
from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.db.models import ROLE_AGENT, ROLES
from helpdesk.errors import DomainError
from helpdesk.staff.accounts import (
    AccountError,
    add_agent,
    ensure_demo_accounts,
    list_agents,
    set_active,
    set_avatar,
    set_password,
)

T = TypeVar("T")
PASSWORD_ENV = "HELPDESK_PASSWORD"
CORRECTIONS_OUT = Path("var") / "corrections"


def _serve(settings: Settings) -> int:
    from helpdesk.web.app import create_app

    logging.getLogger("httpx").setLevel(logging.WARNING)  # request lines would carry the Rasa token
    app = create_app(settings)
    app.run(host=settings.host, port=settings.port, single_process=True, access_log=False, motd=False)
    return 0


def _with_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    migrate(settings.database_url)

    async def run() -> T:
        engine = create_engine(settings.database_url)
        try:
            async with session_factory(engine)() as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _password(env_name: str, confirm: bool = True) -> str:
    from_env = os.environ.get(env_name)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise AccountError(f"no password: set {env_name} or run this in a terminal to be asked")
    first = getpass.getpass("Password: ")
    if confirm and getpass.getpass("Password again: ") != first:
        raise AccountError("the passwords differ")
    return first


def _users(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "add":
        password = _password(args.password_env)
        agent = _with_session(
            settings,
            lambda s: add_agent(
                s,
                args.username,
                password,
                display_name=args.name,
                role=args.role,
                team=args.team,
                max_concurrent=args.max_concurrent or settings.default_max_concurrent,
            ),
        )
        print(f"added {agent.role} {agent.username} ({agent.display_name})")
    elif args.action == "list":
        agents = _with_session(settings, list_agents)
        print(f"{'username':<20} {'name':<24} {'role':<11} {'team':<12} {'max':>3}  status")
        for agent in agents:
            status = "active" if agent.active else "disabled"
            team = agent.team or "-"
            print(
                f"{agent.username:<20} {agent.display_name:<24} {agent.role:<11} {team:<12} "
                f"{agent.max_concurrent:>3}  {status}"
            )
    elif args.action in ("disable", "enable"):
        agent = _with_session(settings, lambda s: set_active(s, args.username, args.action == "enable"))
        print(f"{agent.username} is {'active' if agent.active else 'disabled'}")
    elif args.action == "password":
        password = _password(args.password_env)
        agent = _with_session(settings, lambda s: set_password(s, args.username, password))
        print(f"new password set for {agent.username}; their sessions ended")
    elif args.action == "avatar":
        agent = _with_session(settings, lambda s: set_avatar(s, args.username, args.url))
        print(f"{agent.username}'s avatar: {agent.avatar_url or 'initials'}")
    elif args.action == "demo":
        logins = _with_session(
            settings, lambda s: ensure_demo_accounts(s, settings.demo_password, demo_mode=settings.demo_mode)
        )
        if logins is None:
            print("accounts exist already: no demo accounts made or changed (HELPDESK_DEMO=1 for a demo)")
            return 0
        print(f"Agent console: {settings.public_url.rstrip('/')}/agent — demo logins:")
        for login in logins:
            demo, shown = login.demo, f"password: {login.password}" if login.password else "disabled: left as it is"
            print(f"  {demo.role:<11} {demo.username:<8} {shown}")
        from helpdesk.admin.canned import add_starter_set

        added = _with_session(settings, lambda s: add_starter_set(s, None))  # the canned replies' starter set
        if added:
            print(f"  {added} starter canned replies added (type / in the reply box)")
    return 0


def _feedback(args: argparse.Namespace, settings: Settings) -> int:
    from helpdesk.reports.feedback import DEFAULT_DAYS, feedback_rows
    from helpdesk.reports.periods import DateRange

    period = DateRange.parse(args.first, args.last, args.tz, default_days=DEFAULT_DAYS)
    rows = _with_session(settings, lambda s: feedback_rows(s, period))
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if args.out:
        Path(args.out).write_text(lines, encoding="utf-8")
        print(f"{len(rows)} verdicts from {period.first} to {period.last} ({period.tz.key}) written to {args.out}")
    else:
        sys.stdout.write(lines)
    return 0


def _corrections(args: argparse.Namespace, settings: Settings) -> int:
    from helpdesk.corrections.export import export

    summary = _with_session(settings, lambda s: export(s, Path(args.out)))
    print(f"{summary.accepted} accepted corrections and {summary.not_helpful} 👎 exported to {summary.out}:")
    for name, rows in summary.files.items():
        print(f"  {name:<24} {rows} rows")
    return 0


def parser() -> argparse.ArgumentParser:
    # allow_abbrev=False: "--password" must not be taken for "--password-env"
    root = argparse.ArgumentParser(
        prog="helpdesk", description="The helpdesk web service and its administration.", allow_abbrev=False
    )
    commands = root.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the web service (the default)")
    commands.add_parser("migrate", help="bring the database schema up to date")
    users = commands.add_parser("users", help="agent accounts", allow_abbrev=False).add_subparsers(
        dest="action", required=True
    )
    add = users.add_parser(
        "add", help="add an account (password from $HELPDESK_PASSWORD or a prompt)", allow_abbrev=False
    )
    add.add_argument("username")
    add.add_argument("--name", help="display name shown to customers")
    add.add_argument("--role", choices=ROLES, default=ROLE_AGENT)
    add.add_argument("--team")
    add.add_argument("--max-concurrent", type=int, help="chats at once (default: $AGENT_MAX_CONCURRENT or 3)")
    users.add_parser("list", help="list accounts", allow_abbrev=False)
    for action in ("disable", "enable", "password"):
        users.add_parser(action, help=f"{action} an account", allow_abbrev=False).add_argument("username")
    avatar = users.add_parser("avatar", help="set (or clear) the picture customers see", allow_abbrev=False)
    avatar.add_argument("username")
    avatar.add_argument("url", nargs="?", help="https:// address of an image (leave out: initials)")
    users.add_parser(
        "demo",
        help="on an empty database (or with HELPDESK_DEMO=1): the demo accounts, with fresh passwords printed",
        allow_abbrev=False,
    )
    feedback = commands.add_parser("feedback", help="customers' verdicts on bot answers", allow_abbrev=False)
    export = feedback.add_subparsers(dest="action", required=True).add_parser(
        "export", help="as JSON Lines {text, answer_faq_id, intent, verdict, at}, masked", allow_abbrev=False
    )
    export.add_argument("--from", dest="first", help="first day (ISO date; default: 30 days before --to)")
    export.add_argument("--to", dest="last", help="last day (ISO date; default: today)")
    export.add_argument("--tz", default="UTC", help="the days' time zone (IANA name, default UTC)")
    export.add_argument("--out", help="write to this file instead of standard output")
    corrections = commands.add_parser("corrections", help="agents' corrections of the bot", allow_abbrev=False)
    corrections_export = corrections.add_subparsers(dest="action", required=True).add_parser(
        "export",
        help="accepted corrections as Rasa NLU examples and routing evaluation rows, and the 👎, masked",
        allow_abbrev=False,
    )
    corrections_export.add_argument(
        "--out", default=str(CORRECTIONS_OUT), help=f"folder for the files (default {CORRECTIONS_OUT})"
    )
    for sub in users.choices.values():
        sub.add_argument(
            "--password-env", default=PASSWORD_ENV, help=f"environment variable with the password ({PASSWORD_ENV})"
        )
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    command = args.command or "serve"
    if command == "serve":
        return _serve(settings)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        if command == "migrate":
            migrate(settings.database_url)
            print("database schema is up to date")
            return 0
        if command == "feedback":
            return _feedback(args, settings)
        if command == "corrections":
            return _corrections(args, settings)
        return _users(args, settings)
    except (AccountError, DomainError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
