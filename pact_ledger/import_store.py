"""The event store as a bulk import reads and writes it (`ledger.bulk_import.BatchStore`): the
stored events of a batch's cases in one query, and a batch's events in one transaction with
one statement: an executemany on SQLite, a binary COPY on PostgreSQL. On PostgreSQL the
transaction takes the same table lock as the recorder's insert
(`pact_ledger.pg_recorder`), so commit order stays log order, and sends the same NOTIFY,
so that live read models wake up."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from ledger.bulk_import import BatchStore, RecorderStore

#: Ids per `IN (...)` list on SQLite (its limit on parameters is far above).
SQLITE_IDS = 500
#: Sent before a batch's lookup on PostgreSQL, to keep its plan to the primary key's index:
#: an import's writes hold the table in EXCLUSIVE mode nearly all the time, which autovacuum's
#: ANALYZE does not wait for, so during an import the table has no statistics (`pg_stats`
#: empty at 2.5M events) and the planner guesses thousands of rows an id: for a few new cases
#: a parallel scan of the whole table, and a JIT compilation for its cost: 0.05-1.2 s a lookup
#: of 5-40 ids at 2.5M events instead of under a millisecond (`benchmarks/import_lookup.py`
#: times both plans with this very text).
LOOKUP_PLAN = ("SET LOCAL enable_seqscan = off; SET LOCAL jit = off; "
               "SET LOCAL max_parallel_workers_per_gather = 0")


def _hex(originator_id: object) -> str:
    """The id as the SQLite recorder stores it (hex, as `UUID.hex`), for a UUID or its text."""
    if type(originator_id) is UUID:
        return originator_id.hex
    return UUID(str(originator_id)).hex


class SQLiteBatchStore:
    def __init__(self, recorder: SQLiteApplicationRecorder) -> None:
        self.recorder = recorder
        self.table = recorder.events_table_name

    def stored(self, ids: Collection[UUID]) -> dict[UUID, list[StoredEvent]]:
        wanted = [i.hex for i in ids]
        found: dict[UUID, list[StoredEvent]] = {}
        convert = self.recorder.convert_originator_id
        with self.recorder.datastore.transaction(commit=False) as cursor:
            for start in range(0, len(wanted), SQLITE_IDS):
                part = wanted[start:start + SQLITE_IDS]
                cursor.execute(
                    "SELECT originator_id, originator_version, topic, state FROM "
                    f"{self.table} WHERE originator_id IN ({', '.join('?' * len(part))}) "
                    "ORDER BY originator_id, originator_version", part)
                for row in cursor.fetchall():
                    aggregate_id = UUID(str(convert(row[0])))
                    found.setdefault(aggregate_id, []).append(
                        StoredEvent(aggregate_id, row[1], row[2], row[3]))
        return found

    def write(self, events: list[StoredEvent]) -> None:
        rows = [(_hex(e.originator_id), e.originator_version, e.topic, e.state)
                for e in events]
        with self.recorder.datastore.transaction(commit=True) as cursor:
            cursor.executemany(self.recorder.insert_events_statement, rows)


class PostgresBatchStore:
    def __init__(self, recorder: PostgresApplicationRecorder) -> None:
        from psycopg.sql import SQL, Identifier

        self.recorder = recorder
        datastore = recorder.datastore
        self.table = SQL("{}.{}").format(Identifier(datastore.schema),
                                         Identifier(recorder.events_table_name))
        self.select = SQL(
            "SELECT originator_id, originator_version, topic, state FROM {} WHERE "
            "originator_id = ANY(%s) ORDER BY originator_id, originator_version"
        ).format(self.table)
        self.lookup_plan = SQL(LOOKUP_PLAN)
        self.prepare = [
            SQL("SET LOCAL lock_timeout = '{}s'").format(SQL(str(datastore.lock_timeout))),
            SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(self.table),
            SQL("NOTIFY {}").format(Identifier(recorder.channel_name)),
        ]
        self.copy = SQL("COPY {} (originator_id, originator_version, topic, state) FROM STDIN "
                        "(FORMAT BINARY)").format(self.table)

    def stored(self, ids: Collection[UUID]) -> dict[UUID, list[StoredEvent]]:
        found: dict[UUID, list[StoredEvent]] = {}
        with self.recorder.datastore.get_connection() as conn, conn.transaction(), \
                conn.cursor() as cursor:
            cursor.execute(self.lookup_plan)
            cursor.execute(self.select, [list(ids)])
            for row in cursor.fetchall():
                aggregate_id: UUID = row["originator_id"]
                found.setdefault(aggregate_id, []).append(StoredEvent(
                    aggregate_id, row["originator_version"], row["topic"], bytes(row["state"])))
        return found

    def write(self, events: list[StoredEvent]) -> None:
        import psycopg

        try:
            with self.recorder.datastore.get_connection() as conn, conn.transaction(), \
                    conn.cursor() as cursor:
                for statement in self.prepare:
                    cursor.execute(statement)
                with cursor.copy(self.copy) as copy:
                    copy.set_types(["uuid", "int8", "text", "bytea"])
                    for e in events:
                        copy.write_row((e.originator_id, e.originator_version, e.topic,
                                        e.state))
        except psycopg.errors.UniqueViolation as error:
            raise IntegrityError(error) from error


def batch_store(recorder: Any) -> BatchStore:
    """The fast store for this recorder's database, else the recorder's own methods."""
    if isinstance(recorder, PostgresApplicationRecorder):
        if recorder.datastore.enable_db_functions:
            return RecorderStore(recorder)
        return PostgresBatchStore(recorder)
    if isinstance(recorder, SQLiteApplicationRecorder):
        return SQLiteBatchStore(recorder)
    return RecorderStore(recorder)
