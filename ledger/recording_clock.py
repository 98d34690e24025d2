"""The moment the ledger records an event (`recorded_at`, the event's `timestamp`).

The `eventsourcing` library stamps events with the wall clock. The ledger stamps them with its
own clock instead, the same one its time rules use, so that recording time is one notion, and a
test or a replay of historical data can say when each step was recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_clock: ContextVar[Callable[[], datetime] | None] = ContextVar("recording_clock", default=None)


@contextmanager
def recording_with(clock: Callable[[], datetime]) -> Iterator[None]:
    """Events created inside are stamped by `clock` (per thread and task)."""
    token = _clock.set(clock)
    try:
        yield
    finally:
        _clock.reset(token)


def recording_now() -> datetime:
    clock = _clock.get()
    return clock() if clock is not None else datetime.now(UTC)
