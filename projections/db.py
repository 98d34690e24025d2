"""One small interface over the two read-model databases (SQLite and PostgreSQL).

SQL is written once with `?` placeholders; the PostgreSQL side rewrites them to `%s`. Rows come
back as dicts by column name on both sides (each table's row type is a TypedDict beside its DDL,
e.g. `projections.tables.CaseRow`). Connections are per thread on SQLite and pooled on
PostgreSQL, so callers may use the database from any worker thread.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Protocol, cast

#: A row read back, by column name (a table's TypedDict, e.g. `CaseRow`, says which columns).
Row = dict[str, Any]


#: (a cursor's description, its column names): the names of the statement read last, made
#: once per statement, not per row (a cursor keeps one description object per statement;
#: replaced as one tuple, so threads see a matching pair).
_last_names: tuple[Any, tuple[str, ...]] = (None, ())


def _dict_row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> Row:
    global _last_names
    description = cursor.description
    cached = _last_names
    if cached[0] is not description:
        cached = _last_names = (description, tuple(d[0] for d in description))
    return dict(zip(cached[1], values, strict=True))
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


#: Seconds between background WAL checkpoints (SQLite's own would run inside a commit once the
#: WAL holds 1,000 pages; at this pace it rarely grows past a few hundred).
CHECKPOINT_EVERY = 0.5


class SQLiteDatabase:
    """The read side of the embedded SQLite file (WAL: readers never wait for the writer).

    WAL checkpoints run in a thread of their own (`Checkpointer`), not inside the commit that
    happens to cross SQLite's threshold: that commit used to copy the WAL into the database and
    sync it while its request waited (the p99 of a read that writes the access log). Commits are
    as durable as before (`synchronous` is unchanged); only the checkpoint moved."""

    dialect = "sqlite"

    def __init__(self, path: Path, timeout: float = 30.0,
                 checkpoint_every: float | None = CHECKPOINT_EVERY) -> None:
        self.path = path
        self.timeout = timeout
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._checkpoint_every = checkpoint_every
        self._checkpointer: Checkpointer | None = None

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
            with self._lock:
                if self._checkpoint_every is not None:
                    conn.execute("PRAGMA wal_autocheckpoint=0")  # the checkpointer's work
                    if self._checkpointer is None:
                        self._checkpointer = Checkpointer(self.path, self.timeout,
                                                          self._checkpoint_every, owner=self)
                self._all.append(conn)
            self._local.conn = conn
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

    def stop_checkpointer(self) -> None:
        """Stop the background checkpointer for good and wait for its thread to end (e.g.
        before forking: a child may inherit SQLite's mutex held by a checkpoint and hang).
        Connections opened afterwards, and this thread's, checkpoint themselves (SQLite's
        automatic checkpoint); other threads' open connections leave it to the last close."""
        with self._lock:
            checkpointer, self._checkpointer = self._checkpointer, None
            self._checkpoint_every = None
        if checkpointer is not None:
            checkpointer.stop()
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.execute("PRAGMA wal_autocheckpoint=1000")  # (SQLite's default)

    def close(self) -> None:
        with self._lock:
            checkpointer, self._checkpointer = self._checkpointer, None
            for conn in self._all:
                conn.close()
            self._all.clear()
        if checkpointer is not None:
            checkpointer.stop()
        self._local = threading.local()


class Checkpointer:
    """Copies the WAL into the database file (PASSIVE: it never waits for, nor blocks, a reader
    or the writer) on a connection and a daemon thread of its own: every `every` seconds, and
    as soon as it is `kick`ed (a writer that has just committed: the rebuild's staging copy),
    until `stop`, which runs one last checkpoint, or until `owner` (if given) is dropped
    unclosed. The connections it serves have SQLite's automatic checkpoint off."""

    def __init__(self, path: Path, timeout: float, every: float | None = None,
                 owner: object | None = None) -> None:
        self._due = threading.Event()
        self._stopping = False
        alive: Callable[[], object | None] = (
            (lambda: True) if owner is None else weakref.ref(owner))
        self._thread = threading.Thread(target=self._run, args=(path, timeout, every, alive),
                                        name="sqlite-checkpointer", daemon=True)
        self._thread.start()

    def kick(self) -> None:
        self._due.set()

    def _run(self, path: Path, timeout: float, every: float | None,
             alive: Callable[[], object | None]) -> None:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None,
                               check_same_thread=False)
        try:
            while True:
                self._due.wait(every)
                self._due.clear()  # (kicks meanwhile: one more checkpoint, not one each)
                if alive() is None:
                    return
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:  # busy or the file gone: the next turn tries again
                    pass
                if self._stopping:
                    return
        finally:
            conn.close()

    def stop(self) -> None:
        self._stopping = True
        self._due.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=60)


