"""One small interface over the two read-model databases (SQLite and PostgreSQL).

SQL is written once with `?` placeholders; the PostgreSQL side rewrites them to `%s`. Rows come
back as dicts by column name on both sides (each table's row type is a TypedDict beside its DDL,
e.g. `projections.tables.CaseRow`). Connections are per thread on SQLite and pooled on
PostgreSQL, so callers may use the database from any worker thread.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

#: A row read back, by column name (a table's TypedDict, e.g. `CaseRow`, says which columns).
Row = dict[str, Any]


def _dict_row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> Row:
    return dict(zip([d[0] for d in cursor.description], values, strict=True))
Params = Sequence[Any]


class Tx(Protocol):
    """A cursor inside one transaction."""

    rowcount: int

    def execute(self, sql: str, params: Params = ()) -> Any: ...
    def executemany(self, sql: str, seq: Sequence[Params]) -> Any: ...
    def fetchall(self) -> list[Row]: ...
    def fetchone(self) -> Row | None: ...


class ReadDatabase(Protocol):
    dialect: str

    def transaction(self) -> Any: ...
    def fetchall(self, sql: str, params: Params = ()) -> list[Row]: ...
    def fetchone(self, sql: str, params: Params = ()) -> Row | None: ...
    def close(self) -> None: ...


class SQLiteDatabase:
    """The read side of the embedded SQLite file (WAL: readers never wait for the writer)."""

    dialect = "sqlite"

    def __init__(self, path: Path, timeout: float = 30.0) -> None:
        self.path = path
        self.timeout = timeout
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = _dict_row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        conn = self._connection()
        cursor = conn.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            yield cursor
        except BaseException:
            conn.rollback()
            raise
        else:
            conn.commit()
        finally:
            cursor.close()

    def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        return self._connection().execute(sql, params).fetchall()

    def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        return self._connection().execute(sql, params).fetchone()

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()


@lru_cache(maxsize=512)
def _pg_sql(sql: str) -> str:
    return sql.replace("?", "%s")


class _PgCursor:
    """A psycopg cursor that accepts the `?` placeholders the project writes."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    def execute(self, sql: str, params: Params = ()) -> Any:
        return self._cursor.execute(_pg_sql(sql), params)

    def executemany(self, sql: str, seq: Sequence[Params]) -> Any:
        return self._cursor.executemany(_pg_sql(sql), seq)

    def fetchall(self) -> list[Row]:
        return list(self._cursor.fetchall())

    def fetchone(self) -> Row | None:
        return self._cursor.fetchone()


class PostgresDatabase:
    """The read side on PostgreSQL, through a small connection pool."""

    dialect = "postgres"

    def __init__(self, url: str, max_size: int = 8) -> None:
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        self.pool = ConnectionPool(
            url, min_size=1, max_size=max_size, kwargs={"row_factory": dict_row}, open=True
        )

    @contextmanager
    def transaction(self) -> Iterator[_PgCursor]:
        with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            yield _PgCursor(cur)

    def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        with self.pool.connection() as conn:
            return list(conn.execute(_pg_sql(sql), params).fetchall())

    def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        with self.pool.connection() as conn:
            return conn.execute(_pg_sql(sql), params).fetchone()

    def close(self) -> None:
        self.pool.close()
