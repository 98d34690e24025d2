"""The event store's SQLite recorder, with an insert that costs what its statements cost.

The `eventsourcing` recorder wraps every insert in four nested context managers (the pool's
writer interlock, a connection wrapper, a transaction wrapper, a cursor wrapper): about a fifth
of a one-event command's client CPU, beside the INSERT and COMMIT themselves. Here the same
statements go to the pooled connection directly: the writer interlock is still taken (one writer
at a time, as the library does), the notification ids (rowids) come back only once COMMIT has
succeeded (a command is durable before it is acknowledged), and a duplicate version still
raises the library's `IntegrityError` with nothing written.
"""

from __future__ import annotations

import sqlite3
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
from eventsourcing.sqlite import SQLiteApplicationRecorder

TOPIC = "pact_ledger.sqlite_recorder:LeanSQLiteRecorder"

#: sqlite3's errors as the library's (what callers of any recorder catch).
_ERRORS: tuple[tuple[type[Exception], type[Exception]], ...] = (
    (sqlite3.IntegrityError, IntegrityError),
    (sqlite3.OperationalError, OperationalError),
    (sqlite3.InterfaceError, InterfaceError),
    (sqlite3.DataError, DataError),
    (sqlite3.InternalError, InternalError),
)


class LeanSQLiteRecorder(SQLiteApplicationRecorder):
    def insert_events(self, stored_events: Sequence[StoredEvent],
                      **kwargs: Any) -> Sequence[int] | None:
        if any(v is not None for v in kwargs.values()):  # (tracking: the library's way)
            return super().insert_events(stored_events, **kwargs)
        if not stored_events:
            return []
        statement = self.insert_events_statement
        pool = self.datastore.pool
        connection = pool.get_connection(is_writer=True)
        try:
            raw: sqlite3.Connection = connection._sqlite_conn
            try:
                raw.execute("BEGIN")
                ids = []
                for s in stored_events:
                    originator = s.originator_id
                    ids.append(raw.execute(statement, (
                        originator.hex if isinstance(originator, UUID) else originator,
                        s.originator_version, s.topic, s.state)).lastrowid)
                raw.commit()
            except BaseException as error:
                if raw.in_transaction:
                    raw.rollback()
                for theirs, ours in _ERRORS:
                    if isinstance(error, theirs):
                        raise ours(error) from error
                raise
        finally:
            pool.put_connection(connection)
        return ids  # type: ignore[return-value]
