"""IN-list batching: every `column IN (…)` over a list of ids is cut into batches of one size.

Each id in an IN list is one bound parameter. SQLite binds at most 32,766 parameters to
a statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32), PostgreSQL at most 65,535 (the
wire protocol's 16-bit count); 5,000 ids leave room for a statement's other parameters
on both, and are large enough that a 300-customer book, or a 50,000-row import chunk,
needs only a handful of statements.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

IN_LIST_SIZE = 5_000

T = TypeVar("T")


def in_batches(ids: Sequence[T]) -> Iterator[Sequence[T]]:
    """`ids` in consecutive slices of at most IN_LIST_SIZE, in order."""
    for start in range(0, len(ids), IN_LIST_SIZE):
        yield ids[start : start + IN_LIST_SIZE]
