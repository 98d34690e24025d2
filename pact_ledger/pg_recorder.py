"""The event store's PostgreSQL recorder: every read and insert bounded by the calling command's
deadline (`projections.bounded_recorder.attempts`), and an insert in one round trip with almost
no driver work around it.

The library sends an insert's statements (lock timeout, `LOCK TABLE ... IN EXCLUSIVE MODE`,
NOTIFY, INSERT ... RETURNING, COMMIT) through nested pipelines and transactions, several syncs
per command, which made it about 3x slower than the statements sent plainly. Here:

* the lock timeout is set once per connection, for the session (`SET lock_timeout`, sent with
  the connection's first insert and remembered only once that insert succeeded). The other
  statements of the event store's connections take no lock that waits on anything but schema
  changes, which then fail after the same timeout instead of waiting;
* the statements go as one simple query without BEGIN and COMMIT: PostgreSQL runs such a
  string as one implicit transaction, committed before the server says it is ready, which is
  when the driver returns. So the table lock still makes commit order equal log order, the ids
  are returned only once the commit succeeded (a command is durable before it is acknowledged),
  and a duplicate version still raises `IntegrityError` with nothing written (the whole string
  is rolled back).

Why a simple query at all: `LOCK TABLE` needs a transaction block, and the extended protocol
(server-side parameters) runs one statement per message; the lock would need an explicit
BEGIN ... COMMIT pipeline (measured 2.5x the client CPU of this) or a server-side function.
And why not psycopg's `ClientCursor`: it spent half of the insert's client CPU quoting the
parameters and walking the results of every statement. The values here have fixed types, so
they are rendered directly (`_values`: the state as a bytea hex literal, the UUID and version
as text, the topic with its quotes doubled, which is exact when `standard_conforming_strings`
is on) and the string goes through libpq's `PQexec` (`PGconn.exec_`, the GIL released while it
waits), which returns the last statement's result: the INSERT's ids, or the first error.
A connection without standard-conforming strings or UTF-8 uses the `ClientCursor` instead.
The connection is taken from the library's pool directly (`_insert_once`), without the library's
per-use wrapper (opening the pool, registering composite types that only its database
functions use, committing an autocommit connection), which cost as much client CPU as the
query; psycopg's errors become the library's, as its wrapper does.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import psycopg
from eventsourcing import persistence
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import pq
from psycopg.sql import SQL, Identifier

from projections.bounded_recorder import INSERT, READ, attempts, ping_only_if_idle

TOPIC = "pact_ledger.pg_recorder:ImplicitTripRecorder"


def _text(value: str) -> str:
    """A standard-conforming SQL string literal (NUL cannot be stored in text: refused)."""
    if "\x00" in value:
        raise psycopg.DataError("a NUL character cannot be stored in a text column")
    return "'" + value.replace("'", "''") + "'"


def _values(stored_events: list[StoredEvent]) -> bytes:
    """The VALUES rows of the events, rendered as literals."""
    rows = []
    for e in stored_events:
        oid = e.originator_id
        key = f"'{oid}'" if isinstance(oid, UUID) else _text(str(oid))
        rows.append(f"({key}, {int(e.originator_version)}, {_text(e.topic)}, "
                    f"'\\x{bytes(e.state).hex()}')")
    return ", ".join(rows).encode()


def _plain_literals(conn: psycopg.Connection[Any]) -> bool:
    """Whether `_values` renders exactly for this connection."""
    known: bool | None = getattr(conn, "_pact_plain_literals", None)
    if known is None:
        known = (conn.pgconn.parameter_status(b"standard_conforming_strings") == b"on"
                 and conn.info.encoding == "utf-8")
        conn._pact_plain_literals = known  # type: ignore[attr-defined]
    return known


#: psycopg's errors as `eventsourcing.postgres.PostgresDatastore.get_connection` maps them, in
#: its order (the first matching class wins).
_LIBRARY_ERRORS: tuple[tuple[type[psycopg.Error], type[Exception]], ...] = (
    (psycopg.InterfaceError, persistence.InterfaceError),
    (psycopg.OperationalError, persistence.OperationalError),
    (psycopg.DataError, persistence.DataError),
    (psycopg.IntegrityError, persistence.IntegrityError),
    (psycopg.InternalError, persistence.InternalError),
    (psycopg.ProgrammingError, persistence.ProgrammingError),
    (psycopg.NotSupportedError, persistence.NotSupportedError),
    (psycopg.DatabaseError, persistence.DatabaseError),
    (psycopg.Error, persistence.PersistenceError),
)


#: The library's methods without its retry decorator (functools.wraps keeps them): `attempts`
#: retries instead.
_select_events = PostgresApplicationRecorder.select_events.__wrapped__  # type: ignore[attr-defined]
_insert_events = PostgresApplicationRecorder.insert_events.__wrapped__  # type: ignore[attr-defined]


class ImplicitTripRecorder(PostgresApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ping_only_if_idle(self.datastore.pool)

    def select_events(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        return attempts(READ, lambda: _select_events(self, *args, **kwargs))

    def insert_events(self, stored_events: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """The one-trip insert; the library's own (its database functions, or tracking
        arguments, which the ledger's store never passes) otherwise."""
        if self.datastore.enable_db_functions or any(v is not None for v in kwargs.values()):
            return attempts(INSERT, lambda: _insert_events(self, stored_events, **kwargs))
        return attempts(INSERT, lambda: self._insert_once(stored_events))

    def _insert_once(self, stored_events: list[StoredEvent]) -> list[int]:
        """`_connection`'s checkout and return written out (no generator-based context manager
        per command: a tenth of this method's client CPU), with the same rollback, return to
        the pool and error mapping."""
        if not stored_events:
            return []
        pool = self.datastore.pool
        if pool.closed:  # not opened yet: as the library opens it
            with self.datastore.get_connection():
                pass
        try:
            conn = pool.getconn()
            try:
                return self._insert_on(conn, stored_events)
            except BaseException:
                if conn.info.transaction_status in (pq.TransactionStatus.INERROR,
                                                    pq.TransactionStatus.INTRANS):
                    try:
                        conn.rollback()
                    except psycopg.Error:  # the original error counts
                        pass
                raise
            finally:
                pool.putconn(conn)
        except psycopg.Error as error:
            for theirs, ours in _LIBRARY_ERRORS:
                if isinstance(error, theirs):
                    raise ours(str(error)) from error
            raise

    def _insert_on(self, conn: psycopg.Connection[Any],
                   stored_events: list[StoredEvent]) -> list[int]:
        known = vars(conn)
        timed = known.get("_pact_lock_timeout", False)
        if _plain_literals(conn):
            heads: dict[bool, bytes] | None = self.__dict__.get("_trip_heads")
            head = heads.get(timed) if heads is not None else None
            if head is None:
                head = self._head(conn, timed)
            ids = self._exec(conn, head + _values(stored_events) + b" RETURNING notification_id")
        else:
            ids = self._client_cursor(conn, stored_events, timed)
        known["_pact_lock_timeout"] = True
        if len(ids) != len(stored_events):
            raise AssertionError(f"{len(ids)} ids for {len(stored_events)} events")
        return ids

    @staticmethod
    def _exec(conn: psycopg.Connection[Any], query: bytes) -> list[int]:
        """The query's last result's ids, or the error psycopg would have raised for it."""
        pgconn = conn.pgconn
        res = pgconn.exec_(query)
        if res.status == pq.ExecStatus.TUPLES_OK:
            return [int(res.get_value(i, 0)) for i in range(res.ntuples)]  # type: ignore[arg-type]
        if pgconn.status == pq.ConnStatus.BAD:  # the connection broke: as psycopg raises it
            raise psycopg.OperationalError(
                pgconn.get_error_message(conn.info.encoding) or "the connection was lost")
        raise psycopg.errors.error_from_result(res, encoding=conn.info.encoding)

    def _client_cursor(self, conn: psycopg.Connection[Any], stored_events: list[StoredEvent],
                       timed: bool) -> list[int]:
        params: list[Any] = []
        for e in stored_events:
            params += (e.originator_id, e.originator_version, e.topic, e.state)
        with psycopg.ClientCursor(conn) as curs:
            curs.execute(self._head(conn, timed)
                         + b", ".join([b"(%s, %s, %s, %s)"] * len(stored_events))
                         + b" RETURNING notification_id", params)
            while curs.statusmessage is None or not curs.statusmessage.startswith("INSERT"):
                if not curs.nextset():
                    raise AssertionError("no INSERT result in the insert's answer")
            return [row["notification_id"] for row in curs.fetchall()]

    def _head(self, conn: psycopg.Connection[Any], timed: bool) -> bytes:
        """The statements up to the INSERT's VALUES (with the session's lock timeout first
        unless `timed`), rendered once per recorder."""
        heads: dict[bool, bytes] = self.__dict__.setdefault("_trip_heads", {})
        cached = heads.get(timed)
        if cached is not None:
            return cached
        table = SQL("{}.{}").format(Identifier(self.datastore.schema),
                                    Identifier(self.events_table_name))
        timeout = (SQL("") if timed else SQL("SET lock_timeout = '{}s'; ").format(
            SQL(str(self.datastore.lock_timeout))))
        head = SQL(
            "{timeout}LOCK TABLE {table} IN EXCLUSIVE MODE; NOTIFY {channel}; "
            "INSERT INTO {table} (originator_id, originator_version, topic, state) VALUES "
        ).format(timeout=timeout, table=table,
                 channel=Identifier(self.channel_name)).as_bytes(conn)
        heads[timed] = head
        return head
