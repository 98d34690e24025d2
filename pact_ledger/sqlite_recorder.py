"""The event store's SQLite recorder, with an insert that costs what its statements cost.

The `eventsourcing` recorder wraps every insert in four nested context managers (the pool's
writer interlock, a connection wrapper, a transaction wrapper, a cursor wrapper): about a fifth
of a one-event command's client CPU, beside the INSERT and COMMIT themselves, half of it the
pool's checkout and return. Here the same statements go through one connection per thread kept
for inserts (an in-memory database, which only the pool can share, keeps the library's way);
the notification ids (rowids) come back only once COMMIT has
succeeded (a command is durable before it is acknowledged), and a duplicate version still
raises the library's `IntegrityError` with nothing written.

A stream's events are read the same way (`select_events`: the library's statement and rows on
the thread's connection, without its pool checkout and transaction wrappers, which cost about
nine times the SELECT itself): a command loads its case through it on every cache miss, and
asks it for the crisis regime and the recognition rates, usually absent, on every command that
needs them.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import weakref
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    DataError,
    IntegrityError,
    InterfaceError,
    InternalError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.sqlite import (
    SQLITE3_DEFAULT_LOCK_TIMEOUT,
    SQLiteApplicationRecorder,
    SQLiteConnectionPool,
)

TOPIC = "pact_ledger.sqlite_recorder:LeanSQLiteRecorder"

#: sqlite3's errors as the library's (what callers of any recorder catch).
_ERRORS: tuple[tuple[type[Exception], type[Exception]], ...] = (
    (sqlite3.IntegrityError, IntegrityError),
    (sqlite3.OperationalError, OperationalError),
    (sqlite3.InterfaceError, InterfaceError),
    (sqlite3.DataError, DataError),
    (sqlite3.InternalError, InternalError),
)


def _raise_as_library(error: BaseException) -> None:
    """Raise the library's error for sqlite3's (`_ERRORS`); return for any other (the caller
    then raises it as it is)."""
    for theirs, ours in _ERRORS:
        if isinstance(error, theirs):
            raise ours(error) from error


#: Statements a writer connection keeps compiled (sqlite3's default size). The library's pool
#: passes `cached_statements=True`, which sqlite3 reads as 1: a command's BEGIN IMMEDIATE,
#: INSERT and SELECT then pushed one another out and were compiled again, two a command (~16k
#: instructions each, ~5% of a command's client CPU).
WRITER_CACHED_STATEMENTS = 128


def _writer_connection(pool: SQLiteConnectionPool) -> sqlite3.Connection:
    """A connection made as the library's pool makes its own (`_create_connection`: the same
    file, URI, autocommit, lock timeout and `sqlite3.Row` rows; the file in WAL mode), but
    keeping `WRITER_CACHED_STATEMENTS` statements compiled."""
    if not pool.is_journal_mode_wal:  # (the pool's own first connection puts the file in WAL)
        pool._create_connection().close()  # noqa: SLF001
    conn = sqlite3.connect(database=pool.db_name, uri=True, check_same_thread=False,
                           isolation_level=None, cached_statements=WRITER_CACHED_STATEMENTS,
                           timeout=pool.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT)
    conn.row_factory = sqlite3.Row
    return conn


class _Writer:
    """A thread's insert connection, closed when the thread ends (its thread-local goes, and
    with it the last reference to this)."""

    __slots__ = ("__weakref__", "conn")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        weakref.finalize(self, conn.close)


class LeanSQLiteRecorder(SQLiteApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._local = threading.local()
        #: Every thread's insert connection, to close them with the store; weak, so that a
        #: thread's connection closes when the thread ends (a server's worker threads come and
        #: go: held here they would stay open, one per thread ever used).
        self._writers: weakref.WeakSet[_Writer] = weakref.WeakSet()
        self._lock = threading.Lock()
        datastore = self.datastore
        closing = datastore.close

        def close() -> None:  # the datastore closes the pool; this, the writers too
            with self._lock:
                for writer in list(self._writers):
                    writer.conn.close()
                self._writers.clear()
            self._local = threading.local()
            closing()

        datastore.close = close  # type: ignore[method-assign]

    def _writer(self) -> sqlite3.Connection:
        """This thread's connection for inserts, made as the pool makes its own (WAL, lock
        timeout, autocommit), kept apart from the pool: SQLite's write lock, taken by BEGIN
        IMMEDIATE, orders writers, as the pool's writer interlock did within one process."""
        writer: _Writer | None = getattr(self._local, "writer", None)
        if writer is None:
            writer = _Writer(_writer_connection(self.datastore.pool))
            self._local.writer = writer
            with self._lock:
                self._writers.add(writer)
        return writer.conn

    def select_events(self, originator_id: UUID | str, *, gt: int | None = None,
                      lte: int | None = None, desc: bool = False,
                      limit: int | None = None) -> Sequence[StoredEvent]:
        """The library's `select_events` (the same rows, in the same order) on this thread's
        connection: one SELECT in autocommit mode is its own read transaction, so it sees every
        commit before it, as the pool's connection does."""
        if self.datastore.pool.is_sqlite_memory_mode:
            return super().select_events(originator_id, gt=gt, lte=lte, desc=desc, limit=limit)
        statement = (f"SELECT originator_id, originator_version, topic, state FROM "
                     f"{self.events_table_name} WHERE originator_id=? ")
        params: list[Any] = [originator_id.hex if isinstance(originator_id, UUID)
                             else originator_id]
        if gt is not None:
            statement += "AND originator_version>? "
            params.append(gt)
        if lte is not None:
            statement += "AND originator_version<=? "
            params.append(lte)
        statement += "ORDER BY originator_version DESC " if desc else \
            "ORDER BY originator_version ASC "
        if limit is not None:
            statement += "LIMIT ? "
            params.append(limit)
        try:
            rows = self._writer().execute(statement, params).fetchall()
        except sqlite3.Error as error:
            _raise_as_library(error)
            raise
        if not rows:
            return []
        # every row names the stream asked for: its id converted once, not once a row
        stream = self.convert_originator_id(rows[0][0])
        return [StoredEvent(originator_id=stream, originator_version=row[1], topic=row[2],
                            state=row[3]) for row in rows]

    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        if any(v is not None for v in kwargs.values()) or self.datastore.pool.is_sqlite_memory_mode:
            return super().insert_events(stored_events, **kwargs)  # (the library's way)
        if not stored_events:
            return []
        statement = self.insert_events_statement
        raw = self._writer()
        try:
            raw.execute("BEGIN IMMEDIATE")
            ids = []
            for s in stored_events:
                originator = s.originator_id
                ids.append(raw.execute(statement, (
                    originator.hex if isinstance(originator, UUID) else originator,
                    s.originator_version, s.topic, s.state)).lastrowid)
            raw.commit()
        except BaseException as error:
            if raw.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # the original error counts
                    raw.rollback()
            _raise_as_library(error)
            raise
        return ids  # type: ignore[return-value]
