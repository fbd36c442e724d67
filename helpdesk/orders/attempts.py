"""Identity checks counted where nobody can reset them: per conversation, client, signed-in customer and order.

A customer proves an order is theirs with its e-mail address or delivery postcode (``identity.verify_access``).
Every wrong answer counts against the conversation, the client's address (the helpdesk passes it with each
message), the signed-in customer (when the shop's website signed one) and the order number, in limiters that
every action-server process shares (``helpdesk/scaleout.py``: in this process by default, Redis with
REDIS_URL). A check first reserves a slot in each count and gives them back when it passes, so a burst of
concurrent guesses cannot slip past a limit, and a new conversation or a wiped tracker starts no count afresh.
With Redis, the reservations are one round trip, their return one, and a wrong answer's counts one (not one per
count each: issue 22).

- the conversation's limit reached (3 wrong answers): the chat goes to a person (``Verdict.HAND_OFF``);
- the client's, the customer's or the order's: no more checks from that client (or for that order) until the
  window has passed (``Verdict.LOCKED``): the customer is told so and offered a person. Whether the order
  exists is never told: a missing order counts like a wrong answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from helpdesk.limits.window import Limiter, count_all, hit_all, release_all
from helpdesk.orders.identity import verify_access
from helpdesk.orders.model import Order, normalise_order_number
from helpdesk.orders.system import OrderSystem


class AttemptLimitsError(ValueError):
    """The ``identity_checks`` section of the orders configuration is invalid."""


@dataclass(frozen=True)
class AttemptLimits:
    """Wrong answers allowed (``config/orders.yml``, section ``identity_checks``)."""

    per_conversation: int = 3
    per_client: int = 5  # per client address, and per signed-in customer
    client_window_minutes: int = 60  # also the conversation's window
    per_order: int = 5  # per order number, whoever asks
    order_window_minutes: int = 24 * 60

    @classmethod
    def from_mapping(cls, raw: Any, where: str = "identity_checks") -> AttemptLimits:
        if raw is None:
            return cls()
        if not isinstance(raw, dict):
            raise AttemptLimitsError(f"{where} must be a mapping")
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(raw) - known)
        if unknown:
            raise AttemptLimitsError(
                f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})"
            )
        for key, value in raw.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise AttemptLimitsError(f"{where}.{key} must be a positive whole number, got {value!r}")
        return cls(**raw)


class Verdict(StrEnum):
    VERIFIED = "verified"
    RETRY = "retry"  # wrong: ask again (``remaining`` wrong answers left)
    HAND_OFF = "hand_off"  # the conversation's wrong answers are used up: a person takes over
    LOCKED = "locked"  # the client's, customer's or order's are: no more checks for now, offer a person


@dataclass(frozen=True)
class Attempt:
    verdict: Verdict
    remaining: int = 0
    order: Order | None = None


@dataclass(frozen=True)
class Asker:
    """Who is asking: the conversation, the client's address and the signed-in customer, as far as known."""

    conversation: str
    client: str | None = None
    customer: str | None = None


# a limiter for (name, limit, window in seconds): helpdesk.scaleout.create_limiter with the process's Redis
LimiterFactory = Callable[[str, int, float], Limiter]


class IdentityChecks:
    """Runs knowledge checks (e-mail, postcode) for an order within the shared limits."""

    def __init__(self, limits: AttemptLimits, limiter: LimiterFactory) -> None:
        self.limits = limits
        client_window = limits.client_window_minutes * 60.0
        self.conversation = limiter("identity-conversation", limits.per_conversation, client_window)
        self.client = limiter("identity-client", limits.per_client, client_window)
        self.customer = limiter("identity-customer", limits.per_client, client_window)
        self.order = limiter("identity-order", limits.per_order, limits.order_window_minutes * 60.0)

    def _counts(self, asker: Asker, number: str) -> list[tuple[Limiter, str]]:
        counts = [(self.conversation, asker.conversation), (self.order, normalise_order_number(number) or number)]
        if asker.client:
            counts.append((self.client, asker.client))
        if asker.customer:
            counts.append((self.customer, asker.customer))
        return counts

    async def check(
        self,
        system: OrderSystem,
        asker: Asker,
        number: str,
        *,
        email: str | None = None,
        postcode: str | None = None,
    ) -> Attempt:
        """Verify ``number`` with the e-mail and/or postcode given, counting a wrong answer everywhere it counts.

        ``BackendError`` propagates and counts nothing: the order system being down is not the customer's mistake.
        """
        counts = self._counts(asker, number)
        hits = await hit_all(counts)  # a refused one is last, the slots before it given back
        if not hits[-1].allowed:
            return Attempt(Verdict.HAND_OFF if counts[len(hits) - 1][0] is self.conversation else Verdict.LOCKED)
        taken = [(limiter, key, hit) for (limiter, key), hit in zip(counts, hits, strict=True)]
        try:
            order = await verify_access(system, number, email=email, postcode=postcode)
        except BaseException:
            await release_all(taken)
            raise
        if order is not None:
            await release_all(taken)
            return Attempt(Verdict.VERIFIED, order=order)
        held = await count_all(counts)
        left = {limiter: limiter.limit - n for (limiter, _), n in zip(counts, held, strict=True)}
        if left[self.conversation] <= 0:
            return Attempt(Verdict.HAND_OFF)
        remaining = min(left.values())
        return Attempt(Verdict.LOCKED) if remaining <= 0 else Attempt(Verdict.RETRY, remaining)