class DatabaseUnavailable(RuntimeError):
    """The database did not answer within its bounds (down, restarting, overloaded)."""


@contextmanager
def _unavailable_as_such() -> Iterator[None]:
    """Connection failures, pool and statement timeouts become `DatabaseUnavailable`; other
    database errors (a lock not available, a constraint) stay what they are."""
    import psycopg

    try:
        yield
    except psycopg.OperationalError as error:
        state = getattr(error, "sqlstate", None)
        if state is None or state.startswith(("08", "57")):
            raise DatabaseUnavailable(f"database unavailable: {type(error).__name__}") from error
        raise


@dataclass(frozen=True)
class DatabaseTimeouts:
    """Bounds on every wait for PostgreSQL, so that an unreachable or locked database fails a
    request within seconds instead of hanging it (issue 10, defect 8)."""

    connect: float = 3.0
    pool_wait: float = 3.0
    statement: float = 10.0
    lock: float = 5.0

    def connect_kwargs(self) -> dict[str, Any]:
        return {
            "connect_timeout": max(1, round(self.connect)),
            "options": f"-c statement_timeout={int(self.statement * 1000)}"
                       f" -c lock_timeout={int(self.lock * 1000)}",
        }


@lru_cache(maxsize=512)
def _pg_sql(sql: str) -> str:
    return sql.replace("?", "%s")


class _PgCursor:
    """A psycopg cursor that accepts the `?` placeholders the project writes; `stages`: its
    role may create temporary tables (`upsert_rows`)."""

    def __init__(self, cursor: Any, stages: bool = False) -> None:
        self._cursor = cursor
        self.stages = stages

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    def execute(self, sql: str, params: Params = ()) -> Any:
        return self._cursor.execute(_pg_sql(sql), params)

    def executemany(self, sql: str, seq: Sequence[Params]) -> Any:
        return self._cursor.executemany(_pg_sql(sql), seq)

    def copy_rows(self, table: str, columns: Sequence[str], rows: Sequence[Params]) -> None:
        """The rows into `table` by COPY (`insert_rows`)."""
        with self._cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def copy_upsert(self, upsert: Upsert, rows: Sequence[Params]) -> None:
        """The rows by COPY into a temporary table shaped like `upsert.table` (made once per
        session, emptied at each commit), then one `INSERT ... SELECT ... ON CONFLICT`."""
        self._cursor.execute(upsert.stage_ddl)
        with self._cursor.copy(upsert.copy_sql) as copy:
            for row in rows:
                copy.write_row(row)
        self._cursor.execute(upsert.from_stage_sql)

    def fetchall(self) -> list[Row]:
        return list(self._cursor.fetchall())

    def fetchone(self) -> Row | None:
        return self._cursor.fetchone()


def insert_rows(tx: Tx, table: str, columns: Sequence[str], rows: Sequence[Params]) -> None:
    """`INSERT INTO table (columns)` each row, in `tx`: on PostgreSQL by one COPY, not a
    statement per row (measured on the timeline's 20 columns: a seventh of `executemany`'s
    client CPU, the protocol and the parameters' Python adaptation per row gone), on SQLite by
    `executemany` (one statement prepared once, run in C). The same rows either way; a row
    that breaks a constraint fails the whole call as it would fail the INSERT. Plain inserts
    only: an upsert (`ON CONFLICT`) stays a statement."""
    if not rows:
        return
    if isinstance(tx, _PgCursor):
        tx.copy_rows(table, columns, rows)
    else:
        tx.executemany(_insert_sql(table, tuple(columns)), rows)


#: Rows from which an upsert on PostgreSQL goes through COPY (below: a statement per row).
COPY_UPSERT_FROM = 64


