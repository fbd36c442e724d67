"""Every sentence the order flows send a customer, one module per flow, as templates with named placeholders.

A template is a whole sentence (or a whole message) for one situation, never a fragment to be glued to others,
so a translation can replace each one as it is (see locale/zh/bot.yml on the data-zh branch). Fill one in with
``render``; the placeholders' meaning is documented where each template is defined.
"""

from __future__ import annotations

from typing import Any


def render(template: str, **values: Any) -> str:
    """``template`` with its ``{placeholders}`` filled in; a missing value is a KeyError naming it."""
    return template.format_map(values)
