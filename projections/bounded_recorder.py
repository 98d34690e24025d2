"""The event store's PostgreSQL recorder, with the calling command's deadline checked before
every attempt to read or insert.

The `eventsourcing` recorder retries a read or an insert up to ten times when the connection
fails, each attempt waiting for a pooled connection: with PostgreSQL down that is half a minute,
and an insert could be committed long after its caller gave up. This recorder makes the same
attempts but asks the command's check (set by `projections.consistency` for the calling thread)
before each one: past the deadline it raises instead of trying again (issue 10, defect 8).
Threads without a check (the CLI, the projection runner) retry as the library does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresApplicationRecorder

TOPIC = "projections.bounded_recorder:DeadlineBoundRecorder"
ATTEMPTS = 10
PAUSE = 0.2

_local = threading.local()

#: The library's methods without its retry decorator (functools.wraps keeps them).
_select_events = PostgresApplicationRecorder.select_events.__wrapped__  # type: ignore[attr-defined]
_insert_events = PostgresApplicationRecorder.insert_events.__wrapped__  # type: ignore[attr-defined]


@contextmanager
def checked_attempts(before_read: Callable[[], None],
                     before_insert: Callable[[], None]) -> Iterator[None]:
    """While the block runs, this thread's reads and inserts call these before each attempt."""
    _local.checks = (before_read, before_insert)
    try:
        yield
    finally:
        _local.checks = None


def _attempts(kind: int, call: Callable[[], Any]) -> Any:
    checks = getattr(_local, "checks", None)
    for attempt in range(ATTEMPTS):
        if checks is not None:
            checks[kind]()
        try:
            return call()
        except (InterfaceError, OperationalError):
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(PAUSE)
    raise AssertionError("unreachable")


class DeadlineBoundRecorder(PostgresApplicationRecorder):
    def select_events(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return _attempts(0, lambda: _select_events(self, *args, **kwargs))

    def insert_events(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return _attempts(1, lambda: _insert_events(self, *args, **kwargs))
