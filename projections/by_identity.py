"""Texts of values that many rows share, made once per object (`ByIdentity`).

A case's deadlines run from its events' moments, periods counted for the same day, rule and
calendar share one due moment and one `Counting` (`ledger.deadlines.periods` counts each once),
and a tracker's state holds the same moments again; both projections write each event's stream
id: most values written by a read model are objects already written a moment before. Formatting
a datetime or a UUID costs far more than a dict lookup, so the text is kept per object (by
identity, the object held with it so that its id is not reused while the entry lives), in a
bounded table. Only immutable values are kept (datetimes, UUIDs, frozen countings), so a text
never goes stale.

The deadline projection's tables are emptied after each batch (`forget`): entries kept longer
pin their objects, and with them the memory of the batches they came from (measured: a
10k-event catch-up peaked at twice the memory with the texts kept across batches).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")
T = TypeVar("T")


class ByIdentity(Generic[V, T]):
    """`make(value)`, remembered for the very object `value` (immutable values only)."""

    __slots__ = ("_limit", "_made", "make")

    def __init__(self, make: Callable[[V], T], limit: int = 16_384) -> None:
        self.make = make
        self._limit = limit
        self._made: dict[int, tuple[V, T]] = {}

    def forget(self) -> None:
        self._made.clear()

    def __call__(self, value: V) -> T:
        found = self._made.get(id(value))
        if found is not None and found[0] is value:
            return found[1]
        if len(self._made) >= self._limit:  # (bounded: start again rather than track age)
            self._made.clear()
        made = self.make(value)
        self._made[id(value)] = (value, made)
        return made
