"""A helpdesk with its own demo shop for the console's order tests (API and browser): accounts, a customer signed in
on the shop who asks for a person, and reading what was stored."""

from __future__ import annotations

import secrets
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from helpdesk.config import PROJECT_ROOT
from helpdesk.orders import sign_identity
from helpdesk.stack import Stack
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import HANDOFF_TEXT, Console, say
from support.helpdesks import extra_helpdesk, postgres_database

INGRID = "C1034"  # Ingrid Berg (Göteborg): orders 100257 (paid), 100124 and 100024 (delivered)
ACCOUNTS = (("olga", "agent", None, 5), ("pete", "agent", None, 5), ("sven", "supervisor", None, 5))


@dataclass
class OrdersDesk:
    url: str
    database_url: str
    shop: Path
    accounts: dict[str, AgentLogin]
    backend: str

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Rows of the helpdesk's own database (SQLite or PostgreSQL), `?` placeholders."""
        if self.backend == "sqlite":
            path = self.database_url.split("///", 1)[1]
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                return list(db.execute(sql, params).fetchall())
        import psycopg

        with psycopg.connect(self.database_url) as db:
            return list(db.execute(sql.replace("?", "%s"), params).fetchall())

    def order_status(self, number: str) -> str:
        with sqlite3.connect(f"file:{self.shop}?mode=ro", uri=True) as db:
            return str(db.execute("SELECT status FROM orders WHERE number = ?", (number,)).fetchone()[0])

    def console(self, username: str) -> Console:
        console = Console(self.url)
        account = self.accounts[username]
        assert console.login(account.username, account.password).status_code == 200
        return console


@contextmanager
def orders_desk(stack: Stack, backend: str) -> Iterator[OrdersDesk]:
    """A helpdesk beside the stack with its own database ("sqlite" or "postgres") and its own fresh demo shop (the
    changes made there touch no other test's orders); chats stay queued until claimed."""
    workdir = stack.workdir / f"desk-orders-{backend}-{secrets.token_hex(3)}"  # type: ignore[attr-defined]
    workdir.mkdir()
    shop = workdir / "demo-shop.db"
    seed = [str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", "helpdesk.orders.demo", "seed", "--db", str(shop)]
    subprocess.run(seed, cwd=PROJECT_ROOT, check=True, capture_output=True, timeout=300)  # not on the first request
    with postgres_database("desk_orders") if backend == "postgres" else _sqlite(workdir) as database_url:
        accounts = add_agent_accounts(database_url, ACCOUNTS)
        env = {"DATABASE_URL": database_url, "DEMO_SHOP_URL": str(shop), "AUTO_ASSIGN": "off"}
        with extra_helpdesk(stack, f"orders-{backend}-{secrets.token_hex(2)}", env) as url:
            yield OrdersDesk(url, database_url, shop, accounts, backend)


class _sqlite:  # a context manager giving a SQLite URL, like postgres_database gives a PostgreSQL one
    def __init__(self, workdir: Path) -> None:
        self.url = f"sqlite+aiosqlite:///{workdir / 'helpdesk.db'}"

    def __enter__(self) -> str:
        return self.url

    def __exit__(self, *exc: object) -> None:
        pass


def signed_in_handoff(desk: OrdersDesk, stack: Stack, customer: str = INGRID) -> str:
    """A customer signed in on the shop asks about their last order, then for a person: the conversation id."""
    return signed_in_handoff_at(desk.url, stack, customer)


def signed_in_handoff_at(url: str, stack: Stack, customer: str = INGRID) -> str:
    """`signed_in_handoff` on any helpdesk beside the stack (its IDENTITY_SECRET signs the customer's token)."""
    token = sign_identity(customer, stack.env["IDENTITY_SECRET"])
    with httpx.Client(base_url=url, timeout=60) as client:
        first = client.post(
            "/api/chat", json={"conversation_id": None, "text": "where is my last order?", "customer_token": token}
        )
        assert first.status_code == 200, first.text
        conversation_id = first.json()["conversation_id"]
        body = say(client, HANDOFF_TEXT, conversation_id)
        assert body["mode"] == "queued", body
    return str(conversation_id)