@dataclass(frozen=True)
class Upsert:
    """`INSERT INTO table (columns) ... ON CONFLICT (key) DO UPDATE` every column but the key
    and `kept` (columns a row keeps from its first insert), written once as each form needs
    it: a statement per row (SQLite, few rows) or COPY into a stage and one statement."""

    table: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    kept: tuple[str, ...] = ()

    @property
    def _conflict(self) -> str:
        updated = [c for c in self.columns if c not in self.key and c not in self.kept]
        return (f"ON CONFLICT ({', '.join(self.key)}) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in updated))

    @cached_property
    def statement(self) -> str:
        return (f"INSERT INTO {self.table} ({', '.join(self.columns)}) "
                f"VALUES ({', '.join('?' for _ in self.columns)}) {self._conflict}")

    @cached_property
    def _stage(self) -> str:
        # Named for the columns too: a pooled session may outlive a change of the table's
        # shape (a rebuild to a new read-model version), and its stage must not be reused.
        shape = zlib.crc32(",".join(self.columns).encode())
        return f"pg_temp.upsert_{self.table}_{shape:08x}"

    @cached_property
    def stage_ddl(self) -> str:
        return (f"CREATE TEMPORARY TABLE IF NOT EXISTS {self._stage} "
                f"(LIKE {self.table}) ON COMMIT DELETE ROWS")

    @cached_property
    def copy_sql(self) -> str:
        return f"COPY {self._stage} ({', '.join(self.columns)}) FROM STDIN"

    @cached_property
    def from_stage_sql(self) -> str:
        names = ", ".join(self.columns)
        return f"INSERT INTO {self.table} ({names}) SELECT {names} FROM {self._stage} " + (
            self._conflict)

    @cached_property
    def _key_at(self) -> tuple[int, ...]:
        return tuple(self.columns.index(c) for c in self.key)

    @cached_property
    def _kept_at(self) -> frozenset[int]:
        return frozenset(self.columns.index(c) for c in self.kept)

    def last_of_each(self, rows: Sequence[Params]) -> list[Params]:
        """One row per key, as a statement per row would leave it: the last row's values but
        the first's `kept` columns (one statement may not update a row twice)."""
        at, kept_at = self._key_at, self._kept_at
        merged: dict[Any, Params] = {}
        for row in rows:
            key = row[at[0]] if len(at) == 1 else tuple(row[j] for j in at)
            first = merged.get(key)
            if first is not None and kept_at:
                row = tuple(first[j] if j in kept_at else v for j, v in enumerate(row))
            merged[key] = row
        return list(merged.values())


def upsert_rows(tx: Tx, upsert: Upsert, rows: Sequence[Params]) -> None:
    """Each row inserted, or its key's row updated (`Upsert`), in `tx`: on PostgreSQL, from
    `COPY_UPSERT_FROM` rows, by COPY into a stage and one statement (a rebuild writes its case
    rows and trackers thousands at a time, and `executemany` adapts and sends each row's
    parameters in Python); otherwise, or for a role that may not create temporary tables, a
    statement per row. The same rows either way."""
    if not rows:
        return
    if isinstance(tx, _PgCursor) and tx.stages and len(rows) >= COPY_UPSERT_FROM:
        tx.copy_upsert(upsert, upsert.last_of_each(rows))
    else:
        tx.executemany(upsert.statement, rows)


@lru_cache(maxsize=128)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})")


class PostgresDatabase:
    """The read side on PostgreSQL, through a small connection pool."""

    dialect = "postgres"

    def __init__(self, url: str, max_size: int = 8, *, search_path: str | None = None,
                 timeouts: DatabaseTimeouts | None = None, min_size: int = 1) -> None:
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        self.url = url
        self.search_path = search_path
        self._stages: bool | None = None
        self.timeouts = timeouts or DatabaseTimeouts()
        kwargs: dict[str, Any] = {"row_factory": dict_row, **self.timeouts.connect_kwargs()}
        if search_path:
            kwargs["options"] = f"{kwargs.get('options', '')} -c search_path={search_path}".strip()
        # `timeout`: how long a caller waits for a connection before failing (not the pool's
        # 30 s default: with PostgreSQL down, callers must hear so within a short bound).
        self.pool = ConnectionPool(
            url, min_size=min_size, max_size=max_size, kwargs=kwargs, open=True,
            timeout=self.timeouts.pool_wait,
        )

    @contextmanager
    def transaction(self) -> Iterator[_PgCursor]:
        stages = self._may_stage()
        with (_unavailable_as_such(), self.pool.connection() as conn, conn.transaction(),
              conn.cursor() as cur):
            yield _PgCursor(cur, stages)

    def _may_stage(self) -> bool:
        """Whether this role may create temporary tables, asked once (PostgreSQL grants it to
        every role unless an operator revoked it; without it upserts go row by row)."""
        if self._stages is None:
            row = self.fetchone("SELECT has_database_privilege(current_database(), "
                                "'TEMPORARY') AS may")
            self._stages = bool(row and row["may"])
        return self._stages

    def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        with _unavailable_as_such(), self.pool.connection() as conn:
            # The pool's connections make dict rows (`row_factory=dict_row` above).
            return cast(list[Row], conn.execute(_pg_sql(sql), params).fetchall())

    def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        with _unavailable_as_such(), self.pool.connection() as conn:
            return cast(Row | None, conn.execute(_pg_sql(sql), params).fetchone())

    def close(self) -> None:
        self.pool.close()
