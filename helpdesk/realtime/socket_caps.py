"""Caps on the widget's open WebSockets, so idle connections cannot use up the process's open files (each socket
is one) and lock every customer and agent out.

Three caps, checked when a widget socket opens: per client address (WIDGET_SOCKETS_PER_ADDRESS, 20), per
conversation (WIDGET_SOCKETS_PER_CONVERSATION, 5: a customer with a few tabs open) and in total
(WIDGET_SOCKETS_TOTAL, 2000, and never more than the open-files limit leaves room for: see `socket_budget`).
A socket past a cap is closed at once with a documented code (docs/design.md): 4429 per address or per
conversation, 4503 when the helpdesk is full; the widget then falls back to polling.

The counts are per process on purpose: what runs out is each process's own file table, so each process guards
its own (behind a load balancer one address may hold up to the cap on each process).

`raise_open_files_limit` lifts the soft RLIMIT_NOFILE to the hard limit at start where the system allows it.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

log = logging.getLogger(__name__)

CLOSE_TOO_MANY = 4429  # too many sockets from this address, or on this conversation: the widget polls instead
CLOSE_FULL = 4503  # the helpdesk holds as many sockets as it may: the widget polls instead
RESERVED_FILES = 256  # files kept free for the database, Rasa, logs and the consoles


def raise_open_files_limit() -> int:
    """Raise the soft open-files limit to the hard one where allowed; the soft limit now (0: unknown)."""
    try:
        import resource
    except ImportError:  # not on this system
        return 0
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            log.info("open-files limit raised from %d to %d", soft, wanted)
            soft = wanted
        except (ValueError, OSError) as exc:
            log.warning("cannot raise the open-files limit above %d (%s)", soft, exc)
    return int(soft) if soft != resource.RLIM_INFINITY else 0


def socket_budget(configured: int, open_files: int) -> int:
    """The total widget sockets allowed: as configured, but leaving RESERVED_FILES of the open-files limit free."""
    if open_files <= 0:
        return configured
    return max(1, min(configured, open_files - RESERVED_FILES))


@dataclass(frozen=True)
class Refusal:
    code: int
    reason: str


class SocketCaps:
    def __init__(self, per_address: int, per_conversation: int, total: int) -> None:
        self.per_address = per_address
        self.per_conversation = per_conversation
        self.total = total
        self.by_address: Counter[str] = Counter()
        self.by_conversation: Counter[str] = Counter()
        self.open = 0

    def refusal(self, address: str, conversation_id: str) -> Refusal | None:
        if self.open >= self.total:
            return Refusal(CLOSE_FULL, "the chat is busy: using the slower connection")
        if self.by_address[address] >= self.per_address:
            return Refusal(CLOSE_TOO_MANY, "too many live chat connections from this address")
        if self.by_conversation[conversation_id] >= self.per_conversation:
            return Refusal(CLOSE_TOO_MANY, "too many live connections to this conversation")
        return None

    @contextmanager
    def holding(self, address: str, conversation_id: str) -> Iterator[Refusal | None]:
        """Count this socket while the block runs, or yield why it may not open (nothing counted then)."""
        refused = self.refusal(address, conversation_id)
        if refused is not None:
            yield refused
            return
        self.open += 1
        self.by_address[address] += 1
        self.by_conversation[conversation_id] += 1
        try:
            yield None
        finally:
            self.open -= 1
            for counter, key in ((self.by_address, address), (self.by_conversation, conversation_id)):
                counter[key] -= 1
                if counter[key] <= 0:
                    del counter[key]
