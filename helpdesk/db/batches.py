"""Values for a SQL `IN (...)` in batches: one statement per batch keeps each statement's bound parameters well under
what the databases accept (SQLite's default limit among them), however many conversations a page or a report reads."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

IN_BATCH = 500  # values per IN list

T = TypeVar("T")


def in_batches(values: Sequence[T], size: int = IN_BATCH) -> Iterator[Sequence[T]]:
    """`values` in consecutive slices of at most `size`, in order."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
