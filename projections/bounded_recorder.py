"""The event store's PostgreSQL recorder, with the calling command's deadline checked before
every attempt to read or insert.

The `eventsourcing` recorder retries a read or an insert up to ten times when the connection
fails, each attempt waiting for a pooled connection: with PostgreSQL down that is half a minute,
and an insert could be committed long after its caller gave up. This recorder makes the same
attempts but asks the command's check (set by `projections.consistency` for the calling thread)
before each one: past the deadline it raises instead of trying again (issue 10, defect 8).
Threads without a check (the CLI, the projection runner) retry as the library does.

An insert is one round trip (`_insert_once`): the library sends the same statements (lock
timeout, `LOCK TABLE ... IN EXCLUSIVE MODE`, NOTIFY, INSERT ... RETURNING, COMMIT) through
nested pipelines and transactions, several syncs per command, which made it about 3x slower
than the statements sent plainly. Here they go as one query string: the table lock still makes
commit order equal log order, the ids come back only once COMMIT has succeeded (the command is
durable before it is acknowledged), and a duplicate version still raises `IntegrityError` with
nothing written.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL, Identifier
from psycopg_pool import ConnectionPool

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


#: A pooled connection used this recently is handed out without a ping first.
PING_IF_IDLE = 1.0


def _check_if_idle(conn: Any) -> None:
    """The pool's pre-ping (POSTGRES_PRE_PING), only for a connection idle for a while: a ping
    before every use doubled the round trips of a command. A connection that died since its
    last use fails its statement instead, and the attempt is retried (`_attempts`)."""
    now = time.monotonic()
    if now - getattr(conn, "_pact_used_at", 0.0) > PING_IF_IDLE:
        ConnectionPool.check_connection(conn)
    conn._pact_used_at = now


class DeadlineBoundRecorder(PostgresApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pool = self.datastore.pool
        if getattr(pool, "_check", None) is not None:
            pool._check = _check_if_idle

    def select_events(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return _attempts(0, lambda: _select_events(self, *args, **kwargs))

    def insert_events(self, stored_events: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if self.datastore.enable_db_functions or any(v is not None for v in kwargs.values()):
            return _attempts(1, lambda: _insert_events(self, stored_events, **kwargs))
        return _attempts(1, lambda: self._insert_once(stored_events))

    def _insert_once(self, stored_events: list[StoredEvent]) -> list[int]:
        if not stored_events:
            return []
        params: list[Any] = []
        for e in stored_events:
            params += (e.originator_id, e.originator_version, e.topic, e.state)
        with self.datastore.get_connection() as conn:
            with psycopg.ClientCursor(conn) as curs:
                try:
                    curs.execute(self._one_trip(len(stored_events), conn), params)
                    while curs.statusmessage is None or not curs.statusmessage.startswith(
                            "INSERT"):
                        if not curs.nextset():
                            raise AssertionError("no INSERT result in the insert's answer")
                    ids = [row["notification_id"] for row in curs.fetchall()]
                except BaseException:
                    status = conn.info.transaction_status
                    if status in (psycopg.pq.TransactionStatus.INERROR,
                                  psycopg.pq.TransactionStatus.INTRANS):
                        with contextlib.suppress(psycopg.Error):  # the original error counts
                            conn.rollback()
                    raise
            if len(ids) != len(stored_events):
                raise AssertionError(f"{len(ids)} ids for {len(stored_events)} events")
            return ids

    def _one_trip(self, count: int, conn: psycopg.Connection[Any]) -> bytes:
        """The statements for `count` events, rendered once (rendering the composed query's
        identifiers on every execute took a third of the insert's client CPU)."""
        queries: dict[int, bytes] = self.__dict__.setdefault("_one_trip_queries", {})
        cached = queries.get(count)
        if cached is not None:
            return cached
        table = SQL("{}.{}").format(Identifier(self.datastore.schema),
                                    Identifier(self.events_table_name))
        values = SQL(", ").join([SQL("(%s, %s, %s, %s)")] * count)
        query = SQL(
            "BEGIN; SET LOCAL lock_timeout = '{timeout}s'; "
            "LOCK TABLE {table} IN EXCLUSIVE MODE; NOTIFY {channel}; "
            "INSERT INTO {table} (originator_id, originator_version, topic, state) "
            "VALUES {values} RETURNING notification_id; COMMIT"
        ).format(timeout=SQL(str(self.datastore.lock_timeout)), table=table,
                 channel=Identifier(self.channel_name), values=values).as_bytes(conn)
        if len(queries) < 64:
            queries[count] = query
        return query
