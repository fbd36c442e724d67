"""Reading ``config/orders.yml``: which back end, the shop's policies, and each back end's settings.

Environment overrides: ``ORDERS_CONFIG`` (another file), ``ORDERS_BACKEND`` (demo|http),
``DEMO_SHOP_URL`` (the demo database). Secrets never live in this file: the HTTP back end names
the environment variable that holds its API key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from helpdesk.config import PROJECT_ROOT
from helpdesk.orders.attempts import AttemptLimits, AttemptLimitsError
from helpdesk.orders.policy import PolicyConfig, PolicyConfigError

DEFAULT_CONFIG = PROJECT_ROOT / "config" / "orders.yml"
DEFAULT_SEED_FILE = PROJECT_ROOT / "knowledge" / "demo" / "shop.yml"
DEFAULT_DEMO_DB = PROJECT_ROOT / "var" / "demo-shop.db"
BACKENDS = ("demo", "http")
SECTIONS = ("backend", "policies", "identity_checks", "demo", "http")


class OrdersConfigError(ValueError):
    """The orders configuration is invalid; the message names the file and key."""


@dataclass(frozen=True)
class DemoConfig:
    url: str | None = None  # None: DEMO_SHOP_URL, else var/demo-shop.db
    seed_file: Path = DEFAULT_SEED_FILE
    auto_seed: bool = True  # create and seed the database on first use, refresh relative dates daily


@dataclass(frozen=True)
class OrdersConfig:
    backend: str
    policy: PolicyConfig
    demo: DemoConfig
    http: Mapping[str, Any] = field(default_factory=dict)  # parsed by http_adapter.HttpConfig
    path: Path | None = None
    identity_checks: AttemptLimits = field(default_factory=AttemptLimits)


def resolve_path(value: str | Path, base: Path = PROJECT_ROOT) -> Path:
    """Relative paths in the configuration are relative to the project root, not the working directory."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def load_orders_config(path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> OrdersConfig:
    env = os.environ if environ is None else environ
    config_path = resolve_path(path or env.get("ORDERS_CONFIG") or DEFAULT_CONFIG)
    try:
        raw = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise OrdersConfigError(f"can't read the orders configuration {config_path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise OrdersConfigError(f"{config_path} is not valid YAML: {exc}") from exc
    return parse_orders_config(raw, config_path, env)


def parse_orders_config(raw: Any, source: Path | None = None, environ: Mapping[str, str] | None = None) -> OrdersConfig:
    env = os.environ if environ is None else environ
    where = str(source or "orders config")
    if not isinstance(raw, Mapping):
        raise OrdersConfigError(f"{where}: expected a mapping at the top level")
    unknown = sorted(set(raw) - set(SECTIONS))
    if unknown:
        raise OrdersConfigError(f"{where}: unknown section(s) {', '.join(unknown)} (known: {', '.join(SECTIONS)})")
    backend = str(env.get("ORDERS_BACKEND") or raw.get("backend") or "demo")
    if backend not in BACKENDS:
        raise OrdersConfigError(f"{where}: backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    try:
        policy = PolicyConfig.from_mapping(raw.get("policies"), f"{where}: policies")
        identity_checks = AttemptLimits.from_mapping(raw.get("identity_checks"), f"{where}: identity_checks")
    except (PolicyConfigError, AttemptLimitsError) as exc:
        raise OrdersConfigError(str(exc)) from exc
    demo_raw = raw.get("demo") or {}
    if not isinstance(demo_raw, Mapping):
        raise OrdersConfigError(f"{where}: demo must be a mapping")
    unknown = sorted(set(demo_raw) - {"url", "seed_file", "auto_seed"})
    if unknown:
        raise OrdersConfigError(
            f"{where}: demo: unknown key(s) {', '.join(unknown)} (known: url, seed_file, auto_seed)"
        )
    demo = DemoConfig(
        url=env.get("DEMO_SHOP_URL") or demo_raw.get("url") or None,
        seed_file=resolve_path(demo_raw.get("seed_file") or DEFAULT_SEED_FILE),
        auto_seed=bool(demo_raw.get("auto_seed", True)),
    )
    http_raw = raw.get("http") or {}
    if not isinstance(http_raw, Mapping):
        raise OrdersConfigError(f"{where}: http must be a mapping")
    if backend == "http" and not http_raw:
        raise OrdersConfigError(f"{where}: backend is http but there is no http section")
    return OrdersConfig(
        backend=backend, policy=policy, demo=demo, http=http_raw, path=source, identity_checks=identity_checks
    )
