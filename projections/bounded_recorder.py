"""The calling command's deadline, checked before every attempt of the event store to read or
insert on PostgreSQL.

The `eventsourcing` recorder retries a read or an insert up to ten times when the connection
fails, each attempt waiting for a pooled connection: with PostgreSQL down that is half a minute,
and an insert could be committed long after its caller gave up. The edge's recorder
(`pact_ledger.pg_recorder.ImplicitTripRecorder`) makes the same attempts through `attempts`,
which asks the command's check (set by `projections.consistency` for the calling thread with
`checked_attempts`) before each one: past the deadline it raises instead of trying again
(issue 10, defect 8). Threads without a check (the CLI, the projection runner) retry as the
library does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError
from psycopg_pool import ConnectionPool

ATTEMPTS = 10
PAUSE = 0.2
#: Which check `attempts` asks first.
READ, INSERT = 0, 1

_local = threading.local()


@contextmanager
def checked_attempts(before_read: Callable[[], None],
                     before_insert: Callable[[], None]) -> Iterator[None]:
    """While the block runs, this thread's reads and inserts call these before each attempt."""
    _local.checks = (before_read, before_insert)
    try:
        yield
    finally:
        _local.checks = None


def attempts(kind: int, call: Callable[[], Any]) -> Any:
    """`call`, retried as the library retries it on a lost connection, the thread's check of
    `kind` (READ or INSERT) asked before each attempt."""
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


#: A pooled connection used this recently is handed out without a ping first.
PING_IF_IDLE = 1.0


def check_if_idle(conn: Any) -> None:
    """The pool's pre-ping (POSTGRES_PRE_PING), only for a connection idle for a while: a ping
    before every use doubled the round trips of a command. A connection that died since its
    last use fails its statement instead, and the attempt is retried (`attempts`)."""
    now = time.monotonic()
    if now - getattr(conn, "_pact_used_at", 0.0) > PING_IF_IDLE:
        ConnectionPool.check_connection(conn)
    conn._pact_used_at = now


def ping_only_if_idle(pool: Any) -> None:
    """Make a pool (psycopg_pool's, as the library wraps it) that pings before every use ping
    only connections idle for a while."""
    if getattr(pool, "_check", None) is not None:
        pool._check = check_if_idle
