"""Build the configured order system: ``order_system_from_config()`` (demo or http), and the identity checks'
shared counts: ``identity_checks_from_config()``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from helpdesk.config import Settings
from helpdesk.orders.attempts import IdentityChecks
from helpdesk.orders.config import load_orders_config
from helpdesk.orders.demo import DemoOrderSystem
from helpdesk.orders.http_adapter import HttpConfig, HttpOrderSystem
from helpdesk.orders.model import utc_now
from helpdesk.orders.policy import OrderPolicy
from helpdesk.orders.system import OrderSystem
from helpdesk.scaleout import create_commands, create_limiter

_shared: OrderSystem | None = None
_checks: IdentityChecks | None = None


def order_system_from_config(
    path: str | Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> OrderSystem:
    """A new order system as ``config/orders.yml`` (or ``path``, or ``$ORDERS_CONFIG``) describes it.

    Raises ``ValueError`` subclasses naming the file and key when the configuration is wrong, and
    when the HTTP back end's API-key environment variable is not set.
    """
    config = load_orders_config(path, environ)
    policy = OrderPolicy(config.policy)
    if config.backend == "demo":
        return DemoOrderSystem(
            config.demo.url,
            policy=policy,
            seed_file=config.demo.seed_file,
            auto_seed=config.demo.auto_seed,
            clock=clock,
        )
    http = HttpConfig.from_mapping(config.http, f"{config.path or 'orders config'}: http")
    return HttpOrderSystem(http, policy, environ=environ, clock=clock)


def get_order_system() -> OrderSystem:
    """The process's one order system (built from the configuration on first use).

    For long-running services with a single event loop (the action server, the helpdesk).
    """
    global _shared
    if _shared is None:
        _shared = order_system_from_config()
    return _shared


def identity_checks_from_config(path: str | Path | None = None, settings: Settings | None = None) -> IdentityChecks:
    """The identity checks with the limits of ``config/orders.yml``, counted in this process or, with REDIS_URL, in
    Redis for every process (helpdesk/scaleout.py)."""
    settings = settings or Settings.from_env()
    limits = load_orders_config(path).identity_checks
    redis = create_commands(settings)
    return IdentityChecks(
        limits, lambda name, limit, window: create_limiter(redis, settings.redis_channel, name, limit, window)
    )


def get_identity_checks() -> IdentityChecks:
    """The process's identity checks (built on first use), like ``get_order_system``."""
    global _checks
    if _checks is None:
        _checks = identity_checks_from_config()
    return _checks
