"""Loading a script of bench/ (they are scripts, not a package) as a module for its tests."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from helpdesk.config import PROJECT_ROOT


def load_bench_script(name: str) -> ModuleType:
    """bench/<name>.py as the module `name` (registered in sys.modules, so its dataclasses and imports work)."""
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module
