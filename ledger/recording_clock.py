"""The moment the ledger records an event (`recorded_at`, the event's `timestamp`).

The `eventsourcing` library stamps events with the wall clock. The ledger stamps them with its
own clock instead, the same one its time rules use, so that recording time is one notion, and a
test or a replay of historical data can say when each step was recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar, Token
from datetime import UTC, datetime

_clock: ContextVar[Callable[[], datetime] | None] = ContextVar("recording_clock", default=None)


class recording_with:  # noqa: N801 (a context manager, named as the function it replaced)
    """Events created inside are stamped by `clock` (per thread and task). A class rather than
    a generator-based context manager: `Ledger.handle` enters one per command."""

    __slots__ = ("_clock", "_token")

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._token: Token[Callable[[], datetime] | None] | None = None

    def __enter__(self) -> None:
        self._token = _clock.set(self._clock)

    def __exit__(self, *exc_info: object) -> None:
        if self._token is not None:
            _clock.reset(self._token)
            self._token = None


def recording_now() -> datetime:
    clock = _clock.get()
    return clock() if clock is not None else datetime.now(UTC)
