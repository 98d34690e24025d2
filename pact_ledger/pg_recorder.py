"""The event store's PostgreSQL recorder: `projections.bounded_recorder`'s one-trip insert, with
fewer statements in the trip.

The insert's query string was `BEGIN; SET LOCAL lock_timeout; LOCK TABLE; NOTIFY; INSERT ...
RETURNING; COMMIT`: six results for the client to parse, a third of them only there to bound the
table lock's wait and to frame the transaction. Here:

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
"""

from __future__ import annotations

from typing import Any

import psycopg
from eventsourcing.persistence import StoredEvent
from psycopg.sql import SQL, Identifier

from projections.bounded_recorder import DeadlineBoundRecorder

TOPIC = "pact_ledger.pg_recorder:ImplicitTripRecorder"


class ImplicitTripRecorder(DeadlineBoundRecorder):
    def _insert_once(self, stored_events: list[StoredEvent]) -> list[int]:
        if not stored_events:
            return []
        params: list[Any] = []
        for e in stored_events:
            params += (e.originator_id, e.originator_version, e.topic, e.state)
        with self.datastore.get_connection() as conn:
            timed = getattr(conn, "_pact_lock_timeout", False)
            with psycopg.ClientCursor(conn) as curs:
                curs.execute(self._trip(len(stored_events), conn, timed), params)
                while curs.statusmessage is None or not curs.statusmessage.startswith("INSERT"):
                    if not curs.nextset():
                        raise AssertionError("no INSERT result in the insert's answer")
                ids = [row["notification_id"] for row in curs.fetchall()]
            conn._pact_lock_timeout = True  # type: ignore[attr-defined]
            if len(ids) != len(stored_events):
                raise AssertionError(f"{len(ids)} ids for {len(stored_events)} events")
            return ids

    def _trip(self, count: int, conn: psycopg.Connection[Any], timed: bool) -> bytes:
        """The statements for `count` events (with the session's lock timeout first unless
        `timed`), rendered once per shape."""
        queries: dict[tuple[int, bool], bytes] = self.__dict__.setdefault("_trip_queries", {})
        cached = queries.get((count, timed))
        if cached is not None:
            return cached
        table = SQL("{}.{}").format(Identifier(self.datastore.schema),
                                    Identifier(self.events_table_name))
        values = SQL(", ").join([SQL("(%s, %s, %s, %s)")] * count)
        timeout = (SQL("") if timed else SQL("SET lock_timeout = '{}s'; ").format(
            SQL(str(self.datastore.lock_timeout))))
        query = SQL(
            "{timeout}LOCK TABLE {table} IN EXCLUSIVE MODE; NOTIFY {channel}; "
            "INSERT INTO {table} (originator_id, originator_version, topic, state) "
            "VALUES {values} RETURNING notification_id"
        ).format(timeout=timeout, table=table, channel=Identifier(self.channel_name),
                 values=values).as_bytes(conn)
        if len(queries) < 128:
            queries[(count, timed)] = query
        return query
