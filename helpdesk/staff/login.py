"""Logging in under attack: password checks that cannot stall the helpdesk, and failure limits that cannot be raced
or turned against the agent they protect.

**Hashing.** An argon2 check takes 0.1-0.3 s of CPU. `authenticate` reads the account and gives its database
connection back *before* hashing (a flood of logins used to hold every pooled connection and starve the customers'
chats); `HashGate` runs at most `concurrent` checks at once on threads of its own (never the default executor the
rest of the helpdesk uses) and lets at most `waiting` more queue, for at most 10 s each: past that a login is
refused (`TooMany`, 429, Retry-After) instead of piling up into timeouts.

**Failure limits** (`LoginLimits`, all in the shared limiters of helpdesk/limits/, Redis with REDIS_URL). Each
attempt *reserves* its slots before the password is checked, in one atomic step per limiter, so parallel guesses
cannot all pass: of 20 concurrent wrong passwords and the right one, at most `per_client` are checked. The limits
are keyed so that a stranger's guessing cannot lock the agent out:

- per (account, client): `LOGIN_FAILURES_PER_USER` (5) per 15 minutes. The client is the browser's *device
  cookie* when it has a valid one for this account, else its address (behind a reverse proxy, the real client
  address: PROXIES_COUNT / REAL_IP_HEADER, helpdesk/config.py). Someone guessing from elsewhere exhausts their own
  slots, not the agent's.
- per account, for clients without a device cookie only: `LOGIN_FAILURES_PER_ACCOUNT` (50) per 15 minutes, the
  ceiling on guessing spread over many addresses. An agent's own browser, which got a device cookie at its last
  login, is never refused by it (the OWASP "device cookie" pattern).
- per address: `LOGIN_FAILURES_PER_ADDRESS` (30) per 15 minutes over every account (one address trying names).

A right password gives back the attempt's account and address slots and clears the (account, client) count; a
wrong one keeps them. The device cookie (`helpdesk_device`, HttpOnly, SameSite=Strict, only sent to the login
endpoint) is an HMAC of a random id keyed by the account's password hash: it names no one, cannot be forged without
the database, and a new password invalidates every device at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.db.models import Agent
from helpdesk.errors import TooMany
from helpdesk.limits.window import Hit, Limiter
from helpdesk.staff.accounts import find_agent, hash_password, needs_rehash, verify_password

T = TypeVar("T")

TOO_MANY_LOGINS = "too many failed logins; please wait before trying again"
BUSY = "too many logins are being checked right now; please try again in a few seconds"
DEVICE_COOKIE = "helpdesk_device"
DEVICE_COOKIE_PATH = "/api/agent/login"
DEVICE_DAYS = 90


class HashGate:
    """At most `concurrent` password hashes at once, on threads of their own; at most `waiting` more queue, each
    for at most `patience` seconds (then TooMany: better a quick "try again" than a request timing out)."""

    def __init__(self, concurrent: int, waiting: int, patience: float = 10.0) -> None:
        self.concurrent = max(1, concurrent)
        self.waiting = max(0, waiting)
        self.patience = patience
        self._slots = asyncio.Semaphore(self.concurrent)
        self._queued = 0
        self._pool = ThreadPoolExecutor(self.concurrent, thread_name_prefix="password-hash")

    async def run(self, work: Callable[..., T], *args: str) -> T:
        if self._queued >= self.concurrent + self.waiting:
            raise TooMany(BUSY, 2)
        self._queued += 1
        try:
            try:
                await asyncio.wait_for(self._slots.acquire(), self.patience)
            except TimeoutError:
                raise TooMany(BUSY, 5) from None
            try:
                return await asyncio.get_running_loop().run_in_executor(self._pool, work, *args)
            finally:
                self._slots.release()
        finally:
            self._queued -= 1

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


_dummy_hash: str | None = None


def _dummy() -> str:
    """A hash to verify against for unknown names, so they take as long as wrong passwords."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password(secrets.token_urlsafe(16))
    return _dummy_hash


async def load_account(sessions: async_sessionmaker[AsyncSession], username: str) -> Agent | None:
    """The account named `username` (any state); the database connection is given back before this returns."""
    async with sessions() as session:
        return await find_agent(session, username)


async def check_password(
    sessions: async_sessionmaker[AsyncSession], gate: HashGate, agent: Agent | None, password: str
) -> Agent | None:
    """`agent` if it exists, is active and `password` is its password, else None. No database connection is held
    while hashing; a hash in an outdated format is upgraded afterwards."""
    stored = agent.password_hash if agent is not None else await asyncio.to_thread(_dummy)
    ok = await gate.run(verify_password, stored, password)
    if not ok or agent is None or not agent.active:
        return None
    if needs_rehash(agent.password_hash):
        rehashed = await gate.run(hash_password, password)
        async with sessions() as session:
            fresh = await session.get(Agent, agent.id)
            if fresh is not None:
                fresh.password_hash = rehashed
                await session.commit()
    return agent


def _device_mac(agent: Agent, device_id: str) -> str:
    return hmac.new(agent.password_hash.encode(), f"device:{agent.id}:{device_id}".encode(), hashlib.sha256).hexdigest()


def device_cookie(agent: Agent, device_id: str | None = None) -> str:
    """The device cookie's value for this browser of `agent` (a new device id unless one is given)."""
    device_id = device_id or secrets.token_urlsafe(12)
    return f"{agent.id}.{device_id}.{_device_mac(agent, device_id)}"


def known_device(agent: Agent | None, cookie: str | None) -> str | None:
    """The device id when `cookie` is a valid device cookie of `agent`, else None."""
    if agent is None or not cookie or len(cookie) > 200:
        return None
    parts = cookie.split(".")
    if len(parts) != 3 or parts[0] != str(agent.id) or not parts[1]:
        return None
    return parts[1] if hmac.compare_digest(parts[2], _device_mac(agent, parts[1])) else None


@dataclass
class Attempt:
    """The slots one login attempt holds."""

    client_key: str
    account_key: str
    address_key: str
    held: list[tuple[Limiter, str, Hit]] = field(default_factory=list)


@dataclass(frozen=True)
class LoginLimits:
    per_client: Limiter  # (account, device or address)
    per_account: Limiter  # the ceiling for clients without a device cookie
    per_address: Limiter  # every account from one address

    async def reserve(self, username: str, address: str, device_id: str | None) -> Attempt:
        """Reserve this attempt's slots before the password is checked; TooMany (429) when any limit is full."""
        account = username.strip().lower()[:64]
        client = f"device:{device_id}" if device_id else f"address:{address}"
        attempt = Attempt(f"{account}|{client}", account, address)
        wanted: list[tuple[Limiter, str]] = [(self.per_client, attempt.client_key), (self.per_address, address)]
        if device_id is None:
            wanted.append((self.per_account, account))
        for limiter, key in wanted:
            hit = await limiter.hit(key)
            if not hit.allowed:
                await self.give_back(attempt)
                raise TooMany(TOO_MANY_LOGINS, hit.retry_after)
            attempt.held.append((limiter, key, hit))
        return attempt

    async def give_back(self, attempt: Attempt) -> None:
        for limiter, key, hit in attempt.held:
            await limiter.release(key, hit)
        attempt.held.clear()

    async def succeeded(self, attempt: Attempt) -> None:
        """The password was right: this client starts afresh, and the shared counts get their slots back."""
        await self.give_back(attempt)
        await self.per_client.reset(attempt.client_key)
