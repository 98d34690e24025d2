"""The stored events as raw rows, a large batch at a time, for `verify` to hash without decoding.

The library's `select_notifications` builds a `Notification` (and on SQLite a `UUID`) per row,
which costs `verify` as much as reading it. Here one plain SELECT reads (position, stream id as
`str(UUID)` writes it, version, topic, state) from the recorder's own table and connection.
Only for the two recorders this project runs, with UUID stream ids; anything else gets None and
is read the library's way. A stream id that is not a plain UUID text says nothing here: the
caller reads that batch the library's way too (which reports what it cannot read).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from eventsourcing.application import Application

#: (position, stream, version, topic, state); stream None: not a plain UUID text.
RawRow = tuple[int, str | None, int, str, bytes]
Reader = Callable[[int, int], list[RawRow]]

_HEX32 = re.compile(r"[0-9a-f]{32}", re.ASCII).fullmatch


def raw_reader(app: Application) -> Reader | None:
    """`reader(start, limit)`: rows from position `start` on, in log order; None: not here."""
    found = stored_reader(app)
    if found is None:
        return None
    read, streams = found
    if not streams.dashed:
        return read  # (PostgreSQL's text is `str(UUID)` already)

    def converted(start: int, limit: int) -> list[RawRow]:
        return streams.rows(read(start, limit))

    return converted


def stored_reader(app: Application) -> tuple[Callable[[int, int], list[Any]], Streams] | None:
    """`raw_reader`'s rows with each stream id as stored, and the `Streams` that gives it as
    `str(UUID)`: what `ledger.range_check.checked_rows` takes, so that a batch it checks is
    not first copied row by row to convert its ids (as a worker's ranges are not:
    `range_reader`); None: not here."""
    recorder: Any = app.recorder
    datastore = getattr(recorder, "datastore", None)
    if getattr(datastore, "originator_id_type", None) != "uuid":
        return None
    from eventsourcing.sqlite import SQLiteApplicationRecorder

    if isinstance(recorder, SQLiteApplicationRecorder):
        return _sqlite(recorder)
    try:
        from eventsourcing.postgres import PostgresApplicationRecorder
    except ImportError:  # psycopg missing: not this backend
        return None
    if isinstance(recorder, PostgresApplicationRecorder):
        return _postgres(recorder)
    return None


def _sqlite(recorder: Any) -> tuple[Callable[[int, int], list[Any]], Streams]:
    sql = (f"SELECT rowid, originator_id, originator_version, topic, state FROM "
           f"{recorder.events_table_name} WHERE rowid>=? ORDER BY rowid LIMIT ?")

    def read(start: int, limit: int) -> list[Any]:
        with recorder.datastore.transaction(commit=False) as c:
            c.execute(sql, (start, limit))
            return c.fetchall()  # type: ignore[no-any-return]

    return read, Streams(dashed=True)


class Streams(dict[Any, tuple[str, bytes] | None]):
    """A stream id as read -> (`str(UUID)`, its UTF-8 bytes), or None (not a plain id), found
    once per stream, not per row (one entry per stream: what a check of every stream keeps
    anyway), the same string object for all of a stream's rows (`rows`; `ledger.range_check`
    takes rows with their ids as read). `dashed`: the
    ids are SQLite's 32 hex digits (`_dashed`), else already `str(UUID)` (PostgreSQL's text)."""

    def __init__(self, dashed: bool) -> None:
        super().__init__()
        self.dashed = dashed

    def __missing__(self, text: Any) -> tuple[str, bytes] | None:
        plain = _dashed(text) if self.dashed else text if type(text) is str else None
        value = None if plain is None else (plain, plain.encode())
        if type(text) is str:
            self[text] = value
        return value

    def rows(self, rows: list[Any]) -> list[RawRow]:
        """The rows with their stream ids as `str(UUID)` (None: not a plain id)."""
        return [(r[0], None if (p := self[r[1]]) is None else p[0], r[2], r[3], r[4])
                for r in rows]


def _dashed(text: Any) -> str | None:
    """str(UUID(text)) for the ids SQLite stores (32 lower-case hex digits); None otherwise."""
    if type(text) is not str or not _HEX32(text):
        return None
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _postgres(recorder: Any) -> tuple[Callable[[int, int], list[Any]], Streams]:
    from psycopg.rows import tuple_row
    from psycopg.sql import SQL, Identifier

    sql = SQL("SELECT notification_id, originator_id::text, originator_version, topic, state "
              "FROM {}.{} WHERE notification_id>=%s ORDER BY notification_id LIMIT %s").format(
        Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))

    def read(start: int, limit: int) -> list[RawRow]:
        with recorder.datastore.get_connection() as conn, \
                conn.cursor(row_factory=tuple_row) as cur:
            cur.execute(sql, (start, limit))
            return [(r[0], r[1], r[2], r[3], bytes(r[4])) for r in cur.fetchall()]

    return read, Streams(dashed=False)


def range_reader(backend: str, location: str, schema: str | None, table: str,
                 connection: Any = None) -> tuple[Callable[[int, int], list[Any]], Streams]:
    """`read(lo, hi)`: rows lo..hi (positions) through a connection of its own (a worker's; on
    PostgreSQL `connection`, an autocommit one, where the worker reads other tables of the
    same database too), their stream ids as stored (`streams[id]`: as `str(UUID)`, or None)."""
    if backend == "sqlite":
        import sqlite3

        conn = sqlite3.connect(location, check_same_thread=False)
        sql = (f"SELECT rowid, originator_id, originator_version, topic, state FROM {table} "
               "WHERE rowid>=? AND rowid<=? ORDER BY rowid")

        def read_sqlite(lo: int, hi: int) -> list[Any]:
            rows = conn.execute(sql, (lo, hi)).fetchall()
            conn.commit()  # end the read transaction: the writer may checkpoint
            return rows

        return read_sqlite, Streams(dashed=True)
    import psycopg
    from psycopg.sql import SQL, Identifier

    pg = connection if connection is not None else psycopg.connect(location, autocommit=True)
    query = SQL("SELECT notification_id, originator_id::text, originator_version, topic, state "
                "FROM {}.{} WHERE notification_id>=%s AND notification_id<=%s "
                "ORDER BY notification_id").format(Identifier(schema or "public"),
                                                   Identifier(table))

    def read_postgres(lo: int, hi: int) -> list[Any]:
        with pg.cursor() as cur:
            cur.execute(query, (lo, hi))
            return [(r[0], r[1], r[2], r[3], bytes(r[4])) for r in cur.fetchall()]

    return read_postgres, Streams(dashed=False)
